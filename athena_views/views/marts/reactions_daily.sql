-- grain: one row per chat per local day (chat_id, day) with at least one reaction update
-- (message_reaction or message_reaction_count); chat_id is the canonical chat.
-- reads: stg_reactions.
-- Counted from what each update changed, on the local day of the update, whatever order
-- the updates arrived in. reactions_added / reactions_removed: reactions an actor (a
-- person, an anonymous admin, a channel) set / took away, new_reaction against
-- old_reaction of their message_reaction update (swapping one emoji for another is one
-- of each).
-- reacting_users: distinct people (actor_user_id) who added a reaction that day.
-- anonymous_change: the net change of anonymous totals (message_reaction_count, as in
-- channels): each update's total over all reactions minus the message's previous update's
-- total, by (reacted_at, update_id); a message's first update counts in full.
-- top_reaction: the reaction added most that day (ties: the smallest reaction text; null
-- when none was added). A reaction is an emoji, a custom emoji id or `paid`.
with

personal as (
    select
        chat_id,
        day,
        count_if(is_added) as reactions_added,
        count_if(is_removed) as reactions_removed,
        count(distinct case when is_added then actor_user_id end) as reacting_users
    from stg_reactions
    where update_type = 'message_reaction'
    group by chat_id, day
),

count_updates as (
    select
        chat_id,
        message_chat_id,
        message_id,
        update_id,
        reacted_at,
        day,
        sum(coalesce(total_count, 0)) as anonymous_total
    from stg_reactions
    where update_type = 'message_reaction_count'
    group by chat_id, message_chat_id, message_id, update_id, reacted_at, day
),

count_changes as (
    select
        chat_id,
        day,
        anonymous_total - coalesce(
            lag(anonymous_total) over (
                partition by message_chat_id, message_id
                order by reacted_at asc, update_id asc
            ),
            0
        ) as anonymous_change
    from count_updates
),

anonymous as (
    select
        chat_id,
        day,
        sum(anonymous_change) as anonymous_change
    from count_changes
    group by chat_id, day
),

added_reactions as (
    select
        chat_id,
        day,
        reaction_type,
        reaction,
        row_number() over (
            partition by chat_id, day
            order by count(*) desc, reaction asc, reaction_type asc
        ) as reaction_rank
    from stg_reactions
    where is_added
    group by chat_id, day, reaction_type, reaction
),

days as (
    select
        chat_id,
        day
    from personal
    union
    select
        chat_id,
        day
    from anonymous
)

select
    days.chat_id,
    days.day,
    coalesce(personal.reactions_added, 0) as reactions_added,
    coalesce(personal.reactions_removed, 0) as reactions_removed,
    coalesce(personal.reacting_users, 0) as reacting_users,
    coalesce(anonymous.anonymous_change, 0) as anonymous_change,
    added_reactions.reaction_type as top_reaction_type,
    added_reactions.reaction as top_reaction
from days
left join personal on days.chat_id = personal.chat_id and days.day = personal.day
left join anonymous on days.chat_id = anonymous.chat_id and days.day = anonymous.day
left join added_reactions
    on
        days.chat_id = added_reactions.chat_id
        and days.day = added_reactions.day
        and added_reactions.reaction_rank = 1
