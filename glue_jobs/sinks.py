"""Savers of the Glue job: where data goes, no logic.

Writes Parquet partitions (snappy) of a curated table under a given folder (the run's
staging folder, see `glue_jobs.staging`), and quarantined lines as JSON under
`{quarantine_uri}/dt={arrival date}/`. Reads nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import DataFrame

from lake.zones import PARTITION_COLUMN

PARQUET_COMPRESSION = "snappy"


def save_partitions(
    rows: DataFrame, folder_uri: str, *, max_records_per_file: int, sort_by: Sequence[str]
) -> None:
    """Write rows as `dt=` partitions of snappy Parquet, as few files per day as its size needs.

    Rows are clustered by dt first (one shuffle of the merged rows, so every day is written
    by one task: one file per day, or several of `max_records_per_file` rows for a big day),
    then sorted so files compress well and row-group statistics prune scans.
    """
    (
        rows.repartition(PARTITION_COLUMN)
        .sortWithinPartitions(PARTITION_COLUMN, *sort_by)
        .write.mode("overwrite")
        .option("partitionOverwriteMode", "static")
        .option("compression", PARQUET_COMPRESSION)
        .option("maxRecordsPerFile", max(1, max_records_per_file))
        .partitionBy(PARTITION_COLUMN)
        .parquet(folder_uri)
    )


def save_quarantine(records: DataFrame, quarantine_uri: str) -> None:
    """Replace the quarantine partitions of the arrival days present in `records`.

    Quarantine is a pure function of the (immutable) raw day, so overwriting its partitions
    (dynamic partition overwrite) keeps re-runs idempotent; days without records are left
    alone.
    """
    (
        records.repartition(PARTITION_COLUMN)
        .sortWithinPartitions(PARTITION_COLUMN, "source_file")
        .write.mode("overwrite")
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(PARTITION_COLUMN)
        .json(quarantine_uri)
    )
