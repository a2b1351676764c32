"""Every mapped export kind -> the Bot API Updates written by hand (tests/history/data).

Reads `data/every_kind.json` (a single-chat export of a forum supergroup, written by hand
from Telegram Desktop's export code) and `data/every_kind.expected.jsonl` (the Updates a
bot would have received, from the Bot API object definitions).
"""

from __future__ import annotations

from pathlib import Path

from tests.history.history_helpers import (
    DATA,
    IMPORT_DAY,
    expected_updates,
    run,
    written_updates,
)

CHAT_ID = -1001500000001


def test_every_kind_becomes_the_hand_written_updates(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    run(DATA / "every_kind.json", raw)
    got = written_updates(raw)
    want = expected_updates(DATA / "every_kind.expected.jsonl", CHAT_ID)
    assert [u["update_id"] for u in got] == [u["update_id"] for u in want]
    for got_update, want_update in zip(got, want, strict=True):
        assert got_update == want_update


def test_every_kind_report_counts_and_skips(tmp_path: Path) -> None:
    report = run(DATA / "every_kind.json", tmp_path / "raw")
    totals = report.totals()
    assert totals["messages_read"] == 50
    assert totals["messages"] == 29
    assert totals["edits"] == 1
    assert totals["service_actions"] == 10
    assert totals["member_events"] == 7
    assert totals["updates"] == 47
    assert dict(report.skipped) == {
        "unsupported_message": 1,
        "content_not_exported": 1,
        "action_without_bot_api_message": 1,
        "unknown_action": 1,
        "migration_chat_unknown": 1,
    }
    assert dict(report.details["unknown_action"]) == {"make_coffee": 1}
    assert dict(report.details["action_without_bot_api_message"]) == {"phone_call": 1}
    text = report.render()
    assert "make_coffee" in text and "chat -1001500000001 message 141" in text
    assert report.chats[0].files == [
        f"dt={IMPORT_DAY}/history_{CHAT_ID}_g00001_{report.export_digest}_p0000.jsonl.gz"
    ]


def test_update_ids_are_in_the_imported_range_and_distinct(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    run(DATA / "every_kind.json", raw)
    ids = [u["update_id"] for u in written_updates(raw)]
    assert len(set(ids)) == len(ids)
    assert all(2**62 <= i < 2**63 for i in ids)
