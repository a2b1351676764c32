-- join_requests: one row per chat_join_request update
-- Generated from lake/tables.py by `python -m athena_views ddl --write`:
-- edit lake/tables.py, not this file. Partition projection on dt: no MSCK, no crawler.
create external table if not exists join_requests (
    chat_id bigint comment 'chat.id',
    user_id bigint comment 'from.id: who asked to join',
    requested_at timestamp comment 'date of the request (UTC)',
    update_id bigint comment 'the chat_join_request update',
    invite_link string comment 'the invite link used: its name when set, else its invite_link text'
)
comment 'Requests to join a chat that needs approval; dt = UTC date of requested_at'
partitioned by (dt date comment 'UTC date of requested_at')
row format serde 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
stored as inputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
outputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
location '{{ location_uri }}/join_requests/'
tblproperties (
    'classification' = 'parquet',
    'parquet.compression' = 'SNAPPY',
    'projection.enabled' = 'true',
    'projection.dt.type' = 'date',
    'projection.dt.format' = 'yyyy-MM-dd',
    'projection.dt.range' = '{{ projection_start }},NOW',
    'projection.dt.interval' = '1',
    'projection.dt.interval.unit' = 'DAYS',
    'storage.location.template' = '{{ location_uri }}/join_requests/dt=${dt}/'
)
