"""Pure PySpark transforms of the Glue job: raw lines in, curated rows and counts out.

Reads and writes nothing: every public function takes DataFrames (and plain values) and
returns a DataFrame, so each step can be tested with small hand-built frames and chained
with `.transform(...)`. Column logic lives in small `Column -> Column` helpers. Native
Spark functions only (no Python UDFs): everything runs in the JVM on Glue workers.

The flow (see `glue_jobs.job.run`):

    raw lines -> parse_updates -> with_update_type -> classify_updates -> flatten_updates
        (one row per raw line: its outcome `kind` and every field the tables need)
    -> message_versions  -> merge_messages(existing rows of the touched partitions)
    -> member_event_rows -> merge_member_events(existing rows of the touched partitions)
    -> quarantine_records, outcome_counts, message_merge_metrics, member_merge_metrics
"""

from __future__ import annotations

from functools import reduce

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.schema import (
    CHANNEL_UPDATE_TYPES,
    CHAT_MEMBER_UPDATE_TYPE,
    CONTENT_FIELDS,
    EDITED_MESSAGE_TYPES,
    EMPTY_UPDATE_TYPE,
    IN_CHAT_STATUSES,
    MEMBER_EVENT_KEY,
    MEMBER_EVENTS_COLUMNS,
    MESSAGE_KEY,
    MESSAGE_UPDATE_TYPES,
    MESSAGES_COLUMNS,
    MESSAGES_SCHEMA,
    OTHER_CONTENT_TYPE,
    OUT_OF_CHAT_STATUSES,
    PARTITION_COLUMN,
    RESTRICTED_STATUS,
    SERVICE_FIELDS,
    SERVICE_PREFIX,
    UPDATE_SCHEMA,
)

# --- outcome of a raw line ----------------------------------------------------------------

KIND_MESSAGE = "message"  # an original message: message, channel_post, business_message
KIND_EDIT = "edit"  # edited_message, edited_channel_post, edited_business_message
KIND_MEMBER = "member"  # new_chat_members / left_chat_member service message, chat_member
KIND_IGNORED = "ignored"  # any other update type, or another service message
KIND_QUARANTINED = "quarantined"

REASON_NOT_JSON = "not_json"
REASON_NOT_OBJECT = "not_object"
REASON_MISSING_UPDATE_ID = "missing_update_id"
REASON_MESSAGE_FIELDS = "message_missing_fields"
REASON_MEMBER_FIELDS = "member_missing_fields"

EVENT_JOIN = "join"
EVENT_LEAVE = "leave"
EVENT_OTHER = "other"
SOURCE_NEW_CHAT_MEMBERS = "new_chat_members"
SOURCE_LEFT_CHAT_MEMBER = "left_chat_member"
SOURCE_CHAT_MEMBER = "chat_member"

#: Arrival date of a raw file, from its `dt=YYYY-MM-DD` folder.
ARRIVAL_DT_PATTERN = r"dt=(\d{4}-\d{2}-\d{2})"
#: Words are runs of non-whitespace; (?U) makes \S Unicode-aware (no-break spaces etc.).
WORD_PATTERN = r"(?U)\S+"
#: A NDJSON line holding only whitespace is no record (the NDJSON convention).
BLANK_LINE_PATTERN = r"^\s*$"

# Version order of a message: the original ranks below every edit; an edit that lacks
# edit_date ranks below every dated edit.
ORIGINAL_EDIT_RANK = -1
UNDATED_EDIT_RANK = 0

# Columns of a message version that the kept version decides (keys and sent_at aside).
MESSAGE_CONTENT_COLUMNS: tuple[str, ...] = tuple(
    name
    for name in MESSAGES_COLUMNS
    if name
    not in {
        *MESSAGE_KEY,
        "sent_at",
        "edit_count",
        "edit_update_ids",
        "original_update_id",
        PARTITION_COLUMN,
    }
)
MEMBER_CONTENT_COLUMNS: tuple[str, ...] = tuple(
    name for name in MEMBER_EVENTS_COLUMNS if name not in {*MEMBER_EVENT_KEY, PARTITION_COLUMN}
)
MESSAGE_MERGE_COUNT_COLUMNS: tuple[str, ...] = (
    "new_originals",
    "new_edits",
    "refolded_updates",
    "incoming_lines",
)
MEMBER_MERGE_COUNT_COLUMNS: tuple[str, ...] = ("new_updates", "refolded_updates")
OUTCOME_COUNT_COLUMNS: tuple[str, ...] = ("kind", "detail", "dt", "lines", "updates")


