"""The curated tables without the people: rows removed, ids unlinked, mentions masked.

Reads every partition of each curated table (to find the affected `dt` days) and writes the
rewritten partitions of those days through the Glue job's crash-safe staging
(`glue_jobs.staging`: `_staging/{erasure_id}/{table}/dt=...`, then the manifest, then the
live partitions are replaced). Works in both privacy modes: a person's value in an id
column is their Telegram id (plain) or their keyed pseudonym (pseudonymous); both are
matched.

Per table (docs/privacy-erasure.md):
- removed: rows that are theirs (`OWNER_COLUMNS`: messages they sent, member events about
  them, reactions they gave, join requests they made) and every row of their private chat
  (a `chat_id` that is theirs);
- kept, unlinked: their id in another person's row (`reply_to_user_id`, `actor_user_id`,
  `forward_from_user_id`) becomes null; a forward of their message keeps its row but not
  their words: `text` "" (text messages) or null, length and word count 0, and
  `forward_origin_type` `hidden_user`: what the Glue job makes of the scrubbed raw update;
- masked: their id and mentions of their usernames in any text column (`@***`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from pyspark.sql import Column, DataFrame, Observation
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.columns import text_length, word_count
from glue_jobs.erasure.people import People
from glue_jobs.sinks import save_partitions
from glue_jobs.tables import CURATED_TABLES
from lake.privacy import CHAT_ID_COLUMNS, PERSON_ID_COLUMNS
from lake.tables import MESSAGES, TableSpec
from lake.zones import PARTITION_COLUMN

#: The column that makes a row a person's own: removing them removes the row.
OWNER_COLUMNS: dict[str, tuple[str, ...]] = {
    "messages": ("user_id",),
    "member_events": ("user_id",),
    "reactions": ("actor_user_id",),
    "join_requests": ("user_id",),
}
HIDDEN_USER_ORIGIN = "hidden_user"
TEXT_CONTENT_TYPE = "text"
REMOVED = "_erasure_removed"
SCRUBBED = "_erasure_scrubbed"


@dataclass(frozen=True)
class TableErasure:
    """The affected days of one table, with what was counted while they were rewritten."""

    table: str
    days: list[str]
    rows_removed: int
    rows_scrubbed: int


def _is_theirs(column: Column, ids: list[int]) -> Column:
    return F.coalesce(column.isin(ids), F.lit(False))


def _any(conditions: list[Column]) -> Column:
    return reduce(lambda left, right: left | right, conditions, F.lit(False))


def removed_rows(spec: TableSpec, ids: list[int]) -> Column:
    """The table's rows that are theirs, or of their private chat."""
    columns = [*OWNER_COLUMNS.get(spec.name, ()), *CHAT_ID_COLUMNS.get(spec.name, ())]
    return _any([_is_theirs(F.col(name), ids) for name in columns])


def _linked_columns(spec: TableSpec) -> list[str]:
    owners = OWNER_COLUMNS.get(spec.name, ())
    return [name for name in PERSON_ID_COLUMNS.get(spec.name, ()) if name not in owners]


def _text_columns(spec: TableSpec) -> list[str]:
    return [column.name for column in spec.columns if column.type == "string"]


def _masked(column: Column, people: People) -> Column:
    return reduce(
        lambda text, rule: F.regexp_replace(text, rule[0], rule[1]), people.mask_rules(), column
    )


def scrubbed_rows(spec: TableSpec, people: People) -> Column:
    """Rows that are not theirs but hold their id or a mention of them."""
    ids = sorted(people.curated_ids)
    links = [_is_theirs(F.col(name), ids) for name in _linked_columns(spec)]
    regex = people.token_regex()
    texts = [F.coalesce(F.col(name).rlike(regex), F.lit(False)) for name in _text_columns(spec)]
    return _any(links + texts)


def without_people(spec: TableSpec, people: People) -> Callable[[DataFrame], DataFrame]:
    """rows -> the same rows without theirs, unlinked and masked (same columns, same order)."""
    ids = sorted(people.curated_ids)

    def transform(rows: DataFrame) -> DataFrame:
        kept = rows.where(~removed_rows(spec, ids))
        replaced: dict[str, Column] = {
            name: F.when(~_is_theirs(F.col(name), ids), F.col(name))
            for name in _linked_columns(spec)
        }
        if spec.name == MESSAGES.name:
            replaced |= _unforwarded(ids)
        texts = _text_columns(spec)
        for name in texts:
            replaced[name] = _masked(replaced.get(name, F.col(name)), people)
        if spec.name == MESSAGES.name:
            # Masking keeps lengths; the forward rule above may empty a text.
            replaced["text_length"] = text_length(replaced["text"])
            replaced["word_count"] = word_count(replaced["text"])
        return kept.select(*[replaced.get(name, F.col(name)).alias(name) for name in rows.columns])

    return transform


def _unforwarded(ids: list[int]) -> dict[str, Column]:
    """A forward of their message: the forwarder's row stays, their words go."""
    forwarded_theirs = _is_theirs(F.col("forward_from_user_id"), ids)
    text = F.when(
        forwarded_theirs,
        F.when(F.col("content_type") == TEXT_CONTENT_TYPE, F.lit("")).otherwise(
            F.lit(None).cast("string")
        ),
    ).otherwise(F.col("text"))
    origin = F.when(forwarded_theirs, F.lit(HIDDEN_USER_ORIGIN)).otherwise(
        F.col("forward_origin_type")
    )
    return {"text": text, "forward_origin_type": origin}


def affected_days(rows: DataFrame, spec: TableSpec, people: People) -> list[str]:
    """The `dt` days of the table with a row to remove or scrub."""
    ids = sorted(people.curated_ids)
    days = (
        rows.where(removed_rows(spec, ids) | scrubbed_rows(spec, people))
        .select(PARTITION_COLUMN)
        .distinct()
        .collect()
    )
    return sorted(row[PARTITION_COLUMN].isoformat() for row in days)


def stage_table(
    rows: DataFrame, spec: TableSpec, people: People, *, staged_uri: str, target_file_bytes: int
) -> tuple[int, int]:
    """Write the rewritten rows of `rows` (the affected partitions) under `staged_uri`;
    returns (rows removed, rows scrubbed), counted while they are written."""
    ids = sorted(people.curated_ids)
    observation = Observation(f"erasure_{spec.name}")
    flagged = rows.observe(
        observation,
        F.sum(removed_rows(spec, ids).cast("long")).alias(REMOVED),
        F.sum((~removed_rows(spec, ids) & scrubbed_rows(spec, people)).cast("long")).alias(
            SCRUBBED
        ),
    )
    table = next(table for table in CURATED_TABLES if table.name == spec.name)
    save_partitions(
        flagged.transform(without_people(spec, people)),
        staged_uri,
        max_records_per_file=table.max_records_per_file(target_file_bytes),
        sort_by=spec.sort_by,
    )
    counted = observation.get
    return int(counted.get(REMOVED) or 0), int(counted.get(SCRUBBED) or 0)
