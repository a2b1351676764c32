-- grain: one row per reacted-to message (chat_id, message_chat_id, message_id) with at
-- least one reaction now: a current reaction of an actor or an anonymous total above 0;
-- chat_id is the canonical chat, message_chat_id the id the message was sent under.
-- reads: stg_current_reactions, stg_anonymous_reactions, stg_messages, stg_users,
-- stg_chats.
-- user_reactions counts the current reactions of every actor (an actor's reactions are
-- those of their latest message_reaction update on the message; people, anonymous admins
-- and channels alike; one actor may have several); reacting_users counts the actors with
-- at least one. anonymous_reactions is the sum of the message's latest
-- message_reaction_count totals (messages with anonymous reactions, as in channels).
-- total_reactions = user_reactions + anonymous_reactions. top_reaction is the reaction
-- with the most of them (ties: the smallest reaction text). A reaction is an emoji, a
-- custom emoji id or `paid`. The author and text come from the message when the lake has
-- it (null otherwise): author_user_id is from.id of a message not sent as a chat,
-- author_name the person's latest name, or for a message sent as a chat (anonymous admin,
-- channel, automatic forward) that chat's title; text_snippet is the first 80 characters.
with

per_reaction as (
    select
        chat_id,
        message_chat_id,
        message_id,
        reaction_type,
        reaction,
        count(*) as user_count,
        0 as anonymous_count
    from stg_current_reactions
    group by chat_id, message_chat_id, message_id, reaction_type, reaction
    union all
    select
        chat_id,
        message_chat_id,
        message_id,
        reaction_type,
        reaction,
        0 as user_count,
        sum(total_count) as anonymous_count
    from stg_anonymous_reactions
    group by chat_id, message_chat_id, message_id, reaction_type, reaction
),

ranked_reactions as (
    select
        chat_id,
        message_chat_id,
        message_id,
        reaction_type,
        reaction,
        row_number() over (
            partition by message_chat_id, message_id
            order by sum(user_count + anonymous_count) desc, reaction asc, reaction_type asc
        ) as reaction_rank
    from per_reaction
    group by chat_id, message_chat_id, message_id, reaction_type, reaction
),

totals as (
    select
        chat_id,
        message_chat_id,
        message_id,
        sum(user_count) as user_reactions,
        sum(anonymous_count) as anonymous_reactions
    from per_reaction
    group by chat_id, message_chat_id, message_id
),

actors as (
    select
        message_chat_id,
        message_id,
        count(distinct actor_id) as reacting_users
    from stg_current_reactions
    group by message_chat_id, message_id
)

select
    totals.chat_id,
    totals.message_chat_id,
    totals.message_id,
    stg_messages.sent_at,
    case when stg_messages.sender_chat_id is null then stg_messages.user_id end as author_user_id,
    case
        when stg_messages.sender_chat_id is not null
            then coalesce(sender_chats.chat_title, cast(stg_messages.sender_chat_id as varchar))
        else stg_users.display_name
    end as author_name,
    stg_messages.content_type,
    substr(stg_messages.text, 1, 80) as text_snippet,
    totals.user_reactions,
    coalesce(actors.reacting_users, 0) as reacting_users,
    totals.anonymous_reactions,
    totals.user_reactions + totals.anonymous_reactions as total_reactions,
    ranked_reactions.reaction_type as top_reaction_type,
    ranked_reactions.reaction as top_reaction
from totals
inner join ranked_reactions
    on
        totals.message_chat_id = ranked_reactions.message_chat_id
        and totals.message_id = ranked_reactions.message_id
        and ranked_reactions.reaction_rank = 1
left join actors
    on
        totals.message_chat_id = actors.message_chat_id
        and totals.message_id = actors.message_id
left join stg_messages
    on
        totals.message_chat_id = stg_messages.message_chat_id
        and totals.message_id = stg_messages.message_id
left join stg_users on stg_messages.user_id = stg_users.user_id
-- A channel never migrates and an anonymous admin posts as the chat itself, whose id is
-- canonical once it can have admins posting anonymously (a supergroup).
left join stg_chats as sender_chats on stg_messages.sender_chat_id = sender_chats.chat_id
where totals.user_reactions + totals.anonymous_reactions > 0
