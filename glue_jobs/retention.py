"""Curated retention: partitions older than `--curated_retention_days` are dropped.

Reads the partition listing of every curated table; `drop_partitions` deletes whole `dt=`
folders (and a run's staged partitions of those days are never published). Nothing expires
unless the owner sets a retention. Raw and quarantine expire by S3 lifecycle rules instead
(docs/privacy.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from glue_jobs.fs import HadoopFs
from lake.zones import partition_day, table_partition_uri, table_uri


def retention_cutoff(today: date, retention_days: int | None) -> date | None:
    """The first UTC day kept (None: keep everything)."""
    return None if retention_days is None else today - timedelta(days=retention_days)


def expired_partitions(
    fs: HadoopFs,
    curated_uri: str,
    tables: Iterable[str],
    cutoff: date | None,
    staged: dict[str, dict[str, list[str]]],
) -> dict[str, list[str]]:
    """{table: [days before the cutoff]}, live or staged by this run."""
    if cutoff is None:
        return {}
    expired: dict[str, list[str]] = {}
    for table in tables:
        days = {
            day.isoformat()
            for entry in fs.list(table_uri(curated_uri, table))
            if entry.is_dir and (day := partition_day(entry.name)) is not None and day < cutoff
        }
        days |= {day for day in staged.get(table, {}) if date.fromisoformat(day) < cutoff}
        if days:
            expired[table] = sorted(days)
    return expired


def without_expired(
    staged: dict[str, dict[str, list[str]]], expired: dict[str, list[str]]
) -> dict[str, dict[str, list[str]]]:
    """The staged partitions worth publishing (expired days left out)."""
    return {
        table: {day: files for day, files in days.items() if day not in expired.get(table, [])}
        for table, days in staged.items()
    }


def drop_partitions(fs: HadoopFs, curated_uri: str, expired: dict[str, list[str]]) -> None:
    """Delete the expired live partitions (idempotent: a missing folder is no error)."""
    for table, days in expired.items():
        for day in days:
            fs.delete(table_partition_uri(curated_uri, table, day), recursive=True)
