-- grain: one row per user (user_id) seen as the sender (from) of a message or as the
-- member of a member change.
-- reads: stg_messages, stg_member_events.
-- The latest name of each user (Telegram names change): from their messages when they
-- sent any (the greatest update_id among delivered updates, which grow with time; imported
-- history only when nothing delivered names them, then the latest send time), else from
-- their latest member change (which knows no last name). is_person: they sent a message
-- as a person (sender_type user) or joined or left as a member that is not a bot; bots,
-- Telegram's service account (777000, automatic forwards) and the anonymous-admin and
-- channel stand-in accounts are not people.
with

message_senders as (
    select
        user_id,
        display_name,
        user_username,
        1 as source_rank,
        coalesce(source, 'webhook') = 'webhook' as is_delivered,
        sent_at as seen_at,
        update_id,
        is_person
    from stg_messages
    where user_id is not null
),

members as (
    select
        user_id,
        coalesce(
            nullif(trim(user_first_name), ''),
            user_username,
            'person-' || lpad(lower(to_base(user_id % 16777216, 16)), 6, '0')
        ) as display_name,
        user_username,
        2 as source_rank,
        coalesce(source <> 'desktop_export', true) as is_delivered,
        occurred_at as seen_at,
        update_id,
        not is_bot as is_person
    from stg_member_events
    where user_id is not null
),

sightings as (
    select * from message_senders
    union all
    select * from members
),

ranked as (
    select
        user_id,
        display_name,
        user_username,
        bool_or(is_person) over (partition by user_id) as is_person,
        row_number() over (
            partition by user_id
            order by
                source_rank asc,
                is_delivered desc,
                case when is_delivered then update_id end desc,
                seen_at desc,
                update_id desc
        ) as recency
    from sightings
)

select
    user_id,
    display_name,
    user_username,
    is_person
from ranked
where recency = 1
