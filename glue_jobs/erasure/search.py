"""Spark scans of the erasure job: who is in the lake, and which files hold them.

Reads the raw zone (`dt=` folders: `*.json` objects and `*.jsonl[.gz]` batches, the Glue
job's own loaders), the quarantine zone (`dt=` folders of JSON records) and every curated
table; writes nothing. Only small results reach the driver: the distinct `User` objects of
the people, the distinct file names that mention them, the distinct id values found.
Native Spark functions only (regular expressions over the text; no Python UDFs).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.erasure.people import People, display_names, id_regex
from glue_jobs.fs import HadoopFs
from glue_jobs.raw_files import corrupt_batch_files
from glue_jobs.schema import spark_schema
from glue_jobs.sources import load_json_files, load_ndjson_lines, load_partitions, ndjson_files
from lake.privacy import PERSON_ID_COLUMNS
from lake.tables import MEMBER_EVENTS, MESSAGES, TableSpec
from lake.zones import is_hidden, partition_day, table_uri

logger = logging.getLogger(__name__)

#: A flat JSON object (no nested object) naming one of the ids as `id` or `user_id`: a
#: `User`, a private `Chat`, a contact card. `{IDS}` is replaced by the alternatives.
FLAT_OBJECT_TEMPLATE = r'\{{[^{{}}]*"(?:id|user_id)"\s*:\s*(?:{ids})(?![0-9])[^{{}}]*\}}'
#: Where a username stands in raw text: a mention, a t.me link, a `username` field.
USERNAME_TOKEN_REGEX = r'(?:@|t\.me\\?/|telegram\.me\\?/|"username"\s*:\s*")([A-Za-z0-9_]{3,64})'
#: (table, columns holding the people's own names) of the curated tables.
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    MESSAGES.name: ("user_first_name", "user_last_name", "user_username"),
    MEMBER_EVENTS.name: ("user_first_name", "user_username"),
}


@dataclass
class Findings:
    """What the scans found of the people: which ids appear, and how they are named."""

    found_ids: set[int] = field(default_factory=set)
    usernames: dict[int, set[str]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)

    def add_username(self, person: int, username: str | None) -> None:
        if username:
            self.usernames.setdefault(person, set()).add(username.lower())

    def all_usernames(self) -> set[str]:
        return {name for names in self.usernames.values() for name in names}


def partition_uris(fs: HadoopFs, root_uri: str) -> list[str]:
    """Every `dt=` folder under a zone or table root."""
    return [
        entry.uri
        for entry in fs.list(root_uri)
        if entry.is_dir and partition_day(entry.name) is not None
    ]


def load_raw_lines(spark: SparkSession, fs: HadoopFs, raw_uri: str) -> tuple[DataFrame, list[str]]:
    """(source_file, value) of every raw line, and the batch files that cannot be read
    (a corrupt `.jsonl.gz`: the audit reports them, they cannot be searched)."""
    partitions = partition_uris(fs, raw_uri)
    batches = ndjson_files(fs, partitions)
    unreadable = [file.uri for file in corrupt_batch_files(fs, batches)]
    lines = load_json_files(spark, partitions)
    readable = [uri for uri in batches if uri not in set(unreadable)]
    ndjson = load_ndjson_lines(spark, readable, min_partitions=1)
    if ndjson is not None:
        lines = lines.unionByName(ndjson)
    return lines, unreadable


def load_quarantine_lines(
    spark: SparkSession, fs: HadoopFs, quarantine_uri: str
) -> DataFrame | None:
    """(source_file, value) of every quarantine record line, or None without quarantine."""
    partitions = partition_uris(fs, quarantine_uri)
    if not partitions:
        return None
    return (
        spark.read.format("text")
        .load(partitions)
        .select(F.col("_metadata.file_path").alias("source_file"), F.col("value"))
    )


def raw_identity(lines: DataFrame, people: People, findings: Findings) -> None:
    """Which of the ids appear in raw updates, with the usernames and names they carry."""
    pattern = FLAT_OBJECT_TEMPLATE.format(ids="|".join(str(value) for value in sorted(people.ids)))
    objects = (
        lines.where(F.col("value").rlike(id_regex(people.ids)))
        .select(F.explode(F.regexp_extract_all("value", F.lit(pattern), 0)).alias("object"))
        .distinct()
        .collect()
    )
    for row in objects:
        try:
            found = json.loads(row["object"])
        except ValueError:
            continue  # a flat-looking stretch of text that is not an object: not evidence
        person = found.get("id") if found.get("id") in people.ids else found.get("user_id")
        if person not in people.ids:
            continue
        findings.found_ids.add(person)
        if "is_bot" in found or found.get("type") == "private":
            findings.add_username(person, found.get("username"))
            findings.names |= display_names(found.get("first_name"), found.get("last_name"))


def quarantine_identity(lines: DataFrame | None, people: People, findings: Findings) -> None:
    """Which of the ids appear in quarantined lines (as numbers anywhere in the text)."""
    if lines is None:
        return
    found = (
        lines.select(
            F.explode(F.regexp_extract_all("value", F.lit(f"({id_regex(people.ids)})"), 1))
        )
        .distinct()
        .collect()
    )
    findings.found_ids |= {int(row[0]) for row in found}


def load_table(
    spark: SparkSession, fs: HadoopFs, curated_uri: str, spec: TableSpec
) -> DataFrame | None:
    """Every partition of a curated table (explicit schema), or None when it has none."""
    root = table_uri(curated_uri, spec.name)
    partitions = partition_uris(fs, root)
    if not partitions:
        return None
    return load_partitions(spark, root, partitions, spark_schema(spec))


def curated_identity(
    tables: dict[str, DataFrame], people: People, key_of: dict[int, int], findings: Findings
) -> None:
    """Which people appear in the curated tables (ids or pseudonyms, any id column), and
    their names where the tables keep names (plain mode). `key_of` maps every curated value
    of a person (id or pseudonym) to their id."""
    values = sorted(people.curated_ids)
    for name, rows in tables.items():
        columns = [*PERSON_ID_COLUMNS.get(name, ()), "chat_id"]
        present = [column for column in columns if column in rows.columns]
        found = (
            rows.select(F.explode(F.array(*[F.col(column) for column in present])).alias("value"))
            .where(F.col("value").isin(values))
            .distinct()
            .collect()
        )
        findings.found_ids |= {key_of[int(row["value"])] for row in found}
        name_columns = NAME_COLUMNS.get(name)
        if not name_columns:
            continue
        named = (
            rows.where(F.col("user_id").isin(values))
            .select("user_id", *name_columns)
            .distinct()
            .collect()
        )
        for row in named:
            person = key_of[int(row["user_id"])]
            findings.add_username(person, row["user_username"])
            findings.names |= display_names(
                row["user_first_name"], row.asDict().get("user_last_name")
            )


def username_tokens(texts: Iterable[DataFrame]) -> set[str]:
    """Every distinct username-like token of the texts (column `value`), lower case.

    Run only when the register holds username hashes that the usernames found so far do not
    explain (a rerun after a crash that already deleted the updates naming them): the
    driver hashes these tokens to recognise theirs. Bounded by the distinct usernames
    mentioned in the lake.
    """
    found: set[str] = set()
    for text in texts:
        rows = (
            text.select(
                F.explode(F.regexp_extract_all("value", F.lit(USERNAME_TOKEN_REGEX), 1)).alias(
                    "token"
                )
            )
            .select(F.lower("token").alias("token"))
            .distinct()
            .collect()
        )
        found |= {str(row["token"]) for row in rows}
    return found


def candidate_files(lines: DataFrame, people: People) -> list[str]:
    """The distinct files with a line that may hold a trace of them (a superset: the driver
    parses each and rewrites only what changes)."""
    rows = (
        lines.where(F.col("value").rlike(people.search_regex()))
        .select("source_file")
        .distinct()
        .collect()
    )
    return sorted(
        str(row["source_file"]) for row in rows if not is_hidden(_name(row["source_file"]))
    )


def _name(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]
