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
SERVICE_KEYS = (
    "new_chat_members",
    "left_chat_member",
    "new_chat_title",
    "new_chat_photo",
    "delete_chat_photo",
    "group_chat_created",
    "supergroup_chat_created",
    "channel_chat_created",
    "pinned_message",
    "message_auto_delete_timer_changed",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "forum_topic_created",
    "forum_topic_edited",
    "forum_topic_closed",
    "forum_topic_reopened",
    "general_forum_topic_hidden",
    "general_forum_topic_unhidden",
    "video_chat_started",
    "video_chat_ended",
    "video_chat_scheduled",
    "video_chat_participants_invited",
    "chat_shared",
    "users_shared",
    "write_access_allowed",
    "boost_added",
    "chat_background_set",
)


def expected_from_sample(sample: Path) -> tuple[set[int], set[tuple[int, int]]]:
    update_ids: set[int] = set()
    message_keys: set[tuple[int, int]] = set()
    for line in sample.read_text("utf-8").splitlines():
        update = json.loads(line)
        update_ids.add(update["update_id"])
        for kind in MESSAGE_KINDS:
            message = update.get(kind)
            if message is not None and not any(key in message for key in SERVICE_KEYS):
                message_keys.add((message["chat"]["id"], message["message_id"]))
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
        + sum(counts["ignored"].values())
        + counts["quarantined"]
    )

    out = capsys.readouterr().out
    assert "daily_activity" in out and "user_activity" in out
    assert "HTTP 401" in out and "HTTP 400" in out
    page = lake / "dashboard" / "index.html"
    assert page.is_file() and "plotly" in page.read_text("utf-8").lower()
