"""Files that are not exports are refused with nothing written; broken items are skipped
with their reason and nothing else is lost.

Writes forged exports under pytest's tmp dirs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from history_import.errors import ChatNotFoundError, ImportRefusedError, NotAnExportError
from tests.history.history_helpers import raw_tree, run, write_export, written_updates

CHAT = {"name": "Forged", "type": "public_supergroup", "id": 1999999999}
T = 1_790_000_000


def good(i: int) -> dict[str, Any]:
    return {
        "id": i,
        "type": "message",
        "date": "2026-09-21T12:00:00",
        "date_unixtime": str(T + i),
        "from": "Ana",
        "from_id": "user42",
        "text": f"mensagem {i}",
    }


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "invalid JSON"),
        (b"not json at all", "invalid JSON"),
        (b"[1, 2, 3]", "top level is not a JSON object"),
        (b'{"name": "x", "type": "private_group", "id": 1}', "neither 'messages'"),
        (b'{"about": "x", "personal_information": {}}', "neither 'messages'"),
        (b'{"messages": [{"id": 1}]}', "neither 'type' nor 'id'"),
        (b'\xff\xfe{"messages": []}', "invalid JSON"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(tmp_path: Path, content: bytes, why: str) -> None:
    export = tmp_path / "result.json"
    export.write_bytes(content)
    with pytest.raises(NotAnExportError, match=why) as raised:
        run(export, tmp_path / "raw")
    assert "Nothing was written" in str(raised.value)
    assert not (tmp_path / "raw").exists()


def test_a_truncated_export_writes_nothing(tmp_path: Path) -> None:
    export = write_export(tmp_path / "result.json", CHAT, [good(i) for i in range(1, 200)])
    data = export.read_bytes()
    export.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(NotAnExportError, match="invalid JSON"):
        run(export, tmp_path / "raw")
    raw = tmp_path / "raw"
    assert not raw.exists() or raw_tree(raw) == {}  # no part, no temp file, no register


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAnExportError, match="no such file"):
        run(tmp_path / "nowhere.json", tmp_path / "raw")


def test_an_unknown_chat_type_is_refused(tmp_path: Path) -> None:
    export = write_export(tmp_path / "r.json", {**CHAT, "type": "space_station"}, [good(1)])
    with pytest.raises(ImportRefusedError, match="unknown chat type 'space_station'"):
        run(export, tmp_path / "raw")


def test_chat_selection_that_does_not_match_is_refused(tmp_path: Path) -> None:
    export = write_export(tmp_path / "r.json", CHAT, [good(1)])
    with pytest.raises(ChatNotFoundError, match="matches no chat"):
        run(export, tmp_path / "raw", chat="Someone else")


BROKEN: list[tuple[Any, str, str]] = [
    ("a string", "not_an_object", "str"),
    (
        {"type": "message", "date_unixtime": str(T), "text": "sem id"},
        "missing_id",
        "id is NoneType",
    ),
    ({**good(0), "id": "7"}, "missing_id", "id is str"),
    ({**good(0), "id": True}, "missing_id", "id is bool"),
    ({**good(0), "id": 0}, "missing_id", "id is not positive"),
    ({**good(0), "id": 20, "type": "meme"}, "unknown_message_type", "'meme'"),
    (
        {k: v for k, v in good(21).items() if k not in ("date", "date_unixtime")},
        "missing_date",
        "no date",
    ),
    ({**good(22), "date_unixtime": "yesterday"}, "bad_field", "date_unixtime"),
    ({**good(23), "from_id": ["user", 1]}, "bad_field", "from_id"),
    ({**good(24), "from_id": "robot7"}, "bad_field", "from_id"),
    ({**good(25), "text": 12345}, "bad_field", "text"),
    ({**good(26), "text": ["ok", {"type": "bold"}]}, "bad_field", "text"),
    ({**good(27), "reply_to_message_id": "ontem"}, "bad_field", "reply_to_message_id"),
    ({**good(36), "reply_to_message_id": 0}, "bad_field", "reply_to_message_id"),
    ({**good(28), "photo": "p.jpg", "width": "wide"}, "bad_field", "width"),
    ({**good(29), "location_information": None}, "bad_field", "location_information"),
    ({**good(30), "poll": {"question": "?", "answers": "sim"}}, "bad_field", "poll"),
    (
        {"id": 31, "type": "service", "date_unixtime": str(T), "actor_id": "user1", "action": 9},
        "bad_field",
        "action",
    ),
    (
        {
            "id": 32,
            "type": "service",
            "date_unixtime": str(T),
            "action": "invite_members",
            "members": "everyone",
        },
        "bad_field",
        "members",
    ),
    (
        {"id": 33, "type": "service", "date_unixtime": str(T), "action": "join_group_by_link"},
        "bad_field",
        "actor_id",
    ),
    (
        {"id": 34, "type": "service", "date_unixtime": str(T), "action": "teleport"},
        "unknown_action",
        "teleport",
    ),
    ({**good(35), "text": ""}, "content_not_exported", "no text or media"),
    (good(3), "duplicate_id", "id seen before"),
]


def test_broken_items_are_skipped_with_reasons_and_nothing_else_is_lost(tmp_path: Path) -> None:
    messages = [good(1), good(2), good(3)] + [item for item, _, _ in BROKEN] + [good(40)]
    export = write_export(tmp_path / "result.json", CHAT, messages)
    raw = tmp_path / "raw"
    report = run(export, raw)
    texts = [u["message"]["text"] for u in written_updates(raw)]
    assert texts == ["mensagem 1", "mensagem 2", "mensagem 3", "mensagem 40"]
    expected: dict[str, dict[str, int]] = {}
    for _, reason, detail in BROKEN:
        expected.setdefault(reason, {}).setdefault(detail, 0)
        expected[reason][detail] += 1
    assert {reason: dict(report.details[reason]) for reason in report.skipped} == expected
    assert report.totals()["messages_read"] == len(messages)
    assert sum(report.skipped.values()) == len(BROKEN)
    # The JSON report carries the same, with examples.
    body = report.to_json()
    json.dumps(body)
    assert body["skipped"]["bad_field"]["count"] == 13
    assert len(body["skipped"]["bad_field"]["examples"]) == 3
