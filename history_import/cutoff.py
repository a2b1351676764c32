"""The first message the bot saw in a chat: where a basic group's or private chat's import stops.

Basic groups and private chats number messages per member, so the export cannot be matched
to what the bot saw message by message: the import takes only messages sent before the
first message the bot saw there. Found, in this order:

1. `--bot_first_seen` (an ISO 8601 time, or `none`: the bot saw nothing there);
2. the curated `messages` table (`--curated_uri`): the earliest `sent_at` of the chat among
   rows the webhook delivered (`update_id` below the imported range), read partition by
   partition from the oldest `dt` with DuckDB, stopping at the first partition that has
   the chat (on S3 each partition's files are downloaded to a temporary folder first);
3. the raw zone: the earliest `date` of a message update of the chat that Telegram
   delivered, scanning arrival days from the oldest and stopping one day after the first
   day that has the chat (a late delivery arrives at most a day later).

Reads the curated zone and the raw zone; writes nothing (temporary downloads aside).
"""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from history_import.errors import ImportRefusedError
from history_import.store import Store
from lake.tables import IMPORTED_UPDATE_ID_MIN, MESSAGES
from lake.telegram import MESSAGE_UPDATE_TYPES
from lake.uri import join_uri
from lake.zones import RAW_OBJECT_SUFFIX, is_hidden, is_raw_file, partition_day

NEVER = "none"
LATE_DELIVERY_DAYS = 1


@dataclass(frozen=True)
class FirstSeen:
    """When the bot saw its first message of a chat (None: never), and how that is known."""

    at: int | None
    source: str


def parse_first_seen(text: str) -> int | None:
    """`--bot_first_seen`: ISO 8601 with a zone (or Z) -> Unix seconds; `none` -> None."""
    if text.strip().lower() == NEVER:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise ImportRefusedError(
            f"--bot_first_seen {text!r} is not an ISO 8601 time or 'none'"
        ) from error
    if moment.tzinfo is None:
        raise ImportRefusedError(
            f"--bot_first_seen {text!r} needs a zone (e.g. 2026-11-02T00:05:34Z)"
        )
    return int(moment.timestamp())


def _partitions(store: Store, folder: str) -> list[str]:
    """The `dt=` folders under `folder`, oldest first (the names sort as their dates)."""
    return sorted(n for n in store.list_names(folder) if not is_hidden(n) and partition_day(n))


def first_in_curated(store: Store, chat_id: int) -> int | None:
    """Earliest webhook `sent_at` of the chat in the curated `messages` table, or None."""
    table = MESSAGES.name
    query = (
        "select min(epoch(sent_at)) from read_parquet(?) "
        "where chat_id = ? and (update_id is null or update_id < ?)"
    )
    for partition in _partitions(store, table):
        folder = join_uri(table, partition)
        files = [n for n in store.list_names(folder) if n.endswith(".parquet") and not is_hidden(n)]
        if not files:
            continue
        with contextlib.ExitStack() as stack, duckdb.connect() as con:
            paths = [str(stack.enter_context(store.local_copy(join_uri(folder, n)))) for n in files]
            row = con.execute(query, [paths, chat_id, IMPORTED_UPDATE_ID_MIN]).fetchone()
        if row and row[0] is not None:
            return int(row[0])
    return None


def _message_dates(line: bytes, chat_id: int, needle: bytes) -> int | None:
    if needle not in line:  # cheap filter before parsing
        return None
    try:
        update = json.loads(line)
    except ValueError:
        return None
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        return None
    if update["update_id"] >= IMPORTED_UPDATE_ID_MIN:
        return None
    for kind in MESSAGE_UPDATE_TYPES:
        message = update.get(kind)
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and chat.get("id") == chat_id:
            date = message.get("date")  # type: ignore[union-attr]
            return date if isinstance(date, int) else None
    return None


def first_in_raw(store: Store, chat_id: int) -> int | None:
    """Earliest `date` of a delivered message update of the chat in the raw zone, or None."""
    needle = str(chat_id).encode()
    earliest: int | None = None
    hit_day = None
    for partition in _partitions(store, ""):
        day = partition_day(partition)
        assert day is not None
        if hit_day is not None and (day - hit_day).days > LATE_DELIVERY_DAYS:
            break
        for name in store.list_names(partition):
            if not is_raw_file(name):
                continue
            with contextlib.ExitStack() as stack:
                raw = stack.enter_context(store.open_read(join_uri(partition, name)))
                lines: Iterable[bytes] = raw
                if name.endswith(".gz"):
                    lines = stack.enter_context(gzip.open(raw))
                elif name.endswith(RAW_OBJECT_SUFFIX):  # one update per object, maybe multi-line
                    lines = [raw.read()]
                for line in lines:
                    date = _message_dates(line, chat_id, needle)
                    if date is not None and (earliest is None or date < earliest):
                        earliest = date
                        hit_day = hit_day or day
    return earliest


def find_first_seen(
    chat_id: int, *, explicit: str | None, curated: Store | None, raw: Store
) -> FirstSeen:
    if explicit is not None:
        return FirstSeen(parse_first_seen(explicit), "--bot_first_seen")
    if curated is not None:
        found = first_in_curated(curated, chat_id)
        if found is not None:
            return FirstSeen(found, f"the curated messages table ({curated.uri})")
    found = first_in_raw(raw, chat_id)
    source = f"the raw zone ({raw.uri})"
    return FirstSeen(found, source if found is not None else f"nothing in {source}")
