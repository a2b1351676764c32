"""Turn view values into what a chart axis takes: dates, ISO days, numbers, counts.

Reads and writes nothing: small pure helpers shared by the chart builders. Every count,
share and percentile comes from the views; these only convert types (a view row's `day`
may be a `date`, a `datetime` or an ISO string, depending on the driver).
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def iso_day(value: Any) -> str:
    return as_date(value).isoformat()


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def as_count(value: Any) -> int:
    return 0 if value is None else int(value)
