-- grain: one row per chat per local day (chat_id, day) with at least one join request;
-- chat_id is the canonical chat.
-- reads: stg_join_requests, stg_joins.
-- requests counts the people who asked to join that day (chat_join_request updates; one
-- person asking twice in a day counts once). approved counts those requests that were
-- approved: the person's latest request at or before a later join of theirs in the same
-- chat with via_join_request (so a request asked again and approved once is approved
-- once, on the day of the request that was granted). Joins by request whose request the
-- lake never saw are not counted here (join_sources counts them). median_approval_seconds:
-- seconds from an approved request to its join (approx_percentile on Athena, exact
-- locally); null when none was approved.
with

requests as (
    select distinct
        chat_id,
        user_id,
        day,
        requested_at
    from stg_join_requests
    where user_id is not null
),

approvals as (
    select
        stg_joins.chat_id,
        stg_joins.user_id,
        stg_joins.occurred_at as joined_at,
        max(requests.requested_at) as requested_at
    from stg_joins
    inner join requests
        on
            stg_joins.chat_id = requests.chat_id
            and stg_joins.user_id = requests.user_id
            and stg_joins.occurred_at >= requests.requested_at
    where stg_joins.via_join_request
    group by stg_joins.chat_id, stg_joins.user_id, stg_joins.occurred_at
),

approved_requests as (
    select
        chat_id,
        user_id,
        requested_at,
        min(joined_at) as joined_at
    from approvals
    group by chat_id, user_id, requested_at
),

daily_requests as (
    select
        requests.chat_id,
        requests.day,
        count(distinct requests.user_id) as requests,
        count(distinct approved_requests.user_id) as approved,
        approx_percentile(
            date_diff('second', approved_requests.requested_at, approved_requests.joined_at),
            0.5
        ) as median_approval_seconds
    from requests
    left join approved_requests
        on
            requests.chat_id = approved_requests.chat_id
            and requests.user_id = approved_requests.user_id
            and requests.requested_at = approved_requests.requested_at
    group by requests.chat_id, requests.day
)

select
    chat_id,
    day,
    requests,
    approved,
    median_approval_seconds
from daily_requests
