-- grain: one row per chat, message and reaction in the message's anonymous totals now
-- (message_chat_id, message_id, reaction_type, reaction).
-- reads: stg_reactions.
-- A message_reaction_count update (messages with anonymous reactions, as in channels)
-- carries every reaction's total at that moment: the current totals are those of the
-- message's latest such update, by (reacted_at, update_id). A latest update that names no
-- reaction (every reaction gone) leaves no row.
with

counted as (
    select
        chat_id,
        message_chat_id,
        message_id,
        update_id,
        reacted_at,
        reaction_type,
        reaction,
        total_count,
        rank() over (
            partition by message_chat_id, message_id
            order by reacted_at desc, update_id desc
        ) as recency
    from stg_reactions
    where update_type = 'message_reaction_count'
)

select
    chat_id,
    message_chat_id,
    message_id,
    update_id,
    reacted_at,
    reaction_type,
    reaction,
    total_count
from counted
where recency = 1 and reaction is not null and total_count > 0
