"""The `member_events` table: member changes out of flat updates, and their merge.

Reads and writes nothing. A member change comes from a `new_chat_members` /
`left_chat_member` service message or a `chat_member` update; rows are keyed by
(update_id, user_id, source) and are a pure function of their update.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.columns import membership_event
from glue_jobs.outcomes import KIND_MEMBER
from lake.tables import (
    EVENT_JOIN,
    EVENT_LEAVE,
    MEMBER_EVENTS,
    SOURCE_CHAT_MEMBER,
    SOURCE_LEFT_CHAT_MEMBER,
    SOURCE_NEW_CHAT_MEMBERS,
)
from lake.zones import PARTITION_COLUMN

MEMBER_EVENTS_COLUMNS: tuple[str, ...] = MEMBER_EVENTS.column_names()
MEMBER_CONTENT_COLUMNS: tuple[str, ...] = tuple(
    name for name in MEMBER_EVENTS_COLUMNS if name not in {*MEMBER_EVENTS.key, PARTITION_COLUMN}
)
MEMBER_MERGE_COUNT_COLUMNS: tuple[str, ...] = ("new_updates", "refolded_updates")


def _member_change(
    user: Column, event: Column, source: str, old_status: Column, new_status: Column
) -> Column:
    return F.struct(
        user["id"].alias("user_id"),
        event.alias("event"),
        F.lit(source).alias("source"),
        user["is_bot"].alias("user_is_bot"),
        user["first_name"].alias("user_first_name"),
        user["username"].alias("user_username"),
        old_status.alias("old_status"),
        new_status.alias("new_status"),
    )


def member_changes(message: Column, chat_member: Column) -> Column:
    """Array of member changes of a member service message or a chat_member update."""
    no_status = F.lit(None).cast("string")
    joined = F.transform(
        message["new_chat_members"],
        lambda user: _member_change(
            user, F.lit(EVENT_JOIN), SOURCE_NEW_CHAT_MEMBERS, no_status, no_status
        ),
    )
    left = _member_change(
        message["left_chat_member"],
        F.lit(EVENT_LEAVE),
        SOURCE_LEFT_CHAT_MEMBER,
        no_status,
        no_status,
    )
    old, new = chat_member["old_chat_member"], chat_member["new_chat_member"]
    changed = _member_change(
        new["user"], membership_event(old, new), SOURCE_CHAT_MEMBER, old["status"], new["status"]
    )
    return F.coalesce(
        F.when(F.size(message["new_chat_members"]) > 0, joined),
        F.when(message["left_chat_member"].isNotNull(), F.array(left)),
        F.when(chat_member.isNotNull(), F.array(changed)),
    )


def member_event_rows(updates: DataFrame) -> DataFrame:
    """Flat updates -> one member_events row per member change (duplicate lines kept).

    Besides the table's columns, `is_first_change` marks one row per update (the first
    change of its line), so that updates, not rows, can be counted after the merge.
    """
    change = F.col("change")
    return (
        updates.where(F.col("kind") == KIND_MEMBER)
        .select(
            "chat_id",
            "update_id",
            "event_at",
            F.posexplode("members").alias("position", "change"),
        )
        .select(
            "chat_id",
            change["user_id"].alias("user_id"),
            change["event"].alias("event"),
            F.col("event_at").alias("occurred_at"),
            change["source"].alias("source"),
            "update_id",
            change["user_is_bot"].alias("user_is_bot"),
            change["user_first_name"].alias("user_first_name"),
            change["user_username"].alias("user_username"),
            change["old_status"].alias("old_status"),
            change["new_status"].alias("new_status"),
            F.to_date("event_at").alias(PARTITION_COLUMN),
            (F.col("position") == 0).alias("is_first_change"),
        )
    )


def merge_member_events(existing: DataFrame, incoming: DataFrame) -> DataFrame:
    """Fold member_events rows into the rows the curated zone already has.

    existing: rows of `member_events` of the partitions the input touches.
    incoming: `member_event_rows` of this run (duplicate lines allowed).
    Rows are keyed by (update_id, user_id, source); a row is a pure function of its update,
    so the union deduplicates (the incoming copy wins, so a re-run refreshes rows). Returns
    the table's columns plus MEMBER_MERGE_COUNT_COLUMNS (0/1 per row; summed, they count
    the incoming updates that are new and those a previous run already folded in).
    """
    versions = existing.select(
        *MEMBER_EVENTS_COLUMNS,
        F.lit(0).alias("is_incoming"),
        F.lit(False).alias("is_first_change"),
    ).unionByName(
        incoming.select(*MEMBER_EVENTS_COLUMNS, F.lit(1).alias("is_incoming"), "is_first_change")
    )
    merged = versions.groupBy(PARTITION_COLUMN, *MEMBER_EVENTS.key).agg(
        F.max_by(F.struct(*MEMBER_CONTENT_COLUMNS), "is_incoming").alias("kept"),
        F.max("is_incoming").alias("has_incoming"),
        F.min("is_incoming").alias("only_incoming"),
        F.max("is_first_change").alias("is_first_change"),
    )
    first_incoming = F.col("is_first_change") & (F.col("has_incoming") == 1)
    return merged.select(
        *[
            F.col(name)
            if name in (*MEMBER_EVENTS.key, PARTITION_COLUMN)
            else F.col("kept")[name].alias(name)
            for name in MEMBER_EVENTS_COLUMNS
        ],
        (first_incoming & (F.col("only_incoming") == 1)).cast("int").alias("new_updates"),
        (first_incoming & (F.col("only_incoming") == 0)).cast("int").alias("refolded_updates"),
    )


def member_merge_metrics() -> list[Column]:
    """Aggregates over `merge_member_events` output, observed while it is written."""
    return [
        F.count(F.lit(1)).alias("rows"),
        *[F.sum(name).cast("bigint").alias(name) for name in MEMBER_MERGE_COUNT_COLUMNS],
    ]
