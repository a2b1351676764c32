"""The Glue job as a typed function: raw zone window in, curated partitions and a run summary out.

Reads `{raw_uri}/dt=YYYY-MM-DD/` for every arrival day of the window (`*.json`, `*.jsonl`,
`*.jsonl.gz`) and the curated partitions the window touches. Writes, for the partitions it
touches, every curated table of `glue_jobs.tables.CURATED_TABLES` under
`{curated_uri}/{table}/dt=.../` (merged, through `_staging/`, see `glue_jobs.staging`),
quarantined lines to `{quarantine_uri}/dt={arrival date}/`, and the run summary
`{curated_uri}/_runs/{run_id}.json`. Raw is only read.

`run` is the flow chart: load -> parse/classify (persisted once: the only scan of raw) ->
quarantine -> fold each curated table -> commit -> publish. Every count of the run summary
comes from small aggregations of persisted frames; no data row reaches the driver.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pyspark import StorageLevel
from pyspark.sql import DataFrame, Observation, Row, SparkSession

from glue_jobs.catch_up import catch_up_window
from glue_jobs.config import JobConfig, new_run_id
from glue_jobs.faults import crash_point
from glue_jobs.fs import HadoopFs
from glue_jobs.outcomes import (
    KIND_QUARANTINED,
    LEVEL_ARRIVAL_DAY,
    LEVEL_PARTITION,
    outcome_counts,
)
from glue_jobs.privacy import Privacy, load_privacy, mark_forgotten, protect_rows
from glue_jobs.raw_files import (
    bad_file_outcomes,
    bad_file_records,
    corrupt_batch_files,
    empty_files,
)
from glue_jobs.retention import (
    drop_partitions,
    expired_partitions,
    retention_cutoff,
    without_expired,
)
from glue_jobs.sinks import save_partitions, save_quarantine
from glue_jobs.sources import (
    existing_partitions,
    load_json_files,
    load_ndjson_lines,
    load_partitions,
    ndjson_files,
)
from glue_jobs.staging import commit_manifest, publish, recover, staged_partitions
from glue_jobs.summary import build_summary
from glue_jobs.tables import CURATED_TABLES, CuratedTable
from glue_jobs.updates import (
    classify_updates,
    flatten_updates,
    parse_updates,
    quarantine_records,
    with_update_type,
    without_blank_lines,
)
from lake.zones import partition_day, staged_table_uri, table_uri

logger = logging.getLogger(__name__)


def configure_session(spark: SparkSession, config: JobConfig) -> None:
    """Session settings the job's results depend on (not left to the cluster's defaults)."""
    # dt and every timestamp are UTC whatever the machine's or cluster's timezone.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(config.max_partition_bytes))
    spark.conf.set("spark.sql.files.openCostInBytes", str(config.open_cost_bytes))
    # INT96 (Spark's default, pinned): Athena and DuckDB read it as a timezone-naive UTC
    # timestamp, the semantics of the contract's `timestamp` columns.
    spark.conf.set("spark.sql.parquet.outputTimestampType", "INT96")
    # Let adaptive execution shrink the shuffles of persisted frames too (by default a
    # persisted aggregate keeps spark.sql.shuffle.partitions tasks, mostly empty).
    spark.conf.set("spark.sql.optimizer.canChangeCachedPlanOutputPartitioning", "true")
    # A field of an unexpected type nulls the whole parsed update (it is quarantined), never
    # just that field: pinned, the default changes in Spark 4.
    spark.conf.set("spark.sql.json.enablePartialResults", "false")


def run(spark: SparkSession, config: JobConfig) -> dict[str, Any]:
    """Process one window of arrival days; return the run summary (also written to _runs/)."""
    started_at = datetime.now(UTC)
    run_id = config.run_id or new_run_id(started_at)
    configure_session(spark, config)
    fs = HadoopFs(spark)
    for finished in recover(fs, config.curated_uri):
        logger.warning("finished the interrupted run %s before starting %s", finished, run_id)
    privacy = load_privacy(
        spark,
        fs,
        curated_uri=config.curated_uri,
        mode=config.privacy_mode,
        text_policy=config.text_policy,
        key_uri=config.privacy_key_uri,
    )
    if config.is_scheduled:
        catch_up = catch_up_window(
            fs, config.curated_uri, today=started_at.date(), max_days=config.max_catch_up_days
        )
        window, days_left = catch_up.window, catch_up.days_left
    else:
        window, days_left = config.window(today=started_at.date()), 0

    raw_partitions = existing_partitions(fs, config.raw_uri, window.days())
    logger.info(
        "run %s: %d raw day folders in %s..%s",
        run_id,
        len(raw_partitions),
        window.start,
        window.end,
    )
    outcomes: list[Row] = []
    table_metrics: dict[str, dict[str, int]] = {table.name: {} for table in CURATED_TABLES}
    read_days: dict[str, list[str]] = {}
    if raw_partitions:  # an empty window still records its (empty) run summary
        outcomes, table_metrics, read_days = _process(
            spark, fs, config, privacy, raw_partitions=raw_partitions, run_id=run_id
        )

    table_names = [table.name for table in CURATED_TABLES]
    staged = staged_partitions(fs, config.curated_uri, run_id, table_names)
    # A live partition the merge read but left without rows is published empty: its rows
    # moved to another day (a migration's earlier report).
    for table, days in read_days.items():
        for day in days:
            staged.setdefault(table, {}).setdefault(day, [])
    cutoff = retention_cutoff(started_at.date(), config.curated_retention_days)
    expired = expired_partitions(fs, config.curated_uri, table_names, cutoff, staged)
    partitions = without_expired(staged, expired)
    summary = build_summary(
        run_id=run_id,
        started_at=started_at,
        window=window,
        outcomes=outcomes,
        table_metrics=table_metrics,
        partitions=partitions,
        days_left=days_left,
        partitions_dropped=expired,
    )
    manifest = commit_manifest(fs, config.curated_uri, run_id, partitions, summary)
    summary = publish(fs, config.curated_uri, manifest)
    drop_partitions(fs, config.curated_uri, expired)
    logger.info("run %s finished: %s", run_id, summary["counts"])
    return summary


def _process(
    spark: SparkSession,
    fs: HadoopFs,
    config: JobConfig,
    privacy: Privacy,
    *,
    raw_partitions: list[str],
    run_id: str,
) -> tuple[list[Row], dict[str, dict[str, int]], dict[str, list[str]]]:
    """Read, classify, quarantine, merge and stage; return outcome counts, table metrics and
    the live partitions each table read."""
    batch_files = ndjson_files(fs, raw_partitions)
    bad_files = corrupt_batch_files(fs, batch_files)
    readable = [uri for uri in batch_files if uri not in {file.uri for file in bad_files}]
    lines = load_json_files(spark, raw_partitions)
    ndjson = load_ndjson_lines(
        spark,
        readable,
        min_partitions=config.ndjson_min_partitions or spark.sparkContext.defaultParallelism,
    )
    if ndjson is not None:
        lines = lines.unionByName(ndjson.transform(without_blank_lines))
    # Persisted once: the only scan of raw; every later step reads this cache.
    updates = (
        lines.transform(parse_updates)
        .transform(with_update_type)
        .transform(classify_updates)
        .transform(flatten_updates)
        .transform(mark_forgotten, privacy)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    try:
        outcomes = updates.transform(outcome_counts).collect()
        crash_point("read")
        json_files_read = {
            row["dt"]: int(row["lines"]) for row in outcomes if row["level"] == LEVEL_ARRIVAL_DAY
        }
        bad_files += empty_files(fs, raw_partitions, json_files_read)
        outcomes += bad_file_outcomes(bad_files)
        quarantined = updates.transform(quarantine_records, run_id)
        if bad_files:
            quarantined = quarantined.unionByName(bad_file_records(spark, bad_files, run_id))
        if any(row["kind"] == KIND_QUARANTINED for row in outcomes):
            save_quarantine(quarantined, config.quarantine_uri)
        metrics: dict[str, dict[str, int]] = {}
        read_days: dict[str, list[str]] = {}
        for table in CURATED_TABLES:
            metrics[table.name], read_days[table.name] = _fold_table(
                spark,
                fs,
                config,
                table,
                incoming=updates.transform(table.rows).transform(protect_rows, table.name, privacy),
                days=_touched_days(outcomes, table.name),
                run_id=run_id,
            )
    finally:
        updates.unpersist()
    return outcomes, metrics, read_days


def _touched_days(outcomes: Sequence[Row], table: str) -> list[date]:
    return sorted(
        {
            row["dt"]
            for row in outcomes
            if row["level"] == LEVEL_PARTITION and row["target"] == table and row["dt"]
        }
    )


def _fold_table(
    spark: SparkSession,
    fs: HadoopFs,
    config: JobConfig,
    table: CuratedTable,
    *,
    incoming: DataFrame,
    days: list[date],
    run_id: str,
) -> tuple[dict[str, int], list[str]]:
    """Merge incoming rows with the touched live partitions and stage the result.

    Returns the observed metrics (summed while the rows are written: no second pass) and
    the days of the live partitions read.
    """
    if not days:
        return {}, []
    schema = table.schema
    live_uri = table_uri(config.curated_uri, table.name)
    around = range(-table.neighbour_days, table.neighbour_days + 1)
    wanted = sorted({day + timedelta(days=offset) for day in days for offset in around})
    read = existing_partitions(fs, live_uri, wanted)
    existing = load_partitions(spark, live_uri, read, schema)
    observation = Observation(f"{table.name}_merge")
    merged = table.merge(existing, incoming).observe(observation, *table.metrics())
    save_partitions(
        merged.select(*schema.fieldNames()),
        staged_table_uri(config.curated_uri, run_id, table.name),
        max_records_per_file=table.max_records_per_file(config.target_file_bytes),
        sort_by=table.spec.sort_by,
    )
    crash_point("staged", table.name)
    metrics = {name: int(value or 0) for name, value in observation.get.items()}
    read_days = [partition_day(uri.rstrip("/").rsplit("/", 1)[-1]) for uri in read]
    return metrics, [day.isoformat() for day in read_days if day is not None]
