"""The bundled export (samples/history/result.json): it is what its generator writes, it
imports cleanly, and it overlaps the webhook sample as samples/history/README.md says.

Reads samples/updates.jsonl and samples/history/result.json; writes under tmp dirs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from samples.history_export import build_export, write
from tests.history.history_helpers import run, written_updates

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "history" / "result.json"
WEBHOOK = REPO / "samples" / "updates.jsonl"
FORUM = -1001707924673
BOT_ID = 7412093385


def webhook_forum() -> tuple[dict[int, dict[str, Any]], dict[int, list[int]]]:
    """The forum's messages the webhook delivered (first copy) and their edit dates."""
    messages: dict[int, dict[str, Any]] = {}
    edits: dict[int, list[int]] = {}
    for line in WEBHOOK.read_text(encoding="utf-8").splitlines():
        update = json.loads(line)
        if "message" in update and update["message"]["chat"]["id"] == FORUM:
            messages.setdefault(update["message"]["message_id"], update["message"])
        if "edited_message" in update and update["edited_message"]["chat"]["id"] == FORUM:
            edited = update["edited_message"]
            edits.setdefault(edited["message_id"], []).append(edited["edit_date"])
    return messages, edits


def test_the_committed_sample_is_what_the_generator_writes(tmp_path: Path) -> None:
    fresh = tmp_path / "result.json"
    write(build_export(WEBHOOK), fresh)
    assert fresh.read_bytes() == SAMPLE.read_bytes()


def test_the_sample_imports_cleanly(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    report = run(SAMPLE, raw)
    assert set(report.skipped) == {"content_not_exported"}  # dice and stories
    assert report.chats[0].chat_id == FORUM
    totals = report.totals()
    assert totals["messages_read"] == 2933
    assert totals["member_events"] >= 6  # joins and leaves before the bot, the bot's join
    updates = written_updates(raw)
    first = min(u["message"]["date"] for u in updates if "message" in u)
    assert first < 1_791_400_000  # 2026-10-07: weeks before the webhook sample starts


def test_the_overlap_has_the_webhooks_ids_dates_and_senders(tmp_path: Path) -> None:
    delivered, edits = webhook_forum()
    export = json.loads(SAMPLE.read_text(encoding="utf-8"))["messages"]
    overlap = [m for m in export if m["id"] >= min(delivered)]
    assert overlap, "the export must overlap the webhook sample"
    for message in overlap:
        if message["id"] not in delivered:
            assert message["from_id"] == f"user{BOT_ID}"  # the bot's own messages only
            continue
        original = delivered[message["id"]]
        assert int(message["date_unixtime"]) == original["date"]
        if "sender_chat" in original:  # anonymous admin: the forum itself, channel<bare id>
            peer = f"channel{-original['sender_chat']['id'] - 10**12}"
        else:
            peer = f"user{original['from']['id']}"
        assert message.get("from_id", message.get("actor_id")) == peer
    later = [
        m["id"]
        for m in overlap
        if "edited_unixtime" in m and int(m["edited_unixtime"]) > max(edits.get(m["id"], [0]))
    ]
    assert later == [48492, 48633, 48667]
    raw = tmp_path / "raw"
    run(SAMPLE, raw)
    imported_edits = {
        u["edited_message"]["message_id"]: u["edited_message"]["edit_date"]
        for u in written_updates(raw)
        if "edited_message" in u
    }
    for message_id in later:
        assert imported_edits[message_id] > max(edits.get(message_id, [0]))
