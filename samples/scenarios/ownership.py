"""Chat ownership changes: an owner leaves the forum, an owner hands a group over.

In the forum the founder leaves: a `chat_owner_left` service message (naming who becomes
owner if they do not come back) and their `chat_member` update (creator -> left); a week
later, if the window lasts, `chat_owner_changed` from the new owner. In the discussion
group the owner transfers ownership to a friend: `chat_owner_changed` from the old owner.
Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import chat_member_updated, service_message
from samples.cast import Chat, Person
from samples.world import World

FOUNDER_LEAVES_AT = 0.3  # of the window
OWNERSHIP_PASSES_AFTER = 7 * 86400
TRANSFER_AT = 0.7


def founder_leaves(world: World, chat: Chat, t: float) -> None:
    owner, successor = chat.owner, chat.admin
    if owner is None or successor is None or owner is successor or owner not in chat.members:
        return
    fields = {"chat_owner_left": {"new_owner": successor.obj}}
    world.emit(t, "message", service_message(chat.take_id(), owner.obj, chat.obj, t, fields))
    update = chat_member_updated(chat.obj, owner.obj, t, owner.obj, old="creator", new="left")
    world.emit(t + 0.2, "chat_member", update)
    chat.members.remove(owner)
    chat.refresh_weights()
    world.schedule(t + OWNERSHIP_PASSES_AFTER, lambda at: new_owner(world, chat, successor, at))


def new_owner(world: World, chat: Chat, owner: Person, t: float) -> None:
    """owner becomes the chat's owner at t (the message is theirs)."""
    fields = {"chat_owner_changed": {"new_owner": owner.obj}}
    world.emit(t, "message", service_message(chat.take_id(), owner.obj, chat.obj, t, fields))
    chat.owner = owner


def transfer(world: World, chat: Chat, t: float) -> None:
    old = chat.owner
    if old is None or len(chat.members) < 2:
        return
    friend = chat.pick_member(world.rng, old.id)
    fields = {"chat_owner_changed": {"new_owner": friend.obj}}
    world.emit(t, "message", service_message(chat.take_id(), old.obj, chat.obj, t, fields))
    chat.owner = friend


def plan(world: World) -> None:
    """The forum's founder leaves; the discussion group changes hands."""
    for chat in world.groups:
        if chat.kind == "forum":
            when = world.start_ts + world.span * FOUNDER_LEAVES_AT

            def leave(t: float, chat: Chat = chat) -> None:
                founder_leaves(world, chat, t)

            world.schedule(when, leave)
        elif chat.kind == "discussion":

            def hand_over(t: float, chat: Chat = chat) -> None:
                transfer(world, chat, t)

            world.schedule(world.start_ts + world.span * TRANSFER_AT, hand_over)