def _empty_ids() -> Column:
    return F.array().cast("array<bigint>")


# --- column helpers -----------------------------------------------------------------------


def arrival_date(source_file: Column) -> Column:
    """UTC arrival date of a raw file, from its `dt=` folder (null when there is none)."""
    return F.to_date(F.nullif(F.regexp_extract(source_file, ARRIVAL_DT_PATTERN, 1), F.lit("")))


def first_present(struct: str, fields: tuple[str, ...], prefix: str = "") -> Column:
    """Name (with prefix) of the first of `fields` present in the struct column `struct`.

    Built as one SQL expression that the JVM parses: the same CASE assembled from Column
    calls costs about five Py4J round trips per field, which adds up to seconds per run.
    """
    cases = " ".join(
        f"WHEN `{struct}`.`{field}` IS NOT NULL THEN '{prefix}{field}'" for field in fields
    )
    return F.expr(f"CASE {cases} END")


def content_type(message: str) -> Column:
    """The contract's content_type of the Message struct column `message`.

    The first present field of CONTENT_FIELDS names it; none present: `other`.
    """
    return F.coalesce(first_present(message, CONTENT_FIELDS), F.lit(OTHER_CONTENT_TYPE))


def word_count(text: Column) -> Column:
    """Whitespace-separated words in text; 0 when text is null."""
    return F.coalesce(F.regexp_count(text, F.lit(WORD_PATTERN)), F.lit(0))


def text_length(text: Column) -> Column:
    """Characters (Unicode code points) in text; 0 when text is null."""
    return F.coalesce(F.length(text), F.lit(0))


def forward_origin_type(message: Column) -> Column:
    """`forward_origin.type`; for legacy forwards, the type the legacy fields imply."""
    legacy_chat = message["forward_from_chat"]
    return F.coalesce(
        message["forward_origin"]["type"],
        F.when(
            legacy_chat.isNotNull(),
            F.when(legacy_chat["type"] == "channel", F.lit("channel")).otherwise(F.lit("chat")),
        ),
        F.when(message["forward_from"].isNotNull(), F.lit("user")),
        F.when(message["forward_sender_name"].isNotNull(), F.lit("hidden_user")),
    )


def reply_to_message_id(message: Column) -> Column:
    """The replied-to message id, or null when the message is not a reply.

    In a forum topic Telegram sets `reply_to_message` on every message to the topic's first
    (service) message, whose id is the `message_thread_id`: that is membership of the topic,
    not a reply. Outside forums (`is_topic_message` absent) a reply to a thread's root keeps
    its id.
    """
    replied_to = message["reply_to_message"]["message_id"]
    topic_root = F.coalesce(message["is_topic_message"], F.lit(False)) & replied_to.eqNullSafe(
        message["message_thread_id"]
    )
    return F.when(~topic_root, replied_to)


def is_forwarded(message: Column) -> Column:
    return message["forward_origin"].isNotNull() | message["forward_date"].isNotNull()


def is_in_chat(member: Column) -> Column:
    """ChatMember counts as a member: creator/administrator/member, or restricted+is_member."""
    restricted_member = (member["status"] == RESTRICTED_STATUS) & F.coalesce(
        member["is_member"], F.lit(False)
    )
    return F.coalesce(member["status"].isin(*IN_CHAT_STATUSES) | restricted_member, F.lit(False))


def is_out_of_chat(member: Column) -> Column:
    """ChatMember is outside the chat: left/kicked, or restricted without is_member."""
    restricted_outsider = (member["status"] == RESTRICTED_STATUS) & ~F.coalesce(
        member["is_member"], F.lit(False)
    )
    return F.coalesce(
        member["status"].isin(*OUT_OF_CHAT_STATUSES) | restricted_outsider, F.lit(False)
    )


def membership_event(old_member: Column, new_member: Column) -> Column:
    """join (out -> in), leave (in -> out), else other (promotions, restrictions, ...)."""
    return (
        F.when(is_out_of_chat(old_member) & is_in_chat(new_member), F.lit(EVENT_JOIN))
        .when(is_in_chat(old_member) & is_out_of_chat(new_member), F.lit(EVENT_LEAVE))
        .otherwise(F.lit(EVENT_OTHER))
    )


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


