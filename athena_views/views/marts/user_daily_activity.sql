-- grain: one row per chat per local day per user (chat_id, day, user_id) with at least one
-- human message.
-- reads: stg_messages, stg_users.
-- Human messages only (not from a bot, not a channel post), each counted once on its local
-- send day whatever its edits. display_name is the user's latest known one.
with

human_messages as (
    select
        chat_id,
        day,
        user_id
    from stg_messages
    where is_human and user_id is not null
),

per_user_day as (
    select
        chat_id,
        day,
        user_id,
        count(*) as messages
    from human_messages
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
