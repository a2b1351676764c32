-- reactions: one row per reaction named in a message_reaction update (old or new) or counted in a message_reaction_count update (update_id, reaction_type, reaction)
-- Generated from lake/tables.py by `python -m athena_views ddl --write`:
-- edit lake/tables.py, not this file. Partition projection on dt: no MSCK, no crawler.
create external table if not exists reactions (
    chat_id bigint comment 'chat.id',
    message_id bigint comment 'the message reacted to',
    update_id bigint comment 'the reaction update',
    reacted_at timestamp comment 'date of the update (UTC)',
    update_type string comment 'message_reaction or message_reaction_count',
    actor_user_id bigint comment 'message_reaction: user.id of who reacted',
    actor_chat_id bigint comment 'message_reaction: actor_chat.id when an anonymous admin or a channel reacted',
    reaction_type string comment 'emoji, custom_emoji or paid; null: no reaction',
    reaction string comment 'the emoji, the custom_emoji_id, or paid',
    was_set boolean comment 'message_reaction: in old_reaction',
    is_set boolean comment 'message_reaction: in new_reaction (the reactions of the actor after it)',
    total_count int comment 'message_reaction_count: anonymous total of the reaction'
)
comment 'Reactions set, removed and counted on messages; dt = UTC date of reacted_at'
partitioned by (dt date comment 'UTC date of reacted_at')
row format serde 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
stored as inputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
outputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
location '{{ location_uri }}/reactions/'
tblproperties (
    'classification' = 'parquet',
    'parquet.compression' = 'SNAPPY',
    'projection.enabled' = 'true',
    'projection.dt.type' = 'date',
    'projection.dt.format' = 'yyyy-MM-dd',
    'projection.dt.range' = '{{ projection_start }},NOW',
    'projection.dt.interval' = '1',
    'projection.dt.interval.unit' = 'DAYS',
    'storage.location.template' = '{{ location_uri }}/reactions/dt=${dt}/'
)
