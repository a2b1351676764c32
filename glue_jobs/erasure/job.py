"""The erasure job as a typed function: forget people everywhere in the lake.

Reads the raw zone, the quarantine zone and every curated table; rewrites the raw objects,
quarantine files and curated partitions that hold the people (S3 versions included); writes
the register of forgotten people and an audit record under `{curated_uri}/_privacy/`.

`run` is the order of operations (docs/privacy-erasure.md explains why this order):

    key -> permissions (before any write) -> who is in the lake (read-only scans)
        -> audit record "started" -> register -> quarantine -> curated -> raw
        -> older raw versions -> audit record "completed" -> request deleted

Every step is idempotent, so an erasure that stopped part-way is finished by running it
again with the same ids: what is already erased is no longer found.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from glue_jobs.config import new_run_id
from glue_jobs.erasure import search
from glue_jobs.erasure.config import ErasureConfig
from glue_jobs.erasure.curated import affected_days, stage_table
from glue_jobs.erasure.people import People
from glue_jobs.erasure.records import (
    Audit,
    counts_section,
    is_managed_request,
    load_register,
    read_request,
    save_register,
)
from glue_jobs.erasure.rewrite import (
    QUARANTINE_COUNTS,
    RAW_COUNTS,
    erase_quarantine,
    erase_raw,
    purge_stale_versions,
)
from glue_jobs.erasure.scrub import UpdateScrubber
from glue_jobs.erasure.stores import ErasurePermissionError, RawStore, open_raw_store
from glue_jobs.fs import HadoopFs
from glue_jobs.schema import spark_schema
from glue_jobs.sources import load_partitions
from glue_jobs.staging import commit_manifest, publish, recover, staged_partitions, utc_timestamp
from lake.keys import read_key as read_privacy_key
from lake.privacy import (
    PERSON_ID_COLUMNS,
    ForgottenRegister,
    pseudonym,
    request_hash,
    username_hash,
)
from lake.tables import TABLES
from lake.uri import join_uri
from lake.zones import (
    PRIVACY_FOLDER,
    is_hidden,
    staged_table_uri,
    table_partition_uri,
    table_uri,
)

logger = logging.getLogger(__name__)

ERASURE_RUN_KIND = "erasure"
#: The curated tables that can hold a person (an id column or a chat id).
PERSON_TABLES: tuple[str, ...] = tuple(
    name for name, columns in PERSON_ID_COLUMNS.items() if columns
)


def configure_session(spark: SparkSession) -> None:
    """The Glue job's settings that decide how rewritten partitions are written."""
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "INT96")


def run(
    spark: SparkSession, config: ErasureConfig, *, raw_store: RawStore | None = None
) -> dict[str, Any]:
    """Forget the people of `config`; returns the audit record (also written).

    `raw_store` defaults to the store of `config.raw_uri` (boto3 for `s3://`).
    """
    started_at = datetime.now(UTC)
    erasure_id = config.erasure_id or new_run_id(started_at)
    configure_session(spark)
    fs = HadoopFs(spark)
    key = read_privacy_key(config.privacy_key_uri)
    ids = config.user_ids or read_request(fs, str(config.user_ids_uri))
    store = raw_store or open_raw_store(config.raw_uri)
    preflight = check_permissions(fs, store, config)
    register = load_register(fs, config.curated_uri, key)
    for finished in recover(fs, config.curated_uri):
        logger.warning("finished the interrupted publish of run %s first", finished)

    # Who of them is in the lake, and how they are named there: read-only scans.
    raw_lines, unsearchable = search.load_raw_lines(spark, fs, config.raw_uri)
    quarantine_lines = search.load_quarantine_lines(spark, fs, config.quarantine_uri)
    tables = _load_tables(spark, fs, config.curated_uri)
    findings = _find(
        raw_lines=raw_lines,
        quarantine_lines=quarantine_lines,
        tables=tables,
        people=People.of(ids, key),
        key=key,
        register=register,
    )
    registered = {value for value in ids if pseudonym(key, value) in register.pseudonyms}
    present = findings.found_ids | registered
    audit = Audit(fs, config.curated_uri, erasure_id, started_at, request_hash(key, list(ids)))
    audit.write(
        people=_people_section(ids, findings.found_ids, registered),
        raw_versioning=preflight["versioning"],
    )
    if not present:
        logger.warning("none of the %d ids appears in the lake: nothing to erase", len(ids))
        return _finish(fs=fs, config=config, audit=audit, register_added=0)

    people = People.of(present, key).knowing(findings.all_usernames(), findings.names)
    scrubber = UpdateScrubber(people)
    added = _register(
        fs=fs,
        curated_uri=config.curated_uri,
        key=key,
        register=register,
        people=people,
        findings=findings,
    )
    quarantine_counts: Counter[str] = Counter()
    if quarantine_lines is not None:
        quarantine_candidates = search.candidate_files(quarantine_lines, people)
        quarantine_counts = erase_quarantine(fs, quarantine_candidates, scrubber)
    curated_counts = _erase_curated(
        spark=spark,
        fs=fs,
        config=config,
        tables=tables,
        people=people,
        erasure_id=erasure_id,
        started_at=started_at,
    )
    raw_candidates = search.candidate_files(raw_lines, people)
    raw_counts = erase_raw(store, raw_candidates, scrubber, threads=config.io_threads)
    raw_counts["unsearchable_files"] = len(unsearchable)
    raw_counts.update(purge_stale_versions(store, scrubber, threads=config.io_threads))
    return _finish(
        fs=fs,
        config=config,
        audit=audit,
        register_added=added,
        raw=raw_counts,
        quarantine=quarantine_counts,
        curated=curated_counts,
    )


