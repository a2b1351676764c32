-- grain: one row per chat_join_request update (update_id), as stored in join_requests.
-- reads: join_requests (curated table), stg_chat_ids.
-- chat_id is the chat's canonical id (the end of its migration chain). Adds the local day
-- of the request. dt (UTC date of requested_at, the partition) is passed through untouched
-- so that dt filters prune.
with

source as (
    select * from join_requests
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
            with_timezone(requested_at, 'UTC') at time zone '{{ timezone }}' as timestamp
        ) as requested_at_local
    from canonical
)

select
    canonical_chat_id as chat_id,
    chat_id as request_chat_id,
    user_id,
    requested_at,
    update_id,
    invite_link,
    dt,
    requested_at_local,
    cast(requested_at_local as date) as day
from localized
