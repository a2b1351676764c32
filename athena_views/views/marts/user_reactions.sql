-- grain: one row per chat per person (chat_id, user_id) who has at least one current
-- reaction on a message of the chat or whose messages have at least one; chat_id is the
-- canonical chat.
-- reads: stg_current_reactions, stg_anonymous_reactions, stg_messages, stg_users.
-- Current reactions only (an actor's reactions on a message are those of their latest
-- message_reaction update on it). reactions_given counts the person's current reactions
-- (a reaction on a message the lake never saw counts too); reactions_received counts the
-- current reactions on their messages (sent as a person, sender_type user), by anyone,
-- plus the anonymous totals on those messages; a reaction to one's own message counts in
-- both. Anonymous admins and channels react as chats, not people: they are not rows here.
-- display_name is the person's latest known name.
with

given as (
    select
        chat_id,
        actor_user_id as user_id,
        count(*) as reactions_given
    from stg_current_reactions
    where actor_user_id is not null
    group by chat_id, actor_user_id
),

on_messages as (
    select
        message_chat_id,
        message_id,
        1 as reactions
    from stg_current_reactions
    union all
    select
        message_chat_id,
        message_id,
        total_count as reactions
    from stg_anonymous_reactions
),

received as (
    select
        stg_messages.chat_id,
        stg_messages.user_id,
        sum(on_messages.reactions) as reactions_received
    from on_messages
    inner join stg_messages
        on
            on_messages.message_chat_id = stg_messages.message_chat_id
            and on_messages.message_id = stg_messages.message_id
    where stg_messages.is_person and stg_messages.user_id is not null
    group by stg_messages.chat_id, stg_messages.user_id
),

people as (
    select
        chat_id,
        user_id
    from given
    union
    select
        chat_id,
        user_id
    from received
)

select
    people.chat_id,
    people.user_id,
    stg_users.display_name,
    coalesce(given.reactions_given, 0) as reactions_given,
    coalesce(received.reactions_received, 0) as reactions_received
from people
left join given on people.chat_id = given.chat_id and people.user_id = given.user_id
left join received on people.chat_id = received.chat_id and people.user_id = received.user_id
left join stg_users on people.user_id = stg_users.user_id
