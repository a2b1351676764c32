"""The demo path end to end: sample -> HTTP webhook -> raw -> spark-submit -> views -> HTML.

The expectations come from reading the sample file with plain `json`, independently of the
handler, the job and the views.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from scripts import demo

pytestmark = pytest.mark.e2e

MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")
# A Message is a content message (a messages row) when it has one of these fields; any
# other Message is a service message (docs/contracts.md, written here by hand).
CONTENT_KEYS = (
    "text", "caption", "animation", "photo", "video", "video_note", "voice", "audio",
    "document", "sticker", "venue", "location", "contact", "poll", "dice", "story", "game",
    "paid_media", "checklist", "giveaway", "giveaway_winners", "invoice",
)  # fmt: skip


def expected_from_sample(sample: Path) -> tuple[set[int], set[tuple[int, int]]]:
    update_ids: set[int] = set()
    message_keys: set[tuple[int, int]] = set()
    for line in sample.read_text("utf-8").splitlines():
        update = json.loads(line)
        update_ids.add(update["update_id"])
        for kind in MESSAGE_KINDS:
            message = update.get(kind)
            if message is None or not any(key in message for key in CONTENT_KEYS):
                continue
            message_id = message.get("message_id")
            # A message without a usable id (an ephemeral one) cannot be keyed: no row.
            if isinstance(message_id, int) and not isinstance(message_id, bool) and message_id > 0:
                message_keys.add((message["chat"]["id"], message_id))
    return update_ids, message_keys


def test_demo_runs_the_whole_pipeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lake = tmp_path / "lake"
    sample = demo.DEFAULT_SAMPLE
    update_ids, message_keys = expected_from_sample(sample)

    assert demo.main(["--lake", str(lake), "--timezone", "America/Sao_Paulo"]) == 0

    raw_files = list((lake / "raw").rglob("*.json"))
    assert sorted(int(p.stem) for p in raw_files) == sorted(update_ids)

    table = pq.read_table(lake / "curated" / "messages")
    keys = set(
        zip(
            table.column("chat_id").to_pylist(), table.column("message_id").to_pylist(), strict=True
        )
    )
    assert keys == message_keys
    assert table.num_rows == len(message_keys)

    summary = json.loads(next((lake / "curated" / "_runs").glob("*.json")).read_text("utf-8"))
    counts = summary["counts"]
    assert counts["lines_read"] == len(update_ids)
    assert counts["quarantined"] == 0
    assert counts["lines_read"] == (
        counts["new_rows"]
        + counts["duplicates"]
        + counts["edits_merged"]
        + counts["member_event_updates"]
        + counts["reaction_updates"]
        + counts["join_request_updates"]
        + sum(counts["ignored"].values())
        + counts["quarantined"]
    )

    out = capsys.readouterr().out
    assert "daily_activity" in out and "user_activity" in out
    # The busiest group's engagement views and the channel's posts; never an empty table.
    for section in ("message_reactions", "reactions_daily", "user_reactions", "join_sources",
                    "top_inviters", "reply_pairs", "channel posts"):  # fmt: skip
        assert f"== {section}" in out, section
    assert "(0 rows)" not in out
    assert "HTTP 401" in out and "HTTP 400" in out
    page = lake / "dashboard" / "index.html"
    assert page.is_file() and "plotly" in page.read_text("utf-8").lower()
