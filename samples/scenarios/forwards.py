"""Forwarded messages: the `forward_origin` of a message someone forwards into a group.

All four MessageOrigin types: a user, a user who hides their account (`hidden_user`), a
chat, and a channel post (our channel's, sometimes signed). Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import JsonObj
from samples.cast import CHANNEL_AUTHOR
from samples.world import World

P_FORWARD = 0.04  # of ordinary group messages
HIDDEN_NAMES = ("Carlos M.", "Tia Cida", "Rob 🎸")
OTHER_GROUP: JsonObj = {
    "id": -1_001_391_004_455,
    "title": "Python Brasil",
    "username": "pythonbrasil",
    "type": "supergroup",
}


def forward_origin(world: World, t: float) -> JsonObj:
    """Where a message forwarded at t came from (sent up to 30 days earlier)."""
    rng = world.rng
    when = int(t) - rng.randrange(120, 30 * 86400)
    roll = rng.random()
    if roll < 0.5:
        return {"type": "user", "sender_user": rng.choice(world.people).obj, "date": when}
    if roll < 0.65:
        return {
            "type": "hidden_user",
            "sender_user_name": rng.choice(HIDDEN_NAMES),
            "date": when,
        }
    if roll < 0.75:
        return {"type": "chat", "sender_chat": OTHER_GROUP, "date": when}
    channel = world.channel
    origin: JsonObj = {
        "type": "channel",
        "chat": channel.obj,
        "message_id": rng.randrange(10, channel.next_message_id + 1),
        "date": when,
    }
    if rng.random() < 0.4:
        origin["author_signature"] = CHANNEL_AUTHOR
    return origin
