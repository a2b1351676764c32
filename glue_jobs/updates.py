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

from glue_jobs.chat_migrations import migration
from glue_jobs.columns import (
    arrival_date,
    content_type,
    forward_from_user_id,
    forward_origin_type,
    has_content,
    invite_link_label,
    is_forwarded,
    is_live_location,
    reply_to_message_id,
    reply_to_user_id,
    sender_type,
    text_length,
    update_source,
    word_count,
)
from glue_jobs.member_events import member_changes
from glue_jobs.outcomes import (
    DETAIL_MESSAGE_WITHOUT_ID,
    KIND_EDIT,
    KIND_IGNORED,
    KIND_JOIN_REQUEST,
    KIND_MEMBER,
    KIND_MESSAGE,
    KIND_QUARANTINED,
    KIND_REACTION,
    REASON_JOIN_REQUEST_FIELDS,
    REASON_MEMBER_FIELDS,
    REASON_MESSAGE_FIELDS,
    REASON_MISSING_UPDATE_ID,
    REASON_NOT_JSON,
    REASON_NOT_OBJECT,
    REASON_REACTION_FIELDS,
    REASON_SENDER_CHAT_ID,
    REASON_SEVERAL_DOCUMENTS,
    REASON_UNEXPECTED_SHAPE,
    REASON_UPDATE_ID_NOT_INTEGER,
    REASON_UPDATE_ID_OUT_OF_RANGE,
    outcome,
)
from glue_jobs.reactions import reaction_changes
from glue_jobs.schema import MESSAGE_SCHEMA, UPDATE_SCHEMA
from lake.tables import (
    CHAT_MIGRATIONS,
    IMPORTED_UPDATE_ID_MIN,
    JOIN_REQUESTS,
    MEMBER_EVENTS,
    MESSAGES,
    REACTIONS,
)
from lake.telegram import (
    CHANNEL_UPDATE_TYPES,
    CHAT_JOIN_REQUEST_UPDATE_TYPE,
    CHAT_MEMBER_UPDATE_TYPE,
    EDITED_MESSAGE_TYPES,
    EMPTY_UPDATE_TYPE,
    MESSAGE_ENVELOPE_FIELDS,
    MESSAGE_UPDATE_TYPES,
    MIGRATE_FROM_FIELD,
    MIGRATE_TO_FIELD,
    REACTION_COUNT_UPDATE_TYPE,
    REACTION_UPDATE_TYPE,
    SERVICE_PREFIX,
)
from lake.zones import PARTITION_COLUMN, RAW_OBJECT_SUFFIX

#: Update types recognised from the parsed struct (every other type from the object's keys).
KNOWN_UPDATE_TYPES: tuple[str, ...] = (
    *MESSAGE_UPDATE_TYPES,
    CHAT_MEMBER_UPDATE_TYPE,
    REACTION_UPDATE_TYPE,
    REACTION_COUNT_UPDATE_TYPE,
    CHAT_JOIN_REQUEST_UPDATE_TYPE,
)

#: A NDJSON line holding only whitespace is no record (the NDJSON convention).
BLANK_LINE_PATTERN = r"^\s*$"


#: `"update_id": <integer literal>` in a line's text; group 1 is the literal.
UPDATE_ID_LITERAL = r'"update_id"\s*:\s*(-?[0-9]+)\s*[,}]'
#: A `}` followed by something that cannot follow the end of an object inside a single JSON
#: document (outside strings): a hint that a file holds more than one document.
SECOND_DOCUMENT_HINT = r"\}\s*[^\s,\]\}]"
#: The largest update_id a Bot API Integer (and the curated bigint) can hold.
MAX_UPDATE_ID = (1 << 63) - 1


