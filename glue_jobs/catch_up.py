"""The scheduled run's window: every arrival day after the last published run, up to yesterday.

Reads the run summaries `{curated_uri}/_runs/*.json` (what earlier runs published); writes
nothing. A run that failed, or a schedule that could not start, leaves its days uncovered:
the next scheduled run takes them, at most `max_catch_up_days` at a time (the oldest first,
so that successive runs catch up), and says how many are left (`lake.metrics`'s marker
raises an alarm). The first run ever takes yesterday.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from glue_jobs.config import ArrivalWindow
from glue_jobs.fs import HadoopFs
from lake.metrics import CATCH_UP_BOUND_EXCEEDED
from lake.zones import is_hidden, runs_uri

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatchUp:
    """The days a scheduled run takes, and the missed days it leaves for the next runs."""

    window: ArrivalWindow
    days_left: int

    @property
    def is_empty(self) -> bool:
        return self.window.start > self.window.end


def covered_until(fs: HadoopFs, curated_uri: str) -> date | None:
    """The latest arrival day any published run covered (None before the first run).

    A summary that cannot be read is skipped with a warning: it never stops a run.
    """
    latest: date | None = None
    for entry in fs.list(runs_uri(curated_uri)):
        if entry.is_dir or is_hidden(entry.name) or not entry.name.endswith(".json"):
            continue
        try:
            summary = fs.read_json(entry.uri)
            if summary.get("window", {}) is None:
                continue  # an erasure (glue_jobs/forget_users.py): it covers no arrival day
            end = date.fromisoformat(str(summary["window"]["end_date"]))
        except (KeyError, OSError, TypeError, ValueError) as error:
            logger.warning("skipping the unreadable run summary %s: %s", entry.uri, error)
            continue
        latest = end if latest is None or end > latest else latest
    return latest


def catch_up_window(fs: HadoopFs, curated_uri: str, *, today: date, max_days: int) -> CatchUp:
    """The window of a run started without dates (the scheduled form)."""
    yesterday = today - timedelta(days=1)
    last = covered_until(fs, curated_uri)
    start = yesterday if last is None else last + timedelta(days=1)
    if start > yesterday:  # every day up to yesterday is covered already
        return CatchUp(ArrivalWindow(start, yesterday), days_left=0)
    end = min(yesterday, start + timedelta(days=max_days - 1))
    left = (yesterday - end).days
    if left:
        # One line a CloudWatch metric filter counts (lake.metrics): it raises an alarm.
        logger.error(
            "%s: %d missed arrival days after %s are left for the next runs "
            "(--max_catch_up_days %d); run a backfill to take them at once",
            CATCH_UP_BOUND_EXCEEDED,
            left,
            end,
            max_days,
        )
    return CatchUp(ArrivalWindow(start, end), days_left=left)
