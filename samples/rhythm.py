"""When people write: hour-of-day and day-of-week profiles in the community's local time.

Busier in the evening (São Paulo time), quiet at night; a work-ish community is quieter at
weekends, a friends group busier. The channel posts at fixed times. Reads and writes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

# Local time of the (Brazilian) community: America/Sao_Paulo has no DST since 2019.
LOCAL_UTC_OFFSET_HOURS = -3

# Hour-of-day profiles (local time): quiet nights, lunch bump, evening peak.
WEEKDAY_HOURS = (3, 1.5, 0.8, 0.4, 0.3, 0.4, 1, 2.5, 4.5, 6, 6.5, 6.5,
                 7, 6.5, 6, 6, 6.5, 7, 8, 9.5, 10.5, 10, 8, 5.5)  # fmt: skip
WEEKEND_HOURS = (4.5, 3.5, 2, 1, 0.5, 0.3, 0.3, 0.5, 1.5, 3, 5, 6.5,
                 7, 7, 6.5, 6.5, 6.5, 7, 8, 9, 9.5, 9, 7.5, 6)  # fmt: skip
CHANNEL_HOURS = tuple(6.0 if h in (9, 12, 18) else (1.0 if 8 <= h <= 22 else 0.05)
                      for h in range(24))  # fmt: skip
# Mon..Sun volume factors: a work-ish community vs. a friends group.
COMMUNITY_WEEK = (1.0, 1.05, 1.0, 1.1, 0.9, 0.45, 0.35)
FRIENDS_WEEK = (0.8, 0.75, 0.8, 0.85, 1.1, 1.45, 1.3)


def hourly_expected(
    total: float,
    start_ts: float,
    hours: int,
    week: tuple[float, ...],
    profile: tuple[float, ...] | None = None,
) -> list[float]:
    """`total` messages spread over `hours` UTC hours from start_ts by week x hour weights.

    Without a `profile`, weekdays and weekends use their own hour-of-day profiles.
    """
    raw = []
    for h in range(hours):
        local = datetime.fromtimestamp(start_ts + h * 3600 + LOCAL_UTC_OFFSET_HOURS * 3600, UTC)
        weekday = local.weekday()
        hp = profile or (WEEKEND_HOURS if weekday >= 5 else WEEKDAY_HOURS)
        raw.append(week[weekday] * hp[local.hour])
    norm = sum(raw)
    return [total * r / norm for r in raw]