def _not_parsed_reason(value: Column, object_keys: Column, update_id: Column) -> Column:
    """Why a line without a usable update_id is quarantined, as precisely as it can be said."""
    literal = F.regexp_extract(value, UPDATE_ID_LITERAL, 1)
    return (
        F.when(
            object_keys.isNull() & F.get_json_object(value, "$").isNotNull(),
            F.lit(REASON_NOT_OBJECT),
        )
        .when(object_keys.isNull(), F.lit(REASON_NOT_JSON))
        .when(~F.array_contains(object_keys, "update_id"), F.lit(REASON_MISSING_UPDATE_ID))
        .when(literal == "", F.lit(REASON_UPDATE_ID_NOT_INTEGER))
        .when(
            literal.startswith("-") | (F.length(literal) > 19) | update_id.isNotNull(),
            F.lit(REASON_UPDATE_ID_OUT_OF_RANGE),
        )
        .when(
            literal.cast("decimal(20,0)") > F.lit(MAX_UPDATE_ID),
            F.lit(REASON_UPDATE_ID_OUT_OF_RANGE),
        )
        # The update_id is fine: another field has a type the contract does not take.
        .otherwise(F.lit(REASON_UNEXPECTED_SHAPE))
    )


def _holds_several_documents(source_file: Column, value: Column) -> Column:
    """A `*.json` file (one Update per file) whose text holds more than one JSON document.

    The regular expression is a cheap filter; only the lines it flags are parsed again, as
    the only element of an array (which fails for two documents or trailing text).
    """
    return source_file.endswith(RAW_OBJECT_SUFFIX) & F.coalesce(
        value.rlike(SECOND_DOCUMENT_HINT)
        & F.json_array_length(F.concat(F.lit("["), value, F.lit("]"))).isNull(),
        F.lit(False),
    )


def without_blank_lines(lines: DataFrame) -> DataFrame:
    """Drop whitespace-only NDJSON lines (they hold no record)."""
    return lines.where(~F.col("value").rlike(BLANK_LINE_PATTERN))


def parse_updates(lines: DataFrame) -> DataFrame:
    """(source_file, value) -> + arrival_dt, update (the Update struct, explicit schema) and
    message (its Message, whatever the Message-type field that holds it).

    Two parses, each out of a one-row `explode`: an optimizer barrier. Without it, Spark
    pushes any later filter on a derived column (say `kind = 'edit'`) below the projection
    and inlines the parse into the filter once per field reference: hundreds of parses per
    line (measured 92 s instead of 6 s on 200k lines).

    The first parse keeps the Message-type payload as JSON text; the second parses that
    text into the one Message struct (see `glue_jobs.schema.UPDATE_SCHEMA`). A Message of a
    shape the contract does not take nulls the whole update, as a field of an unexpected
    type anywhere in the Update does (`spark.sql.json.enablePartialResults` is off): the
    line is quarantined as `unexpected_shape`, never half-read.
    """
    envelope = F.col("envelope")
    message_json = F.coalesce(*[envelope[name] for name in MESSAGE_UPDATE_TYPES])
    parsed = lines.select(
        "source_file",
        "value",
        arrival_date(F.col("source_file")).alias("arrival_dt"),
        F.explode(F.array(F.from_json("value", UPDATE_SCHEMA))).alias("envelope"),
    ).select(
        "*",
        F.explode(F.array(F.from_json(message_json, MESSAGE_SCHEMA))).alias("parsed_message"),
    )
    shape_ok = message_json.isNull() | F.col("parsed_message").isNotNull()
    return parsed.select(
        "source_file",
        "value",
        "arrival_dt",
        F.when(shape_ok, envelope).alias("update"),
        F.when(shape_ok, F.col("parsed_message")).alias("message"),
    )


def with_update_type(updates: DataFrame) -> DataFrame:
    """Add `update_type` (the Update's payload field) and `object_keys` (the top-level
    keys, read only for lines whose type is not a known one).

    Known types are recognised from the parsed struct; any other type (callback_query,
    poll, types Telegram adds later, ...) from the object's keys.
    """
    update = F.col("update")
    known_type = F.coalesce(
        *[F.when(update[name].isNotNull(), F.lit(name)) for name in KNOWN_UPDATE_TYPES]
    )
    # Guarded so that the keys are read only when needed: an unguarded json_object_keys
    # used twice gets hoisted by subexpression elimination and runs on every line (~35%
    # more parse CPU, measured).
    object_keys = F.when(
        update["update_id"].isNull() | (update["update_id"] < 0) | known_type.isNull(),
        F.json_object_keys("value"),
    )
    other_keys = F.filter(F.col("object_keys"), lambda key: key != "update_id")
    update_type = F.when(
        update["update_id"].isNotNull(),
        F.coalesce(known_type, F.get(other_keys, 0), F.lit(EMPTY_UPDATE_TYPE)),
    )
    return updates.select("*", object_keys.alias("object_keys")).select(
        *updates.columns,
        update_type.alias("update_type"),
        "object_keys",
    )


