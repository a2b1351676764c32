-- grain: one row per person per chat per local day with a join (chat_id, user_id, day).
-- reads: stg_member_events.
-- A join reported twice (a new_chat_members service message and a chat_member update)
-- counts once: of a person's joins in a chat on one local day, the chat_member report is
-- kept (it names the invite link, the join request, the folder link), then the earliest
-- (occurred_at, update_id). Bots joining are left out: the join views count people.
with

ranked as (
    select
        chat_id,
        user_id,
        day,
        occurred_at,
        source,
        update_id,
        actor_user_id,
        invite_link,
        via_join_request,
        via_chat_folder_invite_link,
        join_source,
        dt,
        row_number() over (
            partition by chat_id, user_id, day
            order by source = 'chat_member' desc, occurred_at asc, update_id asc
        ) as report_rank
    from stg_member_events
    where event = 'join' and not is_bot and user_id is not null
)

select
    chat_id,
    user_id,
    day,
    occurred_at,
    source,
    update_id,
    actor_user_id,
    invite_link,
    via_join_request,
    via_chat_folder_invite_link,
    join_source,
    dt
from ranked
where report_rank = 1
