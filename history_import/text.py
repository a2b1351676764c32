"""Message text: the export's `text` / `text_entities` -> Bot API `text` and `entities`.

Telegram Desktop writes `text` as a plain string when the message has no formatting, else as
a list of plain strings and entity objects (`{"type": "bold", "text": "..."}`), and since
version 4.2 also `text_entities`: the same parts, all as objects (plain ones typed `plain`).
The text is the concatenation of the parts; each typed part becomes a MessageEntity with
offset and length in UTF-16 code units, as the Bot API counts them. Entity types the Bot API
does not know (`bank_card`, `unknown`) are dropped: their text stays. Reads and writes nothing.
"""

from __future__ import annotations

from typing import Any

from history_import.errors import FieldError

#: Export part type -> Bot API MessageEntity type (`plain` is no entity).
ENTITY_TYPES: dict[str, str] = {
    "mention": "mention",
    "hashtag": "hashtag",
    "cashtag": "cashtag",
    "bot_command": "bot_command",
    "link": "url",
    "email": "email",
    "phone": "phone_number",
    "bold": "bold",
    "italic": "italic",
    "underline": "underline",
    "strikethrough": "strikethrough",
    "spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "text_link": "text_link",
    "mention_name": "text_mention",
    "custom_emoji": "custom_emoji",
    "blockquote": "blockquote",
}
PLAIN = "plain"


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (characters outside the BMP count twice)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _parts(field: str, value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise FieldError(field, f"neither a string nor a list: {type(value).__name__}")
    return value


def _part_text(field: str, part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, dict) and isinstance(part.get("text"), str):
        return part["text"]
    raise FieldError(field, f"a part that is neither a string nor an entity: {part!r}")


def plain_text(field: str, value: Any) -> str:
    """The text of a `text`-shaped value (string, or list of strings and entity objects)."""
    if isinstance(value, str):
        return value
    return "".join(_part_text(field, part) for part in _parts(field, value))


def _entity(part: dict[str, Any], offset: int, length: int) -> dict[str, Any] | None:
    kind = ENTITY_TYPES.get(part.get("type", ""))
    if kind is None:
        return None
    entity: dict[str, Any] = {"offset": offset, "length": length, "type": kind}
    if kind == "pre" and isinstance(part.get("language"), str) and part["language"]:
        entity["language"] = part["language"]
    elif kind == "text_link" and isinstance(part.get("href"), str):
        entity["url"] = part["href"]
    elif kind == "text_mention":
        user_id = part.get("user_id")
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            return None
        entity["user"] = {"id": user_id}
    elif kind == "custom_emoji":
        if part.get("document_id") is None:
            return None
        entity["custom_emoji_id"] = str(part["document_id"])
    elif kind == "blockquote" and part.get("collapsed") is True:
        entity["type"] = "expandable_blockquote"
    return entity


def text_and_entities(message: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """(text, entities) of an export message. `text_entities` is used when it spells the
    same text as `text` (it always does in Telegram Desktop's output), else `text` itself."""
    value = message.get("text", "")
    typed = message.get("text_entities")
    if isinstance(value, str) and (
        not typed
        or (
            isinstance(typed, list)
            and len(typed) == 1
            and isinstance(typed[0], dict)
            and typed[0].get("type") == PLAIN
        )
    ):
        return value, []  # the usual message: plain text, no formatting
    text = plain_text("text", value)
    parts: list[Any] = value if isinstance(value, list) else []
    if (
        isinstance(typed, list)
        and typed
        and all(isinstance(p, dict) for p in typed)
        and plain_text("text_entities", typed) == text
    ):
        parts = typed
    if not parts or all(isinstance(p, str) for p in parts):
        return text, []
    entities: list[dict[str, Any]] = []
    offset = 0
    for part in parts:
        chunk = _part_text("text", part)
        length = utf16_length(chunk)
        if isinstance(part, dict) and length and part.get("type") != PLAIN:
            entity = _entity(part, offset, length)
            if entity is not None:
                entities.append(entity)
        offset += length
    return text, entities
