-- grain: one row per chat per local day (chat_id, day) with at least one join or leave.
-- reads: stg_member_events.
-- joins / leaves count distinct (chat, user, event, local day): the same join reported
-- twice (new_chat_members message and chat_member update) counts once. Bots joining or
-- leaving are not counted; status changes that are neither (event = 'other') are ignored.
-- net = joins - leaves.
with

member_changes as (
    select distinct
        chat_id,
        day,
        user_id,
        event
    from stg_member_events
    where event in ('join', 'leave') and not is_bot
),

daily as (
    select
        chat_id,
        day,
        count_if(event = 'join') as joins,
        count_if(event = 'leave') as leaves
    from member_changes
    group by chat_id, day
)

select
    chat_id,
    day,
    joins,
    leaves,
    joins - leaves as net
from daily