def _people_section(ids: tuple[int, ...], found: set[int], registered: set[int]) -> dict[str, int]:
    """How many of the requested people were found; an unknown id erases nothing and is not
    registered (a mistyped id must not silence somebody else's future messages)."""
    unknown = len(set(ids) - found - registered)
    if unknown:
        logger.warning("%d of the %d ids appear nowhere in the lake: not erased", unknown, len(ids))
    return {
        "requested": len(ids),
        "found": len(found),
        "already_forgotten": len(registered - found),
        "unknown": unknown,
    }


def check_permissions(fs: HadoopFs, store: RawStore, config: ErasureConfig) -> dict[str, Any]:
    """Try every kind of write the erasure makes, on throwaway hidden names, before the first
    real one: a missing permission stops it with nothing changed."""
    result = store.preflight()
    for root in (join_uri(config.curated_uri, PRIVACY_FOLDER), config.quarantine_uri):
        probe = join_uri(root, f"_erasure_probe_{uuid.uuid4().hex}")
        try:
            fs.write_text(probe, "erasure probe\n")
            fs.read_text(probe)
            fs.delete(probe)
        except Exception as error:  # Py4J wraps AccessDenied and friends
            raise ErasurePermissionError(
                f"the erasure cannot write, read and delete under {root} ({error}); "
                "nothing has been changed"
            ) from error
    return result


def _load_tables(spark: SparkSession, fs: HadoopFs, curated_uri: str) -> dict[str, DataFrame]:
    tables = {}
    for name in PERSON_TABLES:
        rows = search.load_table(spark, fs, curated_uri, TABLES[name])
        if rows is not None:
            tables[name] = rows
    return tables


def _find(
    *,
    raw_lines: DataFrame,
    quarantine_lines: DataFrame | None,
    tables: dict[str, DataFrame],
    people: People,
    key: str,
    register: ForgottenRegister,
) -> search.Findings:
    """Who of them is in the lake, and their usernames and names (read-only scans)."""
    findings = search.Findings()
    key_of = {value: value for value in people.ids}
    key_of |= {pseudonym(key, value): value for value in people.ids}
    search.raw_identity(raw_lines, people, findings)
    search.quarantine_identity(quarantine_lines, people, findings)
    search.curated_identity(tables, people, key_of, findings)
    # A rerun after a crash may find their usernames nowhere any more but in other people's
    # mentions: the register's keyed hashes of them say which mentions are theirs.
    expected = {
        digest: person
        for person in people.ids
        for digest in register.people.get(pseudonym(key, person), ())
    }
    known = {username_hash(key, name) for name in findings.all_usernames()}
    if set(expected) - known:
        texts = [raw_lines.select("value")]
        if quarantine_lines is not None:
            texts.append(quarantine_lines.select("value"))
        if "messages" in tables:
            texts.append(tables["messages"].select(tables["messages"]["text"].alias("value")))
        for token in search.username_tokens(texts):
            person = expected.get(username_hash(key, token))
            if person is not None:
                findings.add_username(person, token)
    return findings


