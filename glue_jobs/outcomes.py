"""The outcome of every raw line, and the per-outcome counts the run summary adds up (I1).

Reads and writes nothing. Every raw line gets exactly one `kind`, a `detail` (the
quarantine reason, the ignored update type, `service:<field>` or `message_without_id`) and
a `target`: the curated table it feeds, if any (`glue_jobs.tables`).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

KIND_MESSAGE = "message"  # an original message: message, channel_post, business_message
KIND_EDIT = "edit"  # edited_message, edited_channel_post, edited_business_message
KIND_MEMBER = "member"  # new_chat_members / left_chat_member service message, chat_member
KIND_REACTION = "reaction"  # message_reaction, message_reaction_count
KIND_JOIN_REQUEST = "join_request"  # chat_join_request
KIND_IGNORED = "ignored"  # any other update type, a service message, a message without id
KIND_QUARANTINED = "quarantined"

REASON_NOT_JSON = "not_json"
REASON_NOT_OBJECT = "not_object"
REASON_MISSING_UPDATE_ID = "missing_update_id"
REASON_MESSAGE_FIELDS = "message_missing_fields"
REASON_SENDER_CHAT_ID = "sender_chat_missing_id"
REASON_MEMBER_FIELDS = "member_missing_fields"
REASON_REACTION_FIELDS = "reaction_missing_fields"
REASON_JOIN_REQUEST_FIELDS = "join_request_missing_fields"

#: Ignored: a message whose message_id is not a positive integer (it cannot be keyed).
DETAIL_MESSAGE_WITHOUT_ID = "message_without_id"

OUTCOME_COUNT_COLUMNS: tuple[str, ...] = ("kind", "detail", "target", "dt", "lines", "updates")


def outcome(kind: str, detail: Column | None = None, *, target: str | None = None) -> Column:
    """The struct (kind, detail, target) of one classification rule."""
    return F.struct(
        F.lit(kind).alias("kind"),
        (detail if detail is not None else F.lit(None).cast("string")).alias("detail"),
        F.lit(target).cast("string").alias("target"),
    )


def outcome_counts(updates: DataFrame) -> DataFrame:
    """Lines and distinct update_ids per (kind, detail, target, dt).

    dt is the date of the event for lines that feed a table (the partition they touch),
    null otherwise. Small by construction (a few rows per touched day): the job collects it.
    """
    return (
        updates.withColumn("dt", F.when(F.col("target").isNotNull(), F.to_date("event_at")))
        .groupBy("kind", "detail", "target", "dt")
        .agg(F.count(F.lit(1)).alias("lines"), F.count_distinct("update_id").alias("updates"))
        .select(*OUTCOME_COUNT_COLUMNS)
    )