def _not_parsed_reason(value: Column, object_keys: Column) -> Column:
    """Why a line without a usable update_id is quarantined."""
    return (
        F.when(object_keys.isNotNull(), F.lit(REASON_MISSING_UPDATE_ID))
        .when(F.get_json_object(value, "$").isNotNull(), F.lit(REASON_NOT_OBJECT))
        .otherwise(F.lit(REASON_NOT_JSON))
    )


def _outcome(kind: str, detail: Column | None = None) -> Column:
    return F.struct(
        F.lit(kind).alias("kind"),
        (detail if detail is not None else F.lit(None).cast("string")).alias("detail"),
    )


# --- line -> update -----------------------------------------------------------------------


def without_blank_lines(lines: DataFrame) -> DataFrame:
    """Drop whitespace-only NDJSON lines (they hold no record)."""
    return lines.where(~F.col("value").rlike(BLANK_LINE_PATTERN))


def parse_updates(lines: DataFrame) -> DataFrame:
    """(source_file, value) -> + arrival_dt, update (the Update struct, explicit schema).

    The parsed struct comes out of a one-row `explode`: an optimizer barrier. Without it,
    Spark pushes any later filter on a derived column (say `kind = 'edit'`) below this
    projection and inlines the parse into the filter once per field reference: hundreds of
    parses per line (measured 92 s instead of 6 s on 200k lines).
    """
    return lines.select(
        "source_file",
        "value",
        arrival_date(F.col("source_file")).alias("arrival_dt"),
        F.explode(F.array(F.from_json("value", UPDATE_SCHEMA))).alias("update"),
    )


def with_update_type(updates: DataFrame) -> DataFrame:
    """Add `update_type` (the Update's payload field), `message` (its Message, if any) and
    `object_keys` (the top-level keys, read only for lines whose type is not a known one).

    Known types are recognised from the parsed struct; any other type (callback_query,
    message_reaction, poll, types Telegram adds later, ...) from the object's keys.
    """
    update = F.col("update")
    known_type = F.coalesce(
        *[
            F.when(update[name].isNotNull(), F.lit(name))
            for name in (*MESSAGE_UPDATE_TYPES, CHAT_MEMBER_UPDATE_TYPE)
        ]
    )
    # Guarded so that the keys are read only when needed: an unguarded json_object_keys
    # used twice gets hoisted by subexpression elimination and runs on every line (~35%
    # more parse CPU, measured).
    object_keys = F.when(
        update["update_id"].isNull() | known_type.isNull(), F.json_object_keys("value")
    )
    other_keys = F.filter(F.col("object_keys"), lambda key: key != "update_id")
    update_type = F.when(
        update["update_id"].isNotNull(),
        F.coalesce(known_type, F.get(other_keys, 0), F.lit(EMPTY_UPDATE_TYPE)),
    )
    message = F.coalesce(*[update[name] for name in MESSAGE_UPDATE_TYPES])
    return updates.select("*", object_keys.alias("object_keys")).select(
        *updates.columns,
        update_type.alias("update_type"),
        message.alias("message"),
        "object_keys",
    )


