"""Pinned messages: now and then a group's admin pins a recent message.

A `pinned_message` service message carrying the pinned message (without its own
`reply_to_message`). Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import as_reply_target, service_message
from samples.cast import Chat
from samples.world import World

DAYS_PER_PIN = 5  # about one pin per group every five days (at least one)


def plan(world: World) -> None:
    """Schedule each group's pins at random moments of the window."""
    rng = world.rng
    for chat in world.groups:
        for _ in range(max(1, world.days // DAYS_PER_PIN)):

            def pin(t: float, chat: Chat = chat) -> None:
                recent = chat.recent.get(0)
                if not recent or chat.admin is None:
                    return
                target = as_reply_target(recent[world.rng.randrange(len(recent))])
                fields = {"pinned_message": target}
                msg = service_message(chat.take_id(), chat.admin.obj, chat.obj, t, fields)
                world.emit(t, "message", msg)

            world.schedule(world.start_ts + rng.random() * world.span, pin)
