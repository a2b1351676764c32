-- messages: one row per message (chat_id, message_id), its latest known version
-- Generated from lake/tables.py by `python -m athena_views ddl --write`:
-- edit lake/tables.py, not this file. Partition projection on dt: no MSCK, no crawler.
create external table if not exists messages (
    chat_id bigint comment 'chat.id',
    message_id bigint comment 'message.message_id',
    message_thread_id bigint comment 'forum topic id (message_thread_id), null if none',
    update_id bigint comment 'update that produced the kept version',
    sent_at timestamp comment 'original date of the message (UTC)',
    edited_at timestamp comment 'edit_date of the kept version (UTC), null if never',
    edit_count int comment 'number of distinct edit updates seen for this message',
    chat_type string comment 'private, group, supergroup or channel',
    chat_title string comment 'chat.title',
    user_id bigint comment 'from.id, null for channel posts without from',
    user_is_bot boolean comment 'from.is_bot',
    user_first_name string comment 'from.first_name',
    user_last_name string comment 'from.last_name',
    user_username string comment 'from.username',
    user_language_code string comment 'from.language_code',
    sender_chat_id bigint comment 'sender_chat.id (anonymous admins, channels)',
    content_type string comment 'text, photo, video, animation, audio, voice, video_note, document, sticker, location, venue, contact, poll, dice, story or other',
    text string comment 'text or caption',
    text_length int comment 'characters in text (0 when null)',
    word_count int comment 'whitespace-separated words in text (0 when null)',
    reply_to_message_id bigint comment 'reply_to_message.message_id; null for the implicit reply to a forum topic root',
    is_forwarded boolean comment 'forward_origin (or legacy forward_date) present',
    forward_origin_type string comment 'forward_origin.type: user, hidden_user, chat, channel',
    is_channel_post boolean comment 'came from channel_post or edited_channel_post',
    media_group_id string comment 'album id'
)
comment 'Telegram messages, latest version per (chat_id, message_id); dt = UTC send date'
partitioned by (dt date comment 'UTC date of sent_at')
row format serde 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
stored as inputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
outputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
location '{{ location_uri }}/messages/'
tblproperties (
    'classification' = 'parquet',
    'parquet.compression' = 'SNAPPY',
    'projection.enabled' = 'true',
    'projection.dt.type' = 'date',
    'projection.dt.format' = 'yyyy-MM-dd',
    'projection.dt.range' = '{{ projection_start }},NOW',
    'projection.dt.interval' = '1',
    'projection.dt.interval.unit' = 'DAYS',
    'storage.location.template' = '{{ location_uri }}/messages/dt=${dt}/'
)