def classify_updates(updates: DataFrame) -> DataFrame:
    """Add the outcome of every line: `kind` and `detail` (quarantine reason / ignored key).

    Rules in order (first match wins):
      no integer update_id                       -> quarantined (not_json / not_object /
                                                    missing_update_id)
      message-type update lacking chat.id, message_id or date
                                                 -> quarantined (message_missing_fields)
      new_chat_members / left_chat_member        -> member (or quarantined if a user lacks id)
      any other service message                  -> ignored, detail `service:<field>`
      edited_*                                   -> edit
      message / channel_post / business_message  -> message
      chat_member lacking chat.id, date, user.id or statuses
                                                 -> quarantined (member_missing_fields)
      chat_member                                -> member
      anything else                              -> ignored, detail = update type
    """
    update_type = F.col("update_type")
    message = F.col("message")
    chat_member = F.col("update")[CHAT_MEMBER_UPDATE_TYPE]
    is_message_type = update_type.isin(*MESSAGE_UPDATE_TYPES)
    message_complete = F.coalesce(
        message["chat"]["id"].isNotNull()
        & message["message_id"].isNotNull()
        & message["date"].isNotNull(),
        F.lit(False),
    )
    new_members = message["new_chat_members"]
    left_member = message["left_chat_member"]
    is_member_service = ~update_type.isin(*EDITED_MESSAGE_TYPES) & (
        (F.coalesce(F.size(new_members), F.lit(0)) > 0) | left_member.isNotNull()
    )
    members_complete = ~F.coalesce(
        F.exists(new_members, lambda user: user["id"].isNull()), F.lit(False)
    ) & (left_member.isNull() | left_member["id"].isNotNull())
    service_field = first_present("message", SERVICE_FIELDS, SERVICE_PREFIX)
    chat_member_complete = F.coalesce(
        chat_member["chat"]["id"].isNotNull()
        & chat_member["date"].isNotNull()
        & chat_member["new_chat_member"]["user"]["id"].isNotNull()
        & chat_member["old_chat_member"]["status"].isNotNull()
        & chat_member["new_chat_member"]["status"].isNotNull(),
        F.lit(False),
    )
    is_chat_member = update_type == CHAT_MEMBER_UPDATE_TYPE
    rules: list[tuple[Column, Column]] = [
        (
            F.col("update")["update_id"].isNull(),
            _outcome(KIND_QUARANTINED, _not_parsed_reason(F.col("value"), F.col("object_keys"))),
        ),
        (
            is_message_type & ~message_complete,
            _outcome(KIND_QUARANTINED, F.lit(REASON_MESSAGE_FIELDS)),
        ),
        (
            is_message_type & is_member_service & ~members_complete,
            _outcome(KIND_QUARANTINED, F.lit(REASON_MEMBER_FIELDS)),
        ),
        (is_message_type & is_member_service, _outcome(KIND_MEMBER)),
        (is_message_type & service_field.isNotNull(), _outcome(KIND_IGNORED, service_field)),
        (update_type.isin(*EDITED_MESSAGE_TYPES), _outcome(KIND_EDIT)),
        (is_message_type, _outcome(KIND_MESSAGE)),
        (
            is_chat_member & ~chat_member_complete,
            _outcome(KIND_QUARANTINED, F.lit(REASON_MEMBER_FIELDS)),
        ),
        (is_chat_member, _outcome(KIND_MEMBER)),
    ]
    first_condition, first_outcome = rules[0]
    outcome = reduce(
        lambda chain, rule: chain.when(rule[0], rule[1]),
        rules[1:],
        F.when(first_condition, first_outcome),
    ).otherwise(_outcome(KIND_IGNORED, update_type))
    return updates.select("*", outcome.alias("outcome")).select(
        *updates.columns,
        F.col("outcome")["kind"].alias("kind"),
        F.col("outcome")["detail"].alias("detail"),
    )


def flatten_updates(updates: DataFrame) -> DataFrame:
    """One flat row per raw line: outcome, message columns and member changes.

    This is the frame the job persists once; every later step reads it instead of raw.
    `raw` keeps the line's text only for quarantined lines, so the cache stays small.
    """
    message = F.col("message")
    chat_member = F.col("update")[CHAT_MEMBER_UPDATE_TYPE]
    sender = message["from"]
    text = F.coalesce(message["text"], message["caption"])
    kind = F.col("kind")
    return updates.select(
        "source_file",
        "arrival_dt",
        F.col("update")["update_id"].alias("update_id"),
        "update_type",
        "kind",
        "detail",
        F.when(kind == KIND_QUARANTINED, F.col("value")).alias("raw"),
        F.coalesce(message["chat"]["id"], chat_member["chat"]["id"]).alias("chat_id"),
        F.timestamp_seconds(F.coalesce(message["date"], chat_member["date"])).alias("event_at"),
        message["message_id"].alias("message_id"),
        message["message_thread_id"].alias("message_thread_id"),
        F.timestamp_seconds(message["edit_date"]).alias("edited_at"),
        (kind == KIND_EDIT).alias("is_edit"),
        message["chat"]["type"].alias("chat_type"),
        message["chat"]["title"].alias("chat_title"),
        sender["id"].alias("user_id"),
        sender["is_bot"].alias("user_is_bot"),
        sender["first_name"].alias("user_first_name"),
        sender["last_name"].alias("user_last_name"),
        sender["username"].alias("user_username"),
        sender["language_code"].alias("user_language_code"),
        message["sender_chat"]["id"].alias("sender_chat_id"),
        content_type("message").alias("content_type"),
        text.alias("text"),
        text_length(text).alias("text_length"),
        word_count(text).alias("word_count"),
        reply_to_message_id(message).alias("reply_to_message_id"),
        is_forwarded(message).alias("is_forwarded"),
        forward_origin_type(message).alias("forward_origin_type"),
        F.col("update_type").isin(*CHANNEL_UPDATE_TYPES).alias("is_channel_post"),
        message["media_group_id"].alias("media_group_id"),
        F.when(kind == KIND_MEMBER, member_changes(message, chat_member)).alias("members"),
    )


