-- grain: one row per chat per local day (chat_id, day) with at least one message that is
-- not a channel post.
-- reads: stg_messages.
-- Counts each message once, on its local send day, whatever its edits. messages,
-- active_users, avg_text_length, media_messages, edited_messages and replies count human
-- messages only (not from a bot, not a channel post); bot_messages counts bots' messages;
-- channel posts are not counted. avg_text_length averages the human messages that have a
-- text or caption (null when none has). chat_title is the chat's latest known title.
with

chat_messages as (
    select
        chat_id,
        day,
        user_id,
        text_length,
        is_human,
        is_bot,
        is_media,
        is_edited,
        is_reply,
        has_text
    from stg_messages
    where not is_channel_post
),

chat_titles as (
    select
        chat_id,
        max_by(chat_title, update_id) as chat_title
    from stg_messages
    group by chat_id
),

daily as (
    select
        chat_id,
        day,
        count_if(is_human) as messages,
        count(distinct case when is_human then user_id end) as active_users,
        avg(case when is_human and has_text then text_length end) as avg_text_length,
        count_if(is_human and is_media) as media_messages,
        count_if(is_human and is_edited) as edited_messages,
        count_if(is_human and is_reply) as replies,
        count_if(is_bot) as bot_messages
    from chat_messages
    group by chat_id, day
)

select
    daily.chat_id,
    chat_titles.chat_title,
    daily.day,
    daily.messages,
    daily.active_users,
    daily.avg_text_length,
    daily.media_messages,
    daily.edited_messages,
    daily.replies,
    daily.bot_messages
from daily
inner join chat_titles on daily.chat_id = chat_titles.chat_id
