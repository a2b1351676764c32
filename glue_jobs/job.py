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
from datetime import UTC, date, datetime
from typing import Any

from pyspark import StorageLevel
from pyspark.sql import DataFrame, Observation, Row, SparkSession

from glue_jobs.config import ArrivalWindow, JobConfig, new_run_id
from glue_jobs.fs import HadoopFs
from glue_jobs.outcomes import KIND_IGNORED, KIND_QUARANTINED, outcome_counts
from glue_jobs.sinks import save_partitions, save_quarantine
from glue_jobs.sources import (
    existing_partitions,
    load_json_files,
    load_ndjson_lines,
    load_partitions,
)
from glue_jobs.staging import (
    commit_manifest,
    publish,
    recover,
    staged_partitions,
    utc_timestamp,
)
from glue_jobs.tables import CURATED_TABLES, CuratedTable
from glue_jobs.updates import (
    classify_updates,
    flatten_updates,
    parse_updates,
    quarantine_records,
    with_update_type,
    without_blank_lines,
)
from lake.zones import staged_table_uri, table_uri

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
    window = config.window(today=started_at.date())
    run_id = config.run_id or new_run_id(started_at)
    configure_session(spark, config)
    fs = HadoopFs(spark)
    for finished in recover(fs, config.curated_uri):
        logger.warning("finished the interrupted run %s before starting %s", finished, run_id)

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
    if raw_partitions:  # an empty window still records its (empty) run summary
        outcomes, table_metrics = _process(spark, fs, config, raw_partitions, run_id)

    partitions = staged_partitions(
        fs, config.curated_uri, run_id, [table.name for table in CURATED_TABLES]
    )
    summary = build_summary(
        run_id=run_id,
        started_at=started_at,
        window=window,
        outcomes=outcomes,
        table_metrics=table_metrics,
        partitions=partitions,
    )
    manifest = commit_manifest(fs, config.curated_uri, run_id, partitions, summary)
    summary = publish(fs, config.curated_uri, manifest)
    logger.info("run %s finished: %s", run_id, summary["counts"])
    return summary


def _process(
    spark: SparkSession,
    fs: HadoopFs,
    config: JobConfig,
    raw_partitions: list[str],
    run_id: str,
) -> tuple[list[Row], dict[str, dict[str, int]]]:
    """Read, classify, quarantine, merge and stage; return outcome counts and table metrics."""
    lines = load_json_files(spark, raw_partitions)
    ndjson = load_ndjson_lines(
        spark,
        fs,
        raw_partitions,
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
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    try:
        outcomes = updates.transform(outcome_counts).collect()
        if any(row["kind"] == KIND_QUARANTINED for row in outcomes):
            save_quarantine(updates.transform(quarantine_records, run_id), config.quarantine_uri)
        metrics = {
            table.name: _fold_table(
                spark,
                fs,
                config,
                table,
                incoming=updates.transform(table.rows),
                days=_touched_days(outcomes, table.name),
                run_id=run_id,
            )
            for table in CURATED_TABLES
        }
    finally:
        updates.unpersist()
    return outcomes, metrics


def _touched_days(outcomes: Sequence[Row], table: str) -> list[date]:
    return sorted({row["dt"] for row in outcomes if row["target"] == table and row["dt"]})


def _fold_table(
    spark: SparkSession,
    fs: HadoopFs,
    config: JobConfig,
    table: CuratedTable,
    *,
    incoming: DataFrame,
    days: list[date],
    run_id: str,
) -> dict[str, int]:
    """Merge incoming rows with the touched live partitions and stage the result.

    Returns the observed metrics (summed while the rows are written: no second pass).
    """
    if not days:
        return {}
    schema = table.schema
    live_uri = table_uri(config.curated_uri, table.name)
    existing = load_partitions(spark, live_uri, existing_partitions(fs, live_uri, days), schema)
    observation = Observation(f"{table.name}_merge")
    merged = table.merge(existing, incoming).observe(observation, *table.metrics())
    save_partitions(
        merged.select(*schema.fieldNames()),
        staged_table_uri(config.curated_uri, run_id, table.name),
        max_records_per_file=table.max_records_per_file(config.target_file_bytes),
        sort_by=table.spec.sort_by,
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
    table_counts: dict[str, int] = {}
    duplicates = lines(KIND_IGNORED) - sum(ignored.values())
    for table in CURATED_TABLES:
        table_lines = lines(*table.kinds)
        counted = table.summarize(table_metrics.get(table.name, {}), table_lines)
        table_counts.update(counted.counts)
        duplicates += table_lines - counted.new_updates
    return {
        "run_id": run_id,
        "started_at": utc_timestamp(started_at),
        "finished_at": None,
        "window": {"start_date": window.start.isoformat(), "end_date": window.end.isoformat()},
        "counts": {
            "lines_read": sum(int(row["lines"]) for row in outcomes),
            **table_counts,
            "duplicates": duplicates,
            "ignored": dict(sorted(ignored.items())),
            "quarantined": lines(KIND_QUARANTINED),
        },
        "rows_written": {
            table.name: table_metrics.get(table.name, {}).get("rows", 0) for table in CURATED_TABLES
        },
        "partitions_written": {
            table.name: sorted(partitions.get(table.name, {})) for table in CURATED_TABLES
        },
    }
