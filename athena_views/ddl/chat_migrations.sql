-- chat_migrations: one row per group upgraded to a supergroup (from_chat_id, to_chat_id)
-- Generated from lake/tables.py by `python -m athena_views ddl --write`:
-- edit lake/tables.py, not this file. Partition projection on dt: no MSCK, no crawler.
create external table if not exists chat_migrations (
    from_chat_id bigint comment 'id of the basic group (the chat of migrate_to_chat_id)',
    to_chat_id bigint comment 'id of the supergroup (the chat of migrate_from_chat_id)',
    migrated_at timestamp comment 'date of the earliest service message (UTC)',
    update_id bigint comment 'update of the earliest service message'
)
comment 'Group to supergroup migrations: the chat id changes; dt = UTC date of migrated_at'
partitioned by (dt date comment 'UTC date of migrated_at')
row format serde 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
stored as inputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
outputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
location '{{ location_uri }}/chat_migrations/'
tblproperties (
    'classification' = 'parquet',
    'parquet.compression' = 'SNAPPY',
    'projection.enabled' = 'true',
    'projection.dt.type' = 'date',
    'projection.dt.format' = 'yyyy-MM-dd',
    'projection.dt.range' = '{{ projection_start }},NOW',
    'projection.dt.interval' = '1',
    'projection.dt.interval.unit' = 'DAYS',
    'storage.location.template' = '{{ location_uri }}/chat_migrations/dt=${dt}/'
)
