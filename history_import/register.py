"""The import register: what earlier history imports of a chat wrote, so nothing is written twice.

One JSON entry per import that wrote something, under `{raw_uri}/_imports/{chat_id}/gNNNNN.json`
(hidden from the job and Athena: the folder starts with `_`): the generation number, the
export file's digest, the part files written, the message ids imported (as id ranges) and,
for every imported edit, (message id, edit_date). An import loads every entry of the chat
and emits only messages whose id is new, and edits later than the latest one imported for
that message; an export already imported therefore writes nothing, and a later, larger
export adds only what is new. Entries are created exclusively (a second import that
committed first makes this one stop, see `RegisterConflictError`). Reads and writes entries
through a `history_import.store.Store`.
"""

from __future__ import annotations

import bisect
import json
from array import array
from dataclasses import dataclass, field
from typing import Any

from history_import.store import Store
from lake.uri import join_uri
from lake.zones import IMPORTS_FOLDER, import_register_entry_name, import_register_generation

FORMAT = 1


class IdRanges:
    """A set of message ids as sorted, disjoint [lo, hi] ranges (imports are runs of ids)."""

    def __init__(self, ranges: list[list[int]] | None = None) -> None:
        self.ranges: list[list[int]] = []
        for lo, hi in sorted(ranges or []):
            self._insert(lo, hi)

    def __contains__(self, value: int) -> bool:
        if not self.ranges:
            return False
        i = bisect.bisect_right(self.ranges, [value, float("inf")]) - 1
        return i >= 0 and self.ranges[i][0] <= value <= self.ranges[i][1]

    def __len__(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.ranges)

    def add(self, value: int) -> None:
        last = self.ranges[-1] if self.ranges else None
        if last is not None and last[0] <= value <= last[1]:
            return
        if last is not None and value == last[1] + 1:
            last[1] = value  # the usual case: ids arrive in ascending order
            return
        self._insert(value, value)

    def _insert(self, lo: int, hi: int) -> None:
        i = bisect.bisect_left(self.ranges, [lo, lo])
        if i > 0 and self.ranges[i - 1][1] >= lo - 1:  # touches the range before
            i -= 1
            lo, hi = self.ranges[i][0], max(hi, self.ranges[i][1])
        j = i
        while j < len(self.ranges) and self.ranges[j][0] <= hi + 1:  # ... and those after
            hi = max(hi, self.ranges[j][1])
            j += 1
        self.ranges[i:j] = [[lo, hi]]

    def update(self, other: IdRanges) -> None:
        for lo, hi in other.ranges:
            self._insert(lo, hi)


@dataclass
class ChatRegister:
    """Everything earlier imports of one chat wrote."""

    chat_id: int
    generation: int = 0  # the last generation written (0: never imported)
    message_ids: IdRanges = field(default_factory=IdRanges)
    #: message id -> the latest edit_date imported for it.
    edits: dict[int, int] = field(default_factory=dict)
    export_digests: dict[str, int] = field(default_factory=dict)  # digest -> generation

    def new_updates(self, message_id: int, edit_date: int | None) -> tuple[bool, bool]:
        """(emit the message, emit its edit) for a message as this export shows it."""
        if message_id not in self.message_ids:
            return True, edit_date is not None
        return False, edit_date is not None and edit_date > self.edits.get(message_id, 0)


@dataclass
class RegisterEntry:
    """What one import of a chat writes; becomes `gNNNNN.json`."""

    chat_id: int
    generation: int
    export_digest: str
    export_name: str
    imported_at: str
    chat_type: str
    chat_title: str | None
    files: list[str] = field(default_factory=list)
    updates: int = 0
    message_ids: IdRanges = field(default_factory=IdRanges)
    edits: array[int] = field(default_factory=lambda: array("q"))
    cutoff: int | None = None

    def add_edit(self, message_id: int, edit_date: int) -> None:
        self.edits.append(message_id)
        self.edits.append(edit_date)

    def to_json(self) -> bytes:
        body: dict[str, Any] = {
            "format": FORMAT,
            "chat_id": self.chat_id,
            "chat_type": self.chat_type,
            "chat_title": self.chat_title,
            "generation": self.generation,
            "export_digest": self.export_digest,
            "export_name": self.export_name,
            "imported_at": self.imported_at,
            "bot_first_message_cutoff": self.cutoff,
            "updates": self.updates,
            "files": self.files,
            "message_ids": self.message_ids.ranges,
            "edits": [list(self.edits[i : i + 2]) for i in range(0, len(self.edits), 2)],
        }
        return (json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def register_folder(chat_id: int) -> str:
    """The chat's register folder, relative to the raw zone root."""
    return join_uri(IMPORTS_FOLDER, str(chat_id))


def entry_key(chat_id: int, generation: int) -> str:
    return join_uri(register_folder(chat_id), import_register_entry_name(generation))


def load_register(store: Store, chat_id: int) -> ChatRegister:
    """Merge every entry of the chat's register (an empty register when there is none)."""
    register = ChatRegister(chat_id)
    generations = sorted(
        g
        for g in (import_register_generation(n) for n in store.list_names(register_folder(chat_id)))
        if g is not None
    )
    for generation in generations:
        data = store.read(entry_key(chat_id, generation))
        if data is None:
            continue
        body = json.loads(data)
        register.generation = max(register.generation, generation)
        register.message_ids.update(IdRanges(body.get("message_ids", [])))
        for message_id, edit_date in body.get("edits", []):
            if edit_date > register.edits.get(message_id, 0):
                register.edits[message_id] = edit_date
        register.export_digests[body.get("export_digest", "")] = generation
    return register
