-- grain: one row per chat, message, actor and reaction the actor has on the message now
-- (message_chat_id, message_id, actor_id, reaction_type, reaction).
-- reads: stg_reactions.
-- A message_reaction update carries the actor's whole set of reactions after it
-- (new_reaction): an actor's current reactions on a message are the reactions set by
-- their latest update on it, by (reacted_at, update_id), whatever order the updates
-- arrived in. An actor whose latest update removed everything has no row.
with

personal as (
    select
        chat_id,
        message_chat_id,
        message_id,
        actor_id,
        actor_user_id,
        actor_chat_id,
        update_id,
        reacted_at,
        reaction_type,
        reaction,
        is_set,
        rank() over (
            partition by message_chat_id, message_id, actor_id
            order by reacted_at desc, update_id desc
        ) as recency
    from stg_reactions
    where update_type = 'message_reaction' and actor_id is not null
)

select
    chat_id,
    message_chat_id,
    message_id,
    actor_id,
    actor_user_id,
    actor_chat_id,
    update_id,
    reacted_at,
    reaction_type,
    reaction
from personal
where recency = 1 and is_set and reaction is not null
