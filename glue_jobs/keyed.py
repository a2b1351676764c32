"""The fold of tables whose rows are a pure function of their update (member events,
reactions, join requests): deduplicate by key, count the updates that were new.

Reads and writes nothing.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from lake.tables import TableSpec
from lake.zones import PARTITION_COLUMN

#: Marks one incoming row per update (its first), so that updates, not rows, are counted.
FIRST_OF_UPDATE = "is_first_of_update"
KEYED_MERGE_COUNT_COLUMNS: tuple[str, ...] = ("new_updates", "refolded_updates")


def merge_keyed(table: TableSpec, existing: DataFrame, incoming: DataFrame) -> DataFrame:
    """Fold incoming rows into the rows the curated zone already has, by the table's key.

    existing: rows of the table's partitions that the input touches.
    incoming: this run's rows (duplicate lines allowed), with FIRST_OF_UPDATE.
    A row is a pure function of its update, so the union deduplicates (the incoming copy
    wins, so a re-run refreshes rows): idempotent and order independent (I2-I4). Returns
    the table's columns plus KEYED_MERGE_COUNT_COLUMNS (0/1 per row; summed, they count the
    incoming updates that are new and those an earlier run already folded in).
    """
    columns = table.column_names()
    content = [name for name in columns if name not in {*table.key, PARTITION_COLUMN}]
    versions = existing.select(
        *columns, F.lit(0).alias("is_incoming"), F.lit(False).alias(FIRST_OF_UPDATE)
    ).unionByName(incoming.select(*columns, F.lit(1).alias("is_incoming"), FIRST_OF_UPDATE))
    merged = versions.groupBy(PARTITION_COLUMN, *table.key).agg(
        F.max_by(F.struct(*content), "is_incoming").alias("kept"),
        F.max("is_incoming").alias("has_incoming"),
        F.min("is_incoming").alias("only_incoming"),
        F.max(FIRST_OF_UPDATE).alias(FIRST_OF_UPDATE),
    )
    first_incoming = F.col(FIRST_OF_UPDATE) & (F.col("has_incoming") == 1)
    return merged.select(
        *[
            F.col(name)
            if name in (*table.key, PARTITION_COLUMN)
            else F.col("kept")[name].alias(name)
            for name in columns
        ],
        (first_incoming & (F.col("only_incoming") == 1)).cast("int").alias("new_updates"),
        (first_incoming & (F.col("only_incoming") == 0)).cast("int").alias("refolded_updates"),
    )


def keyed_merge_metrics() -> list[Column]:
    """Aggregates over `merge_keyed` output, observed while it is written (no extra pass)."""
    return [
        F.count(F.lit(1)).alias("rows"),
        *[F.sum(name).cast("bigint").alias(name) for name in KEYED_MERGE_COUNT_COLUMNS],
    ]