def service_field(value: Column, update_type: Column) -> Column:
    """`service:<field>`: the first field of the Message object outside the common envelope.

    Read from the line's JSON (in document order) rather than from a list of known service
    fields, so that a kind Telegram adds later is named too. Fields whose value is `false`
    or `null` are not there (Telegram sends its service flags only when true);
    `service:unknown` when nothing is left. Only computed where the caller guards it.
    """
    fields = F.coalesce(
        *[
            F.when(
                update_type == name,
                F.from_json(F.get_json_object(value, f"$.{name}"), "map<string,string>"),
            )
            for name in MESSAGE_UPDATE_TYPES
        ]
    )
    present = F.map_filter(
        fields,
        lambda key, field: (
            ~key.isin(*MESSAGE_ENVELOPE_FIELDS) & field.isNotNull() & (field != "false")
        ),
    )
    return F.concat(
        F.lit(SERVICE_PREFIX), F.coalesce(F.get(F.map_keys(present), 0), F.lit("unknown"))
    )


def _complete(*conditions: Column) -> Column:
    return F.coalesce(reduce(lambda left, right: left & right, conditions), F.lit(False))


def classify_updates(updates: DataFrame) -> DataFrame:
    """Add the outcome of every line: `kind`, `detail` (quarantine reason / ignored key) and
    `target` (the curated table the line feeds, if any).

    Rules in order (first match wins):
      a `*.json` file holding several documents  -> quarantined (several_documents)
      no usable update_id                        -> quarantined (not_json / not_object /
                                                    missing_update_id / update_id_not_integer
                                                    / update_id_out_of_range /
                                                    unexpected_shape)
      message-type update lacking chat.id or date -> quarantined (message_missing_fields)
      sender_chat without an id                  -> quarantined (sender_chat_missing_id)
      new_chat_members / left_chat_member        -> member (quarantined if a user lacks an
                                                    id, except in imported history)
      migrate_to_chat_id / migrate_from_chat_id  -> ignored `service:<field>`, and a row of
                                                    chat_migrations
      no text, caption or content field          -> ignored, detail `service:<field>`
      message_id not a positive integer          -> ignored, detail `message_without_id`
      edited_*                                   -> edit
      message / channel_post / business_message  -> message
      chat_member lacking chat.id, date, user.id or statuses
                                                 -> quarantined (member_missing_fields)
      chat_member                                -> member
      message_reaction(_count) lacking chat.id, message_id, date or (for message_reaction)
      an actor                                   -> quarantined (reaction_missing_fields)
      message_reaction, message_reaction_count   -> reaction
      chat_join_request lacking chat.id, from.id or date
                                                 -> quarantined (join_request_missing_fields)
      chat_join_request                          -> join_request
      anything else                              -> ignored, detail = update type
    """
    update = F.col("update")
    update_type = F.col("update_type")
    message = F.col("message")
    chat_member = update[CHAT_MEMBER_UPDATE_TYPE]
    reaction = update[REACTION_UPDATE_TYPE]
    reaction_count = update[REACTION_COUNT_UPDATE_TYPE]
    join_request = update[CHAT_JOIN_REQUEST_UPDATE_TYPE]
    is_message_type = update_type.isin(*MESSAGE_UPDATE_TYPES)
    is_edit = update_type.isin(*EDITED_MESSAGE_TYPES)
    is_imported = update["update_id"] >= F.lit(IMPORTED_UPDATE_ID_MIN)
    new_members = message["new_chat_members"]
    left_member = message["left_chat_member"]
    is_member_service = ~is_edit & (
        (F.coalesce(F.size(new_members), F.lit(0)) > 0) | left_member.isNotNull()
    )
    members_identified = (
        ~F.coalesce(F.exists(new_members, lambda user: user["id"].isNull()), F.lit(False))
        & (left_member.isNull() | left_member["id"].isNotNull())
    ) | is_imported
    reactor_known = reaction["user"]["id"].isNotNull() | reaction["actor_chat"]["id"].isNotNull()
    rules: list[tuple[Column, Column]] = [
        (
            _holds_several_documents(F.col("source_file"), F.col("value")),
            outcome(KIND_QUARANTINED, F.lit(REASON_SEVERAL_DOCUMENTS)),
        ),
        (
            update["update_id"].isNull() | (update["update_id"] < 0),
            outcome(
                KIND_QUARANTINED,
                _not_parsed_reason(F.col("value"), F.col("object_keys"), update["update_id"]),
            ),
        ),
        (
            is_message_type
            & ~_complete(message["chat"]["id"].isNotNull(), message["date"].isNotNull()),
            outcome(KIND_QUARANTINED, F.lit(REASON_MESSAGE_FIELDS)),
        ),
        (
            is_message_type
            & message["sender_chat"].isNotNull()
            & message["sender_chat"]["id"].isNull(),
            outcome(KIND_QUARANTINED, F.lit(REASON_SENDER_CHAT_ID)),
        ),
        (
            is_message_type & is_member_service & ~members_identified,
            outcome(KIND_QUARANTINED, F.lit(REASON_MEMBER_FIELDS)),
        ),
        (is_message_type & is_member_service, outcome(KIND_MEMBER, target=MEMBER_EVENTS.name)),
        *[
            (
                is_message_type & message[field].isNotNull(),
                outcome(
                    KIND_IGNORED, F.lit(f"{SERVICE_PREFIX}{field}"), target=CHAT_MIGRATIONS.name
                ),
            )
            for field in (MIGRATE_TO_FIELD, MIGRATE_FROM_FIELD)
        ],
        (
            is_message_type & ~has_content("message"),
            outcome(KIND_IGNORED, service_field(F.col("value"), update_type)),
        ),
        (
            is_message_type & ~F.coalesce(message["message_id"] > 0, F.lit(False)),
            outcome(KIND_IGNORED, F.lit(DETAIL_MESSAGE_WITHOUT_ID)),
        ),
        (is_edit, outcome(KIND_EDIT, target=MESSAGES.name)),
        (is_message_type, outcome(KIND_MESSAGE, target=MESSAGES.name)),
        (
            chat_member.isNotNull()
            & ~_complete(
                chat_member["chat"]["id"].isNotNull(),
                chat_member["date"].isNotNull(),
                chat_member["new_chat_member"]["user"]["id"].isNotNull(),
                chat_member["old_chat_member"]["status"].isNotNull(),
                chat_member["new_chat_member"]["status"].isNotNull(),
            ),
            outcome(KIND_QUARANTINED, F.lit(REASON_MEMBER_FIELDS)),
        ),
        (chat_member.isNotNull(), outcome(KIND_MEMBER, target=MEMBER_EVENTS.name)),
        (
            reaction.isNotNull()
            & ~_complete(
                reaction["chat"]["id"].isNotNull(),
                reaction["message_id"].isNotNull(),
                reaction["date"].isNotNull(),
                reactor_known,
            ),
            outcome(KIND_QUARANTINED, F.lit(REASON_REACTION_FIELDS)),
        ),
        (
            reaction_count.isNotNull()
            & ~_complete(
                reaction_count["chat"]["id"].isNotNull(),
                reaction_count["message_id"].isNotNull(),
                reaction_count["date"].isNotNull(),
            ),
            outcome(KIND_QUARANTINED, F.lit(REASON_REACTION_FIELDS)),
        ),
        (
            reaction.isNotNull() | reaction_count.isNotNull(),
            outcome(KIND_REACTION, target=REACTIONS.name),
        ),
        (
            join_request.isNotNull()
            & ~_complete(
                join_request["chat"]["id"].isNotNull(),
                join_request["from"]["id"].isNotNull(),
                join_request["date"].isNotNull(),
            ),
            outcome(KIND_QUARANTINED, F.lit(REASON_JOIN_REQUEST_FIELDS)),
        ),
        (join_request.isNotNull(), outcome(KIND_JOIN_REQUEST, target=JOIN_REQUESTS.name)),
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
        F.col("outcome")["target"].alias("target"),
    )


