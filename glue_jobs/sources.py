"""Loaders of the Glue job: where data comes from, no logic.

Reads the raw zone's `{raw_uri}/dt=YYYY-MM-DD/` folders of the arrival window (`*.json`:
one Update per file; `*.jsonl` / `*.jsonl.gz`: one Update per line), and the existing
curated partitions `{curated_uri}/{table}/dt=.../` a run merges into. Writes nothing.

Read strategy (measured, see docs/performance.md): one-update-per-file JSON is read with
the `binaryFile` source (one row per file, whole file = one line), never with
`spark.read.json` over a glob (schema inference plus one JSON-reader split per file is ~5x
slower on 100k small files). File packing (`spark.sql.files.openCostInBytes`) is set by
the job.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)
from pyspark.sql.types import StructType

from glue_jobs.fs import HadoopFs
from glue_jobs.schema import RAW_LINES_SCHEMA
from lake.uri import join_uri
from lake.zones import JSON_FILE_GLOB, NDJSON_FILE_GLOB, partition_name


def existing_partitions(fs: HadoopFs, root_uri: str, days: Iterable[date]) -> list[str]:
    """URIs of the `dt=` folders of `days` that exist under `root_uri` (a zone or a table).

    One listing of the folder (not one existence check per day): a month-long backfill on
    S3 costs one LIST call, and missing days are simply skipped.
    """
    wanted = {partition_name(day) for day in days}
    return [entry.uri for entry in fs.list(root_uri) if entry.is_dir and entry.name in wanted]


def empty_frame(spark: SparkSession, schema: StructType) -> DataFrame:
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
        return empty_frame(spark, RAW_LINES_SCHEMA)
    return (
        spark.read.format("binaryFile")
        .option("pathGlobFilter", JSON_FILE_GLOB)
        .load(list(partition_uris))
        .select(
            F.col("path").alias("source_file"),
            F.col("content").cast("string").alias("value"),
        )
    )


def ndjson_files(fs: HadoopFs, partition_uris: Sequence[str]) -> list[str]:
    """URIs of the `*.jsonl` / `*.jsonl.gz` files of the day folders (usually none: a
    webhook day holds `*.json` only). A Hadoop glob per folder, filtered in the JVM."""
    return [match for uri in partition_uris for match in fs.glob(join_uri(uri, NDJSON_FILE_GLOB))]


def load_ndjson_lines(
    spark: SparkSession, files: Sequence[str], *, min_partitions: int = 1
) -> DataFrame | None:
    """(source_file, value): one row per line of the given `*.jsonl` / `*.jsonl.gz` files,
    or None when there are none.

    A gzip file cannot be split: a day delivered as fewer `.jsonl.gz` files than
    `min_partitions` would be parsed by that many cores only, so its lines are first spread
    round-robin over `min_partitions` tasks (one shuffle of text; parsing then runs on every
    core). Decided from the file list, without planning the query.
    """
    if not files:
        return None
    lines = (
        spark.read.format("text")
        .load(list(files))
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
        return empty_frame(spark, schema)
    return (
        spark.read.schema(schema)
        .option("basePath", table_uri)
        .parquet(*partition_uris)
        .select(*schema.fieldNames())
    )
