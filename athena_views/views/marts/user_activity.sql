-- grain: one row per chat per person (chat_id, user_id) who sent at least one message as
-- a person (sender_type user); chat_id is the canonical chat.
-- reads: stg_messages, stg_users.
-- People only: not bots, anonymous admins, channels, automatic forwards or system
-- messages. Each message counted once whatever its edits. active_days counts distinct
-- local days with a message; first_message_at and last_message_at are UTC send times
-- (like sent_at); avg_text_length averages the messages with a text or caption;
-- share_of_chat_messages = messages / all people's messages in the chat (0..1, the shares
-- of a chat add up to 1). display_name and user_username are the user's latest known ones.
with

people_messages as (
    select
        chat_id,
        user_id,
        sent_at,
        day,
        text_length,
        has_text
    from stg_messages
    where is_person and user_id is not null
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
    from people_messages
    group by chat_id, user_id
),

per_chat as (
    select
        chat_id,
        count(*) as chat_messages
    from people_messages
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
