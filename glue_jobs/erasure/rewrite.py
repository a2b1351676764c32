"""Rewriting the few raw objects and quarantine files that hold the people (on the driver).

Reads and writes raw objects through a `glue_jobs.erasure.stores.RawStore` (S3 versions
included) and quarantine files through `glue_jobs.fs.HadoopFs`. The files to look at come
from the Spark scans (`glue_jobs.erasure.search`); each is parsed here, and written back
only when something in it changes.

Order inside the raw zone: first every object that stays (scrubbed: other people's updates,
and batches that keep other people's lines), then the objects that go whole (their own
updates). A crash part-way leaves their own updates, which name them, for the rerun to find.
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from glue_jobs.erasure.scrub import (
    FileResult,
    UpdateScrubber,
    scrub_quarantine_file,
    scrub_raw_file,
)
from glue_jobs.erasure.stores import RawStore, StaleVersion
from glue_jobs.fs import HadoopFs

logger = logging.getLogger(__name__)

#: Counts of the raw section of the audit record (all present, zero or not).
RAW_COUNTS: tuple[str, ...] = (
    "candidate_files",
    "objects_rewritten",
    "objects_deleted",
    "updates_deleted",
    "updates_scrubbed",
    "unreadable_deleted",
    "fallback_deleted",
    "versions_purged",
    "stale_versions_purged",
    "unsearchable_files",
    "unsearchable_versions",
)
QUARANTINE_COUNTS: tuple[str, ...] = (
    "candidate_files",
    "files_rewritten",
    "files_deleted",
    "records_removed",
    "records_scrubbed",
)

T = TypeVar("T")
R = TypeVar("R")


def _parallel(threads: int, work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """S3 calls are I/O bound: a small pool of threads (boto3 clients are thread safe)."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(work, items))


def _name(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def erase_raw(
    store: RawStore, candidates: list[str], scrubber: UpdateScrubber, *, threads: int
) -> Counter[str]:
    """Rewrite or delete the candidate raw files; returns the raw counts."""
    counts: Counter[str] = Counter(candidate_files=len(candidates))

    def rewrite(uri: str) -> tuple[str, FileResult, int]:
        result = scrub_raw_file(_name(uri), store.read(uri), scrubber)
        purged = 0
        if result.changed and result.data is not None:
            purged = store.write(uri, result.data)
        return uri, result, purged

    deletions: list[str] = []
    for uri, result, purged in _parallel(threads, rewrite, candidates):
        counts.update(result.counts)
        counts["versions_purged"] += purged
        if not result.changed:
            continue
        if result.data is None:
            deletions.append(uri)
        else:
            counts["objects_rewritten"] += 1
    for purged in _parallel(threads, store.delete, deletions):
        counts["objects_deleted"] += 1
        counts["versions_purged"] += purged
    return counts


def purge_stale_versions(
    store: RawStore, scrubber: UpdateScrubber, *, threads: int
) -> Counter[str]:
    """Delete the noncurrent raw versions that hold a trace of them (an old copy of an
    object that changed since, or of one deleted earlier); counts the versions and delete
    markers that went (`stale_versions_purged`) and those that could not be read
    (`unsearchable_versions`).

    A key's delete markers go with them when no older version of it is left: removing a
    marker while an older version remains would bring that version back.
    """
    counts: Counter[str] = Counter()
    stale = list(store.stale_versions())
    versions = [version for version in stale if not version.is_delete_marker]
    if not versions:
        return counts

    def holds_them(version: StaleVersion) -> bool | None:
        data = store.read_version(version)
        try:
            return scrub_raw_file(_name(version.uri), data, scrubber).changed
        except (OSError, EOFError, zlib.error) as error:  # a gzip batch cut short
            logger.warning("an older version of %s cannot be read (%s)", version.uri, error)
            return None

    hits = _parallel(threads, holds_them, versions)
    counts["unsearchable_versions"] = sum(1 for hit in hits if hit is None)
    doomed = [version for version, hit in zip(versions, hits, strict=True) if hit]
    purged_keys = {version.uri for version in doomed}
    left = {version.uri for version, hit in zip(versions, hits, strict=True) if not hit}
    markers = [
        marker
        for marker in stale
        if marker.is_delete_marker and marker.uri in purged_keys and marker.uri not in left
    ]
    counts["stale_versions_purged"] = store.purge(doomed) + store.purge(markers)
    return counts


def erase_quarantine(fs: HadoopFs, candidates: list[str], scrubber: UpdateScrubber) -> Counter[str]:
    """Scrub or remove the quarantine records that hold a trace of them."""
    counts: Counter[str] = Counter(candidate_files=len(candidates))
    for uri in candidates:
        text = fs.read_text(uri)
        new, file_counts = scrub_quarantine_file(text, scrubber)
        counts.update(file_counts)
        if new == text:
            continue
        if new is None:
            fs.delete(uri)
            counts["files_deleted"] += 1
        else:
            fs.write_text(uri, new)
            counts["files_rewritten"] += 1
    return counts
