"""Private chats with the bot: `/start` first, then commands and a few words.

The bot's answers are never delivered to the bot, but take a message id. The third person
to talk to the bot later blocks it: a `my_chat_member` update (a type the lake ignores).
Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import chat_member_updated
from samples.cast import LAKE_BOT, Chat, Person
from samples.entities import render_static
from samples.rhythm import COMMUNITY_WEEK
from samples.world import World

LATER_TEXTS = ("/stats", "/help", "Oi bot 👋", "Thanks!")
BLOCKED_AFTER_CHATS = 3


def private_chat(world: World, user: Person) -> tuple[Chat, bool]:
    """user's private chat with the bot, and whether it is new."""
    chat = world.privates.get(user.id)
    if chat is not None:
        return chat, False
    obj = {"id": user.id, "first_name": user.obj["first_name"]}
    for key in ("last_name", "username"):
        if key in user.obj:
            obj[key] = user.obj[key]
    obj["type"] = "private"
    chat = Chat(obj, "private", COMMUNITY_WEEK, world.rng.randrange(1, 30))
    world.privates[user.id] = chat
    return chat, True


def private_message(world: World, t: float) -> None:
    """Someone writes to the bot in private at t."""
    rng = world.rng
    user = rng.choice(world.people)
    chat, new = private_chat(world, user)
    if new:
        text, entities = render_static("/start")
    else:
        text, entities = render_static(rng.choice(LATER_TEXTS))
    msg = {"message_id": chat.take_id(), "from": user.obj, "chat": chat.obj, "date": int(t)}
    msg["text"] = text
    if entities:
        msg["entities"] = entities
    world.emit(t, "message", msg)
    chat.take_id()  # the bot's answer (bots do not receive their own messages)
    if len(world.privates) == BLOCKED_AFTER_CHATS and not world.blocked_once:
        # A user blocks the bot: documented my_chat_member update, an ignored type.
        world.blocked_once = True
        blocked = chat_member_updated(
            chat.obj, user.obj, int(t) + 40, LAKE_BOT, old="member", new="kicked"
        )
        world.schedule(t + 40, lambda when: world.emit(when, "my_chat_member", blocked))
