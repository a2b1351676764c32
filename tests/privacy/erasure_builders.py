"""Hand-built Telegram updates for the erasure tests, and a lake built from the bundled sample.

Shapes follow the Telegram Bot API documentation (`Update`, `Message`, `User`, `Chat`,
`MessageOrigin*`, `ChatMemberUpdated`, `ChatInviteLink`, `MessageReactionUpdated`,
`ChatJoinRequest`, `Contact`, `UsersShared`, `TextQuote`, `ExternalReplyInfo`): only
documented fields, written out by hand. Writes files only under the folders the tests pass.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Update = dict[str, Any]

KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
DATE = 1_790_000_000  # 2026-09-21 UTC

GROUP: dict[str, Any] = {"id": -1001500000001, "title": "Lake Friends", "type": "supergroup"}
#: The person being forgotten.
MIA: dict[str, Any] = {
    "id": 5550001111,
    "is_bot": False,
    "first_name": "Mia",
    "last_name": "Kowalski",
    "username": "mia_k",
    "language_code": "pl",
}
MIA_CHAT: dict[str, Any] = {
    "id": 5550001111,
    "first_name": "Mia",
    "username": "mia_k",
    "type": "private",
}
#: People who stay.
ZOE: dict[str, Any] = {"id": 5550002222, "is_bot": False, "first_name": "Zoe", "username": "zoe_r"}
LEO: dict[str, Any] = {
    "id": 5550003333,
    "is_bot": False,
    "first_name": "Leo",
    "last_name": "Kowalski",
}
#: Somebody else who took Mia's old username, and somebody else called Mia.
MIA_K_NOW: dict[str, Any] = {
    "id": 5550004444,
    "is_bot": False,
    "first_name": "Max",
    "username": "mia_k",
}
OTHER_MIA: dict[str, Any] = {"id": 5550005555, "is_bot": False, "first_name": "Mia"}
BOT: dict[str, Any] = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Lake Stats",
    "username": "lake_stats_bot",
}


def message(
    update_id: int,
    message_id: int,
    sender: dict[str, Any] | None,
    *,
    chat: dict[str, Any] = GROUP,
    kind: str = "message",
    **fields: Any,
) -> Update:
    """An Update carrying a Message; `fields` default to a short text."""
    body: dict[str, Any] = {"message_id": message_id}
    if sender is not None:
        body["from"] = dict(sender)
    body["chat"] = dict(chat)
    body["date"] = DATE + message_id
    body.update(fields or {"text": f"message {message_id}"})
    return {"update_id": update_id, kind: body}


def embedded(message_id: int, sender: dict[str, Any], text: str) -> dict[str, Any]:
    """A message as Telegram embeds it in another (reply_to_message, pinned_message)."""
    return {
        "message_id": message_id,
        "from": dict(sender),
        "chat": dict(GROUP),
        "date": DATE + message_id,
        "text": text,
    }


def chat_member(
    update_id: int,
    member: dict[str, Any],
    actor: dict[str, Any],
    *,
    old: str = "left",
    new: str = "member",
    invite_link: dict[str, Any] | None = None,
) -> Update:
    body: dict[str, Any] = {
        "chat": dict(GROUP),
        "from": dict(actor),
        "date": DATE + update_id,
        "old_chat_member": {"status": old, "user": dict(member)},
        "new_chat_member": {"status": new, "user": dict(member)},
    }
    if invite_link is not None:
        body["invite_link"] = invite_link
    return {"update_id": update_id, "chat_member": body}


def invite_link(creator: dict[str, Any], name: str = "Meetup flyer") -> dict[str, Any]:
    return {
        "invite_link": "https://t.me/+AbCdEfGhIjKlMnOp",
        "creator": dict(creator),
        "creates_join_request": False,
        "is_primary": False,
        "is_revoked": False,
        "name": name,
    }


def reaction(update_id: int, user: dict[str, Any], message_id: int) -> Update:
    return {
        "update_id": update_id,
        "message_reaction": {
            "chat": dict(GROUP),
            "message_id": message_id,
            "user": dict(user),
            "date": DATE + update_id,
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        },
    }


def join_request(update_id: int, user: dict[str, Any]) -> Update:
    return {
        "update_id": update_id,
        "chat_join_request": {
            "chat": dict(GROUP),
            "from": dict(user),
            "user_chat_id": user["id"],
            "date": DATE + update_id,
        },
    }


def dumps(update: Update) -> str:
    """Compact JSON with raw UTF-8, like the bundled sample."""
    return json.dumps(update, ensure_ascii=False, separators=(",", ":"))


# --- a lake from the bundled sample ----------------------------------------------------------

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "updates.jsonl"
#: The sample's arrival days up to this one are stored as the webhook stores them (one
#: `.json` object per update); later ones as gzip NDJSON batches (history import, Firehose).
LAST_WEBHOOK_DAY = 11


def sample_deliveries() -> Iterator[tuple[datetime, Update]]:
    """The sample's updates with an arrival time: their own date, never going back in time
    (an update without a date, such as a callback query, arrives with the one before)."""
    last = datetime(2026, 11, 2, tzinfo=UTC)
    for line in SAMPLE.read_text("utf-8").splitlines():
        update = json.loads(line)
        payload = next(value for key, value in update.items() if key != "update_id")
        seconds = payload.get("edit_date") or payload.get("date")
        if seconds is None and isinstance(payload.get("message"), dict):
            seconds = payload["message"].get("date")
        moment = datetime.fromtimestamp(seconds, UTC) if seconds else last
        last = max(last, moment)
        yield last, update


def write_gzip_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
