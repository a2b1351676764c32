-- grain: one row per reaction an update names (update_id, reaction_type, reaction), as
-- stored in reactions; an update that names none has one row with a null reaction.
-- reads: reactions (curated table), stg_chat_ids.
-- chat_id is the chat's canonical id (the end of its migration chain); message_chat_id
-- the id the message was sent under (with message_id, the message's key). actor_id is
-- who reacted: the person (actor_user_id) or, for an anonymous admin or a channel, the
-- actor chat (actor_chat_id). is_added / is_removed: a message_reaction update set a
-- reaction the actor did not have before (in new_reaction, not in old_reaction) / took
-- one away. Adds the local day of the update. dt (UTC date of reacted_at, the partition)
-- is passed through untouched so that dt filters prune.
with

source as (
    select * from reactions
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
            with_timezone(reacted_at, 'UTC') at time zone '{{ timezone }}' as timestamp
        ) as reacted_at_local
    from canonical
)

select
    canonical_chat_id as chat_id,
    chat_id as message_chat_id,
    message_id,
    update_id,
    reacted_at,
    update_type,
    actor_user_id,
    actor_chat_id,
    reaction_type,
    reaction,
    was_set,
    is_set,
    total_count,
    dt,
    reacted_at_local,
    cast(reacted_at_local as date) as day,
    coalesce(actor_user_id, actor_chat_id) as actor_id,
    coalesce(is_set and not coalesce(was_set, false), false) as is_added,
    coalesce(was_set and not coalesce(is_set, false), false) as is_removed
from localized
