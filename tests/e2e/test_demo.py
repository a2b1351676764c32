"""The demo path end to end: sample -> HTTP webhook + history import -> raw -> spark-submit
-> views -> HTML.

The expectations come from reading the raw zone the demo wrote (webhook objects and the
import's `.jsonl.gz` lines) with plain `json`, independently of the job and the views; the
counting rules are the ones docs/views.md states, written out here by hand.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import pytest

from scripts import demo

pytestmark = pytest.mark.e2e

TIMEZONE = "America/Sao_Paulo"
DISCUSSION_GROUP = -1002347327719  # "Trilhas, Café & Cerveja": linked to the channel
MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")
# A Message is a content message (a messages row) when it has one of these fields; any
# other Message is a service message (docs/contracts.md, written here by hand).
CONTENT_KEYS = (
    "text",
    "caption",
    "animation",
    "photo",
    "live_photo",
    "video",
    "video_note",
    "voice",
    "audio",
    "document",
    "sticker",
    "venue",
    "location",
    "contact",
    "poll",
    "dice",
    "story",
    "game",
    "paid_media",
    "checklist",
    "giveaway",
    "giveaway_winners",
    "invoice",
)


def raw_updates(raw: Path) -> tuple[list[dict[str, Any]], int]:
    """Every update of the raw zone's day folders, and how many lines/files were read."""
    updates = []
    for path in sorted(raw.glob("dt=*/*")):
        if path.name.endswith(".json"):
            updates.append(json.loads(path.read_text("utf-8")))
        elif path.name.endswith(".jsonl.gz"):
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                updates += [json.loads(line) for line in lines if line.strip()]
    return updates, len(updates)


def content_messages(updates: list[dict[str, Any]]) -> dict[tuple[int, int], dict[str, Any]]:
    """One version of every content message with a usable id, by (chat_id, message_id)."""
    messages: dict[tuple[int, int], dict[str, Any]] = {}
    for update in updates:
        for kind in MESSAGE_KINDS:
            body = update.get(kind)
            if body is None or not any(key in body for key in CONTENT_KEYS):
                continue
            message_id = body.get("message_id")
            if isinstance(message_id, int) and not isinstance(message_id, bool) and message_id > 0:
                messages.setdefault((body["chat"]["id"], message_id), {**body, "_kind": kind})
    return messages


def is_activity(body: dict[str, Any]) -> tuple[bool, int | None]:
    """(an activity message?, the person's id if a person sent it): the sender_type rules."""
    if body["_kind"] in ("channel_post", "edited_channel_post"):
        return True, None
    sender_chat, sender = body.get("sender_chat"), body.get("from") or {}
    if body.get("is_automatic_forward"):
        return False, None
    if sender_chat is not None:
        return sender_chat.get("id") == body["chat"]["id"], None  # anonymous admin: yes
    if sender.get("id") == 777000 or sender.get("is_bot") or not sender:
        return False, None
    return True, sender["id"]


def printed_table(out: str, heading: str) -> list[list[str]]:
    """The rows printed under the first section heading that starts with `heading`."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"== {heading}"))
    rows = []
    for line in lines[start + 3 :]:
        if "|" not in line:
            break
        rows.append([cell.strip() for cell in line.split("|")])
    return rows


def test_demo_runs_the_whole_pipeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lake = tmp_path / "lake"
    assert demo.main(["--lake", str(lake), "--timezone", TIMEZONE]) == 0
    out = capsys.readouterr().out

    updates, lines = raw_updates(lake / "raw")
    webhook_ids = {
        json.loads(line)["update_id"]
        for line in demo.DEFAULT_SAMPLE.read_text("utf-8").splitlines()
    }
    assert webhook_ids <= {update["update_id"] for update in updates}
    messages = content_messages(updates)

    table = pq.read_table(lake / "curated" / "messages")
    keys = list(
        zip(
            table.column("chat_id").to_pylist(), table.column("message_id").to_pylist(), strict=True
        )
    )
    assert len(keys) == len(set(keys))  # one row per message, webhook and history together
    assert set(keys) == set(messages)

    summary = json.loads(next((lake / "curated" / "_runs").glob("*.json")).read_text("utf-8"))
    counts = summary["counts"]
    assert counts["lines_read"] == lines
    assert counts["quarantined"] == 0
    assert counts["new_rows"] == len(messages)

    # daily_activity of the discussion group, worked out from raw.
    day_messages: dict[date, int] = defaultdict(int)
    day_people: dict[date, set[int]] = defaultdict(set)
    zone = ZoneInfo(TIMEZONE)
    for (chat_id, _), body in messages.items():
        if chat_id != DISCUSSION_GROUP:
            continue
        activity, person = is_activity(body)
        day = datetime.fromtimestamp(body["date"], UTC).astimezone(zone).date()
        day_messages[day] += activity
        if person is not None:
            day_people[day].add(person)
    printed = printed_table(out, f"daily_activity: Trilhas, Café & Cerveja 🍻 ({DISCUSSION_GROUP})")
    assert [(row[0], int(row[1]), int(row[2])) for row in printed] == [
        (day.isoformat(), day_messages[day], len(day_people[day])) for day in sorted(day_messages)
    ]
    # A system account or a channel never shows among the group's posters.
    posters = printed_table(out, "user_activity: top 10 posters in Trilhas")
    assert posters and not any(row[0] in ("Telegram", "Dados em 1 Minuto 📊") for row in posters)

    # The busiest group's engagement views and the channel's posts; never an empty table.
    for section in ("message_reactions", "reactions_daily", "user_reactions", "join_sources",
                    "top_inviters", "reply_pairs", "channel posts"):  # fmt: skip
        assert f"== {section}" in out, section
    assert "(0 rows)" not in out
    assert "HTTP 401" in out and "HTTP 400" in out
    page = (lake / "dashboard" / "index.html").read_text("utf-8")
    assert "Trilhas, Café &amp; Cerveja" in page or "Trilhas, Café & Cerveja" in page