# --- updates -> table rows ----------------------------------------------------------------


def message_versions(updates: DataFrame) -> DataFrame:
    """Flat updates -> one message version per message/edit line (duplicates kept)."""
    return updates.where(F.col("kind").isin(KIND_MESSAGE, KIND_EDIT)).select(
        *MESSAGE_KEY,
        F.col("event_at").alias("sent_at"),
        *MESSAGE_CONTENT_COLUMNS,
        "is_edit",
        F.to_date("event_at").alias(PARTITION_COLUMN),
    )


def member_event_rows(updates: DataFrame) -> DataFrame:
    """Flat updates -> one member_events row per member change (duplicate lines kept).

    Besides MEMBER_EVENTS_COLUMNS, `is_first_change` marks one row per update (the first
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


def quarantine_records(updates: DataFrame, run_id: str) -> DataFrame:
    """Quarantined lines in the quarantine contract's shape, by arrival date."""
    return updates.where(F.col("kind") == KIND_QUARANTINED).select(
        "source_file",
        F.col("detail").alias("reason"),
        "raw",
        F.lit(run_id).alias("run_id"),
        F.col("arrival_dt").alias("dt"),
    )


# --- merge with the curated zone ----------------------------------------------------------


def _incoming_message_versions(incoming: DataFrame) -> DataFrame:
    is_edit = F.col("is_edit")
    return incoming.select(
        *MESSAGE_KEY,
        "sent_at",
        *MESSAGE_CONTENT_COLUMNS,
        F.when(is_edit, F.array("update_id")).otherwise(_empty_ids()).alias("edit_ids"),
        F.when(~is_edit, F.col("update_id")).alias("original_id"),
        F.when(is_edit, F.coalesce(F.unix_seconds("edited_at"), F.lit(UNDATED_EDIT_RANK)))
        .otherwise(F.lit(ORIGINAL_EDIT_RANK))
        .cast("bigint")
        .alias("edit_rank"),
        F.lit(1).alias("is_incoming"),
        PARTITION_COLUMN,
    )


