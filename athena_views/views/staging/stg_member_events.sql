-- grain: one row per member change (join, leave, other) as stored in member_events.
-- reads: member_events (curated table), stg_chat_ids.
-- chat_id is the chat's canonical id (the end of its migration chain); event_chat_id the
-- id the change was reported under. Adds the local day of the change in the configured
-- timezone and, for joins, join_source: how the member came in, first that applies:
-- join_request (approved request), folder_link (chat folder invite link), invite_link
-- (an invite link is named), added (someone else performed it), else self. dt (UTC date of
-- occurred_at, the partition) is passed through untouched so that dt filters prune.
-- Telegram may report one join twice (a new_chat_members service message and a
-- chat_member update): both rows are kept here; stg_joins keeps one.
with

source as (
    select * from member_events
),

canonical as (
    select
        source.*,
        coalesce(stg_chat_ids.canonical_chat_id, source.chat_id) as canonical_chat_id
    from source
    left join stg_chat_ids on source.chat_id = stg_chat_ids.chat_id
),

localized as (
    select
        *,
        cast(
            with_timezone(occurred_at, 'UTC') at time zone '{{ timezone }}' as timestamp
        ) as occurred_at_local
    from canonical
)

select
    canonical_chat_id as chat_id,
    chat_id as event_chat_id,
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
    actor_user_id,
    invite_link,
    via_join_request,
    via_chat_folder_invite_link,
    dt,
    occurred_at_local,
    cast(occurred_at_local as date) as day,
    coalesce(user_is_bot, false) as is_bot,
    case
        when event <> 'join' then null
        when coalesce(via_join_request, false) then 'join_request'
        when coalesce(via_chat_folder_invite_link, false) then 'folder_link'
        when invite_link is not null then 'invite_link'
        when actor_user_id is not null and actor_user_id <> user_id then 'added'
        else 'self'
    end as join_source
from localized
