-- grain: one row per chat per inviter (chat_id, inviter_type, inviter_user_id,
-- invite_link) who brought at least one person in; chat_id is the canonical chat.
-- reads: stg_joins, stg_users.
-- Telegram tells a bot who added a member (the actor), and which invite link a member used
-- (its name when the link has one, else its URL), but not who created the link. So an
-- inviter is either a person (inviter_type user: joins of source added, credited to the
-- actor) or an invite link (inviter_type invite_link: joins that name the link, approved
-- join requests through it included); admins who name their links after the person who
-- shares them read them here by that name. members counts distinct people brought in (a
-- person who joined twice counts once per inviter); joins of people who came in on their
-- own, by a folder link or by a request without a link are not credited to anyone.
-- inviter_name is the person's latest name, or the link's name.
with

credited as (
    select
        chat_id,
        user_id,
        occurred_at,
        case when invite_link is not null then 'invite_link' else 'user' end as inviter_type,
        case when invite_link is null then actor_user_id end as inviter_user_id,
        invite_link
    from stg_joins
    where invite_link is not null or join_source = 'added'
),

inviters as (
    select
        chat_id,
        inviter_type,
        inviter_user_id,
        invite_link,
        count(distinct user_id) as members,
        max(occurred_at) as last_joined_at
    from credited
    group by chat_id, inviter_type, inviter_user_id, invite_link
)

select
    inviters.chat_id,
    inviters.inviter_type,
    inviters.inviter_user_id,
    inviters.invite_link,
    coalesce(inviters.invite_link, stg_users.display_name) as inviter_name,
    inviters.members,
    inviters.last_joined_at
from inviters
left join stg_users on inviters.inviter_user_id = stg_users.user_id
