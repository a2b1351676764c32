-- grain: one row per chat per local day (chat_id, day) with at least one join or leave;
-- chat_id is the canonical chat.
-- reads: stg_joins, stg_member_events.
-- People only: bots joining or leaving are not counted; status changes that are neither
-- (event = 'other') are ignored. joins counts the people who joined that day (stg_joins:
-- one join per person, chat and local day, so the same join reported twice, by a
-- new_chat_members message and a chat_member update, counts once); leaves counts the
-- people who left that day, likewise once each. net = joins - leaves.
with

daily_joins as (
    select
        chat_id,
        day,
        count(*) as joins
    from stg_joins
    group by chat_id, day
),

daily_leaves as (
    select
        chat_id,
        day,
        count(distinct user_id) as leaves
    from stg_member_events
    where event = 'leave' and not is_bot and user_id is not null
    group by chat_id, day
),

days as (
    select
        chat_id,
        day
    from daily_joins
    union
    select
        chat_id,
        day
    from daily_leaves
)

select
    days.chat_id,
    days.day,
    coalesce(daily_joins.joins, 0) as joins,
    coalesce(daily_leaves.leaves, 0) as leaves,
    coalesce(daily_joins.joins, 0) - coalesce(daily_leaves.leaves, 0) as net
from days
left join daily_joins on days.chat_id = daily_joins.chat_id and days.day = daily_joins.day
left join daily_leaves on days.chat_id = daily_leaves.chat_id and days.day = daily_leaves.day
