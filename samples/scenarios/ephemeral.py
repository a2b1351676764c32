"""Messages without a usable id: Telegram delivers a few with `message_id` 0.

A message the server scheduled instead of sending at once (documented for a video sent to
a big chat) has `message_id` 0 until it is sent; ephemeral messages cannot be addressed
either. Such a message cannot be keyed, replied to or reacted to. Reads and writes
nothing.
"""

from __future__ import annotations

from samples import media
from samples.entities import render_static
from samples.texts import PT_TEXTS
from samples.world import World

UPDATES_PER_MESSAGE = 1500  # one such message per this many updates (at least one)


def plan(world: World) -> None:
    """Schedule the window's messages with message_id 0, in the busiest group."""
    rng = world.rng
    group = world.groups[0]
    for i in range(max(1, world.target // UPDATES_PER_MESSAGE)):
        when = world.start_ts + world.span * (0.1 + 0.8 * rng.random())
        video = i % 2 == 0

        def send(t: float, video: bool = video) -> None:
            person = group.pick_member(world.rng)
            msg = {"message_id": 0, "from": person.obj, "chat": group.obj, "date": int(t)}
            if video:
                msg.update(media.moving_picture(world.rng, "video", t))
            else:
                text, entities = render_static(world.rng.choice(PT_TEXTS))
                msg["text"] = text
                if entities:
                    msg["entities"] = entities
            world.emit(t, "message", msg)

        world.schedule(when, send)
