"""Managed bots: people create their own bot through the lake's bot (Bot API 9.6).

Each creation is a `managed_bot_created` service message in the person's private chat with
the bot, naming the new bot (a User). Reads and writes nothing.
"""

from __future__ import annotations

from samples.cast import Person, ascii_handle
from samples.scenarios.private import private_chat
from samples.world import World

UPDATES_PER_BOT = 1500  # one new managed bot per this many updates (at least one)


def plan(world: World) -> None:
    rng = world.rng
    for _ in range(max(1, world.target // UPDATES_PER_BOT)):
        person = rng.choice(world.people)
        when = world.start_ts + world.span * rng.random()

        def create(t: float, person: Person = person) -> None:
            chat, _ = private_chat(world, person)
            first = person.obj["first_name"].split(" ")[0]
            bot = {
                "id": world.rng.randrange(8_000_000_000, 8_999_999_999),
                "is_bot": True,
                "first_name": f"{first} Stats",
                "username": f"{ascii_handle(first)}_{world.rng.randrange(10, 99)}_stats_bot",
            }
            msg = {"message_id": chat.take_id(), "from": person.obj, "chat": chat.obj}
            msg["date"] = int(t)
            msg["managed_bot_created"] = {"bot": bot}
            world.emit(t, "message", msg)

        world.schedule(when, create)
