"""Raw files that yield no line at all: found before (gzip) or after (empty) the read.

Reads file listings and gzip streams of the raw window through `glue_jobs.fs.HadoopFs`;
writes nothing. Each such file is counted as one quarantined line (I1 counts every raw
file) and gets a quarantine record with its reason, so that nothing disappears and one bad
file never stops the day's other files:

- a `.jsonl.gz` that does not decompress to its end (truncated, corrupt): `corrupt_file`,
  and Spark never reads it (a partial read would count lines a fixed file repeats); the
  record's `error` says what the decompressor found, `raw` is null (the bytes stay in raw);
- a 0-byte file, which Spark's readers skip silently: `empty_file`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.fs import HadoopFs
from glue_jobs.outcomes import (
    KIND_QUARANTINED,
    LEVEL_OUTCOME,
    LEVEL_PARTITION,
    REASON_CORRUPT_FILE,
    REASON_EMPTY_FILE,
)
from lake.uri import join_uri
from lake.zones import JSON_FILE_GLOB, PARTITION_COLUMN, partition_day


@dataclass(frozen=True)
class BadFile:
    """A raw file counted as one quarantined line."""

    uri: str
    reason: str
    error: str

    @property
    def arrival_day(self) -> date | None:
        folder = self.uri.rstrip("/").rsplit("/", 2)[-2]
        return partition_day(folder)


def corrupt_batch_files(fs: HadoopFs, files: Iterable[str]) -> list[BadFile]:
    """The `.jsonl.gz` files among `files` that do not decompress to their end."""
    bad = []
    for uri in files:
        if uri.endswith(".gz"):
            error = fs.gzip_error(uri)
            if error is not None:
                bad.append(BadFile(uri, REASON_CORRUPT_FILE, error))
    return bad


def empty_files(
    fs: HadoopFs, partition_uris: Sequence[str], json_files_read: Mapping[date, int]
) -> list[BadFile]:
    """0-byte files of the day folders where fewer `*.json` files were read than exist.

    The count of `*.json` files is one JVM call per day; only a day whose count differs
    from what Spark read is listed file by file (the slow path, for the rare bad day).
    """
    bad = []
    for uri in partition_uris:
        day = partition_day(uri.rstrip("/").rsplit("/", 1)[-1])
        if day is None or fs.count_files(join_uri(uri, JSON_FILE_GLOB)) <= json_files_read.get(
            day, 0
        ):
            continue
        bad += [BadFile(name, REASON_EMPTY_FILE, "0 bytes") for name in fs.empty_files(uri)]
    return bad


def bad_file_outcomes(bad: Sequence[BadFile]) -> list[Row]:
    """Outcome-count rows (see `glue_jobs.outcomes.outcome_counts`) for the bad files."""
    rows = []
    for reason in sorted({file.reason for file in bad}):
        lines = sum(1 for file in bad if file.reason == reason)
        for level in (LEVEL_PARTITION, LEVEL_OUTCOME):
            rows.append(
                Row(
                    level=level,
                    kind=KIND_QUARANTINED,
                    detail=reason,
                    target=None,
                    dt=None,
                    lines=lines,
                    updates=0 if level == LEVEL_OUTCOME else None,
                )
            )
    return rows


def bad_file_records(spark: SparkSession, bad: Sequence[BadFile], run_id: str) -> DataFrame:
    """Quarantine records of the bad files (built in the JVM: no Python workers)."""
    records = [
        F.struct(
            F.lit(file.uri).alias("source_file"),
            F.lit(file.reason).alias("reason"),
            F.lit(None).cast("string").alias("raw"),
            F.lit(run_id).alias("run_id"),
            F.lit(file.error).alias("error"),
            F.lit(file.arrival_day).cast("date").alias(PARTITION_COLUMN),
        )
        for file in bad
    ]
    return spark.range(1).select(F.explode(F.array(*records)).alias("record")).select("record.*")
