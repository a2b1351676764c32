-- grain: one row per chat per local day per person (chat_id, day, user_id) with at least
-- one message sent as a person (sender_type user); chat_id is the canonical chat.
-- reads: stg_messages, stg_users.
-- People only (not bots, anonymous admins, channels, automatic forwards or system
-- messages), each message counted once on its local send day whatever its edits.
-- display_name is the user's latest known one.
with

people_messages as (
    select
        chat_id,
        day,
        user_id
    from stg_messages
    where is_person and user_id is not null
),

per_user_day as (
    select
        chat_id,
        day,
        user_id,
        count(*) as messages
    from people_messages
    group by chat_id, day, user_id
)

select
    per_user_day.chat_id,
    per_user_day.day,
    per_user_day.user_id,
    stg_users.display_name,
    per_user_day.messages
from per_user_day
left join stg_users on per_user_day.user_id = stg_users.user_id
