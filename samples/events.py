"""The simulation's clock: future actions, and Telegram's webhook delivering updates.

Telegram numbers updates as it creates them (`update_id` grows with event time) and POSTs
each to the webhook. Deliveries are simulated the way they go wrong in production: first
deliveries arrive in update_id order, a few are re-delivered (same bytes, seconds to
minutes later, possibly after midnight), a failed first delivery can be retried after a
later update, and one outage queues updates across a midnight. Reads and writes nothing.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Iterator

from samples.bot_api import JsonObj

P_DUPLICATE = 0.012  # re-delivery of the same update (webhook answered too late)

Action = Callable[[float], None]


class EventQueue:
    """Future actions and pending deliveries, both ordered by time then creation."""

    def __init__(self, rng: random.Random, *, start_ts: float, days: int) -> None:
        self.rng = rng
        self.end_ts = start_ts + days * 86400
        # One counter orders everything created at the same instant (heap tie-breaker).
        self.seq = itertools.count()
        self.next_update_id = 500_000_000 + rng.randrange(10_000_000, 90_000_000)
        self.future: list[tuple[float, int, Action]] = []
        self.deliveries: list[tuple[float, int, JsonObj]] = []
        self.last_first_arrival = 0.0
        self.outages = self._outages(start_ts, days)

    def _outages(self, start_ts: float, days: int) -> list[tuple[float, float]]:
        # One webhook outage across a midnight: updates of one day arrive on the next.
        if days < 3:
            return []
        midnight = start_ts + 2 * 86400
        return [
            (midnight - 600 - self.rng.randrange(600), midnight + 900 + self.rng.randrange(900))
        ]

    def emit(self, t: float, kind: str, payload: JsonObj, *, retry_after: float = 0.0) -> None:
        """Telegram creates an update now (next update_id) and POSTs it to the webhook."""
        update = {"update_id": self.next_update_id, kind: payload}
        self.next_update_id += 1
        rng = self.rng
        arrival = max(t + 0.08 + rng.random() * 0.6, self.last_first_arrival + 0.003)
        for start, end in self.outages:
            if start <= arrival < end:
                arrival = end + (arrival - start) * 0.002
        self.last_first_arrival = arrival
        if retry_after:
            # The first attempt failed (5xx): nothing stored, Telegram retries later.
            arrival += retry_after
        heapq.heappush(self.deliveries, (arrival, next(self.seq), update))
        if rng.random() < P_DUPLICATE:
            # Stored, but the 200 came too late: the same bytes arrive again.
            again = arrival + rng.choice((2.0, 10.0, 35.0, 120.0)) * (1 + rng.random())
            heapq.heappush(self.deliveries, (again, next(self.seq), update))

    def schedule(self, t: float, action: Action) -> None:
        """Run action(t) when the clock reaches t (never past the window's end)."""
        if t < self.end_ts:
            heapq.heappush(self.future, (t, next(self.seq), action))

    def advance(self, t: float) -> Iterator[tuple[float, JsonObj]]:
        """Run due future actions, then hand over every delivery that has arrived by t."""
        future = self.future
        while future and future[0][0] <= t:
            when, _, action = heapq.heappop(future)
            action(when)
        deliveries = self.deliveries
        while deliveries and deliveries[0][0] <= t:
            arrival, _, update = heapq.heappop(deliveries)
            yield arrival, update

    def close(self) -> Iterator[tuple[float, JsonObj]]:
        """The end of the window: what is due runs, what arrives in time is delivered."""
        yield from self.advance(self.end_ts - 1e-6)
        while self.deliveries:
            arrival, _, update = heapq.heappop(self.deliveries)
            if arrival < self.end_ts:
                yield arrival, update
