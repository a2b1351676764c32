"""Raw lines -> one flat row per line: parse, type, classify (the outcome), flatten.

Reads and writes nothing. The flow (see `glue_jobs.job.run`):

    raw lines -> parse_updates -> with_update_type -> classify_updates -> flatten_updates

The flat frame has one row per raw line: its outcome `kind` / `detail` and every field the
curated tables need; the job persists it once and every later step reads it instead of raw.
"""

from __future__ import annotations

from functools import reduce

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.columns import (
    arrival_date,
    content_type,
    first_present,
    forward_origin_type,
    is_forwarded,
    reply_to_message_id,
    text_length,
    word_count,
)
from glue_jobs.member_events import member_changes
from glue_jobs.outcomes import (
    KIND_EDIT,
    KIND_IGNORED,
    KIND_MEMBER,
    KIND_MESSAGE,
    KIND_QUARANTINED,
    REASON_MEMBER_FIELDS,
    REASON_MESSAGE_FIELDS,
    REASON_MISSING_UPDATE_ID,
    REASON_NOT_JSON,
    REASON_NOT_OBJECT,
    outcome,
)
from glue_jobs.schema import UPDATE_SCHEMA
from lake.telegram import (
    CHANNEL_UPDATE_TYPES,
    CHAT_MEMBER_UPDATE_TYPE,
    EDITED_MESSAGE_TYPES,
    EMPTY_UPDATE_TYPE,
    MESSAGE_UPDATE_TYPES,
    SERVICE_FIELDS,
    SERVICE_PREFIX,
)
from lake.zones import PARTITION_COLUMN

#: A NDJSON line holding only whitespace is no record (the NDJSON convention).
BLANK_LINE_PATTERN = r"^\s*$"


def _not_parsed_reason(value: Column, object_keys: Column) -> Column:
    """Why a line without a usable update_id is quarantined."""
    return (
        F.when(object_keys.isNotNull(), F.lit(REASON_MISSING_UPDATE_ID))
        .when(F.get_json_object(value, "$").isNotNull(), F.lit(REASON_NOT_OBJECT))
        .otherwise(F.lit(REASON_NOT_JSON))
    )


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
            outcome(KIND_QUARANTINED, _not_parsed_reason(F.col("value"), F.col("object_keys"))),
        ),
        (
            is_message_type & ~message_complete,
            outcome(KIND_QUARANTINED, F.lit(REASON_MESSAGE_FIELDS)),
        ),
        (
            is_message_type & is_member_service & ~members_complete,
            outcome(KIND_QUARANTINED, F.lit(REASON_MEMBER_FIELDS)),
        ),
        (is_message_type & is_member_service, outcome(KIND_MEMBER)),
        (is_message_type & service_field.isNotNull(), outcome(KIND_IGNORED, service_field)),
        (update_type.isin(*EDITED_MESSAGE_TYPES), outcome(KIND_EDIT)),
        (is_message_type, outcome(KIND_MESSAGE)),
        (
            is_chat_member & ~chat_member_complete,
            outcome(KIND_QUARANTINED, F.lit(REASON_MEMBER_FIELDS)),
        ),
        (is_chat_member, outcome(KIND_MEMBER)),
    ]
    first_condition, first_outcome = rules[0]
    chosen = reduce(
        lambda chain, rule: chain.when(rule[0], rule[1]),
        rules[1:],
        F.when(first_condition, first_outcome),
    ).otherwise(outcome(KIND_IGNORED, update_type))
    return updates.select("*", chosen.alias("outcome")).select(
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


def quarantine_records(updates: DataFrame, run_id: str) -> DataFrame:
    """Quarantined lines in the quarantine contract's shape, by arrival date."""
    return updates.where(F.col("kind") == KIND_QUARANTINED).select(
        "source_file",
        F.col("detail").alias("reason"),
        "raw",
        F.lit(run_id).alias("run_id"),
        F.col("arrival_dt").alias(PARTITION_COLUMN),
    )
