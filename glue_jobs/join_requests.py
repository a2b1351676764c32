"""The `join_requests` table: one row per `chat_join_request` update.

Reads and writes nothing. Whether a request was approved is the views' business (a later
join of the same person with `via_join_request`). Folded by `glue_jobs.keyed`.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.keyed import FIRST_OF_UPDATE
from glue_jobs.outcomes import KIND_JOIN_REQUEST
from lake.zones import PARTITION_COLUMN


def join_request_rows(updates: DataFrame) -> DataFrame:
    """Flat updates -> one join_requests row per chat_join_request line (duplicates kept)."""
    return updates.where(F.col("kind") == KIND_JOIN_REQUEST).select(
        "chat_id",
        "user_id",
        F.col("event_at").alias("requested_at"),
        "update_id",
        "invite_link",
        F.to_date("event_at").alias(PARTITION_COLUMN),
        F.lit(True).alias(FIRST_OF_UPDATE),
    )
