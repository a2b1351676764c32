"""Loaders and savers of the Glue job: where data comes from and where it goes, no logic.

Reads: the raw zone's `{raw_uri}/dt=YYYY-MM-DD/` folders of the arrival window
(`*.json`: one Update per file; `*.jsonl` / `*.jsonl.gz`: one Update per line), and the
existing curated partitions `{curated_uri}/{table}/dt=.../` a run merges into.
Writes: Parquet partitions (snappy) under a given folder, quarantine JSON lines under
`{quarantine_uri}/dt={arrival date}/`, and small JSON documents.

Read strategy (measured, see README): one-update-per-file JSON is read with the
`binaryFile` source (one row per file, whole file = one line), never with `spark.read.json`
over a glob (schema inference plus one JSON-reader split per file is ~5x slower on 100k
small files). File packing (`spark.sql.files.openCostInBytes`) is set by the job.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)
from pyspark.sql.types import StructType

from glue_jobs.fs import HadoopFs, join_uri
from glue_jobs.schema import PARTITION_COLUMN, RAW_LINES_SCHEMA

JSON_FILE_GLOB = "*.json"
NDJSON_FILE_GLOB = "*.{jsonl,jsonl.gz}"
PARQUET_COMPRESSION = "snappy"


def partition_name(day: date) -> str:
    return f"{PARTITION_COLUMN}={day.isoformat()}"


def existing_partitions(fs: HadoopFs, table_uri: str, days: Iterable[date]) -> list[str]:
    """URIs of the `dt=` folders of `days` that exist under `table_uri`.

    One listing of the table folder (not one existence check per day): a month-long
    backfill on S3 costs one LIST call, and missing days are simply skipped.
    """
    wanted = {partition_name(day) for day in days}
    return [entry.uri for entry in fs.list(table_uri) if entry.is_dir and entry.name in wanted]


def _empty(spark: SparkSession, schema: StructType) -> DataFrame:
    """An empty frame of `schema`, planned in the JVM alone.

    Not `createDataFrame([])`: that is a Python RDD, whose tasks start Python workers on
    every core only to produce nothing.
    """
    return spark.range(0).select(
        *[F.lit(None).cast(field.dataType).alias(field.name) for field in schema.fields]
    )


def load_json_files(spark: SparkSession, partition_uris: Sequence[str]) -> DataFrame:
    """(source_file, value): one row per `*.json` file, its whole content as text."""
    if not partition_uris:
        return _empty(spark, RAW_LINES_SCHEMA)
    return (
        spark.read.format("binaryFile")
        .option("pathGlobFilter", JSON_FILE_GLOB)
        .load(list(partition_uris))
        .select(
            F.col("path").alias("source_file"),
            F.col("content").cast("string").alias("value"),
        )
    )


def load_ndjson_lines(
    spark: SparkSession, fs: HadoopFs, partition_uris: Sequence[str], *, min_partitions: int = 1
) -> DataFrame | None:
    """(source_file, value): one row per line of the `*.jsonl` / `*.jsonl.gz` files, or None
    when the folders hold none (the usual webhook day: no second reader and no second
    listing by Spark; the glob is a plain Hadoop listing, filtered in the JVM).

    A gzip file cannot be split: a day delivered as fewer `.jsonl.gz` files than
    `min_partitions` would be parsed by that many cores only, so its lines are first spread
    round-robin over `min_partitions` tasks (one shuffle of text; parsing then runs on every
    core). Decided from the file listing, without planning the query.
    """
    files = [match for uri in partition_uris for match in fs.glob(join_uri(uri, NDJSON_FILE_GLOB))]
    if not files:
        return None
    # Only the day folders that hold such files: Spark lists whatever it is given again.
    folders = {name.rsplit("/", 2)[-2] for name in files}
    lines = (
        spark.read.format("text")
        .option("pathGlobFilter", NDJSON_FILE_GLOB)
        .load([uri for uri in partition_uris if uri.rstrip("/").rsplit("/", 1)[-1] in folders])
        .select(F.col("_metadata.file_path").alias("source_file"), F.col("value"))
    )
    if len(files) < min_partitions and any(name.endswith(".gz") for name in files):
        lines = lines.repartition(min_partitions)
    return lines


def load_partitions(
    spark: SparkSession, table_uri: str, partition_uris: Sequence[str], schema: StructType
) -> DataFrame:
    """Rows of the given `dt=` partitions of a curated table (explicit schema, dt included)."""
    if not partition_uris:
        return _empty(spark, schema)
    return (
        spark.read.schema(schema)
        .option("basePath", table_uri)
        .parquet(*partition_uris)
        .select(*schema.fieldNames())
    )


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


def write_json(fs: HadoopFs, uri: str, document: dict[str, Any]) -> None:
    fs.write_text(uri, json.dumps(document, indent=2, sort_keys=False) + "\n")


def read_json(fs: HadoopFs, uri: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(fs.read_text(uri))
    return document


def table_uri(curated_uri: str, table: str) -> str:
    return join_uri(curated_uri, table)
