"""The `reactions` table: reaction updates, one row per reaction they name.

Reads and writes nothing. A `message_reaction` update (a person's, or an anonymous admin's
or channel's `actor_chat`) becomes one row per reaction in `old_reaction` or
`new_reaction`, with `was_set` / `is_set`; the actor's current reactions on a message are
the `is_set` rows of their latest update by (reacted_at, update_id). A
`message_reaction_count` update becomes one row per reaction with its `total_count`. An
update that names no reaction (all removed, or no totals left) keeps one row with a null
reaction, so that it still replaces the earlier state. Rows are a pure function of their
update: folded by `glue_jobs.keyed`, in any order.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.columns import reaction_key
from glue_jobs.keyed import FIRST_OF_UPDATE
from glue_jobs.outcomes import KIND_REACTION
from lake.zones import PARTITION_COLUMN


def _change(key: Column, was_set: Column, is_set: Column, total_count: Column) -> Column:
    return F.struct(
        key["reaction_type"].alias("reaction_type"),
        key["reaction"].alias("reaction"),
        was_set.alias("was_set"),
        is_set.alias("is_set"),
        total_count.cast("int").alias("total_count"),
    )


def _nothing() -> Column:
    """One row of nulls: the update named no reaction (all removed, or no totals left)."""
    return F.array(
        _change(
            F.struct(
                F.lit(None).cast("string").alias("reaction_type"),
                F.lit(None).cast("string").alias("reaction"),
            ),
            F.lit(None).cast("boolean"),
            F.lit(None).cast("boolean"),
            F.lit(None).cast("int"),
        )
    )


def reaction_changes(reaction: Column, reaction_count: Column) -> Column:
    """Array of (reaction_type, reaction, was_set, is_set, total_count) of one update."""
    old = F.transform(F.coalesce(reaction["old_reaction"], F.array()), reaction_key)
    new = F.transform(F.coalesce(reaction["new_reaction"], F.array()), reaction_key)
    named = F.array_distinct(F.concat(old, new))
    personal = F.transform(
        named,
        lambda key: _change(
            key, F.array_contains(old, key), F.array_contains(new, key), F.lit(None)
        ),
    )
    totals = F.transform(
        F.coalesce(reaction_count["reactions"], F.array()),
        lambda counted: _change(
            reaction_key(counted["type"]),
            F.lit(None).cast("boolean"),
            F.lit(None).cast("boolean"),
            counted["total_count"],
        ),
    )
    changes = F.when(reaction.isNotNull(), personal).otherwise(totals)
    return F.when(F.size(changes) > 0, changes).otherwise(_nothing())


def reaction_rows(updates: DataFrame) -> DataFrame:
    """Flat updates -> one reactions row per reaction an update names (duplicates kept)."""
    change = F.col("change")
    return (
        updates.where(F.col("kind") == KIND_REACTION)
        .select(
            "chat_id",
            "message_id",
            "update_id",
            "event_at",
            "update_type",
            "actor_user_id",
            "actor_chat_id",
            F.posexplode("reactions").alias("position", "change"),
        )
        .select(
            "chat_id",
            "message_id",
            "update_id",
            F.col("event_at").alias("reacted_at"),
            "update_type",
            "actor_user_id",
            "actor_chat_id",
            change["reaction_type"].alias("reaction_type"),
            change["reaction"].alias("reaction"),
            change["was_set"].alias("was_set"),
            change["is_set"].alias("is_set"),
            change["total_count"].alias("total_count"),
            F.to_date("event_at").alias(PARTITION_COLUMN),
            (F.col("position") == 0).alias(FIRST_OF_UPDATE),
        )
    )
