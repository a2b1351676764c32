"""The Glue job as a typed function: raw zone window in, curated partitions and a run summary out.

Reads `{raw_uri}/dt=YYYY-MM-DD/` for every arrival day of the window (`*.json`, `*.jsonl`,
`*.jsonl.gz`) and the curated partitions the window touches. Writes, for the send-date
partitions it touches, `{curated_uri}/messages/dt=.../` and `{curated_uri}/member_events/
dt=.../` (merged, through `_staging/`, see `glue_jobs.staging`), quarantined lines to
`{quarantine_uri}/dt={arrival date}/`, and the run summary `{curated_uri}/_runs/{run_id}.json`.
Raw is only read.

`run` is the flow chart: load -> parse/classify (persisted once: the only scan of raw) ->
quarantine -> fold messages -> fold member events -> commit -> publish. Every count of the run
summary comes from small aggregations of persisted frames; no data row reaches the driver.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, Observation, Row, SparkSession
from pyspark.sql.types import StructType

from glue_jobs.fs import HadoopFs
from glue_jobs.io import (
    existing_partitions,
    load_json_files,
    load_ndjson_lines,
    load_partitions,
    save_partitions,
    save_quarantine,
    table_uri,
)
from glue_jobs.schema import MEMBER_EVENTS_SCHEMA, MESSAGES_SCHEMA
from glue_jobs.staging import (
    commit_manifest,
    publish,
    recover,
    staged_partitions,
    staged_table_uri,
    utc_timestamp,
)
from glue_jobs.transforms import (
    KIND_EDIT,
    KIND_IGNORED,
    KIND_MEMBER,
    KIND_MESSAGE,
    KIND_QUARANTINED,
    classify_updates,
    flatten_updates,
    member_event_rows,
    member_merge_metrics,
    merge_member_events,
    merge_messages,
    message_merge_metrics,
    message_versions,
    outcome_counts,
    parse_updates,
    quarantine_records,
    with_update_type,
    without_blank_lines,
)

MESSAGES_TABLE = "messages"
MEMBER_EVENTS_TABLE = "member_events"
TABLES: tuple[str, ...] = (MESSAGES_TABLE, MEMBER_EVENTS_TABLE)

MIB = 1024 * 1024
DEFAULT_TARGET_FILE_BYTES = 128 * MIB
#: Split size of the raw read; Spark's default, good for both small files and NDJSON.
DEFAULT_MAX_PARTITION_BYTES = 128 * MIB
#: What Spark assumes opening one file costs, in bytes, when packing files into tasks. The
#: default (4 MiB) makes every ~1 KiB update file count as 4 MiB: 32 files per task and
#: thousands of tasks for a day. 8 KiB packs thousands of small files per task.
DEFAULT_OPEN_COST_BYTES = 8 * 1024
#: Snappy Parquet bytes per row: 46 measured for messages on a synthetic 1M-update day; set
#: higher so that chats with longer texts still get files of at most ~target_file_bytes.
ESTIMATED_ROW_BYTES: dict[str, int] = {MESSAGES_TABLE: 64, MEMBER_EVENTS_TABLE: 32}
#: Row order inside each file: the merge keys (message ids grow with time in a chat), so
#: files compress well and row-group statistics prune scans by chat.
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    MESSAGES_TABLE: ("chat_id", "message_id"),
    MEMBER_EVENTS_TABLE: ("update_id", "user_id", "source"),
}
RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArrivalWindow:
    """Inclusive range of UTC arrival days (the raw zone's `dt=` folders)."""

    start: date
    end: date

    @classmethod
    def resolve(cls, start_date: str | None, end_date: str | None, *, today: date) -> ArrivalWindow:
        """Parse the job's dates; without any, the previous UTC day (the scheduled run)."""
        if start_date is None and end_date is None:
            yesterday = today - timedelta(days=1)
            return cls(yesterday, yesterday)
        start = date.fromisoformat(start_date or str(end_date))
        end = date.fromisoformat(end_date or str(start_date))
        if start > end:
            raise ValueError(f"start_date {start} is after end_date {end}")
        return cls(start, end)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def new_run_id(started_at: datetime) -> str:
    """Sortable by start time, unique across concurrent attempts."""
    return f"{started_at:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def configure_session(
    spark: SparkSession, *, max_partition_bytes: int, open_cost_bytes: int
) -> None:
    """Session settings the job's results depend on (not left to the cluster's defaults)."""
    # dt and every timestamp are UTC whatever the machine's or cluster's timezone.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(max_partition_bytes))
    spark.conf.set("spark.sql.files.openCostInBytes", str(open_cost_bytes))
    # INT96 (Spark's default, pinned): Athena and DuckDB read it as a timezone-naive UTC
    # timestamp, the semantics of the contract's `timestamp` columns.
    spark.conf.set("spark.sql.parquet.outputTimestampType", "INT96")
    # Let adaptive execution shrink the shuffles of persisted frames too (by default a
    # persisted aggregate keeps spark.sql.shuffle.partitions tasks, mostly empty).
    spark.conf.set("spark.sql.optimizer.canChangeCachedPlanOutputPartitioning", "true")


