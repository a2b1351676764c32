"""The zone layout: where every object of the lake lives. Nobody else writes `dt=`.

    {raw_uri}/dt={YYYY-MM-DD}/{update_id}.json      one Update, byte for byte (the webhook)
    {raw_uri}/dt={YYYY-MM-DD}/*.jsonl[.gz]           one Update per line (batch sources)
    {raw_uri}/dt={YYYY-MM-DD}/history_*.jsonl.gz     a history import's parts (batch source)
    {raw_uri}/_imports/{chat_id}/g{NNNNN}.json       the history import register of a chat
    {curated_uri}/{table}/dt={YYYY-MM-DD}/part-*     curated Parquet partitions
    {curated_uri}/_staging/{run_id}/{table}/dt=...   a run's merged partitions, before publish
    {curated_uri}/_staging/{run_id}/_manifest.json   a run's commit point
    {curated_uri}/_runs/{run_id}.json                a run's summary
    {quarantine_uri}/dt={YYYY-MM-DD}/                quarantined lines of an arrival day
    {curated_uri}/_privacy/forgotten.json            the register of forgotten people
    {curated_uri}/_privacy/audit/{name}.json         one erasure's audit record
    {curated_uri}/_privacy/requests/{name}.json      an erasure request in flight (its ids)

Raw `dt` = UTC arrival date; curated `dt` = UTC date of the event (a message's send date).
Reads and writes nothing: functions here only build names and URIs.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from lake.uri import join_uri

PARTITION_COLUMN = "dt"
#: The partition value's format: Python's and Java's (Athena partition projection) spelling.
PARTITION_DATE_FORMAT = "%Y-%m-%d"
PARTITION_JAVA_DATE_FORMAT = "yyyy-MM-dd"
PARTITION_PREFIX = f"{PARTITION_COLUMN}="
#: A `dt=YYYY-MM-DD` folder anywhere in a path; group 1 is the date.
PARTITION_PATTERN = re.compile(rf"{PARTITION_PREFIX}(\d{{4}}-\d{{2}}-\d{{2}})")
#: The same as a Java regular expression (Spark's `regexp_extract`), group 1 is the date.
PARTITION_REGEX = rf"{PARTITION_PREFIX}(\d{{4}}-\d{{2}}-\d{{2}})"

RAW_OBJECT_SUFFIX = ".json"
NDJSON_SUFFIXES: tuple[str, ...] = (".jsonl", ".jsonl.gz")
#: Hadoop globs of the two raw file kinds inside one `dt=` folder.
JSON_FILE_GLOB = f"*{RAW_OBJECT_SUFFIX}"
NDJSON_FILE_GLOB = "*.{jsonl,jsonl.gz}"
#: Amazon Data Firehose's S3 prefix expression for the same `dt=` folders (arrival, UTC).
FIREHOSE_PARTITION_EXPRESSION = f"{PARTITION_PREFIX}!{{timestamp:{PARTITION_JAVA_DATE_FORMAT}}}/"

#: The history importer's register, hidden from the job and Athena (its name starts with `_`).
IMPORTS_FOLDER = "_imports"
HISTORY_PART_PREFIX = "history_"
HISTORY_PART_SUFFIX = ".jsonl.gz"
STAGING_FOLDER = "_staging"
PRIVACY_FOLDER = "_privacy"
FORGOTTEN_REGISTER_NAME = "forgotten.json"
AUDIT_FOLDER = "audit"
REQUESTS_FOLDER = "requests"
RUNS_FOLDER = "_runs"
MANIFEST_NAME = "_manifest.json"


def partition_value(day: date) -> str:
    """`YYYY-MM-DD`."""
    return day.strftime(PARTITION_DATE_FORMAT)


def partition_name(day: date | str) -> str:
    """`dt=YYYY-MM-DD` (a `date`, or its ISO string)."""
    value = day if isinstance(day, str) else partition_value(day)
    return f"{PARTITION_PREFIX}{value}"


def partition_day(name: str) -> date | None:
    """The date of a `dt=YYYY-MM-DD` folder name; None for any other name."""
    if not name.startswith(PARTITION_PREFIX):
        return None
    try:
        return date.fromisoformat(name.removeprefix(PARTITION_PREFIX))
    except ValueError:
        return None


def is_hidden(name: str) -> bool:
    """Hadoop, Spark, Athena and DuckDB all skip names starting with `_` or `.`."""
    return name.startswith(("_", "."))


def utc_day(moment: datetime) -> date:
    """UTC date of a moment; a naive datetime is taken as UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


# --- raw zone -----------------------------------------------------------------------------


def raw_object_key(update_id: int, arrived_at: datetime, prefix: str = "") -> str:
    """`{prefix}/dt=YYYY-MM-DD/{update_id}.json`: the webhook's key for one update."""
    name = f"{partition_name(utc_day(arrived_at))}/{update_id}{RAW_OBJECT_SUFFIX}"
    return join_uri(prefix, name) if prefix.strip("/") else name


