"""The channel's occasional events: Star giveaways with their winners, and gifts it receives.

A giveaway post (`giveaway`) announces the draw; at the draw a `giveaway_winners` post names
the winners (both are posts: the discussion group gets their automatic forwards). A
subscriber sends the channel a gift (`gift` service message) and sometimes later pays its
upgrade (`gift_upgrade_sent`). Reads and writes nothing.
"""

from __future__ import annotations

import functools

from samples import commerce
from samples.bot_api import JsonObj
from samples.scenarios.channel import publish
from samples.texts import GIFT_TEXTS
from samples.world import World

DAYS_PER_GIVEAWAY = 7
DRAW_AFTER = 3 * 86400
UPDATES_PER_GIFT = 1000  # one gift per this many updates (at least one)
NOT_UPGRADED_EVERY = 3  # every third gift is never upgraded


def giveaway(world: World, t: float) -> None:
    rng = world.rng
    stars = rng.choice((500, 1000, 2500))
    winner_count = rng.randrange(3, 6)
    draw = t + DRAW_AFTER
    channel = world.channel.obj
    post = publish(world, t, {"giveaway": commerce.giveaway(channel, draw, winner_count, stars)})

    def winners(at: float) -> None:
        chosen = [p.obj for p in world.rng.sample(world.people, winner_count)]
        result = commerce.giveaway_winners(channel, post["message_id"], at, chosen, stars)
        publish(world, at, {"giveaway_winners": result})

    world.schedule(draw, winners)


def service_post(world: World, t: float, fields: JsonObj) -> None:
    """A service message in the channel (not a post: no automatic forward)."""
    channel = world.channel
    msg = {"message_id": channel.take_id(), "sender_chat": channel.obj, "chat": channel.obj}
    msg["date"] = int(t)
    msg.update(fields)
    world.emit(t, "channel_post", msg)


def gift(world: World, t: float, *, upgraded: bool) -> None:
    rng = world.rng
    present = commerce.gift(rng)
    service_post(world, t, {"gift": commerce.gift_received(present, rng.choice(GIFT_TEXTS))})
    if upgraded:
        number = rng.randrange(1_000, 90_000)
        upgrade = {"gift_upgrade_sent": commerce.gift_upgrade_sent(present, number)}
        world.schedule(
            t + 3600 + rng.expovariate(1 / 86400), lambda at: service_post(world, at, upgrade)
        )


def plan(world: World) -> None:
    rng = world.rng
    for _ in range(max(1, world.days // DAYS_PER_GIVEAWAY)):
        when = world.start_ts + world.span * (0.1 + 0.5 * rng.random())
        world.schedule(when, lambda t: giveaway(world, t))
    for i in range(max(1, world.target // UPDATES_PER_GIFT)):
        upgraded = i % NOT_UPGRADED_EVERY != NOT_UPGRADED_EVERY - 1
        when = world.start_ts + world.span * rng.random()
        world.schedule(when, functools.partial(gift, world, upgraded=upgraded))
