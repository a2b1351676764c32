"""The importer's parts on their own: id ranges, the message index's spill to disk, UTF-16
lengths, chat ids, peers, and a long chat with a tiny index window.

Writes only under pytest's tmp dirs.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from history_import.chats import ExportChat, bot_api_chat
from history_import.errors import FieldError
from history_import.index import Known, MessageIndex
from history_import.progress import ProgressBar
from history_import.register import IdRanges
from history_import.report import ChatReport, Report
from history_import.senders import Peer, parse_peer
from history_import.text import utf16_length
from lake.zones import (
    history_part_name,
    import_register_entry_name,
    import_register_generation,
    import_register_uri,
    is_hidden,
    is_raw_file,
)
from tests.history.history_helpers import run, write_export, written_updates


@given(st.lists(st.integers(min_value=1, max_value=300), max_size=200))
def test_id_ranges_hold_exactly_the_ids_added(ids: list[int]) -> None:
    ranges = IdRanges()
    for i in ids:
        ranges.add(i)
    assert {i for i in range(0, 302) if i in ranges} == set(ids)
    assert len(ranges) == len(set(ids))
    flat = [bound for pair in ranges.ranges for bound in pair]
    assert flat == sorted(flat)  # disjoint and ordered
    assert all(b[0] > a[1] + 1 for a, b in zip(ranges.ranges, ranges.ranges[1:], strict=False))
    merged = IdRanges()
    merged.update(IdRanges(ranges.ranges))
    assert merged.ranges == ranges.ranges


def test_the_index_spills_old_messages_to_disk_and_finds_them() -> None:
    index = MessageIndex(window=10)
    for i in range(1, 101):
        index.put(i, Known(i, 0, i % 3, 1000 + i))
    assert len(index) <= 20  # only the recent ones stay in memory
    assert index.get(1) == Known(1, 0, 1, 1001)
    assert index.get(55) == Known(55, 0, 1, 1055)
    assert index.get(100) == Known(100, 0, 1, 1100)
    assert index.get(101) is None
    index.close()


def test_replies_far_back_in_a_long_chat_keep_their_sender(tmp_path: Path) -> None:
    chat = {"name": "Longo", "type": "public_supergroup", "id": 1234}
    messages: list[dict[str, Any]] = [
        {"id": i, "type": "message", "date_unixtime": str(1_700_000_000 + i),
         "from": f"P{i % 7}", "from_id": f"user{100 + i % 7}", "text": str(i)}
        for i in range(1, 301)
    ]  # fmt: skip
    messages.append(messages[0] | {"id": 301, "reply_to_message_id": 3, "text": "to 3"})
    raw = tmp_path / "raw"
    run(write_export(tmp_path / "r.json", chat, messages), raw, index_window=8)
    reply = written_updates(raw)[-1]["message"]["reply_to_message"]
    assert reply["message_id"] == 3
    assert reply["from"] == {"id": 103, "first_name": "P3"}
    assert reply["date"] == 1_700_000_003


@pytest.mark.parametrize(
    ("text", "units"), [("abc", 3), ("ação", 4), ("🚀", 2), ("a👍b", 4), ("🇧🇷", 4), ("", 0)]
)
def test_utf16_length(text: str, units: int) -> None:
    assert utf16_length(text) == units


@pytest.mark.parametrize(
    ("kind", "export_id", "bot_id", "bot_type"),
    [
        ("private_supergroup", 1707924673, -1001707924673, "supergroup"),
        ("public_supergroup", 1707924673, -1001707924673, "supergroup"),
        ("private_channel", 2007063907, -1002007063907, "channel"),
        ("public_channel", 2007063907, -1002007063907, "channel"),
        ("private_group", 4123456789, -4123456789, "group"),
        ("personal_chat", 504285457, 504285457, "private"),
        ("bot_chat", 7412093385, 7412093385, "private"),
        ("saved_messages", 504285457, 504285457, "private"),
        # Telegram Desktop < 2.7 tagged group and channel ids with 2 << 32.
        ("private_group", (2 << 32) | 12345678, -12345678, "group"),
        ("public_channel", (2 << 32) | 1234567890, -1001234567890, "channel"),
    ],
)
def test_chat_ids_in_bot_api_form(kind: str, export_id: int, bot_id: int, bot_type: str) -> None:
    chat = bot_api_chat(ExportChat("x", kind, export_id))
    assert (chat.id, chat.type) == (bot_id, bot_type)
    assert chat.message_id_offset == (2**32 if bot_type in ("group", "private") else 0)


@pytest.mark.parametrize(
    ("value", "peer", "api_id"),
    [
        ("user504285457", Peer("user", 504285457), 504285457),
        ("channel1707924673", Peer("channel", 1707924673), -1001707924673),
        ("chat4123456789", Peer("chat", 4123456789), -4123456789),
        (504285457, Peer("user", 504285457), 504285457),
        (None, None, None),
    ],
)
def test_peers(value: Any, peer: Peer | None, api_id: int | None) -> None:
    parsed = parse_peer("from_id", value)
    assert parsed == peer
    assert (parsed.api_id if parsed else None) == api_id


@pytest.mark.parametrize("value", ["bot12", "user", "user-5", "user0", True, 1.5, [], ""])
def test_bad_peers(value: Any) -> None:
    with pytest.raises(FieldError):
        parse_peer("from_id", value)


def test_a_basic_group_posting_as_itself_is_an_anonymous_admin(tmp_path: Path) -> None:
    chat = {"name": "Grupo", "type": "private_group", "id": 555}
    message = {"id": 1, "type": "message", "date_unixtime": "1700000000", "from": "Grupo",
               "from_id": "chat555", "text": "oi"}  # fmt: skip
    raw = tmp_path / "raw"
    run(write_export(tmp_path / "r.json", chat, [message]), raw, bot_first_seen="none")
    sent = written_updates(raw)[0]["message"]
    assert sent["from"]["username"] == "GroupAnonymousBot"
    assert sent["sender_chat"] == {"id": -555, "title": "Grupo", "type": "group"}


def test_the_progress_bar_draws_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    bar = ProgressBar(4 * 2**20, stream=terminal)
    bar.phase("importing")
    bar.messages = 1234
    bar.read(2 * 2**20)
    bar.close()
    text = terminal.getvalue()
    assert text.startswith("\rimporting [") and text.endswith("\n")
    assert " 50.0% 2.0/4.0 MB  1,234 msgs" in text
    log = io.StringIO()  # not a terminal: nothing drawn
    quiet = ProgressBar(10, stream=log)
    quiet.phase("importing")
    quiet.read(5)
    quiet.close()
    assert log.getvalue() == ""


def test_history_paths_come_from_lake_zones() -> None:
    name = history_part_name(-1001707924673, 2, "5a217d95cededf1d", 3)
    assert name == "history_-1001707924673_g00002_5a217d95cededf1d_p0003.jsonl.gz"
    assert is_raw_file(name)
    assert import_register_uri("s3://b/raw", -4123) == "s3://b/raw/_imports/-4123"
    assert import_register_entry_name(7) == "g00007.json"
    assert import_register_generation("g00007.json") == 7
    assert import_register_generation("g7.json") is None
    assert is_hidden("_imports")


def test_the_report_keeps_a_bounded_number_of_details() -> None:
    report = Report("r.json", "chat", "d", "2026-11-20", "raw")
    chat = ChatReport("x", "private_group", 1, chat_id=-1)
    for i in range(80):
        report.skip(chat, "unknown_action", f"action_{i}", i)
    assert report.skipped["unknown_action"] == 80
    assert len(report.details["unknown_action"]) == 51
    assert report.details["unknown_action"]["other"] == 30
    assert len(report.examples["unknown_action"]) == 3
