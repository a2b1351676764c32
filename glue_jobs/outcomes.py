"""The outcome of every raw line, and the per-outcome counts the run summary adds up (I1).

Reads and writes nothing. Every raw line gets exactly one `kind`, a `detail` (the
quarantine reason, the ignored update type, `service:<field>` or `message_without_id`) and
a `target`: the curated table it feeds, if any (`glue_jobs.tables`).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from lake.zones import RAW_OBJECT_SUFFIX

KIND_MESSAGE = "message"  # an original message: message, channel_post, business_message
KIND_EDIT = "edit"  # edited_message, edited_channel_post, edited_business_message
KIND_MEMBER = "member"  # new_chat_members / left_chat_member service message, chat_member
KIND_REACTION = "reaction"  # message_reaction, message_reaction_count
KIND_JOIN_REQUEST = "join_request"  # chat_join_request
KIND_IGNORED = "ignored"  # any other update type, a service message, a message without id
KIND_FORGOTTEN = "forgotten"  # an update about a person who asked to be forgotten
KIND_QUARANTINED = "quarantined"

REASON_NOT_JSON = "not_json"
REASON_NOT_OBJECT = "not_object"
REASON_MISSING_UPDATE_ID = "missing_update_id"
REASON_UPDATE_ID_NOT_INTEGER = "update_id_not_integer"
REASON_UPDATE_ID_OUT_OF_RANGE = "update_id_out_of_range"
#: The update_id is fine but another field has a type the contract does not take (say a
#: `chat` that is a string): Spark cannot parse the update at all.
REASON_UNEXPECTED_SHAPE = "unexpected_shape"
REASON_SEVERAL_DOCUMENTS = "several_documents"
REASON_MESSAGE_FIELDS = "message_missing_fields"
REASON_SENDER_CHAT_ID = "sender_chat_missing_id"
REASON_MEMBER_FIELDS = "member_missing_fields"
REASON_REACTION_FIELDS = "reaction_missing_fields"
REASON_JOIN_REQUEST_FIELDS = "join_request_missing_fields"

#: Ignored: a message whose message_id is not a positive integer (it cannot be keyed).
DETAIL_MESSAGE_WITHOUT_ID = "message_without_id"

#: Kinds whose lines feed a curated table (the others are only counted).
TABLE_KINDS: tuple[str, ...] = (
    KIND_MESSAGE,
    KIND_EDIT,
    KIND_MEMBER,
    KIND_REACTION,
    KIND_JOIN_REQUEST,
)

#: Reasons for a raw file that yields no line at all (quarantined as one line each).
REASON_EMPTY_FILE = "empty_file"
REASON_CORRUPT_FILE = "corrupt_file"

#: The levels of `outcome_counts`: per table partition, per outcome over the whole run, per
#: arrival day.
LEVEL_PARTITION = "partition"
LEVEL_OUTCOME = "outcome"
LEVEL_ARRIVAL_DAY = "arrival_day"
OUTCOME_COUNT_COLUMNS: tuple[str, ...] = (
    "level",
    "kind",
    "detail",
    "target",
    "dt",
    "lines",
    "updates",
)


def outcome(kind: str, detail: Column | None = None, *, target: str | None = None) -> Column:
    """The struct (kind, detail, target) of one classification rule."""
    return F.struct(
        F.lit(kind).alias("kind"),
        (detail if detail is not None else F.lit(None).cast("string")).alias("detail"),
        F.lit(target).cast("string").alias("target"),
    )


def outcome_counts(updates: DataFrame) -> DataFrame:
    """The run's counts, at three levels (small by construction: the job collects it).

    - LEVEL_PARTITION: lines per (kind, detail, target, dt), dt = the event's date for lines
      that feed a table (the partitions they touch), else null;
    - LEVEL_OUTCOME: lines and distinct update_ids per (kind, detail) over the whole run
      (lines - updates = the updates repeated within the run);
    - LEVEL_ARRIVAL_DAY: per arrival day (in `dt`), the lines read from `*.json` files, one
      per file (`lines`), to find files Spark could not read.
    """
    one = F.lit(1)
    partitions = (
        updates.withColumn("dt", F.when(F.col("target").isNotNull(), F.to_date("event_at")))
        .groupBy("kind", "detail", "target", "dt")
        .agg(F.count(one).alias("lines"), F.lit(None).cast("bigint").alias("updates"))
        .select(F.lit(LEVEL_PARTITION).alias("level"), *OUTCOME_COUNT_COLUMNS[1:])
    )
    outcomes = (
        updates.groupBy("kind", "detail")
        .agg(F.count(one).alias("lines"), F.count_distinct("update_id").alias("updates"))
        .select(
            F.lit(LEVEL_OUTCOME).alias("level"),
            "kind",
            "detail",
            F.lit(None).cast("string").alias("target"),
            F.lit(None).cast("date").alias("dt"),
            "lines",
            "updates",
        )
    )
    days = (
        updates.where(F.col("source_file").endswith(RAW_OBJECT_SUFFIX))
        .groupBy("arrival_dt")
        .agg(F.count(one).alias("lines"))
        .select(
            F.lit(LEVEL_ARRIVAL_DAY).alias("level"),
            F.lit(None).cast("string").alias("kind"),
            F.lit(None).cast("string").alias("detail"),
            F.lit(None).cast("string").alias("target"),
            F.col("arrival_dt").alias("dt"),
            "lines",
            F.lit(None).cast("bigint").alias("updates"),
        )
    )
    return partitions.unionByName(outcomes).unionByName(days)
