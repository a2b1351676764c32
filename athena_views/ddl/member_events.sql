-- member_events: one row per member change (join, leave, other) seen in a chat
-- Generated from lake/tables.py by `python -m athena_views ddl --write`:
-- edit lake/tables.py, not this file. Partition projection on dt: no MSCK, no crawler.
create external table if not exists member_events (
    chat_id bigint comment 'chat.id',
    user_id bigint comment 'the member who joined or left',
    event string comment 'join, leave or other',
    occurred_at timestamp comment 'message.date or chat_member.date (UTC)',
    source string comment 'new_chat_members, left_chat_member, chat_member or desktop_export',
    update_id bigint comment 'update that carried the change',
    user_is_bot boolean comment 'the member is a bot',
    user_first_name string comment 'the member first_name',
    user_username string comment 'the member username',
    old_status string comment 'chat_member only: old_chat_member.status',
    new_status string comment 'chat_member only: new_chat_member.status',
    actor_user_id bigint comment 'who performed it: ChatMemberUpdated.from, or the from of the service message',
    invite_link string comment 'the invite link used to join: its name when set, else its invite_link text',
    via_join_request boolean comment 'joined by an approved join request',
    via_chat_folder_invite_link boolean comment 'joined through a chat folder link'
)
comment 'Telegram member joins and leaves; dt = UTC date of occurred_at'
partitioned by (dt date comment 'UTC date of occurred_at')
row format serde 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
stored as inputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
outputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
location '{{ location_uri }}/member_events/'
tblproperties (
    'classification' = 'parquet',
    'parquet.compression' = 'SNAPPY',
    'projection.enabled' = 'true',
    'projection.dt.type' = 'date',
    'projection.dt.format' = 'yyyy-MM-dd',
    'projection.dt.range' = '{{ projection_start }},NOW',
    'projection.dt.interval' = '1',
    'projection.dt.interval.unit' = 'DAYS',
    'storage.location.template' = '{{ location_uri }}/member_events/dt=${dt}/'
)
