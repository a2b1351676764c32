"""Rare kinds of message, sent in quotas so that every run has a few of each.

Live photos (a `live_photo` with its backward-compatible `photo`), checklists (Telegram
Premium senders; members tick them later), games and invoices (sent through an inline
bot): each kind gets its quota, proportional to the run and at least one, at random
moments in random groups. They are otherwise ordinary group messages. Reads and writes
nothing.
"""

from __future__ import annotations

import functools

from samples.cast import Chat
from samples.content import RARE_KINDS
from samples.scenarios import group_chat
from samples.world import World

UPDATES_PER_MESSAGE = 800  # one message of each rare kind per this many updates
MIN_MESSAGES = 1


def send(world: World, chat: Chat, kind: str, t: float) -> None:
    group_chat.group_message(world, chat, t, kind)


def plan(world: World) -> None:
    rng = world.rng
    for kind in RARE_KINDS:
        for _ in range(max(MIN_MESSAGES, world.target // UPDATES_PER_MESSAGE)):
            chat = rng.choice(world.groups)
            when = world.start_ts + world.span * rng.random()
            world.schedule(when, functools.partial(send, world, chat, kind))
