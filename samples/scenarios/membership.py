"""Members joining and leaving groups, and the two ways Telegram reports it.

A change may come as a service message (`new_chat_members` / `left_chat_member`), as a
`chat_member` update (ChatMemberUpdated, sometimes with the invite link used), or both:
the lake must count it once. Some people join on their own, others are added by the
admin; one leaver is kicked; a moderation bot is added to a group. Reads and writes nothing.
"""

from __future__ import annotations

import base64

from samples.bot_api import JsonObj, chat_member_updated, service_message
from samples.cast import MOD_BOT, Chat, Person
from samples.world import World

P_ADDED = 0.3  # of joins: added by the admin rather than joining on their own
# One roll decides how a join is reported: a service message below 0.85, a chat_member
# update above 0.15 (so both in between). A leave: a service message 85% of the time.
SERVICE_MESSAGE_BELOW = 0.85
MEMBER_UPDATE_ABOVE = 0.15
P_INVITE_LINK = 0.5  # of self-joins: through the chat's invite link


def member_update(
    world: World, chat: Chat, t: float, actor: JsonObj, user: JsonObj, *, old: str, new: str
) -> JsonObj:
    """ChatMemberUpdated; a self-join may carry the invite link it used."""
    update = chat_member_updated(chat.obj, actor, t, user, old=old, new=new)
    if new == "member" and actor is user and world.rng.random() < P_INVITE_LINK:
        assert chat.admin is not None
        update["invite_link"] = {
            "invite_link": "https://t.me/+"
            + base64.urlsafe_b64encode(world.rng.randbytes(6)).decode()
            + "...",
            "creator": chat.admin.obj,
            "creates_join_request": False,
            "is_primary": True,
            "is_revoked": False,
        }
    return update


def join(world: World, chat: Chat, user_obj: JsonObj, t: float, user: Person | None) -> None:
    """user_obj joins chat at t (`user` None: not one of the people, e.g. a bot)."""
    rng = world.rng
    added_by = rng.random() < P_ADDED or user is None
    actor = chat.admin.obj if added_by and chat.admin else user_obj
    roll = rng.random()
    if roll < SERVICE_MESSAGE_BELOW:
        fields = {"new_chat_members": [user_obj]}
        world.emit(t, "message", service_message(chat.take_id(), actor, chat.obj, t, fields))
    if roll > MEMBER_UPDATE_ABOVE:
        update = member_update(world, chat, t, actor, user_obj, old="left", new="member")
        world.emit(t + 0.2, "chat_member", update)
    if user is not None and user not in chat.members:
        chat.members.append(user)
        chat.refresh_weights()


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
    update = member_update(world, chat, t, actor, user.obj, old="member", new=new_status)
    world.emit(t + 0.2, "chat_member", update)
    chat.members.remove(user)
    chat.refresh_weights()


def plan(world: World) -> None:
    """Schedule the window's joins and leaves in every group, and the moderation bot's join."""
    rng = world.rng
    span = world.span
    for chat in world.groups:
        outsiders = [u for u in world.people if u not in chat.members]
        joiners = outsiders[: max(1, len(world.people) // 7)]
        for user in joiners:
            when = world.start_ts + rng.random() * span * 0.9

            def do_join(t: float, user: Person = user, chat: Chat = chat) -> None:
                join(world, chat, user.obj, t, user)

            world.schedule(when, do_join)
        leavers = chat.members[3:][-max(1, len(chat.members) // 12) :]
        for i, user in enumerate(leavers):
            when = world.start_ts + span * (0.3 + rng.random() * 0.65)

            def do_leave(
                t: float, user: Person = user, chat: Chat = chat, k: bool = i == 0
            ) -> None:
                leave(world, chat, user, t, kicked=k)

            world.schedule(when, do_leave)
    bot_chat = world.groups[1] if len(world.groups) > 1 else world.groups[0]
    world.schedule(
        world.start_ts + span * 0.2 + 3600 * 13,
        lambda t: join(world, bot_chat, MOD_BOT, t, None),
    )
