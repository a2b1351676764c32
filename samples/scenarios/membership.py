"""Members joining and leaving groups, where joins come from, and how Telegram reports them.

A join comes from one source: on their own (a public group, or the channel's discussion
button), the primary or a named invite link, a chat folder link, a join request an admin
approved, or another member adding them (sometimes two at once). It is reported as a
service message (`new_chat_members`, from whoever added them), as a `chat_member` update
(ChatMemberUpdated with `from` = who did it, and the link, `via_join_request` or
`via_chat_folder_invite_link`), or both: the lake must count it once. Some join requests
are never approved. One leaver is kicked; a moderation bot is added to a group. People new
to the sample join as well, and then take part. Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import JsonObj, chat_member_updated, service_message
from samples.cast import MOD_BOT, Chat, Person
from samples.scenarios.invites import NAMED_LINKS, REQUEST_LINK, make_links, request_to_join
from samples.world import World

# One roll decides how a join is reported: a service message below 0.85, a chat_member
# update above 0.15 (so both in between). A leave: a service message 85% of the time.
SERVICE_MESSAGE_BELOW = 0.85
MEMBER_UPDATE_ABOVE = 0.15
JOINS_PER_UPDATE = 0.018  # joins (all groups together) per update of the run
MIN_JOINS = 4
SUPERGROUP_SOURCES = ("self", "primary", *NAMED_LINKS, "folder", "added", "added", "request",
                      "request_link", "request")  # fmt: skip
BASIC_GROUP_SOURCES = ("added", "added", "added", "primary")  # a family: people are added
UNAPPROVED_EVERY = 3  # one join request in three (the 2nd, 5th, ... of a chat) is never approved
P_ADDED_TOGETHER = 0.25  # of adds: two people added in one go


def report_join(
    world: World,
    chat: Chat,
    t: float,
    users: list[JsonObj],
    actor: JsonObj,
    *,
    link: JsonObj | None = None,
    via_join_request: bool = False,
    via_folder: bool = False,
    both_ways: bool = False,
) -> None:
    """Telegram reports users joining chat at t (done by actor) one way, the other, or both.

    A join the bot can only tell apart by its `chat_member` update (a request approved by
    an admin) always has one; its service message is the person's own.
    """
    approved = via_join_request or (link is not None and link["creates_join_request"])
    roll = 0.5 if both_ways else world.rng.random()
    if roll < SERVICE_MESSAGE_BELOW:
        sender = users[0] if approved else actor
        fields = {"new_chat_members": users}
        world.emit(t, "message", service_message(chat.take_id(), sender, chat.obj, t, fields))
    if roll > MEMBER_UPDATE_ABOVE or approved:
        for i, user in enumerate(users):
            update = chat_member_updated(
                chat.obj,
                actor,
                t,
                user,
                old="left",
                new="member",
                invite_link=link,
                via_join_request=via_join_request,
                via_chat_folder_invite_link=via_folder,
            )
            world.emit(t + 0.2 + 0.1 * i, "chat_member", update)


def admit(chat: Chat, people: list[Person]) -> None:
    # Joiners were outsiders when planned, and each is planned once per chat.
    for person in people:
        chat.add_member(person)


def join(world: World, chat: Chat, source: str, people: list[Person], t: float) -> None:
    """people join chat at t, from source (see SUPERGROUP_SOURCES)."""
    rng = world.rng
    users = [p.obj for p in people]
    if source == "added":
        adder = chat.pick_member(rng, people[0].id)
        report_join(world, chat, t, users, adder.obj)
    elif source == "folder":
        report_join(world, chat, t, users, users[0], via_folder=True)
    elif source == "self":
        report_join(world, chat, t, users, users[0])
    elif source in chat.links:
        report_join(world, chat, t, users, users[0], link=chat.links[source])
    admit(chat, people)


def approve(world: World, chat: Chat, person: Person, via_link: bool, t: float) -> None:
    """An admin approves person's join request at t."""
    admin = (chat.admin or chat.members[0]).obj
    if via_link:
        report_join(world, chat, t, [person.obj], admin, link=chat.links[REQUEST_LINK])
    else:
        report_join(world, chat, t, [person.obj], admin, via_join_request=True)
    admit(chat, [person])


