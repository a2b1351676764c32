"""The run summary: every raw line counted exactly once, each outcome counted directly (I1).

Reads nothing, writes nothing: `build_summary` turns the collected outcome counts and the
metrics observed while each table was written into the document the job stores as
`{curated_uri}/_runs/{run_id}.json`.

`duplicates` is counted, not inferred: the updates repeated within the run (lines minus
distinct update_ids of each outcome) plus those an earlier run already folded into the
curated zone (each table's `refolded_updates`). So `lines_read` = new rows + edits merged +
the tables' new updates + ignored + quarantined + duplicates is a check that can fail: a
line lost between the read and a table breaks it, and the job refuses to publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pyspark.sql import Row

from glue_jobs.config import ArrivalWindow
from glue_jobs.outcomes import (
    KIND_FORGOTTEN,
    KIND_IGNORED,
    KIND_QUARANTINED,
    LEVEL_OUTCOME,
    LEVEL_PARTITION,
)
from glue_jobs.staging import utc_timestamp
from glue_jobs.tables import CURATED_TABLES


class ConservationError(RuntimeError):
    """The run's outcomes do not add up to the lines it read (invariant I1)."""


def _lines(outcomes: Sequence[Row], *kinds: str) -> int:
    return sum(
        int(row["lines"])
        for row in outcomes
        if row["level"] == LEVEL_PARTITION and row["kind"] in kinds
    )


def _repeated(outcomes: Sequence[Row], *kinds: str) -> int:
    """Lines of `kinds` whose update_id an earlier line of the run already had."""
    return sum(
        int(row["lines"]) - int(row["updates"])
        for row in outcomes
        if row["level"] == LEVEL_OUTCOME and row["kind"] in kinds
    )


def build_summary(
    *,
    run_id: str,
    started_at: datetime,
    window: ArrivalWindow,
    outcomes: Sequence[Row],
    table_metrics: dict[str, dict[str, int]],
    partitions: dict[str, dict[str, list[str]]],
    days_left: int = 0,
    partitions_dropped: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The run summary; raises ConservationError when the outcomes do not add up."""
    ignored: dict[str, int] = {}
    for row in outcomes:
        if row["level"] == LEVEL_OUTCOME and row["kind"] == KIND_IGNORED:
            ignored[row["detail"]] = ignored.get(row["detail"], 0) + int(row["updates"])
    table_counts: dict[str, int] = {}
    duplicates = _repeated(outcomes, KIND_IGNORED)
    for table in CURATED_TABLES:
        metrics = table_metrics.get(table.name, {})
        counted = table.summarize(metrics, _lines(outcomes, *table.kinds))
        table_counts.update(counted.counts)
        duplicates += _repeated(outcomes, *table.kinds) + metrics.get("refolded_updates", 0)
    lines_read = sum(int(row["lines"]) for row in outcomes if row["level"] == LEVEL_PARTITION)
    counts: dict[str, Any] = {
        "lines_read": lines_read,
        **table_counts,
        "duplicates": duplicates,
        "ignored": dict(sorted(ignored.items())),
        "quarantined": _lines(outcomes, KIND_QUARANTINED),
        "forgotten": _lines(outcomes, KIND_FORGOTTEN),
    }
    accounted = sum(value for key, value in counts.items() if key not in {"lines_read", "ignored"})
    accounted += sum(ignored.values())
    if accounted != lines_read:
        raise ConservationError(
            f"run {run_id}: {lines_read} lines read but {accounted} accounted for: {counts}"
        )
    return {
        "run_id": run_id,
        "started_at": utc_timestamp(started_at),
        "finished_at": None,
        "window": {"start_date": window.start.isoformat(), "end_date": window.end.isoformat()},
        "days": [day.isoformat() for day in window.days()],
        "days_left": days_left,
        "counts": counts,
        "rows_written": {
            table.name: table_metrics.get(table.name, {}).get("rows", 0) for table in CURATED_TABLES
        },
        "partitions_written": {
            table.name: sorted(partitions.get(table.name, {})) for table in CURATED_TABLES
        },
        "partitions_dropped": {
            table.name: sorted((partitions_dropped or {}).get(table.name, []))
            for table in CURATED_TABLES
        },
    }
