"""Live locations: a shared location with `live_period` moves as a stream of edits.

Telegram delivers each move as an `edited_message` with the new coordinates and
`edit_date`. Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import JsonObj
from samples.cast import Chat
from samples.world import World


def is_live(msg: JsonObj) -> bool:
    return "location" in msg and "live_period" in msg["location"]


def schedule_moves(world: World, chat: Chat, msg: JsonObj, t: float) -> None:
    """Two to five moves, about a minute apart, of the live location msg sent at t."""
    for step in range(1, world.rng.randrange(3, 7)):

        def move(when: float, step: int = step) -> None:
            if not world.still_open(chat, msg):
                return
            edited = dict(msg)
            location = dict(msg["location"])
            location["latitude"] = round(location["latitude"] + 0.0004 * step, 6)
            location["longitude"] = round(location["longitude"] - 0.0003 * step, 6)
            edited["location"] = location
            edited["edit_date"] = int(when)
            world.emit(when, "edited_message", edited)

        world.schedule(t + 60 * step + world.rng.random() * 5, move)
