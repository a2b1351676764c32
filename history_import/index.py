"""What the import remembers about the messages of one chat: sender, topic and date by id.

A reply names only the replied-to message's id; the Bot API `reply_to_message` (and the
job's `reply_to_user_id`) needs its sender, and forum topics are found by following replies
to the topic's first message. The most recent WINDOW messages stay in a dict (replies are
mostly to recent messages); older ones move to an SQLite file in a temporary folder, so
memory stays flat however long the chat is. Writes only that temporary file.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
from pathlib import Path
from typing import NamedTuple

WINDOW = 20_000


class Known(NamedTuple):
    """One message as later messages see it. 0 = absent for every field."""

    from_id: int  # `from.id` (a user, or GroupAnonymousBot / Channel_Bot / Telegram)
    sender_chat_id: int  # `sender_chat.id`
    thread_id: int  # forum topic (the id of its topic_created message)
    date: int


class MessageIndex:
    """message id -> Known, for one chat; `close` deletes the spill file."""

    def __init__(self, window: int = WINDOW, spill_dir: str | None = None) -> None:
        self._recent: dict[int, tuple[int, int, int, int]] = {}
        self._window = window
        self._spill_dir = spill_dir
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._db: sqlite3.Connection | None = None

    def __len__(self) -> int:  # the recent part only: used by tests of the spill
        return len(self._recent)

    def put(self, message_id: int, known: tuple[int, int, int, int]) -> None:
        """Remember a message: (from id, sender_chat id, thread id, date), 0 when absent."""
        self._recent[message_id] = known
        if len(self._recent) > 2 * self._window:
            self._spill()

    def get(self, message_id: int) -> Known | None:
        known = self._recent.get(message_id)
        if known is not None:
            return Known(*known)
        if self._db is None:
            return None
        row = self._db.execute(
            "select from_id, sender_chat_id, thread_id, date from known where id = ?",
            (message_id,),
        ).fetchone()
        return Known(*row) if row else None

    def _spill(self) -> None:
        """Move the oldest `window` entries (insertion order) to SQLite."""
        if self._db is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="history-index-", dir=self._spill_dir)
            self._db = sqlite3.connect(Path(self._tmp.name) / "index.sqlite")
            self._db.execute("pragma journal_mode = off")
            self._db.execute("pragma synchronous = off")
            self._db.execute(
                "create table known (id integer primary key, from_id integer, "
                "sender_chat_id integer, thread_id integer, date integer)"
            )
        oldest = list(itertools.islice(self._recent, self._window))
        moved = [(message_id, *self._recent.pop(message_id)) for message_id in oldest]
        self._db.executemany("insert or replace into known values (?, ?, ?, ?, ?)", moved)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
        self._recent.clear()
