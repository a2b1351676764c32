-- grain: one row per member change (join, leave, other) as stored in member_events.
-- reads: member_events (curated table).
-- Adds the local day of the change in the configured timezone. dt (UTC date of
-- occurred_at, the partition) is passed through untouched so that dt filters prune.
-- Telegram may report one join twice (a new_chat_members service message and a
-- chat_member update): both rows are kept here, membership_daily deduplicates.
with

source as (
    select * from member_events
),

localized as (
    select
        *,
        cast(
            with_timezone(occurred_at, 'UTC') at time zone '{{ timezone }}' as timestamp
        ) as occurred_at_local
    from source
)

select
    chat_id,
    user_id,
    event,
    occurred_at,
    source,
    update_id,
    user_is_bot,
    user_first_name,
    user_username,
    old_status,
    new_status,
    dt,
    occurred_at_local,
    cast(occurred_at_local as date) as day,
    coalesce(user_is_bot, false) as is_bot
from localized