def _existing_message_versions(existing: DataFrame) -> DataFrame:
    edit_ids = F.coalesce(F.col("edit_update_ids"), _empty_ids())
    kept_is_edit = F.array_contains(edit_ids, F.col("update_id"))
    return existing.select(
        *MESSAGE_KEY,
        "sent_at",
        *MESSAGE_CONTENT_COLUMNS,
        edit_ids.alias("edit_ids"),
        F.col("original_update_id").alias("original_id"),
        F.when(kept_is_edit, F.coalesce(F.unix_seconds("edited_at"), F.lit(UNDATED_EDIT_RANK)))
        .otherwise(F.lit(ORIGINAL_EDIT_RANK))
        .cast("bigint")
        .alias("edit_rank"),
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
    of (edit rank, update_id) (an original ranks below every edit, edits by edit_date),
    `edit_update_ids` a set union, `original_update_id` a max,
    `sent_at` a min. Folding is therefore idempotent, commutative and associative: re-runs,
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
        F.desc("edit_rank"), F.desc("update_id"), F.desc("is_incoming")
    )
    every_version = newest_first.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
    folded = {
        "version_rank": F.row_number().over(newest_first),
        "first_sent_at": F.min("sent_at").over(every_version),
        "all_edit_ids": F.array_sort(
            F.array_distinct(F.flatten(F.collect_list("edit_ids").over(every_version)))
        ),
        "max_original_id": F.max("original_id").over(every_version),
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
    new_originals = F.size(F.array_except("in_originals", "old_originals"))
    new_edits = F.size(F.array_except("in_edits", "old_edits"))
    incoming_updates = F.size("in_originals") + F.size("in_edits")
    columns = {
        **{name: F.col(name) for name in (*MESSAGE_KEY, *MESSAGE_CONTENT_COLUMNS)},
        "sent_at": F.col("first_sent_at"),
        "original_update_id": F.col("max_original_id"),
        "edit_update_ids": F.col("all_edit_ids"),
        "edit_count": F.size("all_edit_ids"),
        PARTITION_COLUMN: F.col(PARTITION_COLUMN),
    }
    return merged.select(
        *[columns[field.name].cast(field.dataType).alias(field.name) for field in MESSAGES_SCHEMA],
        new_originals.alias("new_originals"),
        new_edits.alias("new_edits"),
        (incoming_updates - new_originals - new_edits).alias("refolded_updates"),
        F.col("incoming_lines").cast("bigint").alias("incoming_lines"),
    )


def merge_member_events(existing: DataFrame, incoming: DataFrame) -> DataFrame:
    """Fold member_events rows into the rows the curated zone already has.

    existing: rows of `member_events` of the partitions the input touches.
    incoming: `member_event_rows` of this run (duplicate lines allowed).
    Rows are keyed by (update_id, user_id, source); a row is a pure function of its update,
    so the union deduplicates (the incoming copy wins, so a re-run refreshes rows). Returns
    MEMBER_EVENTS_COLUMNS plus MEMBER_MERGE_COUNT_COLUMNS (0/1 per row; summed, they count
    the incoming updates that are new and those a previous run already folded in).
    """
    versions = existing.select(
        *MEMBER_EVENTS_COLUMNS,
        F.lit(0).alias("is_incoming"),
        F.lit(False).alias("is_first_change"),
    ).unionByName(
        incoming.select(*MEMBER_EVENTS_COLUMNS, F.lit(1).alias("is_incoming"), "is_first_change")
    )
    merged = versions.groupBy(PARTITION_COLUMN, *MEMBER_EVENT_KEY).agg(
        F.max_by(F.struct(*MEMBER_CONTENT_COLUMNS), "is_incoming").alias("kept"),
        F.max("is_incoming").alias("has_incoming"),
        F.min("is_incoming").alias("only_incoming"),
        F.max("is_first_change").alias("is_first_change"),
    )
    first_incoming = F.col("is_first_change") & (F.col("has_incoming") == 1)
    return merged.select(
        *[
            F.col(name)
            if name in (*MEMBER_EVENT_KEY, PARTITION_COLUMN)
            else F.col("kept")[name].alias(name)
            for name in MEMBER_EVENTS_COLUMNS
        ],
        (first_incoming & (F.col("only_incoming") == 1)).cast("int").alias("new_updates"),
        (first_incoming & (F.col("only_incoming") == 0)).cast("int").alias("refolded_updates"),
    )


# --- counts for the run summary -----------------------------------------------------------


def outcome_counts(updates: DataFrame) -> DataFrame:
    """Lines and distinct update_ids per (kind, detail, dt); dt = target partition date.

    Small by construction (a few rows per touched day): the job collects it.
    """
    touches_table = F.col("kind").isin(KIND_MESSAGE, KIND_EDIT, KIND_MEMBER)
    return (
        updates.withColumn("dt", F.when(touches_table, F.to_date("event_at")))
        .groupBy("kind", "detail", "dt")
        .agg(F.count(F.lit(1)).alias("lines"), F.count_distinct("update_id").alias("updates"))
        .select(*OUTCOME_COUNT_COLUMNS)
    )


def message_merge_metrics() -> list[Column]:
    """Aggregates over `merge_messages` output, observed while it is written (no extra pass)."""
    return [
        F.count(F.lit(1)).alias("rows"),
        *[F.sum(name).cast("bigint").alias(name) for name in MESSAGE_MERGE_COUNT_COLUMNS],
    ]


def member_merge_metrics() -> list[Column]:
    """Aggregates over `merge_member_events` output, observed while it is written."""
    return [
        F.count(F.lit(1)).alias("rows"),
        *[F.sum(name).cast("bigint").alias(name) for name in MEMBER_MERGE_COUNT_COLUMNS],
    ]
