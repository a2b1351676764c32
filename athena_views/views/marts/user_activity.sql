-- grain: one row per chat per user (chat_id, user_id) who sent at least one human message.
-- reads: stg_messages, stg_users.
-- Human messages only (not from a bot, not a channel post), each counted once whatever its
-- edits. active_days counts distinct local days with a message; first_message_at and
-- last_message_at are UTC send times (like sent_at); avg_text_length averages the messages
-- with a text or caption; share_of_chat_messages = messages / the chat's human messages
-- (0..1). display_name and user_username are the user's latest known ones.
with

human_messages as (
    select
        chat_id,
        user_id,
        sent_at,
        day,
        text_length,
        has_text
    from stg_messages
    where is_human and user_id is not null
),

per_user as (
    select
        chat_id,
        user_id,
        count(*) as messages,
        count(distinct day) as active_days,
        min(sent_at) as first_message_at,
        max(sent_at) as last_message_at,
        avg(case when has_text then text_length end) as avg_text_length
    from human_messages
    group by chat_id, user_id
),

per_chat as (
    select
        chat_id,
        count(*) as chat_messages
    from human_messages
    group by chat_id
)

select
    per_user.chat_id,
    per_user.user_id,
    stg_users.display_name,
    stg_users.user_username,
    per_user.messages,
    per_user.active_days,
    per_user.first_message_at,
    per_user.last_message_at,
    per_user.avg_text_length,
    cast(per_user.messages as double) / per_chat.chat_messages as share_of_chat_messages
from per_user
inner join per_chat on per_user.chat_id = per_chat.chat_id
left join stg_users on per_user.user_id = stg_users.user_id
