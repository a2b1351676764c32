"""`Column -> Column` helpers of the Glue job: one rule of the contract each.

Reads and writes nothing. Native Spark functions only (no Python UDFs): everything runs in
the JVM on Glue workers.
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from lake.tables import (
    EVENT_JOIN,
    EVENT_LEAVE,
    EVENT_OTHER,
    IMPORTED_UPDATE_ID_MIN,
    SENDER_ANONYMOUS_ADMIN,
    SENDER_AUTO_FORWARD,
    SENDER_BOT,
    SENDER_CHANNEL,
    SENDER_SYSTEM,
    SENDER_UNKNOWN,
    SENDER_USER,
    SOURCE_DESKTOP_EXPORT,
    SOURCE_WEBHOOK,
)
from lake.telegram import (
    CAPTION_FIELD,
    CHANNEL_UPDATE_TYPES,
    CONTENT_FIELDS,
    CONTENT_TYPE_FIELDS,
    IN_CHAT_STATUSES,
    OTHER_CONTENT_TYPE,
    OUT_OF_CHAT_STATUSES,
    REACTION_CUSTOM_EMOJI,
    REACTION_EMOJI,
    REACTION_PAID,
    RESTRICTED_STATUS,
    TELEGRAM_SERVICE_USER_ID,
)
from lake.zones import PARTITION_REGEX

#: Words are runs of non-whitespace; (?U) makes \S Unicode-aware (no-break spaces etc.).
WORD_PATTERN = r"(?U)\S+"


def empty_ids() -> Column:
    """An empty `array<bigint>` (a set of update_ids)."""
    return F.array().cast("array<bigint>")


def arrival_date(source_file: Column) -> Column:
    """UTC arrival date of a raw file, from its `dt=` folder (null when there is none)."""
    return F.to_date(F.nullif(F.regexp_extract(source_file, PARTITION_REGEX, 1), F.lit("")))


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

    The first present field of CONTENT_TYPE_FIELDS names it (a `live_photo` is a photo);
    none present: `other`.
    """
    cases = " ".join(
        f"WHEN `{message}`.`{field}` IS NOT NULL THEN '{kind}'"
        for field, kind in CONTENT_TYPE_FIELDS
    )
    return F.expr(f"CASE {cases} ELSE '{OTHER_CONTENT_TYPE}' END")


def has_content(message: str) -> Column:
    """A content message: text, a caption or one of the content fields (an allow-list)."""
    present = " OR ".join(
        f"`{message}`.`{field}` IS NOT NULL" for field in (*CONTENT_FIELDS, CAPTION_FIELD)
    )
    return F.expr(f"coalesce({present}, false)")


def update_source(update_id: Column) -> Column:
    """`desktop_export` for the synthetic ids of a history import, else `webhook`."""
    return F.when(
        update_id >= F.lit(IMPORTED_UPDATE_ID_MIN), F.lit(SOURCE_DESKTOP_EXPORT)
    ).otherwise(F.lit(SOURCE_WEBHOOK))


def sender_type(message: Column, update_type: Column) -> Column:
    """Who sent a message, by the first rule that applies (docs/tables.md, `sender_type`).

    `user_id` keeps `from.id` whatever the rule: this column says how to count it.
    """
    sender_chat_id = message["sender_chat"]["id"]
    sender = message["from"]
    return (
        F.when(update_type.isin(*CHANNEL_UPDATE_TYPES), F.lit(SENDER_CHANNEL))
        .when(F.coalesce(message["is_automatic_forward"], F.lit(False)), F.lit(SENDER_AUTO_FORWARD))
        .when(sender_chat_id == message["chat"]["id"], F.lit(SENDER_ANONYMOUS_ADMIN))
        .when(sender_chat_id.isNotNull(), F.lit(SENDER_CHANNEL))
        .when(sender["id"] == F.lit(TELEGRAM_SERVICE_USER_ID), F.lit(SENDER_SYSTEM))
        .when(F.coalesce(sender["is_bot"], F.lit(False)), F.lit(SENDER_BOT))
        .when(sender["id"].isNotNull(), F.lit(SENDER_USER))
        .otherwise(F.lit(SENDER_UNKNOWN))
    )


def is_live_location(message: Column) -> Column:
    """The message is a live location (`location.live_period` set): its edits are moves."""
    return F.get_json_object(message["location"], "$.live_period").isNotNull()


def invite_link_label(invite_link: Column) -> Column:
    """An invite link as reported: its name when set, else its invite_link text."""
    name = invite_link["name"]
    return F.coalesce(F.when(name != "", name), invite_link["invite_link"])


def reaction_key(reaction_type: Column) -> Column:
    """(reaction_type, reaction) of a ReactionType: the emoji, custom_emoji_id, or `paid`."""
    kind = reaction_type["type"]
    return F.struct(
        kind.alias("reaction_type"),
        F.when(kind == REACTION_EMOJI, reaction_type["emoji"])
        .when(kind == REACTION_CUSTOM_EMOJI, reaction_type["custom_emoji_id"])
        .when(kind == REACTION_PAID, F.lit(REACTION_PAID))
        .alias("reaction"),
    )


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


def reply_to_user_id(message: Column) -> Column:
    """`reply_to_message.from.id` of a message that is a reply (see reply_to_message_id)."""
    return F.when(
        reply_to_message_id(message).isNotNull(), message["reply_to_message"]["from"]["id"]
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


def forward_from_user_id(message: Column) -> Column:
    """The person whose message was forwarded (`forward_origin.sender_user.id`, or the legacy
    `forward_from.id`); null for forwards from chats, channels or hidden users."""
    return F.coalesce(
        message["forward_origin"]["sender_user"]["id"],
        F.get_json_object(message["forward_from"], "$.id").cast("bigint"),
    )


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
