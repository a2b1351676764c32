"""Reading a Telegram Desktop JSON export as a stream: which chats it holds, then their messages.

Two shapes exist. "Export chat history" (a chat's menu) writes `result.json` as one chat:
`{"name", "type", "id", "messages": [...]}`. "Export Telegram data" (Settings > Advanced)
writes a full-account `result.json`: `{"about", "personal_information", ..., "chats":
{"about", "list": [chat, ...]}, "left_chats": {"about", "list": [...]}}`, each chat shaped
as above. Anything else is refused (`NotAnExportError`).

Messages are parsed by ijson's C backend (`items`), one object at a time: memory does not
grow with the file. A single-chat export names its chat before its messages, so one pass
does. A full-account export first gets a quick pass over the parse events that collects every
chat's name, type, id and message count (and checks the whole file is valid JSON), then the
messages pass assigns messages to chats by those counts. Both shapes are hashed on the way
(the digest names the import's files). Reads the export file only.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson

from history_import.chats import ExportChat
from history_import.errors import NotAnExportError

SINGLE = "chat"
ACCOUNT = "account"
CHATS_ITEM = "chats.list.item"
LEFT_ITEM = "left_chats.list.item"
SCALARS = ("string", "number", "boolean", "null")
VALUE_STARTS = ("start_map", "start_array", *SCALARS)
HEADER_KEYS = ("name", "type", "id")
READ_BYTES = 1 << 20

Progress = Callable[[int], None]


class ReadCounter:
    """A file wrapper that hashes what is read and reports the position."""

    def __init__(self, file: IO[bytes], hasher: Any = None, progress: Progress | None = None):
        self._file = file
        self._hasher = hasher
        self._progress = progress
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.position += len(data)
        if self._hasher is not None:
            self._hasher.update(data)
        if self._progress is not None:
            self._progress(self.position)
        return data


@dataclass
class Export:
    path: Path
    kind: str  # SINGLE or ACCOUNT
    size: int
    digest: str = ""
    chats: list[ExportChat] = field(default_factory=list)


def _refuse(path: Path, why: str) -> NotAnExportError:
    return NotAnExportError(
        f"{path} is not a Telegram Desktop JSON export: {why}. Export it from Telegram Desktop "
        "with format 'Machine-readable JSON' (see docs/history-import.md). Nothing was written."
    )


def _new_hasher() -> Any:
    return hashlib.blake2b(digest_size=8)


def _head(path: Path) -> tuple[str, ExportChat]:
    """The export's shape and, for a single chat, its header (read from the first events)."""
    chat = ExportChat(name=None, type=None, id=None)
    with path.open("rb") as file:
        events = ijson.parse(file, use_float=True)
        try:
            first = next(events, None)
            if first is None or first[:2] != ("", "start_map"):
                raise _refuse(path, "its top level is not a JSON object")
            for prefix, event, value in events:
                if prefix == "" and event == "map_key" and value in ("messages", "chats"):
                    return (SINGLE if value == "messages" else ACCOUNT), chat
                if prefix in HEADER_KEYS and event in SCALARS:
                    setattr(chat, prefix, value)
                if prefix == "" and event == "end_map":
                    break
        except ijson.JSONError as error:
            raise _refuse(path, f"invalid JSON ({error})") from error
    raise _refuse(path, "it has neither 'messages' (one chat) nor 'chats' (a full account)")


def _single_header(path: Path, chat: ExportChat) -> None:
    """Name, type and id of a single-chat export that lists them after its messages."""
    for key in HEADER_KEYS:
        if getattr(chat, key) is None:
            with path.open("rb") as file:
                value = next(ijson.items(file, key, use_float=True), None)
            setattr(chat, key, value)


def _account_chats(path: Path, progress: Progress | None) -> tuple[list[ExportChat], str]:
    """Every chat of a full-account export with its message count, and the file's digest."""
    wanted = {
        (base, event) for base in (CHATS_ITEM, LEFT_ITEM) for event in ("start_map", "end_map")
    }
    for base in (CHATS_ITEM, LEFT_ITEM):
        wanted |= {(f"{base}.{key}", event) for key in HEADER_KEYS for event in SCALARS}
        wanted |= {(f"{base}.messages.item", event) for event in VALUE_STARTS}
    chats: list[ExportChat] = []
    current: ExportChat | None = None
    hasher = _new_hasher()
    with path.open("rb") as file:
        reader = ReadCounter(file, hasher, progress)
        a, b = itertools.tee(ijson.parse(reader, use_float=True))
        # Selection in C (map/compress): Python sees only the few events kept.
        kept = itertools.compress(a, map(wanted.__contains__, map(operator.itemgetter(0, 1), b)))
        try:
            for prefix, event, value in kept:
                if prefix in (CHATS_ITEM, LEFT_ITEM):
                    if event == "start_map":
                        current = ExportChat(
                            None, None, None, left=prefix == LEFT_ITEM, message_count=0
                        )
                        chats.append(current)
                    else:
                        current = None
                elif current is not None and prefix.endswith(".messages.item"):
                    current.message_count = (current.message_count or 0) + 1
                elif current is not None:
                    key = prefix.rsplit(".", 1)[1]
                    if key in ("type", "name") and not (value is None or isinstance(value, str)):
                        current.problems.append(f"{key} is not a string")
                    setattr(current, key, value)
            while reader.read(READ_BYTES):  # the digest covers the whole file
                pass
        except ijson.JSONError as error:
            raise _refuse(path, f"invalid JSON ({error})") from error
    return chats, hasher.hexdigest()


def _digest(path: Path, progress: Progress | None) -> str:
    hasher = _new_hasher()
    with path.open("rb") as file:
        reader = ReadCounter(file, hasher, progress)
        while reader.read(READ_BYTES):
            pass
    return str(hasher.hexdigest())


def open_export(path: Path, progress: Progress | None = None) -> Export:
    """Check the file is an export and list its chats (`NotAnExportError` otherwise)."""
    if not path.is_file():
        raise NotAnExportError(f"{path}: no such file")
    kind, head = _head(path)
    export = Export(path=path, kind=kind, size=path.stat().st_size)
    if kind == SINGLE:
        if None in (head.type, head.id):
            _single_header(path, head)
        if head.type is None and head.id is None:
            raise _refuse(path, "its chat has neither 'type' nor 'id'")
        export.chats = [head]
        export.digest = _digest(path, progress)
    else:
        export.chats, export.digest = _account_chats(path, progress)
    return export


def iter_messages(export: Export, progress: Progress | None = None) -> Iterator[tuple[int, Any]]:
    """(index of the chat in `export.chats`, export message) for every message, in file order.

    Left chats of a full-account export (`left_chats`) hold only the exporter's own
    messages and are not read. Raises NotAnExportError when the JSON breaks off (a truncated file).
    """
    with export.path.open("rb") as file:
        reader = ReadCounter(file, progress=progress)
        if export.kind == SINGLE:
            prefix = "messages.item"
            owners: Iterator[int] = itertools.repeat(0)
        else:
            prefix = f"{CHATS_ITEM}.messages.item"
            owners = itertools.chain.from_iterable(
                itertools.repeat(i, chat.message_count or 0)
                for i, chat in enumerate(export.chats)
                if not chat.left
            )
        try:
            yield from zip(owners, ijson.items(reader, prefix, use_float=True), strict=False)
        except ijson.JSONError as error:
            raise _refuse(
                export.path, f"invalid JSON at byte {reader.position} ({error})"
            ) from error
