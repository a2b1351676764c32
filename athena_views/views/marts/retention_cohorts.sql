-- grain: one row per chat per cohort week per week offset (chat_id, cohort_week,
-- week_offset), for every later local week in which a person posted in the chat; chat_id
-- is the canonical chat.
-- reads: stg_messages.
-- People only (sender_type user: not bots, anonymous admins, channels or system
-- messages). A person's cohort_week is the Monday of the local week of their first
-- message in the chat. active_users counts the cohort's people with a message in week
-- cohort_week + week_offset weeks; retention = active_users / cohort_users (week_offset 0
-- is always 1.0).
with

user_weeks as (
    select distinct
        chat_id,
        user_id,
        week_start
    from stg_messages
    where is_person and user_id is not null
),

first_weeks as (
    select
        chat_id,
        user_id,
        min(week_start) as cohort_week
    from user_weeks
    group by chat_id, user_id
),

cohorts as (
    select
        chat_id,
        cohort_week,
        count(*) as cohort_users
    from first_weeks
    group by chat_id, cohort_week
),

chat_weeks as (
    select distinct
        chat_id,
        week_start
    from user_weeks
),

cohort_activity as (
    select
        first_weeks.chat_id,
        first_weeks.cohort_week,
        user_weeks.week_start,
        count(*) as active_users
    from first_weeks
    inner join user_weeks
        on
            first_weeks.chat_id = user_weeks.chat_id
            and first_weeks.user_id = user_weeks.user_id
    group by first_weeks.chat_id, first_weeks.cohort_week, user_weeks.week_start
),

grid as (
    select
        cohorts.chat_id,
        cohorts.cohort_week,
        cohorts.cohort_users,
        chat_weeks.week_start
    from cohorts
    inner join chat_weeks
        on
            cohorts.chat_id = chat_weeks.chat_id
            and cohorts.cohort_week <= chat_weeks.week_start
)

select
    grid.chat_id,
    grid.cohort_week,
    date_diff('week', grid.cohort_week, grid.week_start) as week_offset,
    grid.cohort_users,
    coalesce(cohort_activity.active_users, 0) as active_users,
    cast(coalesce(cohort_activity.active_users, 0) as double)
    / grid.cohort_users as retention
from grid
left join cohort_activity
    on
        grid.chat_id = cohort_activity.chat_id
        and grid.cohort_week = cohort_activity.cohort_week
        and grid.week_start = cohort_activity.week_start
