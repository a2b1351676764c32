"""Explicit schemas at both edges of the Glue job, and the names the transforms dispatch on.

Reads nothing, writes nothing. `UPDATE_SCHEMA` is the declared shape of a raw Telegram
`Update` (only the fields the job uses; Spark skips every other field while parsing, so
Telegram can add fields without breaking anything). `MESSAGES_SCHEMA` and
`MEMBER_EVENTS_SCHEMA` are the curated tables exactly as written (contract columns, in
contract order, then the documented bookkeeping columns, then the `dt` partition).

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
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

# --- update types -------------------------------------------------------------------------

#: Update fields that carry a `Message` and become rows of `messages`.
ORIGINAL_MESSAGE_TYPES: tuple[str, ...] = ("message", "channel_post", "business_message")
EDITED_MESSAGE_TYPES: tuple[str, ...] = (
    "edited_message",
    "edited_channel_post",
    "edited_business_message",
)
MESSAGE_UPDATE_TYPES: tuple[str, ...] = ORIGINAL_MESSAGE_TYPES + EDITED_MESSAGE_TYPES
CHANNEL_UPDATE_TYPES: tuple[str, ...] = ("channel_post", "edited_channel_post")
#: The update type whose `ChatMemberUpdated` becomes rows of `member_events`.
CHAT_MEMBER_UPDATE_TYPE = "chat_member"
#: Label of an update object that holds nothing but `update_id`.
EMPTY_UPDATE_TYPE = "empty"

# --- message content ----------------------------------------------------------------------

#: `content_type` precedence, first present field wins. Telegram sets `document` next to
#: `animation` and `location` next to `venue` (backward compatibility), so the more
#: specific field comes first. A message with none of these is `other`.
CONTENT_FIELDS: tuple[str, ...] = (
    "animation",
    "photo",
    "video",
    "video_note",
    "voice",
    "audio",
    "document",
    "sticker",
    "venue",
    "location",
    "contact",
    "poll",
    "dice",
    "story",
    "text",
)
OTHER_CONTENT_TYPE = "other"

#: Message fields that produce `member_events` rows.
MEMBER_SERVICE_FIELDS: tuple[str, ...] = ("new_chat_members", "left_chat_member")
#: Message fields that mark any other service message (not a `messages` row): counted under
#: `ignored` as `service:<field>`; the first present field in this order names it.
SERVICE_FIELDS: tuple[str, ...] = (
    "new_chat_title",
    "new_chat_photo",
    "delete_chat_photo",
    "group_chat_created",
    "supergroup_chat_created",
    "channel_chat_created",
    "message_auto_delete_timer_changed",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "pinned_message",
    "successful_payment",
    "refunded_payment",
    "users_shared",
    "chat_shared",
    "gift",
    "unique_gift",
    "connected_website",
    "write_access_allowed",
    "passport_data",
    "proximity_alert_triggered",
    "boost_added",
    "chat_background_set",
    "checklist_tasks_done",
    "checklist_tasks_added",
    "direct_message_price_changed",
    "forum_topic_created",
    "forum_topic_edited",
    "forum_topic_closed",
    "forum_topic_reopened",
    "general_forum_topic_hidden",
    "general_forum_topic_unhidden",
    "giveaway_created",
    "giveaway_completed",
    "paid_message_price_changed",
    "video_chat_scheduled",
    "video_chat_started",
    "video_chat_ended",
    "video_chat_participants_invited",
    "web_app_data",
)
SERVICE_PREFIX = "service:"

# --- chat member statuses (ChatMember.status) ---------------------------------------------

#: Statuses that mean "is a member"; `restricted` counts only with `is_member: true`.
IN_CHAT_STATUSES: tuple[str, ...] = ("creator", "administrator", "member")
#: Statuses that mean "is not a member"; `restricted` counts with `is_member: false`.
OUT_OF_CHAT_STATUSES: tuple[str, ...] = ("left", "kicked")
RESTRICTED_STATUS = "restricted"


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

MESSAGE_SCHEMA = _struct(
    ("message_id", LongType()),
    ("message_thread_id", LongType()),
    ("date", LongType()),
    ("edit_date", LongType()),
    ("from", USER_SCHEMA),
    ("sender_chat", _struct(("id", LongType()))),
    ("chat", CHAT_SCHEMA),
    ("reply_to_message", _struct(("message_id", LongType()))),
    ("is_topic_message", BooleanType()),
    ("forward_origin", _struct(("type", StringType()))),
    # Legacy forward fields (Bot API < 7.0), still found in old history imports.
    ("forward_date", LongType()),
    ("forward_from", StringType()),
    ("forward_from_chat", _struct(("type", StringType()))),
    ("forward_sender_name", StringType()),
    ("media_group_id", StringType()),
    ("caption", StringType()),
    # `text` is both the text and a content marker: declared once, as a string.
    *((name, StringType()) for name in CONTENT_FIELDS),
    ("new_chat_members", ArrayType(USER_SCHEMA)),
    ("left_chat_member", USER_SCHEMA),
    *((name, StringType()) for name in SERVICE_FIELDS),
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
)

UPDATE_SCHEMA = _struct(
    ("update_id", LongType()),
    *((name, MESSAGE_SCHEMA) for name in MESSAGE_UPDATE_TYPES),
    (CHAT_MEMBER_UPDATE_TYPE, CHAT_MEMBER_UPDATED_SCHEMA),
)

#: One raw line as loaded: the file it came from and its text.
RAW_LINES_SCHEMA = _struct(("source_file", StringType()), ("value", StringType()))

# --- curated tables -----------------------------------------------------------------------

PARTITION_COLUMN = "dt"

# Every column is declared nullable: Spark reads every Parquet column back as nullable, so a
# non-null promise here could not be kept on the way back in. The README says which columns
# are never null.
MESSAGES_SCHEMA = StructType(
    [
        StructField("chat_id", LongType()),
        StructField("message_id", LongType()),
        StructField("message_thread_id", LongType()),
        StructField("update_id", LongType()),
        StructField("sent_at", TimestampType()),
        StructField("edited_at", TimestampType()),
        StructField("edit_count", IntegerType()),
        StructField("chat_type", StringType()),
        StructField("chat_title", StringType()),
        StructField("user_id", LongType()),
        StructField("user_is_bot", BooleanType()),
        StructField("user_first_name", StringType()),
        StructField("user_last_name", StringType()),
        StructField("user_username", StringType()),
        StructField("user_language_code", StringType()),
        StructField("sender_chat_id", LongType()),
        StructField("content_type", StringType()),
        StructField("text", StringType()),
        StructField("text_length", IntegerType()),
        StructField("word_count", IntegerType()),
        StructField("reply_to_message_id", LongType()),
        StructField("is_forwarded", BooleanType()),
        StructField("forward_origin_type", StringType()),
        StructField("is_channel_post", BooleanType()),
        StructField("media_group_id", StringType()),
        # Bookkeeping that makes re-runs idempotent (see README): which updates are folded in.
        StructField("edit_update_ids", ArrayType(LongType()), False),
        StructField("original_update_id", LongType()),
        StructField(PARTITION_COLUMN, DateType()),
    ]
)

MEMBER_EVENTS_SCHEMA = StructType(
    [
        StructField("chat_id", LongType()),
        StructField("user_id", LongType()),
        StructField("event", StringType()),
        StructField("occurred_at", TimestampType()),
        StructField("source", StringType()),
        StructField("update_id", LongType()),
        StructField("user_is_bot", BooleanType()),
        StructField("user_first_name", StringType()),
        StructField("user_username", StringType()),
        StructField("old_status", StringType()),
        StructField("new_status", StringType()),
        StructField(PARTITION_COLUMN, DateType()),
    ]
)

MESSAGES_COLUMNS: tuple[str, ...] = tuple(MESSAGES_SCHEMA.fieldNames())
MEMBER_EVENTS_COLUMNS: tuple[str, ...] = tuple(MEMBER_EVENTS_SCHEMA.fieldNames())

#: Key of a `messages` row and of a `member_events` row.
MESSAGE_KEY: tuple[str, ...] = ("chat_id", "message_id")
MEMBER_EVENT_KEY: tuple[str, ...] = ("update_id", "user_id", "source")