def _register(
    *,
    fs: HadoopFs,
    curated_uri: str,
    key: str,
    register: ForgottenRegister,
    people: People,
    findings: search.Findings,
) -> int:
    """Add them to the register first: from now on the Glue job drops their new updates,
    and the register remembers (as keyed hashes) how to recognise their mentions."""
    additions = {
        pseudonym(key, person): [
            username_hash(key, name) for name in findings.usernames.get(person, set())
        ]
        for person in people.ids
    }
    updated = register.with_people(additions)
    if updated != register:
        save_register(fs, curated_uri, updated)
    return len(updated.pseudonyms - register.pseudonyms)


def _erase_curated(
    *,
    spark: SparkSession,
    fs: HadoopFs,
    config: ErasureConfig,
    tables: dict[str, DataFrame],
    people: People,
    erasure_id: str,
    started_at: datetime,
) -> dict[str, Any]:
    """Rewrite the affected partitions of every table: staged, committed, then published."""
    curated = config.curated_uri
    days: dict[str, list[str]] = {}
    removed: dict[str, int] = {}
    scrubbed: dict[str, int] = {}
    for name, rows in tables.items():
        spec = TABLES[name]
        days[name] = affected_days(rows, spec, people)
        if not days[name]:
            continue
        partitions = [table_partition_uri(curated, name, day) for day in days[name]]
        affected = load_partitions(spark, table_uri(curated, name), partitions, spark_schema(spec))
        removed[name], scrubbed[name] = stage_table(
            affected,
            spec,
            people,
            staged_uri=staged_table_uri(curated, erasure_id, name),
            target_file_bytes=config.target_file_bytes,
        )
    if not any(days.values()):
        return {"partitions_rewritten": {}, "rows_removed": {}, "rows_scrubbed": {}}
    staged = staged_partitions(fs, curated, erasure_id, list(days))
    for name, table_days in days.items():
        for day in table_days:
            # A day left with no row has no staged file: publishing [] empties it.
            staged.setdefault(name, {}).setdefault(day, [])
    summary = {
        "run_id": erasure_id,
        "kind": ERASURE_RUN_KIND,
        "started_at": utc_timestamp(started_at),
        "finished_at": None,
        # No arrival window: the scheduled Glue run's catch-up skips this summary.
        "window": None,
        "partitions_written": {name: sorted(staged.get(name, {})) for name in days},
    }
    manifest = commit_manifest(fs, curated, erasure_id, staged, summary)
    publish(fs, curated, manifest)
    for name, table_days in days.items():
        for day in table_days:
            _drop_if_empty(fs, table_partition_uri(curated, name, day))
    return {
        "partitions_rewritten": {name: len(value) for name, value in days.items() if value},
        "rows_removed": removed,
        "rows_scrubbed": scrubbed,
    }


def _drop_if_empty(fs: HadoopFs, partition: str) -> None:
    """A partition whose every row was theirs leaves an empty folder: it goes too."""
    if not any(not entry.is_dir and not is_hidden(entry.name) for entry in fs.list(partition)):
        fs.delete(partition, recursive=True)


def _finish(
    *,
    fs: HadoopFs,
    config: ErasureConfig,
    audit: Audit,
    raw: Counter[str] | None = None,
    quarantine: Counter[str] | None = None,
    curated: dict[str, Any] | None = None,
    register_added: int,
) -> dict[str, Any]:
    curated = curated or {}
    record = audit.complete(
        register={"added": register_added},
        raw=counts_section(raw or Counter(), RAW_COUNTS),
        quarantine=counts_section(quarantine or Counter(), QUARANTINE_COUNTS),
        curated={
            "partitions_rewritten": curated.get("partitions_rewritten", {}),
            "rows_removed": curated.get("rows_removed", {}),
            "rows_scrubbed": curated.get("rows_scrubbed", {}),
        },
    )
    if config.user_ids_uri and is_managed_request(config.curated_uri, config.user_ids_uri):
        fs.delete(config.user_ids_uri)  # the request's ids: done, no longer needed
    logger.info("erasure %s completed: %s", record["erasure_id"], record)
    return record
