"""The `messages` table: message versions out of flat updates, and their fold.

Reads and writes nothing. One row per (chat_id, message_id), the latest known version;
`sent_at` is the original date, `dt` its UTC date; edits are folded in by
(edit_date, update_id); the bookkeeping columns keep re-runs idempotent.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.columns import empty_ids
from glue_jobs.outcomes import KIND_EDIT, KIND_MESSAGE
from glue_jobs.schema import MESSAGES_SCHEMA
from lake.tables import IMPORTED_UPDATE_ID_MIN, MESSAGES, SOURCE_WEBHOOK
from lake.zones import PARTITION_COLUMN

# Version order of a message: the original ranks below every edit; an edit that lacks
# edit_date ranks below every dated edit.
ORIGINAL_EDIT_RANK = -1
UNDATED_EDIT_RANK = 0

MESSAGE_KEY: tuple[str, ...] = MESSAGES.key
#: Columns the merge computes itself (the rest come from the kept version).
#: Who sent the message, as the webhook reports it: a history import knows no usernames,
#: languages or bots, so these come from the latest webhook version whatever version wins.
SENDER_COLUMNS: tuple[str, ...] = (
    "user_is_bot",
    "user_first_name",
    "user_last_name",
    "user_username",
    "user_language_code",
    "sender_type",
)
FOLDED_COLUMNS: frozenset[str] = frozenset(
    {
        "sent_at",
        "edit_count",
        "edit_update_ids",
        "edit_dates",
        "original_update_id",
        "sender_update_id",
        *SENDER_COLUMNS,
        PARTITION_COLUMN,
    }
)
#: Columns of a message version that the kept version decides (keys and sent_at aside).
MESSAGE_CONTENT_COLUMNS: tuple[str, ...] = tuple(
    name for name in MESSAGES.column_names() if name not in {*MESSAGE_KEY, *FOLDED_COLUMNS}
)
#: Columns of a message version as `message_versions` gives them (after key and sent_at),
#: in the table's order.
VERSION_COLUMNS: tuple[str, ...] = tuple(
    name
    for name in MESSAGES.column_names()
    if name in MESSAGE_CONTENT_COLUMNS or name in SENDER_COLUMNS
)
MESSAGE_MERGE_COUNT_COLUMNS: tuple[str, ...] = (
    "new_originals",
    "new_edits",
    "refolded_updates",
    "incoming_lines",
)


def message_versions(updates: DataFrame) -> DataFrame:
    """Flat updates -> one message version per message/edit line (duplicates kept)."""
    return updates.where(F.col("kind").isin(KIND_MESSAGE, KIND_EDIT)).select(
        *MESSAGE_KEY,
        F.col("event_at").alias("sent_at"),
        *VERSION_COLUMNS,
        "is_edit",
        "is_counted_edit",
        F.to_date("event_at").alias(PARTITION_COLUMN),
    )


def _edit_rank(is_edit: Column) -> Column:
    return (
        F.when(is_edit, F.coalesce(F.unix_seconds("edited_at"), F.lit(UNDATED_EDIT_RANK)))
        .otherwise(F.lit(ORIGINAL_EDIT_RANK))
        .cast("bigint")
    )


def _source_rank() -> Column:
    """On equal edit rank a webhook version outranks an imported one."""
    return (F.col("source") == SOURCE_WEBHOOK).cast("int")


def _sender(sender_update_id: Column) -> Column:
    """The sender columns of a version, ranked: webhook before imported, then latest."""
    return F.struct(
        (sender_update_id < F.lit(IMPORTED_UPDATE_ID_MIN)).alias("is_webhook"),
        sender_update_id.alias("update_id"),
        *[F.col(name).alias(name) for name in SENDER_COLUMNS],
    )


def _incoming_message_versions(incoming: DataFrame) -> DataFrame:
    is_edit = F.col("is_edit")
    # Imported history never adds to edit_count: its edit dates are not counted.
    counted = F.col("is_counted_edit") & (F.col("source") == SOURCE_WEBHOOK)
    return incoming.select(
        *MESSAGE_KEY,
        "sent_at",
        *MESSAGE_CONTENT_COLUMNS,
        _sender(F.col("update_id")).alias("sender"),
        F.when(is_edit, F.array("update_id")).otherwise(empty_ids()).alias("edit_ids"),
        F.when(counted, F.array(F.unix_seconds("edited_at")))
        .otherwise(empty_ids())
        .alias("edit_dates"),
        F.when(~is_edit, F.col("update_id")).alias("original_id"),
        _edit_rank(is_edit).alias("edit_rank"),
        _source_rank().alias("source_rank"),
        F.lit(1).alias("is_incoming"),
        PARTITION_COLUMN,
    )


def _existing_message_versions(existing: DataFrame) -> DataFrame:
    edit_ids = F.coalesce(F.col("edit_update_ids"), empty_ids())
    kept_is_edit = F.array_contains(edit_ids, F.col("update_id"))
    return existing.select(
        *MESSAGE_KEY,
        "sent_at",
        *MESSAGE_CONTENT_COLUMNS,
        _sender(F.coalesce(F.col("sender_update_id"), F.col("update_id"))).alias("sender"),
        edit_ids.alias("edit_ids"),
        F.coalesce(F.col("edit_dates"), empty_ids()).alias("edit_dates"),
        F.col("original_update_id").alias("original_id"),
        _edit_rank(kept_is_edit).alias("edit_rank"),
        _source_rank().alias("source_rank"),
        F.lit(0).alias("is_incoming"),
        PARTITION_COLUMN,
    )


def merge_messages(existing: DataFrame, incoming: DataFrame) -> DataFrame:
    """Fold message versions into the rows the curated zone already has.

    existing: rows of `messages` (MESSAGES_SCHEMA) of the partitions the input touches.
    incoming: `message_versions` of this run (duplicate lines allowed).
    Returns one row per (chat_id, message_id) in MESSAGES_SCHEMA column order, plus
    MESSAGE_MERGE_COUNT_COLUMNS (what the incoming lines contributed, for the run summary).

    Every part of a row is a join-semilattice of its versions: the kept version is the max
    of (edit rank, source rank, update_id) (an original ranks below every edit, edits by
    edit_date, a webhook version above an imported one of the same rank),
    `edit_update_ids` and `edit_dates` set unions (edit_count = the distinct edit dates of
    counted edits: not live-location moves, not imported ones), `original_update_id` a
    max, `sent_at` a min, and the sender columns those of the max of (is webhook,
    update_id) (`sender_update_id`: imported history never overwrites what the webhook
    said about a sender). Folding is therefore idempotent, commutative and associative: re-runs,
    arrival order and day-by-day vs one-shot runs all give the same rows (I2-I4). On a tie
    (the same update folded again) the incoming version wins, so a re-run refreshes rows.
    """
    incoming_flag = F.col("is_incoming") == 1
    existing_flag = F.col("is_incoming") == 0
    versions = _existing_message_versions(existing).unionByName(
        _incoming_message_versions(incoming)
    )
    # One window sorted newest version first: its first row is the kept version, and the
    # aggregates over the whole window fold the bookkeeping.
    newest_first = Window.partitionBy(PARTITION_COLUMN, *MESSAGE_KEY).orderBy(
        F.desc("edit_rank"), F.desc("source_rank"), F.desc("update_id"), F.desc("is_incoming")
    )
    every_version = newest_first.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
    folded = {
        "version_rank": F.row_number().over(newest_first),
        "first_sent_at": F.min("sent_at").over(every_version),
        "all_edit_ids": F.array_sort(
            F.array_distinct(F.flatten(F.collect_list("edit_ids").over(every_version)))
        ),
        "all_edit_dates": F.array_sort(
            F.array_distinct(F.flatten(F.collect_list("edit_dates").over(every_version)))
        ),
        "max_original_id": F.max("original_id").over(every_version),
        # Structs compare field by field: (is_webhook, update_id) decides.
        "best_sender": F.max("sender").over(every_version),
        "in_originals": F.array_distinct(
            F.collect_list(F.when(incoming_flag, F.col("original_id"))).over(every_version)
        ),
        "in_edits": F.array_distinct(
            F.flatten(F.collect_list(F.when(incoming_flag, F.col("edit_ids"))).over(every_version))
        ),
        "old_originals": F.collect_list(F.when(existing_flag, F.col("original_id"))).over(
            every_version
        ),
        "old_edits": F.flatten(
            F.collect_list(F.when(existing_flag, F.col("edit_ids"))).over(every_version)
        ),
        "incoming_lines": F.sum("is_incoming").over(every_version),
    }
    # Shuffled by (dt, chat_id, message_id), not by day alone: a big day's versions spread
    # over every core (or Glue worker) instead of one task folding the whole day.
    merged = versions.select("*", *[column.alias(name) for name, column in folded.items()]).where(
        F.col("version_rank") == 1
    )
    # A new row: the message had no original before and gets one now. Another original of a
    # message already counted (the history import's copy of what the webhook delivered, or
    # the reverse) adds no row: it is counted with the updates folded in again.
    new_originals = F.when(
        (F.size("old_originals") == 0)
        & (F.size(F.array_except("in_originals", "old_originals")) > 0),
        F.lit(1),
    ).otherwise(F.lit(0))
    new_edits = F.size(F.array_except("in_edits", "old_edits"))
    incoming_updates = F.size("in_originals") + F.size("in_edits")
    columns = {
        **{name: F.col(name) for name in (*MESSAGE_KEY, *MESSAGE_CONTENT_COLUMNS)},
        "sent_at": F.col("first_sent_at"),
        "original_update_id": F.col("max_original_id"),
        "edit_update_ids": F.col("all_edit_ids"),
        "edit_dates": F.col("all_edit_dates"),
        "edit_count": F.size("all_edit_dates"),
        "sender_update_id": F.col("best_sender")["update_id"],
        **{name: F.col("best_sender")[name] for name in SENDER_COLUMNS},
        PARTITION_COLUMN: F.col(PARTITION_COLUMN),
    }
    return merged.select(
        *[columns[field.name].cast(field.dataType).alias(field.name) for field in MESSAGES_SCHEMA],
        new_originals.alias("new_originals"),
        new_edits.alias("new_edits"),
        (incoming_updates - new_originals - new_edits).alias("refolded_updates"),
        F.col("incoming_lines").cast("bigint").alias("incoming_lines"),
    )


def message_merge_metrics() -> list[Column]:
    """Aggregates over `merge_messages` output, observed while it is written (no extra pass)."""
    return [
        F.count(F.lit(1)).alias("rows"),
        *[F.sum(name).cast("bigint").alias(name) for name in MESSAGE_MERGE_COUNT_COLUMNS],
    ]
