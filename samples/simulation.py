"""The timeline: which scenario acts when, and the updates the webhook receives, in order.

`generate_updates` builds the world from the seed, runs the planners (one-off events), then
walks the window hour by hour: each stream gets its expected number of messages for that
hour (from `samples.rhythm`), bunched around a few moments, and acts at each; scheduled
actions run and deliveries are handed over as the clock passes them. Reads and writes
nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from samples.bot_api import JsonObj
from samples.rhythm import CHANNEL_HOURS, COMMUNITY_WEEK, hourly_expected
from samples.scenarios import (
    channel,
    channel_events,
    ephemeral,
    forum,
    group_chat,
    managed_bots,
    membership,
    migration,
    ownership,
    pins,
    private,
    rare_content,
    rename,
    suggested_posts,
)
from samples.world import World

DEFAULT_SEED = 7
DEFAULT_START = "2026-11-02"
DEFAULT_DAYS = 14
DEFAULT_CHATS = 3
DEFAULT_USERS = 20
DEFAULT_TARGET_UPDATES = 3000

# One-off events, scheduled before the clock starts, in this order (it is part of the output).
PLANNERS: tuple[Callable[[World], None], ...] = (
    membership.plan,
    forum.plan,
    rename.plan,
    pins.plan,
    migration.plan,
    ownership.plan,
    ephemeral.plan,
    managed_bots.plan,
    suggested_posts.plan,
    channel_events.plan,
    rare_content.plan,
)
UPDATES_PER_MESSAGE = 1.58  # edits, reactions, re-deliveries... per stream message
GROUP_SHARE = 0.975
CHANNEL_SHARE = 0.022
PRIVATE_SHARE = 0.005


@dataclass(frozen=True)
class Stream:
    """A source of messages: act(t) makes one; expected[h] = messages in hour h."""

    act: Callable[[float], None]
    expected: list[float]


def streams(world: World) -> list[Stream]:
    """The groups (later groups quieter), the channel, and private chats with the bot."""
    base = world.target / UPDATES_PER_MESSAGE
    hours = world.days * 24
    weights = [1.0 / (1 + i) ** 0.6 for i in range(len(world.groups))]
    out = []
    for group, w in zip(world.groups, weights, strict=True):
        total = base * GROUP_SHARE * w / sum(weights)
        act = functools.partial(group_chat.group_message, world, group)
        out.append(Stream(act, hourly_expected(total, world.start_ts, hours, group.week)))
    channel_expected = hourly_expected(
        base * CHANNEL_SHARE, world.start_ts, hours, world.channel.week, CHANNEL_HOURS
    )
    out.append(Stream(functools.partial(channel.channel_post, world), channel_expected))
    private_expected = hourly_expected(base * PRIVATE_SHARE, world.start_ts, hours, COMMUNITY_WEEK)
    out.append(Stream(functools.partial(private.private_message, world), private_expected))
    return out


def run(world: World) -> Iterator[tuple[float, JsonObj]]:
    """(arrival timestamp, Update) in delivery order, for the whole window."""
    rng = world.rng
    events = world.events
    for planner in PLANNERS:
        planner(world)
    plans = streams(world)
    for hour in range(world.days * 24):
        hour_start = world.start_ts + hour * 3600
        moments: list[tuple[float, int, Stream]] = []
        for stream in plans:
            n = int(stream.expected[hour] + rng.random())
            # Conversations come in bursts around a few moments of the hour.
            centers = [rng.random() * 3600 for _ in range(1 + n // 25)]
            for _ in range(n):
                if rng.random() < 0.6:
                    offset = rng.choice(centers) + rng.gauss(0, 240)
                    offset = min(max(offset, 0.0), 3599.999)
                else:
                    offset = rng.random() * 3600
                moments.append((hour_start + offset, next(events.seq), stream))
        moments.sort(key=lambda m: (m[0], m[1]))
        for t, _, stream in moments:
            yield from events.advance(t)
            stream.act(t)
    yield from events.close()


def generate_updates(
    *,
    seed: int = DEFAULT_SEED,
    start: str | date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    chats: int = DEFAULT_CHATS,
    users: int = DEFAULT_USERS,
    target_updates: int = DEFAULT_TARGET_UPDATES,
) -> Iterator[tuple[datetime, JsonObj]]:
    """Yield (arrival time UTC, Update dict) in webhook delivery order.

    `chats` group chats (the first a forum supergroup with topics, the second the discussion
    group of one channel, the third a basic group upgraded to a supergroup mid-window), one
    channel (with its direct messages chat), `users` people plus a few bots, over `days` days
    from `start` (arrival window [start, start + days)). About `target_updates` updates.
    Same arguments -> same updates, byte for byte once serialised.
    """
    start_date = date.fromisoformat(start) if isinstance(start, str) else start
    if days < 1 or users < 2 or target_updates < 1:
        raise ValueError("days >= 1, users >= 2 and target_updates >= 1 are required")
    world = World.create(
        seed=seed, start=start_date, days=days, chats=chats, users=users, target=target_updates
    )
    for arrival, update in run(world):
        yield datetime.fromtimestamp(arrival, UTC), update
