"""The simulated world every scenario acts on: one random generator, the cast, the clock.

`World.create` draws the cast from the seed in a fixed order, so the same arguments give
the same world. Scenarios (`samples.scenarios`) read and change it, and publish updates
through `emit`. Reads and writes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from samples.bot_api import JsonObj
from samples.cast import Chat, Person, make_channel, make_group, make_people, make_person
from samples.events import Action, EventQueue


@dataclass(eq=False)
class World:
    rng: random.Random
    start_ts: float
    days: int
    target: int  # about how many updates the run should deliver
    events: EventQueue
    people: list[Person]
    channel: Chat
    groups: list[Chat]
    callback_seq: int
    poll_seq: int
    privates: dict[int, Chat] = field(default_factory=dict)  # user id -> private chat
    # The newest version of each edited message: a second edit builds on the first.
    latest_versions: dict[tuple[int, int], JsonObj] = field(default_factory=dict)
    blocked_once: bool = False
    seen_ids: set[int] = field(default_factory=set)  # every person's id, so none repeats
    newcomers: int = 0  # people who joined a group during the window
    channel_dm: Chat | None = None  # the channel's direct messages chat, once it has one
    channel_posts: int = 0  # posts the channel made (its kinds go in turn)

    @classmethod
    def create(
        cls, *, seed: int, start: date, days: int, chats: int, users: int, target: int
    ) -> World:
        """`chats` groups (at least one), a channel and `users` people; draws in a fixed order."""
        rng = random.Random(seed)
        start_ts = datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()
        events = EventQueue(rng, start_ts=start_ts, days=days)
        seen_ids: set[int] = set()
        people = make_people(rng, users, seen_ids)
        channel = make_channel(rng)
        groups = [make_group(rng, i, people, start_ts) for i in range(max(1, chats))]
        callback_seq = rng.randrange(10**18, 9 * 10**18)
        poll_seq = rng.randrange(5 * 10**18, 6 * 10**18)
        return cls(
            rng=rng,
            start_ts=start_ts,
            days=days,
            target=target,
            events=events,
            people=people,
            channel=channel,
            groups=groups,
            callback_seq=callback_seq,
            poll_seq=poll_seq,
            seen_ids=seen_ids,
        )

    @property
    def end_ts(self) -> float:
        return self.events.end_ts

    @property
    def span(self) -> float:
        """Length of the window in seconds."""
        return self.end_ts - self.start_ts

    def emit(self, t: float, kind: str, payload: JsonObj, *, retry_after: float = 0.0) -> None:
        """Telegram creates an update of this kind at t and delivers it to the webhook."""
        self.events.emit(t, kind, payload, retry_after=retry_after)

    def schedule(self, t: float, action: Action) -> None:
        """Run action(t) at t, if t is inside the window."""
        self.events.schedule(t, action)

    def emit_at(self, t: float, kind: str, payload: JsonObj) -> None:
        """Telegram will create this update at t (a later moment of the simulation)."""

        def later(when: float) -> None:
            self.emit(when, kind, payload)

        self.events.schedule(t, later)

    def newcomer(self) -> Person:
        """A person new to the sample (joins a group during the window), little activity."""
        self.newcomers += 1
        weight = 0.04 + self.rng.random() * 0.12
        return make_person(
            self.rng, len(self.people) + self.newcomers, len(self.people), self.seen_ids, weight
        )

    def still_open(self, chat: Chat, msg: JsonObj) -> bool:
        """Can msg (of chat) still be edited, reacted to or replied to? Not after its chat
        was upgraded to a supergroup (the conversation continues under a new id)."""
        return msg["chat"]["id"] == chat.id

    def discussion_group(self) -> Chat | None:
        """The group linked to the channel (it receives automatic forwards of its posts)."""
        return next((g for g in self.groups if g.kind == "discussion"), None)

    def next_callback_id(self) -> int:
        self.callback_seq += self.rng.randrange(1, 10**12)
        return self.callback_seq

    def next_poll_id(self) -> int:
        self.poll_seq += self.rng.randrange(1, 10**9)
        return self.poll_seq
