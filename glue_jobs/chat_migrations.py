"""The `chat_migrations` table: a group upgraded to a supergroup changes its chat id.

Reads and writes nothing. Telegram reports one migration twice: `migrate_to_chat_id` in the
old group and `migrate_from_chat_id` in the new supergroup. Both lines stay counted as
ignored service messages (`service:migrate_to_chat_id` / `service:migrate_from_chat_id`)
and both become the same row, keyed by (from_chat_id, to_chat_id): the earliest report
(by date, then update_id) is kept, so the fold is idempotent and order independent.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from lake.tables import CHAT_MIGRATIONS
from lake.telegram import MIGRATE_FROM_FIELD, MIGRATE_TO_FIELD
from lake.zones import PARTITION_COLUMN


def migration(message: Column) -> Column:
    """(from_chat_id, to_chat_id) of a migration service message."""
    chat_id = message["chat"]["id"]
    return F.struct(
        F.coalesce(message[MIGRATE_FROM_FIELD], chat_id).alias("from_chat_id"),
        F.coalesce(message[MIGRATE_TO_FIELD], chat_id).alias("to_chat_id"),
    )


def migration_rows(updates: DataFrame) -> DataFrame:
    """Flat updates -> one chat_migrations row per migration service line (duplicates kept)."""
    return updates.where(F.col("target") == CHAT_MIGRATIONS.name).select(
        F.col("migration")["from_chat_id"].alias("from_chat_id"),
        F.col("migration")["to_chat_id"].alias("to_chat_id"),
        F.col("event_at").alias("migrated_at"),
        "update_id",
        F.to_date("event_at").alias(PARTITION_COLUMN),
    )


def merge_migrations(existing: DataFrame, incoming: DataFrame) -> DataFrame:
    """Keep the earliest report of each migration (a min: idempotent, any order).

    Grouped by the key alone, not by day: the two reports can straddle midnight, and the
    row lives in the partition of the earliest one (the job reads and rewrites the
    neighbouring days, see `CuratedTable.neighbour_days`).
    """
    columns = CHAT_MIGRATIONS.column_names()
    versions = existing.select(*columns).unionByName(incoming.select(*columns))
    earliest = F.min(F.struct("migrated_at", "update_id"))
    merged = versions.groupBy(*CHAT_MIGRATIONS.key).agg(earliest.alias("earliest"))
    return merged.select(
        F.col("from_chat_id"),
        F.col("to_chat_id"),
        F.col("earliest")["migrated_at"].alias("migrated_at"),
        F.col("earliest")["update_id"].alias("update_id"),
        F.to_date(F.col("earliest")["migrated_at"]).alias(PARTITION_COLUMN),
    )


def migration_metrics() -> list[Column]:
    """Observed over `merge_migrations` output (its lines are counted as ignored)."""
    return [F.count(F.lit(1)).alias("rows")]
