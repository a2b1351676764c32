"""Tests of the sample generator: determinism, Bot API shapes, and coverage of every kind.

Reads the committed `samples/updates.jsonl`; writes only to pytest tmp dirs.
"""

from __future__ import annotations

import gzip
import itertools
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from samples.entities import render_text
from samples.generate import main
from samples.simulation import generate_updates
from samples.writers import write_jsonl

pytestmark = pytest.mark.unit

# Every update type the Bot API may send that the sample is expected to hold (issue 2).
REQUIRED_UPDATE_TYPES = {
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "chat_member",
    "message_reaction",
    "callback_query",
}
KNOWN_UPDATE_TYPES = REQUIRED_UPDATE_TYPES | {
    "my_chat_member",
    "chat_join_request",
    "message_reaction_count",
    "inline_query",
    "poll",
    "poll_answer",
}
# Content fields of a Message, one per content kind of the curated contract.
REQUIRED_CONTENT_KEYS = {
    "text",
    "photo",
    "video",
    "animation",
    "audio",
    "voice",
    "video_note",
    "document",
    "sticker",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "story",
    "live_photo",
    "game",
    "paid_media",
    "checklist",
    "giveaway",
    "giveaway_winners",
    "invoice",
}
REQUIRED_SERVICE_KEYS = {
    "new_chat_members",
    "left_chat_member",
    "pinned_message",
    "new_chat_title",
    "forum_topic_created",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "chat_owner_left",
    "chat_owner_changed",
    "poll_option_added",
    "poll_option_deleted",
    "gift",
    "gift_upgrade_sent",
    "suggested_post_approved",
    "suggested_post_declined",
    "suggested_post_paid",
    "suggested_post_refunded",
    "suggested_post_approval_failed",
    "managed_bot_created",
    "checklist_tasks_done",
}
REQUIRED_MESSAGE_KEYS = {
    "caption",
    "entities",
    "caption_entities",
    "reply_to_message",
    "forward_origin",
    "message_thread_id",
    "is_topic_message",
    "sender_chat",
    "media_group_id",
    "via_bot",
    "is_automatic_forward",
}
FORWARD_ORIGIN_TYPES = {"user", "hidden_user", "chat", "channel"}
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "updates.jsonl"
DAY = 86400


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def updates(lines: list[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines]


def _type_of(update: dict[str, Any]) -> str:
    (kind,) = [k for k in update if k != "update_id"]
    return kind


def test_same_seed_same_bytes_and_committed_sample_is_fresh(tmp_path: Path, lines: list[str]):
    first = tmp_path / "a.jsonl"
    second = tmp_path / "b.jsonl"
    write_jsonl(generate_updates(), first)
    write_jsonl(generate_updates(seed=7), second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == SAMPLE.read_bytes(), "regenerate: python -m samples.generate"
    other = [u for _, u in generate_updates(seed=8, days=2, target_updates=200)]
    assert [json.dumps(u) for u in other] != lines[: len(other)]


def test_sample_size_and_span(updates: list[dict[str, Any]]):
    assert 2500 <= len(updates) <= 3500
    users = {
        u[k]["from"]["id"]
        for u in updates
        for k in ("message",)
        if k in u and "from" in u[k] and not u[k]["from"]["is_bot"]
    }
    # 20 people, and those new to the sample who joined a group and then wrote (plus
    # Telegram's own 777000, which is not a bot).
    assert 40 <= len(users) <= 80
    group_ids = {
        u["message"]["chat"]["id"]
        for u in updates
        if "message" in u and u["message"]["chat"]["type"] in ("group", "supergroup")
    }
    channel_ids = {u["channel_post"]["chat"]["id"] for u in updates if "channel_post" in u}
    # The forum, the discussion group, the family group before and after its upgrade, and
    # the channel's direct messages chat.
    assert len(group_ids) == 5
    assert len(channel_ids) == 1


def test_every_update_has_integer_id_and_exactly_one_type(updates: list[dict[str, Any]]):
    for update in updates:
        assert type(update["update_id"]) is int
        assert len(update) == 2, update
        assert _type_of(update) in KNOWN_UPDATE_TYPES


def test_sample_covers_every_kind(updates: list[dict[str, Any]]):
    types = Counter(_type_of(u) for u in updates)
    assert set(types) >= REQUIRED_UPDATE_TYPES
    messages = [
        u[k] for u in updates for k in ("message", "edited_message", "channel_post") if k in u
    ]
    keys = set().union(*(m.keys() for m in messages))
    assert keys >= REQUIRED_CONTENT_KEYS
    assert keys >= REQUIRED_SERVICE_KEYS
    assert keys >= REQUIRED_MESSAGE_KEYS
    origins = {m["forward_origin"]["type"] for m in messages if "forward_origin" in m}
    assert origins == FORWARD_ORIGIN_TYPES
    chat_types = {m["chat"]["type"] for m in messages}
    assert {"supergroup", "channel", "private"} <= chat_types
    assert any(m["chat"].get("is_forum") for m in messages)
    # Anonymous admin: GroupAnonymousBot speaking for the group itself.
    assert any(
        m.get("sender_chat", {}).get("id") == m["chat"]["id"] and m["from"]["id"] == 1087968824
        for m in messages
        if "from" in m
    )
    # Channel posts have a sender_chat and no `from`.
    posts = [u["channel_post"] for u in updates if "channel_post" in u]
    assert all("from" not in p and p["sender_chat"] == p["chat"] for p in posts)
    # Bots appear (as new members, callback-query authors, GroupAnonymousBot...).
    assert any(m.get("from", {}).get("is_bot") for m in messages)
    assert any(u["is_bot"] for m in messages for u in m.get("new_chat_members", []))


def test_media_with_captions_and_documented_compat_fields(updates: list[dict[str, Any]]):
    messages = [u["message"] for u in updates if "message" in u]
    assert any("photo" in m and "caption" in m for m in messages)
    for m in messages:
        if "animation" in m:  # documented: `document` is set too
            assert m["document"]["file_id"] == m["animation"]["file_id"]
        if "venue" in m:  # documented: `location` is set too
            assert m["location"] == m["venue"]["location"]
        if "photo" in m:
            widths = [p["width"] for p in m["photo"]]
            assert widths == sorted(widths)
            assert {"file_id", "file_unique_id", "width", "height"} <= set(m["photo"][0])


def test_portuguese_english_and_emoji(updates: list[dict[str, Any]]):
    texts = [u["message"].get("text", "") for u in updates if "message" in u]
    assert any("Bom dia" in t for t in texts)
    assert any("Good morning" in t for t in texts)
    assert any(any(ord(ch) > 0xFFFF for ch in t) for t in texts)


def test_duplicates_are_byte_identical(lines: list[str], updates: list[dict[str, Any]]):
    by_id: dict[int, list[str]] = {}
    for line, update in zip(lines, updates, strict=True):
        by_id.setdefault(update["update_id"], []).append(line)
    repeated = [v for v in by_id.values() if len(v) > 1]
    assert len(repeated) >= 10
    assert all(len(set(v)) == 1 for v in repeated)


def test_edits_late_and_before_their_original(updates: list[dict[str, Any]]):
    seen: set[tuple[int, int]] = set()
    late = 0
    edit_first = 0
    for update in updates:
        if "message" in update:
            seen.add((update["message"]["chat"]["id"], update["message"]["message_id"]))
        elif "edited_message" in update:
            m = update["edited_message"]
            assert m["edit_date"] >= m["date"]
            late += m["edit_date"] - m["date"] > DAY
            edit_first += (m["chat"]["id"], m["message_id"]) not in seen
    assert late >= 3
    assert edit_first >= 1


def test_arrival_order_window_and_midnight_spill():
    arrivals = list(generate_updates())
    times = [a for a, _ in arrivals]
    assert times == sorted(times)
    assert times[0] >= datetime(2026, 11, 2, tzinfo=UTC)
    assert times[-1] < datetime(2026, 11, 16, tzinfo=UTC)
    # Sent before midnight, arrived after it (the outage): raw dt != send date.
    assert any(
        datetime.fromtimestamp(u["message"]["date"], UTC).date() < a.date()
        for a, u in arrivals
        if "message" in u
    )
    first_ids = []
    seen: set[int] = set()
    for _, u in arrivals:
        if u["update_id"] not in seen:
            seen.add(u["update_id"])
            first_ids.append(u["update_id"])
    # First deliveries come in update_id order, except failed-and-retried ones (rare).
    out_of_order = sum(b < a for a, b in itertools.pairwise(first_ids))
    assert out_of_order <= len(first_ids) // 100


def test_rhythm_evenings_busier_than_nights(updates: list[dict[str, Any]]):
    hours = Counter(
        datetime.fromtimestamp(u["message"]["date"], UTC).hour for u in updates if "message" in u
    )
    evening = sum(hours[h] for h in (22, 23, 0))  # 19-21h in São Paulo (UTC-3)
    night = sum(hours[h] for h in (6, 7, 8))  # 3-5h in São Paulo
    assert evening > 5 * night


def test_entity_offsets_are_utf16():
    text, entities = render_text("Saiu a nova versão do DuckDB 🦆 https://duckdb.org")
    # 29 characters, then 🦆 is 2 UTF-16 units, then a space: the URL starts at 32.
    assert entities == [{"offset": 32, "length": 18, "type": "url"}]
    assert text.endswith("https://duckdb.org")
    user = {"id": 1, "is_bot": False, "first_name": "Zé"}
    text, entities = render_text("Valeu {@}! 🙏 #dicas", user)
    assert text == "Valeu Zé! 🙏 #dicas"
    assert entities == [
        {"offset": 6, "length": 2, "type": "text_mention", "user": user},
        {"offset": 13, "length": 6, "type": "hashtag"},
    ]
    _, entities = render_text("/stats@lake_stats_bot")
    assert entities == [{"offset": 0, "length": 21, "type": "bot_command"}]


def test_raw_layout_one_file_per_update(tmp_path: Path):
    out = tmp_path / "raw"
    assert main(["--layout", "raw", "--out", str(out), "--days", "2", "--updates", "300"]) == 0
    days = sorted(p.name for p in out.iterdir())
    assert days == ["dt=2026-11-02", "dt=2026-11-03"]
    files = sorted(out.glob("dt=*/*.json"))
    assert 250 <= len(files) <= 350
    for path in files[:50]:
        body = json.loads(path.read_bytes())
        assert path.name == f"{body['update_id']}.json"


def test_raw_layout_ndjson_gz_with_malformed(tmp_path: Path):
    out = tmp_path / "raw"
    argv = ["--layout", "raw", "--ndjson-gz", "--out", str(out), "--days", "1"]
    assert main([*argv, "--updates", "400", "--malformed", "3", "--lines-per-part", "150"]) == 0
    parts = sorted(out.glob("dt=2026-11-02/part-*.jsonl.gz"))
    assert [p.name for p in parts][:2] == ["part-0000.jsonl.gz", "part-0001.jsonl.gz"]
    lines = [line for p in parts for line in gzip.decompress(p.read_bytes()).decode().splitlines()]
    bad = 0
    for line in lines:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            bad += 1
            continue
        if not isinstance(obj, dict) or type(obj.get("update_id")) is not int:
            bad += 1
    assert bad == 3


def test_malformed_only_in_raw_layout(tmp_path: Path):
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path / "x.jsonl"), "--malformed", "2"])