def flatten_updates(updates: DataFrame) -> DataFrame:
    """One flat row per raw line: outcome, and every field the curated tables need.

    This is the frame the job persists once; every later step reads it instead of raw.
    `raw` keeps the line's text only for quarantined lines, so the cache stays small; the
    nested parts (member changes, reactions) are kept only for the lines that feed them.
    """
    update = F.col("update")
    message = F.col("message")
    chat_member = update[CHAT_MEMBER_UPDATE_TYPE]
    reaction = update[REACTION_UPDATE_TYPE]
    reaction_count = update[REACTION_COUNT_UPDATE_TYPE]
    join_request = update[CHAT_JOIN_REQUEST_UPDATE_TYPE]
    sender = message["from"]
    text = F.coalesce(message["text"], message["caption"])
    kind = F.col("kind")
    target = F.col("target")
    is_edit = kind == KIND_EDIT
    return updates.select(
        "source_file",
        "arrival_dt",
        update["update_id"].alias("update_id"),
        "update_type",
        "kind",
        "detail",
        "target",
        F.when(kind == KIND_QUARANTINED, F.col("value")).alias("raw"),
        update_source(update["update_id"]).alias("source"),
        F.coalesce(
            message["chat"]["id"],
            chat_member["chat"]["id"],
            reaction["chat"]["id"],
            reaction_count["chat"]["id"],
            join_request["chat"]["id"],
        ).alias("chat_id"),
        F.timestamp_seconds(
            F.coalesce(
                message["date"],
                chat_member["date"],
                reaction["date"],
                reaction_count["date"],
                join_request["date"],
            )
        ).alias("event_at"),
        F.coalesce(
            message["message_id"], reaction["message_id"], reaction_count["message_id"]
        ).alias("message_id"),
        message["message_thread_id"].alias("message_thread_id"),
        F.timestamp_seconds(message["edit_date"]).alias("edited_at"),
        is_edit.alias("is_edit"),
        # A live location's edits move it: folded into the row, never counted as edits.
        (is_edit & message["edit_date"].isNotNull() & ~is_live_location(message)).alias(
            "is_counted_edit"
        ),
        message["chat"]["type"].alias("chat_type"),
        message["chat"]["title"].alias("chat_title"),
        F.coalesce(sender["id"], join_request["from"]["id"]).alias("user_id"),
        sender["is_bot"].alias("user_is_bot"),
        sender["first_name"].alias("user_first_name"),
        sender["last_name"].alias("user_last_name"),
        sender["username"].alias("user_username"),
        sender["language_code"].alias("user_language_code"),
        message["sender_chat"]["id"].alias("sender_chat_id"),
        sender_type(message, F.col("update_type")).alias("sender_type"),
        F.coalesce(message["is_automatic_forward"], F.lit(False)).alias("is_automatic_forward"),
        content_type("message").alias("content_type"),
        text.alias("text"),
        text_length(text).alias("text_length"),
        word_count(text).alias("word_count"),
        reply_to_message_id(message).alias("reply_to_message_id"),
        reply_to_user_id(message).alias("reply_to_user_id"),
        is_forwarded(message).alias("is_forwarded"),
        forward_origin_type(message).alias("forward_origin_type"),
        forward_from_user_id(message).alias("forward_from_user_id"),
        F.col("update_type").isin(*CHANNEL_UPDATE_TYPES).alias("is_channel_post"),
        message["media_group_id"].alias("media_group_id"),
        F.when(kind == KIND_MEMBER, member_changes(message, chat_member)).alias("members"),
        F.when(target == CHAT_MIGRATIONS.name, migration(message)).alias("migration"),
        reaction["user"]["id"].alias("actor_user_id"),
        reaction["actor_chat"]["id"].alias("actor_chat_id"),
        F.when(kind == KIND_REACTION, reaction_changes(reaction, reaction_count)).alias(
            "reactions"
        ),
        F.when(kind == KIND_JOIN_REQUEST, invite_link_label(join_request["invite_link"])).alias(
            "invite_link"
        ),
    )


def quarantine_records(updates: DataFrame, run_id: str) -> DataFrame:
    """Quarantined lines in the quarantine contract's shape, by arrival date.

    `error` is for whole files that yield no line (`glue_jobs.raw_files`); a line's reason
    says all there is to say.
    """
    return updates.where(F.col("kind") == KIND_QUARANTINED).select(
        "source_file",
        F.col("detail").alias("reason"),
        "raw",
        F.lit(run_id).alias("run_id"),
        F.lit(None).cast("string").alias("error"),
        F.col("arrival_dt").alias(PARTITION_COLUMN),
    )
