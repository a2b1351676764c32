"""The curated tables, declared once: columns, types, comments, keys, sort order, partition.

Everything else is derived from these specs: the Glue job's Spark `StructType`s
(`glue_jobs.schema`), the Athena DDL and Glue `TableInput` (`athena_views.tables`), the
DuckDB types of the local runner, and the table reference in `docs/tables.md`
(`python -m athena_views ddl --write` regenerates the DDL files and that page).

Types are spelled as in Athena's Hive DDL (`bigint`, `int`, `string`, `boolean`, `timestamp`,
`date`, `double`, `array<...>`), which Spark's `DataFrame.dtypes` spells the same way.
Bookkeeping columns are written by the Glue job after the contract columns (they make
re-runs idempotent) and are not declared to Athena. Reads and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from lake.zones import PARTITION_COLUMN

PARTITION_TYPE = "date"

# --- curated values -----------------------------------------------------------------------

#: `messages.sender_type`, by the first rule that applies (see `glue_jobs.columns`).
SENDER_USER = "user"
SENDER_BOT = "bot"
SENDER_ANONYMOUS_ADMIN = "anonymous_admin"
SENDER_CHANNEL = "channel"
SENDER_AUTO_FORWARD = "auto_forward"
SENDER_SYSTEM = "system"
SENDER_UNKNOWN = "unknown"
SENDER_TYPES: tuple[str, ...] = (
    SENDER_USER,
    SENDER_BOT,
    SENDER_ANONYMOUS_ADMIN,
    SENDER_CHANNEL,
    SENDER_AUTO_FORWARD,
    SENDER_SYSTEM,
    SENDER_UNKNOWN,
)

#: `messages.source` / `member_events.source`: how the lake got the update.
SOURCE_WEBHOOK = "webhook"
SOURCE_DESKTOP_EXPORT = "desktop_export"
#: History imports number their synthetic updates from here up: Telegram's own update ids
#: are far below, so the two never collide and the job tells them apart by the id alone.
IMPORTED_UPDATE_ID_MIN = 1 << 62
#: ... and stay below 2^63 (a signed 64-bit `bigint`).
IMPORTED_UPDATE_ID_END = 1 << 63
#: Basic groups and private chats number messages per member: the exporter's message ids
#: there are not the bot's. Imported messages of those chats get `message_id` = this offset +
#: the export's id, above Telegram's 32-bit ids, so they never share a key with a message the
#: bot saw.
PER_MEMBER_MESSAGE_ID_OFFSET = 1 << 32


def is_imported_update_id(update_id: int) -> bool:
    """True for the synthetic update ids of history imports (source `desktop_export`)."""
    return IMPORTED_UPDATE_ID_MIN <= update_id < IMPORTED_UPDATE_ID_END


EVENT_JOIN = "join"
EVENT_LEAVE = "leave"
EVENT_OTHER = "other"
MEMBER_EVENT_KINDS: tuple[str, ...] = (EVENT_JOIN, EVENT_LEAVE, EVENT_OTHER)
SOURCE_NEW_CHAT_MEMBERS = "new_chat_members"
SOURCE_LEFT_CHAT_MEMBER = "left_chat_member"
SOURCE_CHAT_MEMBER = "chat_member"
MEMBER_EVENT_SOURCES: tuple[str, ...] = (
    SOURCE_NEW_CHAT_MEMBERS,
    SOURCE_LEFT_CHAT_MEMBER,
    SOURCE_CHAT_MEMBER,
    SOURCE_DESKTOP_EXPORT,
)


@dataclass(frozen=True)
class Column:
    """One column: name, Athena (Hive DDL) type, the comment stored in the catalog."""

    name: str
    type: str
    comment: str
    #: Written by the Glue job for its own merges; not part of the Athena table.
    bookkeeping: bool = False
    #: Only a bookkeeping array is never null (Spark reads every Parquet column back as
    #: nullable, so a non-null promise on a contract column could not be kept).
    nullable: bool = True


@dataclass(frozen=True)
class TableSpec:
    """A curated table under `{curated_uri}/{name}/dt=YYYY-MM-DD/`."""

    name: str
    grain: str
    comment: str
    #: Every column written to the files, in file order (contract columns, then bookkeeping);
    #: the partition column is kept apart.
    columns: tuple[Column, ...]
    partition: Column
    #: The columns that identify a row within its partition.
    key: tuple[str, ...]
    #: Row order inside each file (good compression; row-group statistics prune scans).
    sort_by: tuple[str, ...]
    #: Snappy Parquet bytes per row, set above what was measured, for file sizing.
    row_bytes: int

    def __post_init__(self) -> None:
        names = [column.name for column in self.columns]
        if len(set(names)) != len(names) or self.partition.name in names:
            raise ValueError(f"{self.name}: duplicate column names")
        for name in (*self.key, *self.sort_by):
            if name not in names:
                raise ValueError(f"{self.name}: key/sort column {name!r} is not a column")

    @property
    def data_columns(self) -> tuple[Column, ...]:
        """The contract columns (what Athena and the views see), without the partition."""
        return tuple(column for column in self.columns if not column.bookkeeping)

    @property
    def bookkeeping_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.bookkeeping)

    @property
    def file_columns(self) -> tuple[Column, ...]:
        """What the Glue job writes, in order: every column, then the partition column."""
        return (*self.columns, self.partition)

    @property
    def query_columns(self) -> tuple[Column, ...]:
        """What a query over the Athena table sees: contract columns, then the partition."""
        return (*self.data_columns, self.partition)

    def column_names(self, columns: tuple[Column, ...] | None = None) -> tuple[str, ...]:
        return tuple(column.name for column in (self.file_columns if columns is None else columns))


def _partition(comment: str) -> Column:
    return Column(PARTITION_COLUMN, PARTITION_TYPE, comment)


MESSAGES = TableSpec(
    name="messages",
    grain="one row per message (chat_id, message_id), its latest known version",
    comment="Telegram messages, latest version per (chat_id, message_id); dt = UTC send date",
    columns=(
        Column("chat_id", "bigint", "chat.id"),
        Column("message_id", "bigint", "message.message_id (always a positive integer)"),
        Column("message_thread_id", "bigint", "forum topic id (message_thread_id), null if none"),
        Column("update_id", "bigint", "update that produced the kept version"),
        Column("sent_at", "timestamp", "original date of the message (UTC)"),
        Column(
            "edited_at",
            "timestamp",
            "edit_date of the kept version (UTC): its latest edit or live-location move",
        ),
        Column(
            "edit_count",
            "int",
            "distinct edit_date values of the edits seen; moving a live location is no edit",
        ),
        Column("chat_type", "string", "private, group, supergroup or channel"),
        Column("chat_title", "string", "chat.title"),
        Column("user_id", "bigint", "from.id as Telegram sent it (null without from)"),
        Column("user_is_bot", "boolean", "from.is_bot"),
        Column("user_first_name", "string", "from.first_name"),
        Column("user_last_name", "string", "from.last_name"),
        Column("user_username", "string", "from.username"),
        Column("user_language_code", "string", "from.language_code"),
        Column("sender_chat_id", "bigint", "sender_chat.id (anonymous admins, channels)"),
        Column(
            "sender_type",
            "string",
            "who sent it, first rule that applies: channel (channel post), auto_forward "
            "(linked channel post copied), anonymous_admin (sender_chat = chat), channel "
            "(sender_chat), system (from.id 777000), bot, user (from), else unknown",
        ),
        Column(
            "is_automatic_forward",
            "boolean",
            "a post of the linked channel that Telegram copied into its discussion group",
        ),
        Column(
            "content_type",
            "string",
            "animation, photo, video, video_note, voice, audio, document, sticker, venue, "
            "location, contact, poll, dice, story, game, paid_media, checklist, giveaway, "
            "giveaway_winners, invoice, text or other (first present field wins)",
        ),
        Column("text", "string", "text or caption"),
        Column("text_length", "int", "characters in text (0 when null)"),
        Column("word_count", "int", "whitespace-separated words in text (0 when null)"),
        Column(
            "reply_to_message_id",
            "bigint",
            "reply_to_message.message_id; null for the implicit reply to a forum topic root",
        ),
        Column(
            "reply_to_user_id",
            "bigint",
            "reply_to_message.from.id of that reply (null when it is not a reply)",
        ),
        Column("is_forwarded", "boolean", "forward_origin (or legacy forward_date) present"),
        Column(
            "forward_origin_type", "string", "forward_origin.type: user, hidden_user, chat, channel"
        ),
        Column(
            "forward_from_user_id",
            "bigint",
            "forward_origin.sender_user.id: whose message was forwarded, when a person",
        ),
        Column("is_channel_post", "boolean", "came from channel_post or edited_channel_post"),
        Column(
            "source",
            "string",
            "webhook (Telegram delivered it) or desktop_export (imported history)",
        ),
        Column("media_group_id", "string", "album id"),
        Column(
            "edit_update_ids",
            "array<bigint>",
            "update_ids of the edits folded into the row (live location moves included)",
            bookkeeping=True,
            nullable=False,
        ),
        Column(
            "edit_dates",
            "array<bigint>",
            "distinct edit_date values (Unix seconds) of the counted edits",
            bookkeeping=True,
            nullable=False,
        ),
        Column(
            "original_update_id",
            "bigint",
            "update_id of the original message, null until it arrives",
            bookkeeping=True,
        ),
        Column(
            "sender_update_id",
            "bigint",
            "update the sender columns come from: the latest webhook version, else imported",
            bookkeeping=True,
        ),
    ),
    partition=_partition("UTC date of sent_at"),
    key=("chat_id", "message_id"),
    # Message ids grow with time in a chat: files compress well and prune by chat.
    sort_by=("chat_id", "message_id"),
    # 46 measured on a synthetic 1M-update day; higher so that long texts still fit.
    row_bytes=64,
)

MEMBER_EVENTS = TableSpec(
    name="member_events",
    grain="one row per member change (join, leave, other) seen in a chat",
    comment="Telegram member joins and leaves; dt = UTC date of occurred_at",
    columns=(
        Column("chat_id", "bigint", "chat.id"),
        Column("user_id", "bigint", "the member who joined or left"),
        Column("event", "string", "join, leave or other"),
        Column("occurred_at", "timestamp", "message.date or chat_member.date (UTC)"),
        Column(
            "source",
            "string",
            "new_chat_members, left_chat_member, chat_member or desktop_export",
        ),
        Column("update_id", "bigint", "update that carried the change"),
        Column("user_is_bot", "boolean", "the member is a bot"),
        Column("user_first_name", "string", "the member first_name"),
        Column("user_username", "string", "the member username"),
        Column("old_status", "string", "chat_member only: old_chat_member.status"),
        Column("new_status", "string", "chat_member only: new_chat_member.status"),
        Column(
            "actor_user_id",
            "bigint",
            "who performed it: ChatMemberUpdated.from, or the from of the service message",
        ),
        Column(
            "invite_link",
            "string",
            "the invite link used to join: its name when set, else its invite_link text",
        ),
        Column("via_join_request", "boolean", "joined by an approved join request"),
        Column("via_chat_folder_invite_link", "boolean", "joined through a chat folder link"),
    ),
    partition=_partition("UTC date of occurred_at"),
    key=("update_id", "user_id", "source"),
    sort_by=("update_id", "user_id", "source"),
    row_bytes=32,
)

CHAT_MIGRATIONS = TableSpec(
    name="chat_migrations",
    grain="one row per group upgraded to a supergroup (from_chat_id, to_chat_id)",
    comment="Group to supergroup migrations: the chat id changes; dt = UTC date of migrated_at",
    columns=(
        Column("from_chat_id", "bigint", "id of the basic group (the chat of migrate_to_chat_id)"),
        Column("to_chat_id", "bigint", "id of the supergroup (the chat of migrate_from_chat_id)"),
        Column("migrated_at", "timestamp", "date of the earliest service message (UTC)"),
        Column("update_id", "bigint", "update of the earliest service message"),
    ),
    partition=_partition("UTC date of migrated_at"),
    key=("from_chat_id", "to_chat_id"),
    sort_by=("from_chat_id", "to_chat_id"),
    row_bytes=32,
)

REACTIONS = TableSpec(
    name="reactions",
    grain=(
        "one row per reaction named in a message_reaction update (old or new) or counted "
        "in a message_reaction_count update (update_id, reaction_type, reaction)"
    ),
    comment="Reactions set, removed and counted on messages; dt = UTC date of reacted_at",
    columns=(
        Column("chat_id", "bigint", "chat.id"),
        Column("message_id", "bigint", "the message reacted to"),
        Column("update_id", "bigint", "the reaction update"),
        Column("reacted_at", "timestamp", "date of the update (UTC)"),
        Column("update_type", "string", "message_reaction or message_reaction_count"),
        Column("actor_user_id", "bigint", "message_reaction: user.id of who reacted"),
        Column(
            "actor_chat_id",
            "bigint",
            "message_reaction: actor_chat.id when an anonymous admin or a channel reacted",
        ),
        Column("reaction_type", "string", "emoji, custom_emoji or paid; null: no reaction"),
        Column("reaction", "string", "the emoji, the custom_emoji_id, or paid"),
        Column("was_set", "boolean", "message_reaction: in old_reaction"),
        Column(
            "is_set",
            "boolean",
            "message_reaction: in new_reaction (the reactions of the actor after it)",
        ),
        Column("total_count", "int", "message_reaction_count: anonymous total of the reaction"),
    ),
    partition=_partition("UTC date of reacted_at"),
    key=("update_id", "reaction_type", "reaction"),
    sort_by=("chat_id", "message_id", "update_id"),
    row_bytes=32,
)

JOIN_REQUESTS = TableSpec(
    name="join_requests",
    grain="one row per chat_join_request update",
    comment="Requests to join a chat that needs approval; dt = UTC date of requested_at",
    columns=(
        Column("chat_id", "bigint", "chat.id"),
        Column("user_id", "bigint", "from.id: who asked to join"),
        Column("requested_at", "timestamp", "date of the request (UTC)"),
        Column("update_id", "bigint", "the chat_join_request update"),
        Column(
            "invite_link",
            "string",
            "the invite link used: its name when set, else its invite_link text",
        ),
    ),
    partition=_partition("UTC date of requested_at"),
    key=("update_id",),
    sort_by=("chat_id", "update_id"),
    row_bytes=24,
)

TABLES: dict[str, TableSpec] = {
    table.name: table
    for table in (MESSAGES, MEMBER_EVENTS, CHAT_MIGRATIONS, REACTIONS, JOIN_REQUESTS)
}
