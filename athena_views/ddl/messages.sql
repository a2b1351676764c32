-- messages: one row per message (chat_id, message_id), its latest known version
-- Generated from lake/tables.py by `python -m athena_views ddl --write`:
-- edit lake/tables.py, not this file. Partition projection on dt: no MSCK, no crawler.
create external table if not exists messages (
    chat_id bigint comment 'chat.id',
    message_id bigint comment 'message.message_id (always a positive integer)',
    message_thread_id bigint comment 'forum topic id (message_thread_id), null if none',
    update_id bigint comment 'update that produced the kept version',
    sent_at timestamp comment 'original date of the message (UTC)',
    edited_at timestamp comment 'edit_date of the kept version (UTC): its latest edit or live-location move',
    edit_count int comment 'distinct edit_date values of the edits seen; moving a live location is no edit',
    chat_type string comment 'private, group, supergroup or channel',
    chat_title string comment 'chat.title',
    user_id bigint comment 'from.id as Telegram sent it (null without from)',
    user_is_bot boolean comment 'from.is_bot',
    user_first_name string comment 'from.first_name',
    user_last_name string comment 'from.last_name',
    user_username string comment 'from.username',
    user_language_code string comment 'from.language_code',
    sender_chat_id bigint comment 'sender_chat.id (anonymous admins, channels)',
    sender_type string comment 'who sent it, first rule that applies: channel (channel post), auto_forward (linked channel post copied), anonymous_admin (sender_chat = chat), channel (sender_chat), system (from.id 777000), bot, user (from), else unknown',
    is_automatic_forward boolean comment 'a post of the linked channel that Telegram copied into its discussion group',
    content_type string comment 'animation, photo, video, video_note, voice, audio, document, sticker, venue, location, contact, poll, dice, story, game, paid_media, checklist, giveaway, giveaway_winners, invoice, text or other (first present field wins)',
    text string comment 'text or caption',
    text_length int comment 'characters in text (0 when null)',
    word_count int comment 'whitespace-separated words in text (0 when null)',
    reply_to_message_id bigint comment 'reply_to_message.message_id; null for the implicit reply to a forum topic root',
    reply_to_user_id bigint comment 'reply_to_message.from.id of that reply (null when it is not a reply)',
    is_forwarded boolean comment 'forward_origin (or legacy forward_date) present',
    forward_origin_type string comment 'forward_origin.type: user, hidden_user, chat, channel',
    forward_from_user_id bigint comment 'forward_origin.sender_user.id: whose message was forwarded, when a person',
    is_channel_post boolean comment 'came from channel_post or edited_channel_post',
    source string comment 'webhook (Telegram delivered it) or desktop_export (imported history)',
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
