"""Export chats -> Bot API chats: id, type and title, and which chats an import takes.

Telegram Desktop writes a chat's `id` as its bare id and its `type` as one of
`personal_chat`, `bot_chat`, `saved_messages`, `replies`, `verification_codes`,
`private_group`, `private_supergroup`, `public_supergroup`, `private_channel`,
`public_channel`. The Bot API id is `-100<id>` (-(10^12 + id)) for supergroups and channels,
`-<id>` for basic groups and `<id>` for private chats. Exports older than Telegram Desktop
2.7 (April 2021) wrote a group's or channel's id with the type in its high bits (2 << 32 |
id); those are decoded. Basic groups and private chats number messages per member (the
exporter's ids are not the bot's): their messages are imported with
`lake.tables.PER_MEMBER_MESSAGE_ID_OFFSET` added, and only from before the first message the
bot saw there. Reads and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lake.tables import PER_MEMBER_MESSAGE_ID_OFFSET

PRIVATE = "private"
GROUP = "group"
SUPERGROUP = "supergroup"
CHANNEL = "channel"

#: Export chat type -> Bot API chat type.
CHAT_TYPES: dict[str, str] = {
    "personal_chat": PRIVATE,
    "bot_chat": PRIVATE,
    "saved_messages": PRIVATE,
    "replies": PRIVATE,
    "verification_codes": PRIVATE,
    "private_group": GROUP,
    "private_supergroup": SUPERGROUP,
    "public_supergroup": SUPERGROUP,
    "private_channel": CHANNEL,
    "public_channel": CHANNEL,
}
#: What a full-account export imports without `--chat`: the chats a group bot can be in.
DEFAULT_BOT_API_TYPES: tuple[str, ...] = (GROUP, SUPERGROUP, CHANNEL)
CHANNEL_ID_BASE = 10**12
LEGACY_CHAT_PEER_TAG = 2  # Telegram Desktop < 2.7: group and channel ids were 2 << 32 | id
#: A supergroup export lists the messages of the basic group it was upgraded from first, with
#: this added to their ids (Telegram Desktop's kMigratedMessagesIdShift).
MIGRATED_MESSAGE_ID_SHIFT = -1_000_000_000


@dataclass
class ExportChat:
    """One chat as the export names it; `message_count` is known after a full-account
    export's first pass (None for a single-chat export)."""

    name: str | None
    type: str | None
    id: int | None
    left: bool = False
    message_count: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name!r} ({self.type}, id {self.id})"


@dataclass
class BotApiChat:
    """A chat in Bot API terms, and how its message ids relate to the bot's."""

    id: int
    type: str
    title: str | None
    export: ExportChat | None = None
    #: Added to export message ids: 0 in supergroups and channels (ids shared by everyone),
    #: PER_MEMBER_MESSAGE_ID_OFFSET in basic groups and private chats.
    message_id_offset: int = 0

    @property
    def per_member_ids(self) -> bool:
        return self.type in (GROUP, PRIVATE)

    def obj(self) -> dict[str, Any]:
        """The Chat object as messages carry it (title, or first_name of a private chat)."""
        chat: dict[str, Any] = {"id": self.id}
        if self.title is not None:
            chat["first_name" if self.type == PRIVATE else "title"] = self.title
        chat["type"] = self.type
        return chat


def bare_id(export_type: str, value: int) -> int:
    """The bare id of a chat, decoding the pre-2.7 tagged form of groups and channels."""
    if CHAT_TYPES.get(export_type) != PRIVATE and value >> 32 == LEGACY_CHAT_PEER_TAG:
        return value & 0xFFFFFFFF
    return value


def bot_api_id(bot_type: str, bare: int) -> int:
    if bot_type in (SUPERGROUP, CHANNEL):
        return -(CHANNEL_ID_BASE + bare)
    if bot_type == GROUP:
        return -bare
    return bare


def bot_api_chat(chat: ExportChat) -> BotApiChat:
    """The Bot API chat of an export chat whose type and id were checked (`chat_problem`)."""
    assert chat.type is not None and chat.id is not None
    bot_type = CHAT_TYPES[chat.type]
    result = BotApiChat(
        id=bot_api_id(bot_type, bare_id(chat.type, chat.id)),
        type=bot_type,
        title=chat.name,
        export=chat,
    )
    if result.per_member_ids:
        result.message_id_offset = PER_MEMBER_MESSAGE_ID_OFFSET
    return result


def legacy_group_chat(migrated_from_chat_id: int, title: str | None) -> BotApiChat:
    """The basic group a supergroup was upgraded from (`--migrated_from_chat_id`)."""
    return BotApiChat(
        id=-abs(migrated_from_chat_id),
        type=GROUP,
        title=title,
        message_id_offset=PER_MEMBER_MESSAGE_ID_OFFSET,
    )


def chat_problem(chat: ExportChat) -> str | None:
    """Why a chat cannot be imported at all (reason text), or None."""
    if chat.problems:
        return "; ".join(chat.problems)
    if not isinstance(chat.type, str) or chat.type not in CHAT_TYPES:
        return f"unknown chat type {chat.type!r}"
    if not isinstance(chat.id, int) or isinstance(chat.id, bool) or chat.id <= 0:
        return f"no usable chat id ({chat.id!r})"
    return None


def selector_matches(chat: ExportChat, selector: str) -> bool:
    """`--chat` matches the bare id, the Bot API id, or the name (case-insensitive)."""
    if chat_problem(chat) is None:
        api = bot_api_chat(chat)
        if selector.lstrip("-").isdigit() and int(selector) in (chat.id, api.id):
            return True
    return chat.name is not None and chat.name.casefold() == selector.strip().casefold()
