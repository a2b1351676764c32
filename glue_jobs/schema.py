"""Explicit Spark schemas at both edges of the Glue job.

Reads nothing, writes nothing. `UPDATE_SCHEMA` is the declared shape of a raw Telegram
`Update` (only the fields the job uses; Spark skips every other field while parsing, so
Telegram can add fields without breaking anything). The curated tables' `StructType`s are
derived from their specs in `lake.tables` (`spark_schema`): the job never declares a
curated column itself.

Field shapes follow the Telegram Bot API objects `Update`, `Message`, `User`, `Chat`,
`ChatMemberUpdated` and `ChatMember`. Fields used only to test *presence* (media, service
markers) are declared as strings: Spark renders any JSON value into a string field, so a
change of shape on Telegram's side can never turn such a field into a parse failure.
"""

from __future__ import annotations

from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DataType,
    DateType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

from lake.tables import MESSAGES, TableSpec
from lake.telegram import (
    CHAT_JOIN_REQUEST_UPDATE_TYPE,
    CHAT_MEMBER_UPDATE_TYPE,
    CONTENT_FIELDS,
    MESSAGE_UPDATE_TYPES,
    MIGRATE_FROM_FIELD,
    MIGRATE_TO_FIELD,
    REACTION_COUNT_UPDATE_TYPE,
    REACTION_UPDATE_TYPE,
)

#: Athena (Hive DDL) scalar type -> Spark type; `array<T>` is handled by `spark_type`.
_SCALAR_TYPES: dict[str, DataType] = {
    "bigint": LongType(),
    "int": IntegerType(),
    "string": StringType(),
    "boolean": BooleanType(),
    "timestamp": TimestampType(),
    "date": DateType(),
    "double": DoubleType(),
}


def spark_type(type_name: str) -> DataType:
    """The Spark type of a table spec's type (`bigint`, `array<bigint>`, ...)."""
    name = type_name.strip().lower()
    if name.startswith("array<") and name.endswith(">"):
        return ArrayType(spark_type(name[len("array<") : -1]))
    try:
        return _SCALAR_TYPES[name]
    except KeyError:
        raise ValueError(f"no Spark type for table column type {type_name!r}") from None


def spark_schema(table: TableSpec) -> StructType:
    """A curated table's file schema: every column in file order, then the partition."""
    return StructType(
        [
            StructField(column.name, spark_type(column.type), column.nullable)
            for column in table.file_columns
        ]
    )


def _struct(*fields: tuple[str, DataType]) -> StructType:
    return StructType([StructField(name, data_type, nullable=True) for name, data_type in fields])


# --- raw update schema --------------------------------------------------------------------

USER_SCHEMA = _struct(
    ("id", LongType()),
    ("is_bot", BooleanType()),
    ("first_name", StringType()),
    ("last_name", StringType()),
    ("username", StringType()),
    ("language_code", StringType()),
)

CHAT_SCHEMA = _struct(("id", LongType()), ("type", StringType()), ("title", StringType()))

#: ChatInviteLink: the link text and its optional name.
INVITE_LINK_SCHEMA = _struct(("invite_link", StringType()), ("name", StringType()))

#: ReactionType: `emoji` (emoji), `custom_emoji` (custom_emoji_id) or `paid`.
REACTION_TYPE_SCHEMA = _struct(
    ("type", StringType()), ("emoji", StringType()), ("custom_emoji_id", StringType())
)