def raw_partition_uri(raw_uri: str, day: date) -> str:
    """`{raw_uri}/dt=YYYY-MM-DD`: one arrival day."""
    return join_uri(raw_uri, partition_name(day))


def is_raw_file(name: str) -> bool:
    """A raw object the job reads: `*.json`, `*.jsonl` or `*.jsonl.gz`, not hidden."""
    return not is_hidden(name) and name.endswith((RAW_OBJECT_SUFFIX, *NDJSON_SUFFIXES))


def import_register_uri(raw_uri: str, chat_id: int) -> str:
    """`{raw_uri}/_imports/{chat_id}`: what earlier history imports of one chat wrote."""
    return join_uri(raw_uri, IMPORTS_FOLDER, str(chat_id))


def import_register_entry_name(generation: int) -> str:
    """`gNNNNN.json`: the register entry of a chat's `generation`-th import (from 1)."""
    return f"g{generation:05d}.json"


def import_register_generation(name: str) -> int | None:
    """The generation of a register entry name; None for any other name."""
    match = re.fullmatch(r"g(\d{5,})\.json", name)
    return int(match.group(1)) if match else None


def history_part_name(chat_id: int, generation: int, export_digest: str, part: int) -> str:
    """`history_{chat_id}_g{generation}_{export digest}_p{part}.jsonl.gz`: one part file of a
    history import, unique per chat, import generation and export file (never overwritten
    by a different import), the same name for the same import."""
    return (
        f"{HISTORY_PART_PREFIX}{chat_id}_g{generation:05d}_{export_digest}_p{part:04d}"
        f"{HISTORY_PART_SUFFIX}"
    )


# --- curated zone -------------------------------------------------------------------------


def table_uri(curated_uri: str, table: str) -> str:
    """`{curated_uri}/{table}`: a curated table's root."""
    return join_uri(curated_uri, table)


def table_partition_uri(curated_uri: str, table: str, day: date | str) -> str:
    """`{curated_uri}/{table}/dt=YYYY-MM-DD`."""
    return join_uri(curated_uri, table, partition_name(day))


def staging_uri(curated_uri: str, run_id: str) -> str:
    """`{curated_uri}/_staging/{run_id}`: everything a run writes before it publishes."""
    return join_uri(curated_uri, STAGING_FOLDER, run_id)


def staging_root_uri(curated_uri: str) -> str:
    return join_uri(curated_uri, STAGING_FOLDER)


def staged_table_uri(curated_uri: str, run_id: str, table: str) -> str:
    return join_uri(staging_uri(curated_uri, run_id), table)


def staged_partition_uri(curated_uri: str, run_id: str, table: str, day: date | str) -> str:
    return join_uri(staged_table_uri(curated_uri, run_id, table), partition_name(day))


def manifest_uri(curated_uri: str, run_id: str) -> str:
    """`{curated_uri}/_staging/{run_id}/_manifest.json`: a run's commit point."""
    return join_uri(staging_uri(curated_uri, run_id), MANIFEST_NAME)


def runs_uri(curated_uri: str) -> str:
    return join_uri(curated_uri, RUNS_FOLDER)


def run_summary_uri(curated_uri: str, run_id: str) -> str:
    """`{curated_uri}/_runs/{run_id}.json`."""
    return join_uri(runs_uri(curated_uri), f"{run_id}.json")


# --- quarantine ---------------------------------------------------------------------------


def quarantine_partition_uri(quarantine_uri: str, day: date) -> str:
    """`{quarantine_uri}/dt=YYYY-MM-DD`: quarantined lines of one arrival day."""
    return join_uri(quarantine_uri, partition_name(day))


# --- privacy --------------------------------------------------------------------------------


def forgotten_register_uri(curated_uri: str) -> str:
    """`{curated_uri}/_privacy/forgotten.json`: the pseudonyms of forgotten people."""
    return join_uri(curated_uri, PRIVACY_FOLDER, FORGOTTEN_REGISTER_NAME)


def audit_uri(curated_uri: str, name: str) -> str:
    """`{curated_uri}/_privacy/audit/{name}.json`: one erasure's audit record."""
    return join_uri(curated_uri, PRIVACY_FOLDER, AUDIT_FOLDER, f"{name}.json")


def erasure_requests_uri(curated_uri: str) -> str:
    """`{curated_uri}/_privacy/requests`: erasure requests waiting for (or in) their run."""
    return join_uri(curated_uri, PRIVACY_FOLDER, REQUESTS_FOLDER)


def erasure_request_uri(curated_uri: str, name: str) -> str:
    """`{curated_uri}/_privacy/requests/{name}.json`: the ids of one erasure request, read by
    the erasure job (so that they never appear in a job run's arguments) and deleted by it
    once the erasure is complete."""
    return join_uri(erasure_requests_uri(curated_uri), f"{name}.json")
