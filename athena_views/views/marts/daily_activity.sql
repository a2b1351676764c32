-- grain: one row per chat per local day (chat_id, day) with at least one message of any
-- sender; chat_id is the canonical chat (a migrated group's days join its supergroup's).
-- reads: stg_messages, stg_chats.
-- Each message counts once, on its local send day, whatever its edits. messages,
-- avg_text_length, media_messages, edited_messages and replies count activity messages:
-- people's and anonymous admins' messages, and every post of a channel (not bots, not
-- system messages, not automatic forwards, not posts made as a channel inside a group).
-- active_users counts distinct people (sender_type user). avg_text_length averages the
-- activity messages with a text or caption (null when none has); edited_messages counts
-- those with edit_count > 0 (a moved live location is no edit). bot_messages counts bots'
-- messages; channel_posts counts posts made as a channel and automatic forwards of a
-- linked channel in chats that are not channels. chat_title and chat_type are the chat's
-- latest known ones.
with

daily as (
    select
        chat_id,
        day,
        count_if(is_activity) as messages,
        count(distinct case when is_person then user_id end) as active_users,
        avg(case when is_activity and has_text then text_length end) as avg_text_length,
        count_if(is_activity and is_media) as media_messages,
        count_if(is_activity and is_edited) as edited_messages,
        count_if(is_activity and is_reply) as replies,
        count_if(is_bot) as bot_messages,
        count_if(is_group_channel_post) as channel_posts
    from stg_messages
    group by chat_id, day
)

select
    daily.chat_id,
    stg_chats.chat_title,
    stg_chats.chat_type,
    daily.day,
    daily.messages,
    daily.active_users,
    daily.avg_text_length,
    daily.media_messages,
    daily.edited_messages,
    daily.replies,
    daily.bot_messages,
    daily.channel_posts
from daily
inner join stg_chats on daily.chat_id = stg_chats.chat_id
