-- grain: one row per chat per replying person per replied-to user (chat_id, user_id,
-- replied_to_user_id) with at least one reply; chat_id is the canonical chat.
-- reads: stg_messages, stg_users.
-- replies counts the messages sent as a person (sender_type user) that reply to a message
-- whose sender Telegram names (reply_to_user_id, from.id of the replied-to message, whether
-- or not the lake has that message); replying to oneself counts too. The replied-to user
-- may be a bot, Telegram's service account (automatic forwards of a linked channel) or the
-- stand-in account of anonymous admins: replied_to_is_person says whether they are a
-- person (stg_users.is_person; null when the lake never saw them post, join or leave).
-- Names are the latest known ones.
with

pairs as (
    select
        chat_id,
        user_id,
        reply_to_user_id as replied_to_user_id,
        count(*) as replies
    from stg_messages
    where is_person and user_id is not null and reply_to_user_id is not null
    group by chat_id, user_id, reply_to_user_id
)

select
    pairs.chat_id,
    pairs.user_id,
    repliers.display_name,
    pairs.replied_to_user_id,
    replied_to.display_name as replied_to_display_name,
    replied_to.is_person as replied_to_is_person,
    pairs.replies
from pairs
left join stg_users as repliers on pairs.user_id = repliers.user_id
left join stg_users as replied_to on pairs.replied_to_user_id = replied_to.user_id
