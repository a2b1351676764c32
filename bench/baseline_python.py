"""Baseline A: one Python process, in the original course project's style.

    python -m bench.baseline_python --raw DIR --out DIR --start_date D --end_date D

Reads the raw window (`dt=.../*.json` with one `json.load` per file, `*.jsonl[.gz]` line by
line), flattens message updates to the curated `messages` columns and member changes to
`member_events`, drops repeated update_ids, keeps the latest version of each
(chat_id, message_id) by (edit_date, update_id), and writes snappy Parquet with an explicit
pyarrow schema to `{out}/messages/dt=.../` and `{out}/member_events/dt=.../`. Unparseable
lines are counted (not written: the baselines do not implement quarantine). Prints one JSON
line of counts. No Spark, no threads: the yardstick the Glue job is compared with.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from bench.arrow import arrow_schema
from bench.rawfiles import raw_files
from lake.tables import (
    IMPORTED_UPDATE_ID_MIN,
    MEMBER_EVENTS,
    MESSAGES,
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
    CHANNEL_UPDATE_TYPES,
    CONTENT_TYPE_FIELDS,
    EDITED_MESSAGE_TYPES,
    IN_CHAT_STATUSES,
    MEMBER_SERVICE_FIELDS,
    MESSAGE_UPDATE_TYPES,
    OUT_OF_CHAT_STATUSES,
    RESTRICTED_STATUS,
    TELEGRAM_SERVICE_USER_ID,
)
from lake.zones import PARTITION_COLUMN

JsonObj = dict[str, Any]

MESSAGE_KINDS = MESSAGE_UPDATE_TYPES
EDIT_KINDS = EDITED_MESSAGE_TYPES
CHANNEL_KINDS = CHANNEL_UPDATE_TYPES
MEMBER_FIELDS = MEMBER_SERVICE_FIELDS
# The Glue job's vocabulary (`lake.telegram`); `restricted` counts as present here (the
# baseline does not look at `is_member`).
PRESENT_STATUSES = frozenset((*IN_CHAT_STATUSES, RESTRICTED_STATUS))
ABSENT_STATUSES = frozenset(OUT_OF_CHAT_STATUSES)

MESSAGES_SCHEMA = arrow_schema(MESSAGES)
MEMBER_EVENTS_SCHEMA = arrow_schema(MEMBER_EVENTS)


def iter_updates(files: Sequence[Path]) -> Iterator[Any]:
    """Parsed JSON values of the raw files; None for a line that does not parse."""
    for path in files:
        name = path.name
        if name.endswith(".json"):
            with path.open("rb") as fh:
                try:
                    yield json.load(fh)
                except ValueError:
                    yield None
            continue
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rb") as fh:
            for line in fh:
                if line.strip():
                    try:
                        yield json.loads(line)
                    except ValueError:
                        yield None


def _ts(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _sender_type(kind: str, msg: JsonObj, sender: JsonObj, sender_chat: JsonObj) -> str:
    if kind in CHANNEL_KINDS:
        return SENDER_CHANNEL
    if msg.get("is_automatic_forward"):
        return SENDER_AUTO_FORWARD
    if sender_chat and sender_chat.get("id") == msg["chat"]["id"]:
        return SENDER_ANONYMOUS_ADMIN
    if sender_chat:
        return SENDER_CHANNEL
    if sender.get("id") == TELEGRAM_SERVICE_USER_ID:
        return SENDER_SYSTEM
    if sender.get("is_bot"):
        return SENDER_BOT
    return SENDER_USER if sender else SENDER_UNKNOWN


def message_row(update_id: int, kind: str, msg: JsonObj) -> JsonObj | None:
    """A `messages` row for one message version; None if it is not a content message."""
    chat = msg.get("chat")
    message_id = msg.get("message_id")
    if not isinstance(chat, dict) or "id" not in chat:
        return None
    # An allow-list of content, as the job: anything else is a service message.
    content = next((kind for field, kind in CONTENT_TYPE_FIELDS if field in msg), None)
    if content is None and "caption" not in msg:
        return None
    if not isinstance(message_id, int) or message_id <= 0:
        return None
    sender = msg.get("from") or {}
    sender_chat = msg.get("sender_chat") or {}
    reply = msg.get("reply_to_message") or {}
    text = msg.get("text", msg.get("caption"))
    origin = msg.get("forward_origin")
    sent = _ts(msg["date"])
    edit_date = msg.get("edit_date")
    return {
        "chat_id": chat["id"],
        "message_id": msg["message_id"],
        "message_thread_id": msg.get("message_thread_id"),
        "update_id": update_id,
        "sent_at": sent,
        "edited_at": _ts(edit_date) if edit_date is not None else None,
        "edit_count": 0,
        "chat_type": chat.get("type"),
        "chat_title": chat.get("title"),
        "user_id": sender.get("id"),
        "user_is_bot": sender.get("is_bot"),
        "user_first_name": sender.get("first_name"),
        "user_last_name": sender.get("last_name"),
        "user_username": sender.get("username"),
        "user_language_code": sender.get("language_code"),
        "sender_chat_id": sender_chat.get("id"),
        "sender_type": _sender_type(kind, msg, sender, sender_chat),
        "is_automatic_forward": bool(msg.get("is_automatic_forward")),
        "content_type": content or "other",
        "text": text,
        "text_length": len(text) if text else 0,
        "word_count": len(text.split()) if text else 0,
        "reply_to_message_id": reply.get("message_id"),
        "reply_to_user_id": (reply.get("from") or {}).get("id"),
        "is_forwarded": origin is not None or "forward_date" in msg,
        "forward_origin_type": origin.get("type") if isinstance(origin, dict) else None,
        "forward_from_user_id": (
            (origin.get("sender_user") or {}).get("id") if isinstance(origin, dict) else None
        ),
        "is_channel_post": kind in CHANNEL_KINDS,
        "source": SOURCE_WEBHOOK if update_id < IMPORTED_UPDATE_ID_MIN else SOURCE_DESKTOP_EXPORT,
        "media_group_id": msg.get("media_group_id"),
        PARTITION_COLUMN: sent.date(),
    }


def _member_row(
    update_id: int, chat_id: int, user: JsonObj, *, event: str, when: int, source: str
) -> JsonObj:
    occurred = _ts(when)
    return {
        "chat_id": chat_id,
        "user_id": user.get("id"),
        "event": event,
        "occurred_at": occurred,
        "source": source,
        "update_id": update_id,
        "user_is_bot": user.get("is_bot"),
        "user_first_name": user.get("first_name"),
        "user_username": user.get("username"),
        "old_status": None,
        "new_status": None,
        PARTITION_COLUMN: occurred.date(),
    }


def member_rows(update_id: int, kind: str, payload: JsonObj) -> list[JsonObj]:
    """member_events rows of a service message or a chat_member update (maybe none)."""
    if kind == "chat_member":
        user = (payload.get("new_chat_member") or {}).get("user") or {}
        old = (payload.get("old_chat_member") or {}).get("status")
        new = (payload.get("new_chat_member") or {}).get("status")
        if old in ABSENT_STATUSES and new in PRESENT_STATUSES:
            event = "join"
        elif old in PRESENT_STATUSES and new in ABSENT_STATUSES:
            event = "leave"
        else:
            event = "other"
        row = _member_row(
            update_id,
            payload["chat"]["id"],
            user,
            event=event,
            when=payload["date"],
            source="chat_member",
        )
        row["old_status"], row["new_status"] = old, new
        return [row]
    chat_id, when = payload["chat"]["id"], payload["date"]
    rows = [
        _member_row(update_id, chat_id, u, event="join", when=when, source="new_chat_members")
        for u in payload.get("new_chat_members") or []
    ]
    if "left_chat_member" in payload:
        left = payload["left_chat_member"]
        rows.append(
            _member_row(
                update_id, chat_id, left, event="leave", when=when, source="left_chat_member"
            )
        )
    return rows


def transform(updates: Iterator[Any]) -> tuple[list[JsonObj], list[JsonObj], dict[str, int]]:
    """(messages rows, member_events rows, counts) for a stream of parsed updates."""
    seen: set[int] = set()
    latest: dict[tuple[int, int], JsonObj] = {}
    edits: dict[tuple[int, int], set[int]] = {}
    members: list[JsonObj] = []
    counts = {"lines_read": 0, "duplicates": 0, "quarantined": 0, "ignored": 0}
    for update in updates:
        counts["lines_read"] += 1
        update_id = update.get("update_id") if isinstance(update, dict) else None
        if type(update_id) is not int:
            counts["quarantined"] += 1
            continue
        if update_id in seen:
            counts["duplicates"] += 1
            continue
        seen.add(update_id)
        kind = next((k for k in update if k != "update_id"), "")
        payload = update.get(kind)
        if not isinstance(payload, dict):
            counts["ignored"] += 1
            continue
        try:
            if kind == "chat_member" or (
                kind in MESSAGE_KINDS and any(f in payload for f in MEMBER_FIELDS)
            ):
                members.extend(member_rows(update_id, kind, payload))
                continue
            row = message_row(update_id, kind, payload) if kind in MESSAGE_KINDS else None
        except (KeyError, TypeError, ValueError, OverflowError):
            counts["quarantined"] += 1
            continue
        if row is None:
            counts["ignored"] += 1
            continue
        key = (row["chat_id"], row["message_id"])
        if kind in EDIT_KINDS:
            edits.setdefault(key, set()).add(update_id)
        kept = latest.get(key)
        if kept is None or _version(row) > _version(kept):
            latest[key] = row
    messages = list(latest.values())
    for row in messages:
        row["edit_count"] = len(edits.get((row["chat_id"], row["message_id"]), ()))
    return messages, members, counts


def _version(row: JsonObj) -> tuple[float, int]:
    edited = row["edited_at"]
    return (edited.timestamp() if edited is not None else -1.0, row["update_id"])


def write_table(rows: list[JsonObj], schema: pa.Schema, out: Path) -> None:
    """Snappy Parquet, Hive partitions by `dt`, one file per partition."""
    if not rows:
        return
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_to_dataset(
        table,
        root_path=str(out),
        partition_cols=[PARTITION_COLUMN],
        compression="snappy",
        existing_data_behavior="delete_matching",
    )


def run(raw: Path, out: Path, start_date: str, end_date: str) -> dict[str, int]:
    files = raw_files(raw, start_date, end_date)
    messages, members, counts = transform(iter_updates(files))
    write_table(messages, MESSAGES_SCHEMA, out / "messages")
    write_table(members, MEMBER_EVENTS_SCHEMA, out / "member_events")
    return {
        **counts,
        "files": len(files),
        "messages": len(messages),
        "member_events": len(members),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline_python")
    parser.add_argument("--raw", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--start_date", required=True)
    parser.add_argument("--end_date", required=True)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.raw, args.out, args.start_date, args.end_date)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