def run(
    spark: SparkSession,
    *,
    raw_uri: str,
    curated_uri: str,
    quarantine_uri: str,
    start_date: str | None = None,
    end_date: str | None = None,
    run_id: str | None = None,
    target_file_bytes: int = DEFAULT_TARGET_FILE_BYTES,
    max_partition_bytes: int = DEFAULT_MAX_PARTITION_BYTES,
    open_cost_bytes: int = DEFAULT_OPEN_COST_BYTES,
    ndjson_min_partitions: int | None = None,
) -> dict[str, Any]:
    """Process one window of arrival days; return the run summary (also written to _runs/).

    Dates are `YYYY-MM-DD` UTC arrival days, inclusive. `ndjson_min_partitions` (default:
    the session's default parallelism) spreads the lines of unsplittable `.jsonl.gz` files
    over that many tasks before parsing.
    """
    started_at = datetime.now(UTC)
    window = ArrivalWindow.resolve(start_date, end_date, today=started_at.date())
    run_id = run_id or new_run_id(started_at)
    if not RUN_ID_PATTERN.match(run_id):
        raise ValueError(f"run_id {run_id!r} must match {RUN_ID_PATTERN.pattern}")
    configure_session(
        spark, max_partition_bytes=max_partition_bytes, open_cost_bytes=open_cost_bytes
    )
    fs = HadoopFs(spark)
    for finished in recover(fs, curated_uri):
        logger.warning("finished the interrupted run %s before starting %s", finished, run_id)

    raw_partitions = existing_partitions(fs, raw_uri, window.days())
    logger.info(
        "run %s: %d raw day folders in %s..%s",
        run_id,
        len(raw_partitions),
        window.start,
        window.end,
    )
    outcomes: list[Row] = []
    table_metrics: dict[str, dict[str, int]] = {table: {} for table in TABLES}
    if raw_partitions:  # an empty window still records its (empty) run summary
        outcomes, table_metrics = _process(
            spark,
            fs,
            raw_partitions=raw_partitions,
            curated_uri=curated_uri,
            quarantine_uri=quarantine_uri,
            run_id=run_id,
            target_file_bytes=target_file_bytes,
            ndjson_min_partitions=ndjson_min_partitions or spark.sparkContext.defaultParallelism,
        )

    partitions = staged_partitions(fs, curated_uri, run_id, list(TABLES))
    summary = build_summary(
        run_id=run_id,
        started_at=started_at,
        window=window,
        outcomes=outcomes,
        table_metrics=table_metrics,
        partitions=partitions,
    )
    manifest = commit_manifest(fs, curated_uri, run_id, partitions, summary)
    summary = publish(fs, curated_uri, manifest)
    logger.info("run %s finished: %s", run_id, summary["counts"])
    return summary