MESSAGE_SCHEMA = _struct(
    ("message_id", LongType()),
    ("message_thread_id", LongType()),
    ("date", LongType()),
    ("edit_date", LongType()),
    ("from", USER_SCHEMA),
    ("sender_chat", _struct(("id", LongType()))),
    ("chat", CHAT_SCHEMA),
    ("is_automatic_forward", BooleanType()),
    (
        "reply_to_message",
        _struct(("message_id", LongType()), ("from", _struct(("id", LongType())))),
    ),
    ("is_topic_message", BooleanType()),
    (
        "forward_origin",
        _struct(("type", StringType()), ("sender_user", _struct(("id", LongType())))),
    ),
    # Legacy forward fields (Bot API < 7.0), still found in old history imports.
    ("forward_date", LongType()),
    ("forward_from", StringType()),
    ("forward_from_chat", _struct(("type", StringType()))),
    ("forward_sender_name", StringType()),
    ("media_group_id", StringType()),
    ("caption", StringType()),
    # Content markers, tested for presence only (`text` is also the text; `location` keeps
    # its JSON so that a live location's `live_period` can be read).
    *((name, StringType()) for name in CONTENT_FIELDS),
    ("new_chat_members", ArrayType(USER_SCHEMA)),
    ("left_chat_member", USER_SCHEMA),
    (MIGRATE_TO_FIELD, LongType()),
    (MIGRATE_FROM_FIELD, LongType()),
)

CHAT_MEMBER_SCHEMA = _struct(
    ("status", StringType()),
    ("user", USER_SCHEMA),
    ("is_member", BooleanType()),
)

CHAT_MEMBER_UPDATED_SCHEMA = _struct(
    ("chat", CHAT_SCHEMA),
    ("from", USER_SCHEMA),
    ("date", LongType()),
    ("old_chat_member", CHAT_MEMBER_SCHEMA),
    ("new_chat_member", CHAT_MEMBER_SCHEMA),
    ("invite_link", INVITE_LINK_SCHEMA),
    ("via_join_request", BooleanType()),
    ("via_chat_folder_invite_link", BooleanType()),
)

MESSAGE_REACTION_UPDATED_SCHEMA = _struct(
    ("chat", CHAT_SCHEMA),
    ("message_id", LongType()),
    ("user", _struct(("id", LongType()))),
    ("actor_chat", _struct(("id", LongType()))),
    ("date", LongType()),
    ("old_reaction", ArrayType(REACTION_TYPE_SCHEMA)),
    ("new_reaction", ArrayType(REACTION_TYPE_SCHEMA)),
)

MESSAGE_REACTION_COUNT_UPDATED_SCHEMA = _struct(
    ("chat", CHAT_SCHEMA),
    ("message_id", LongType()),
    ("date", LongType()),
    (
        "reactions",
        ArrayType(_struct(("type", REACTION_TYPE_SCHEMA), ("total_count", IntegerType()))),
    ),
)

CHAT_JOIN_REQUEST_SCHEMA = _struct(
    ("chat", CHAT_SCHEMA),
    ("from", _struct(("id", LongType()))),
    ("date", LongType()),
    ("invite_link", INVITE_LINK_SCHEMA),
)

#: The Update as first parsed: each Message-type payload (`message`, `edited_message`, ...)
#: is kept as its JSON text (Spark renders an object into a string field) and parsed into
#: `MESSAGE_SCHEMA` once, by `glue_jobs.updates.parse_updates`. Six Message structs in
#: every plan (~600 fields to plan and generate code for) become one.
UPDATE_SCHEMA = _struct(
    ("update_id", LongType()),
    *((name, StringType()) for name in MESSAGE_UPDATE_TYPES),
    (CHAT_MEMBER_UPDATE_TYPE, CHAT_MEMBER_UPDATED_SCHEMA),
    (REACTION_UPDATE_TYPE, MESSAGE_REACTION_UPDATED_SCHEMA),
    (REACTION_COUNT_UPDATE_TYPE, MESSAGE_REACTION_COUNT_UPDATED_SCHEMA),
    (CHAT_JOIN_REQUEST_UPDATE_TYPE, CHAT_JOIN_REQUEST_SCHEMA),
)

#: One raw line as loaded: the file it came from and its text.
RAW_LINES_SCHEMA = _struct(("source_file", StringType()), ("value", StringType()))

# --- curated tables (derived) ---------------------------------------------------------------

MESSAGES_SCHEMA = spark_schema(MESSAGES)
