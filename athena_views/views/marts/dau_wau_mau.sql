-- grain: one row per chat per local day (chat_id, day), every calendar day from the chat's
-- first message by a person to the last local day with a message by a person in any
-- chat; chat_id is the canonical chat.
-- reads: stg_messages.
-- Distinct people (sender_type user: not bots, anonymous admins, channels or system
-- messages; a channel has no rows) with a message: dau on the day, wau over the 7 days
-- ending on it, mau over the 30 days ending on it. Days without messages are present
-- (dau = 0) so that wau and mau decay visibly.
-- How: a user active on day d counts in wau from d to d + 6 and in mau from d to d + 29,
-- cut short where their next active day starts a new span. These spans never overlap for
-- one user, so a running sum of +1 (span start) / -1 (day after span end) over the
-- calendar counts distinct users without a join of every day with every user-day.
with

user_days as (
    select distinct
        chat_id,
        user_id,
        day
    from stg_messages
    where is_person and user_id is not null
),

spans as (
    select
        chat_id,
        day as start_day,
        lead(day) over (partition by chat_id, user_id order by day) as next_day
    from user_days
),

span_ends as (
    select
        chat_id,
        start_day,
        cast(
            least(
                date_add('day', 7, start_day), coalesce(next_day, date_add('day', 7, start_day))
            ) as date
        ) as wau_end_day,
        cast(
            least(
                date_add('day', 30, start_day), coalesce(next_day, date_add('day', 30, start_day))
            ) as date
        ) as mau_end_day
    from spans
),

changes as (
    select
        chat_id,
        start_day as day,
        1 as wau_change,
        1 as mau_change
    from span_ends
    union all
    select
        chat_id,
        wau_end_day as day,
        -1 as wau_change,
        0 as mau_change
    from span_ends
    union all
    select
        chat_id,
        mau_end_day as day,
        0 as wau_change,
        -1 as mau_change
    from span_ends
),

daily_changes as (
    select
        chat_id,
        day,
        sum(wau_change) as wau_change,
        sum(mau_change) as mau_change
    from changes
    group by chat_id, day
),

daily_users as (
    select
        chat_id,
        day,
        count(*) as dau
    from user_days
    group by chat_id, day
),

chat_spans as (
    select
        chat_id,
        min(day) as first_day
    from user_days
    group by chat_id
),

lake_span as (
    select max(day) as last_day
    from user_days
),

calendar as (
    select
        chat_spans.chat_id,
        -- sequence yields timestamps on some engines: the cast keeps a date everywhere.
        cast(spine.day as date) as day
    from chat_spans
    cross join lake_span
    cross join
        unnest(
            sequence(chat_spans.first_day, lake_span.last_day, interval '1' day)
        ) as spine (day)
)

select
    calendar.chat_id,
    calendar.day,
    coalesce(daily_users.dau, 0) as dau,
    sum(coalesce(daily_changes.wau_change, 0)) over (
        partition by calendar.chat_id
        order by calendar.day
        rows between unbounded preceding and current row
    ) as wau,
    sum(coalesce(daily_changes.mau_change, 0)) over (
        partition by calendar.chat_id
        order by calendar.day
        rows between unbounded preceding and current row
    ) as mau
from calendar
left join daily_users
    on calendar.chat_id = daily_users.chat_id and calendar.day = daily_users.day
left join daily_changes
    on calendar.chat_id = daily_changes.chat_id and calendar.day = daily_changes.day