def _process(
    spark: SparkSession,
    fs: HadoopFs,
    *,
    raw_partitions: list[str],
    curated_uri: str,
    quarantine_uri: str,
    run_id: str,
    target_file_bytes: int,
    ndjson_min_partitions: int,
) -> tuple[list[Row], dict[str, dict[str, int]]]:
    """Read, classify, quarantine, merge and stage; return outcome counts and table metrics."""
    lines = load_json_files(spark, raw_partitions)
    ndjson = load_ndjson_lines(spark, fs, raw_partitions, min_partitions=ndjson_min_partitions)
    if ndjson is not None:
        lines = lines.unionByName(ndjson.transform(without_blank_lines))
    # Persisted once: the only scan of raw; every later step reads this cache.
    updates = (
        lines.transform(parse_updates)
        .transform(with_update_type)
        .transform(classify_updates)
        .transform(flatten_updates)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    try:
        outcomes = updates.transform(outcome_counts).collect()
        if any(row["kind"] == KIND_QUARANTINED for row in outcomes):
            save_quarantine(updates.transform(quarantine_records, run_id), quarantine_uri)
        messages = _fold_table(
            spark,
            fs,
            table=MESSAGES_TABLE,
            schema=MESSAGES_SCHEMA,
            incoming=updates.transform(message_versions),
            days=_touched_days(outcomes, (KIND_MESSAGE, KIND_EDIT)),
            merge=merge_messages,
            metrics=message_merge_metrics(),
            curated_uri=curated_uri,
            run_id=run_id,
            target_file_bytes=target_file_bytes,
        )
        members = _fold_table(
            spark,
            fs,
            table=MEMBER_EVENTS_TABLE,
            schema=MEMBER_EVENTS_SCHEMA,
            incoming=updates.transform(member_event_rows),
            days=_touched_days(outcomes, (KIND_MEMBER,)),
            merge=merge_member_events,
            metrics=member_merge_metrics(),
            curated_uri=curated_uri,
            run_id=run_id,
            target_file_bytes=target_file_bytes,
        )
    finally:
        updates.unpersist()
    return outcomes, {MESSAGES_TABLE: messages, MEMBER_EVENTS_TABLE: members}


def _touched_days(outcomes: Sequence[Row], kinds: tuple[str, ...]) -> list[date]:
    return sorted({row["dt"] for row in outcomes if row["kind"] in kinds and row["dt"]})


def _fold_table(
    spark: SparkSession,
    fs: HadoopFs,
    *,
    table: str,
    schema: StructType,
    incoming: DataFrame,
    days: list[date],
    merge: Callable[[DataFrame, DataFrame], DataFrame],
    metrics: list[Column],
    curated_uri: str,
    run_id: str,
    target_file_bytes: int,
) -> dict[str, int]:
    """Merge incoming rows with the touched live partitions and stage the result.

    Returns the observed `metrics` (summed while the rows are written: no second pass).
    """
    if not days:
        return {}
    live_uri = table_uri(curated_uri, table)
    existing = load_partitions(spark, live_uri, existing_partitions(fs, live_uri, days), schema)
    observation = Observation(f"{table}_merge")
    merged = merge(existing, incoming).observe(observation, *metrics)
    save_partitions(
        merged.select(*schema.fieldNames()),
        staged_table_uri(curated_uri, run_id, table),
        max_records_per_file=target_file_bytes // ESTIMATED_ROW_BYTES[table],
        sort_by=SORT_COLUMNS[table],
    )
    return {name: int(value or 0) for name, value in observation.get.items()}


def build_summary(
    *,
    run_id: str,
    started_at: datetime,
    window: ArrivalWindow,
    outcomes: Sequence[Row],
    table_metrics: dict[str, dict[str, int]],
    partitions: dict[str, dict[str, list[str]]],
) -> dict[str, Any]:
    """The run summary; every raw line counted exactly once (invariant I1).

    duplicates = repeated update_ids within the run + updates a previous run already folded
    into the curated zone (re-running a window reports them as duplicates, not as new).
    """

    def lines(*kinds: str) -> int:
        return sum(int(row["lines"]) for row in outcomes if row["kind"] in kinds)

    ignored: dict[str, int] = {}
    for row in outcomes:
        if row["kind"] == KIND_IGNORED:
            ignored[row["detail"]] = ignored.get(row["detail"], 0) + int(row["updates"])
    messages = table_metrics[MESSAGES_TABLE]
    members = table_metrics[MEMBER_EVENTS_TABLE]
    new_rows = messages.get("new_originals", 0)
    edits_merged = messages.get("new_edits", 0)
    member_updates = members.get("new_updates", 0)
    message_lines = lines(KIND_MESSAGE, KIND_EDIT)
    if message_lines != messages.get("incoming_lines", 0):
        raise RuntimeError("message lines lost between classification and merge")
    duplicates = (
        (lines(KIND_IGNORED) - sum(ignored.values()))
        + (message_lines - new_rows - edits_merged)
        + (lines(KIND_MEMBER) - member_updates)
    )
    return {
        "run_id": run_id,
        "started_at": utc_timestamp(started_at),
        "finished_at": None,
        "window": {"start_date": window.start.isoformat(), "end_date": window.end.isoformat()},
        "counts": {
            "lines_read": sum(int(row["lines"]) for row in outcomes),
            "new_rows": new_rows,
            "duplicates": duplicates,
            "edits_merged": edits_merged,
            "member_event_updates": member_updates,
            "ignored": dict(sorted(ignored.items())),
            "quarantined": lines(KIND_QUARANTINED),
        },
        "rows_written": {table: table_metrics[table].get("rows", 0) for table in TABLES},
        "partitions_written": {table: sorted(partitions.get(table, {})) for table in TABLES},
    }