def leave(world: World, chat: Chat, user: Person, t: float, kicked: bool) -> None:
    """user leaves chat at t, or is kicked by the admin (a group keeps two members)."""
    if user not in chat.members or len(chat.members) <= 2:
        return
    assert chat.admin is not None
    actor = chat.admin.obj if kicked else user.obj
    if world.rng.random() < SERVICE_MESSAGE_BELOW:
        fields = {"left_chat_member": user.obj}
        world.emit(t, "message", service_message(chat.take_id(), actor, chat.obj, t, fields))
    new_status = "kicked" if kicked else "left"
    update = chat_member_updated(chat.obj, actor, t, user.obj, old="member", new=new_status)
    world.emit(t + 0.2, "chat_member", update)
    chat.members.remove(user)
    chat.refresh_weights()


def schedule_request(
    world: World, chat: Chat, person: Person, when: float, *, via_link: bool, approved: bool
) -> None:
    """person asks to join chat at `when`; an admin approves it later, or never does."""

    def approve_it(t: float) -> None:
        approve(world, chat, person, via_link, t)

    def ask(t: float) -> None:
        request_to_join(
            world, chat, person, t, via_link=via_link, join=approve_it if approved else None
        )

    world.schedule(when, ask)


def plan_joins(world: World, chat: Chat) -> None:
    """Schedule the chat's joins: people of the sample first, then newcomers."""
    rng = world.rng
    member_ids = {m.id for m in chat.members}
    outsiders = [u for u in world.people if u.id not in member_ids]
    sources = SUPERGROUP_SOURCES if chat.is_supergroup else BASIC_GROUP_SOURCES
    count = max(MIN_JOINS, round(world.target * JOINS_PER_UPDATE / len(world.groups)))
    order = [sources[i % len(sources)] for i in range(count)]
    rng.shuffle(order)
    requests = 0
    for source in order:
        people = [outsiders.pop(0) if outsiders else world.newcomer()]
        if source == "added" and rng.random() < P_ADDED_TOGETHER:
            people.append(outsiders.pop(0) if outsiders else world.newcomer())
        when = world.start_ts + rng.random() * world.span * 0.9
        if source.startswith("request"):
            requests += 1
            approved = requests % UNAPPROVED_EVERY != 2
            via_link = source == "request_link"
            schedule_request(world, chat, people[0], when, via_link=via_link, approved=approved)
        else:

            def do_join(t: float, s: str = source, ps: list[Person] = people) -> None:
                join(world, chat, s, ps, t)

            world.schedule(when, do_join)


def plan(world: World) -> None:
    """Schedule the window's joins and leaves in every group, and the moderation bot's join."""
    rng = world.rng
    span = world.span
    for chat in world.groups:
        make_links(world, chat)
        plan_joins(world, chat)
        leavers = chat.members[3:][-max(1, len(chat.members) // 12) :]
        for i, user in enumerate(leavers):
            when = world.start_ts + span * (0.3 + rng.random() * 0.65)

            def do_leave(
                t: float, user: Person = user, chat: Chat = chat, k: bool = i == 0
            ) -> None:
                leave(world, chat, user, t, kicked=k)

            world.schedule(when, do_leave)
    bot_chat = world.groups[1] if len(world.groups) > 1 else world.groups[0]

    def add_bot(t: float) -> None:
        assert bot_chat.admin is not None
        report_join(world, bot_chat, t, [MOD_BOT], bot_chat.admin.obj, both_ways=True)

    world.schedule(world.start_ts + span * 0.2 + 3600 * 13, add_bot)
