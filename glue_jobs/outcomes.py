"""The outcome of every raw line, and the per-outcome counts the run summary adds up (I1).

Reads and writes nothing. Every raw line gets exactly one `kind` (and a `detail`: the
quarantine reason, the ignored update type or `service:<field>`); the curated tables say
which kinds feed them (`glue_jobs.tables`).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

KIND_MESSAGE = "message"  # an original message: message, channel_post, business_message
KIND_EDIT = "edit"  # edited_message, edited_channel_post, edited_business_message
KIND_MEMBER = "member"  # new_chat_members / left_chat_member service message, chat_member
KIND_IGNORED = "ignored"  # any other update type, or another service message
KIND_QUARANTINED = "quarantined"
#: Kinds whose lines become rows of a curated table (the rest are counted only).
TABLE_KINDS: tuple[str, ...] = (KIND_MESSAGE, KIND_EDIT, KIND_MEMBER)

REASON_NOT_JSON = "not_json"
REASON_NOT_OBJECT = "not_object"
REASON_MISSING_UPDATE_ID = "missing_update_id"
REASON_MESSAGE_FIELDS = "message_missing_fields"
REASON_MEMBER_FIELDS = "member_missing_fields"

OUTCOME_COUNT_COLUMNS: tuple[str, ...] = ("kind", "detail", "dt", "lines", "updates")


def outcome(kind: str, detail: Column | None = None) -> Column:
    """The struct (kind, detail) of one classification rule."""
    return F.struct(
        F.lit(kind).alias("kind"),
        (detail if detail is not None else F.lit(None).cast("string")).alias("detail"),
    )


def outcome_counts(updates: DataFrame) -> DataFrame:
    """Lines and distinct update_ids per (kind, detail, dt); dt = target partition date.

    Small by construction (a few rows per touched day): the job collects it.
    """
    return (
        updates.withColumn("dt", F.when(F.col("kind").isin(*TABLE_KINDS), F.to_date("event_at")))
        .groupBy("kind", "detail", "dt")
        .agg(F.count(F.lit(1)).alias("lines"), F.count_distinct("update_id").alias("updates"))
        .select(*OUTCOME_COUNT_COLUMNS)
    )
