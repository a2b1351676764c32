"""Crash-safe replacement of curated partitions: stage, commit a manifest, then publish.

Reads and writes under `{curated_uri}`:
  `_staging/{run_id}/{table}/dt=.../part-*.parquet`   merged partitions of a run (phase 1)
  `_staging/{run_id}/_manifest.json`                  the commit point (phase 2)
  `{table}/dt=.../`                                   live partitions, replaced (phase 3)
  `_runs/{run_id}.json`                               the run summary, written last

Why: a run rewrites whole `dt` partitions (late edits merge into the partition of the send
date), and some rows of those partitions may exist only in the curated zone (the raw days
they came from are outside this run's window). Overwriting a live partition in place could
lose them if the job died half-way. Instead the merged partitions are written completely to
staging first; only then is the manifest (partition -> new file names, plus the run summary)
written; only then are live partitions touched:

  1. move every staged file of the partition into the live folder (new, unique names);
  2. delete the live files that are not in the manifest (the old version).

At every instant each row exists in the old files, in the staged files or in the new live
files, so no crash loses data: a crash before the manifest leaves live data untouched
(the next run deletes the orphan staging folder); a crash after it is completed by the next
run, which replays the manifest before doing anything else (every step is idempotent: a file
already moved is skipped; S3's rename is copy-then-delete, so a file found in both places is
dropped from staging). During step 1-2 a reader may briefly see old and new files of one
partition together; runs must not overlap (the Glue job allows one concurrent run).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from glue_jobs.faults import crash_point
from glue_jobs.fs import HadoopFs
from lake.uri import join_uri
from lake.zones import (
    is_hidden,
    manifest_uri,
    partition_day,
    run_summary_uri,
    staged_partition_uri,
    staged_table_uri,
    staging_root_uri,
    staging_uri,
    table_partition_uri,
)

logger = logging.getLogger(__name__)


def utc_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _staged_files(fs: HadoopFs, table_folder: str) -> dict[str, list[str]]:
    """{dt: [file names]} of one staged table."""
    partitions: dict[str, list[str]] = {}
    for partition in fs.list(table_folder):
        day = partition_day(partition.name)
        if partition.is_dir and day is not None:
            partitions[day.isoformat()] = [
                entry.name
                for entry in fs.list(partition.uri)
                if not entry.is_dir and not is_hidden(entry.name)
            ]
    return partitions


def staged_partitions(
    fs: HadoopFs, curated_uri: str, run_id: str, tables: list[str]
) -> dict[str, dict[str, list[str]]]:
    """{table: {dt: [file names]}} of everything a run has staged."""
    return {
        table: _staged_files(fs, staged_table_uri(curated_uri, run_id, table)) for table in tables
    }


def commit_manifest(
    fs: HadoopFs,
    curated_uri: str,
    run_id: str,
    partitions: dict[str, dict[str, list[str]]],
    summary: dict[str, Any],
) -> dict[str, Any]:
    """Write the manifest (staged files + run summary): after this, the run is committed."""
    manifest = {
        "run_id": run_id,
        "committed_at": utc_timestamp(datetime.now(UTC)),
        "tables": partitions,
        "summary": summary,
    }
    fs.write_json(manifest_uri(curated_uri, run_id), manifest)
    crash_point("committed")
    return manifest


def _publish_partition(fs: HadoopFs, staged: str, live: str, files: list[str]) -> None:
    fs.mkdirs(live)
    for name in files:
        source, target = join_uri(staged, name), join_uri(live, name)
        if not fs.exists(source):
            continue  # moved by an earlier attempt
        if fs.exists(target):
            fs.delete(source)  # copied by an earlier attempt that died before deleting
        else:
            fs.rename(source, target)
            crash_point("moved", target)
    keep = set(files)
    for entry in fs.list(live):
        if not entry.is_dir and not is_hidden(entry.name) and entry.name not in keep:
            fs.delete(entry.uri)


def publish(fs: HadoopFs, curated_uri: str, manifest: dict[str, Any]) -> dict[str, Any]:
    """Replace the live partitions named in a committed manifest; idempotent.

    Then writes the run summary (`finished_at` = now) unless it exists, removes the staging
    folder and returns the summary.
    """
    run_id = str(manifest["run_id"])
    for table, partitions in manifest["tables"].items():
        for day, files in sorted(partitions.items()):
            _publish_partition(
                fs,
                staged_partition_uri(curated_uri, run_id, table, day),
                table_partition_uri(curated_uri, table, day),
                list(files),
            )
    summary_uri = run_summary_uri(curated_uri, run_id)
    summary: dict[str, Any] = {**manifest["summary"]}
    written = _readable_json(fs, summary_uri)
    if written is not None:
        summary = written
    else:  # not written yet, or cut short by a crash: (re)write it whole
        summary["finished_at"] = utc_timestamp(datetime.now(UTC))
        fs.write_json(summary_uri, summary)
    crash_point("summary_written")
    fs.delete(staging_uri(curated_uri, run_id), recursive=True)
    return summary


def _readable_json(fs: HadoopFs, uri: str) -> dict[str, Any] | None:
    """The JSON document at `uri`; None when it is missing or cannot be read whole."""
    if not fs.exists(uri):
        return None
    try:
        return fs.read_json(uri)
    except (OSError, ValueError) as error:
        logger.warning("%s cannot be read (%s): treated as not written", uri, error)
        return None


def recover(fs: HadoopFs, curated_uri: str) -> list[str]:
    """Finish or discard what earlier runs left in `_staging/`; returns the finished run ids.

    A folder with a readable manifest was committed: it is published. One without (or
    with a manifest a crash left empty or partial) was never committed, live partitions
    untouched: it is deleted.
    """
    committed: list[dict[str, Any]] = []
    for entry in fs.list(staging_root_uri(curated_uri)):
        if not entry.is_dir:
            continue
        manifest = _readable_json(fs, manifest_uri(curated_uri, entry.name))
        if manifest is not None:
            committed.append(manifest)
        else:
            # No manifest, or one a crash cut short (empty, partial): the run never reached
            # its commit point, so live partitions are untouched and the staged files go.
            logger.warning("discarding uncommitted staging folder %s", entry.uri)
            fs.delete(entry.uri, recursive=True)
    finished = []
    for manifest in sorted(committed, key=lambda m: str(m.get("committed_at", ""))):
        logger.warning("completing the publish of committed run %s", manifest["run_id"])
        publish(fs, curated_uri, manifest)
        finished.append(str(manifest["run_id"]))
    return finished
