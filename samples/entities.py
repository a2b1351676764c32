"""Message text with its MessageEntity list, from a small template language.

``**bold**`` and `` `code` `` become `bold` / `code` entities; ``{@}`` becomes a mention of
the given user (`@username`, or a `text_mention` when they have none); URLs, @mentions,
#hashtags and /commands are found afterwards, as Telegram's clients do. Offsets and lengths
are counted in UTF-16 code units, as the Bot API does. Reads and writes nothing.
"""

from __future__ import annotations

import functools
import re

from samples.bot_api import JsonObj

_MARKUP = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`|\{@\}")
_AUTO_ENTITY = re.compile(
    r"(?P<url>https?://\S+)|(?P<mention>@\w{5,32})|(?P<hashtag>#\w+)|(?<!\S)(?P<cmd>/\w+(?:@\w+)?)"
)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: MessageEntity offsets/lengths are counted this way."""
    return len(text.encode("utf-16-le")) // 2


def render_text(template: str, mention: JsonObj | None = None) -> tuple[str, list[JsonObj]]:
    """Turn a template (``**bold**``, `` `code` ``, ``{@}``) into (text, MessageEntity list)."""
    parts: list[str] = []
    spans: list[tuple[int, int, str, JsonObj | None]] = []  # python indexes
    pos = 0
    last = 0
    for match in _MARKUP.finditer(template):
        chunk = template[last : match.start()]
        parts.append(chunk)
        pos += len(chunk)
        last = match.end()
        if match.group(1) is not None:
            inner, kind, user = match.group(1), "bold", None
        elif match.group(2) is not None:
            inner, kind, user = match.group(2), "code", None
        elif mention is not None and "username" in mention:
            inner, kind, user = "@" + mention["username"], "", None  # found by the auto pass
        elif mention is not None:
            inner, kind, user = mention["first_name"], "text_mention", mention
        else:
            inner, kind, user = "pessoal", "", None
        parts.append(inner)
        if kind:
            spans.append((pos, pos + len(inner), kind, user))
        pos += len(inner)
    parts.append(template[last:])
    text = "".join(parts)
    for match in _AUTO_ENTITY.finditer(text):
        kind = match.lastgroup or ""
        spans.append((match.start(), match.end(), "bot_command" if kind == "cmd" else kind, None))
    spans.sort(key=lambda s: s[0])
    entities = []
    for start, end, kind, user in spans:
        entity: JsonObj = {
            "offset": utf16_length(text[:start]),
            "length": utf16_length(text[start:end]),
        }
        entity["type"] = kind
        if user is not None:
            entity["user"] = user
        entities.append(entity)
    return text, entities


@functools.lru_cache(maxsize=4096)
def render_static(template: str) -> tuple[str, list[JsonObj]]:
    """`render_text` of a template without a mention, cached (most texts repeat)."""
    # Shared result objects: callers never mutate them (edits build new strings).
    return render_text(template)
