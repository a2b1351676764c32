"""The benchmark baselines and I/O floor on a hand-made raw day (expected rows by hand).

Writes raw files and Parquet only under pytest's tmp_path.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from bench import baseline_duckdb, baseline_python, io_floor
from bench.rawfiles import raw_files, window_days
from samples.simulation import generate_updates
from samples.writers import write_raw

DAY = "2026-11-02"
T0 = 1793613600  # 2026-11-02 10:00:00 UTC
GROUP = {"id": -1001234567890, "title": "Grupo", "type": "supergroup"}
CHANNEL = {"id": -1009876543210, "title": "Canal", "username": "canal", "type": "channel"}
ANA = {"id": 111, "is_bot": False, "first_name": "Ana", "username": "ana", "language_code": "pt-br"}
BEN = {"id": 222, "is_bot": False, "first_name": "Ben"}


def _msg(message_id: int, date_: int, **fields: Any) -> dict[str, Any]:
    return {"message_id": message_id, "from": ANA, "chat": GROUP, "date": date_, **fields}


def _write_day(raw: Path) -> None:
    folder = raw / f"dt={DAY}"
    folder.mkdir(parents=True)
    original = {"update_id": 100, "message": _msg(1, T0, text="Olá mundo 🌍")}
    (folder / "100.json").write_text(json.dumps(original, ensure_ascii=False), encoding="utf-8")
    lines = [
        original,  # re-delivery: dropped by dedup
        {
            "update_id": 102,
            "edited_message": _msg(1, T0, edit_date=T0 + 60, text="Olá mundo editado 🌍"),
        },
        {
            "update_id": 103,
            "channel_post": {
                "message_id": 7,
                "sender_chat": CHANNEL,
                "chat": CHANNEL,
                "date": T0 + 120,
                "text": "Post",
            },
        },
        {
            "update_id": 104,
            "message": _msg(2, T0 + 180, new_chat_members=[BEN]),
        },
        {
            "update_id": 105,
            "chat_member": {
                "chat": GROUP,
                "from": BEN,
                "date": T0 + 180,
                "old_chat_member": {"user": BEN, "status": "left"},
                "new_chat_member": {"user": BEN, "status": "member"},
            },
        },
        {
            "update_id": 106,
            "callback_query": {"id": "9", "from": BEN, "chat_instance": "1", "data": "x"},
        },
        {
            "update_id": 107,
            "message": _msg(
                3,
                T0 + 240,
                photo=[{"file_id": "a", "file_unique_id": "b", "width": 90, "height": 90}],
                caption="Foto",
                reply_to_message=_msg(1, T0, text="Olá mundo 🌍"),
            ),
        },
        {"update_id": 108, "message": _msg(4, T0 + 300, pinned_message=_msg(3, T0 + 240))},
    ]
    text = "\n".join(json.dumps(u, ensure_ascii=False) for u in lines)
    (folder / "batch.jsonl").write_text(text + '\n{"update_id": 109, "mess\n', encoding="utf-8")
    # Outside the window: must not be read.
    later = raw / "dt=2026-11-03"
    later.mkdir()
    other = {"update_id": 200, "message": _msg(9, T0 + 86400, text="amanhã")}
    (later / "200.json").write_text(json.dumps(other), encoding="utf-8")


def _rows(out: Path, table: str) -> list[dict[str, Any]]:
    files = sorted((out / table).glob("dt=*/*.parquet"))
    rows = [r for f in files for r in pq.read_table(f).to_pylist()]
    for f, r in zip(files, rows, strict=False):
        assert f.parent.name == f"dt={DAY}"
        assert "dt" not in r  # the partition lives in the path
    return sorted(rows, key=lambda r: (r.get("message_id") or 0, r["update_id"]))


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    _write_day(root)
    return root


def _check_messages(rows: list[dict[str, Any]]) -> None:
    assert [(r["chat_id"], r["message_id"]) for r in rows] == [
        (GROUP["id"], 1),
        (GROUP["id"], 3),
        (CHANNEL["id"], 7),
    ]
    edited, photo, post = rows
    assert edited["update_id"] == 102
    assert edited["text"] == "Olá mundo editado 🌍"
    assert edited["text_length"] == 19
    assert edited["word_count"] == 4
    assert edited["edit_count"] == 1
    assert edited["content_type"] == "text"
    assert edited["user_id"] == 111
    assert edited["user_language_code"] == "pt-br"
    assert edited["is_channel_post"] is False
    assert edited["sent_at"].replace(tzinfo=UTC) == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    assert edited["edited_at"].replace(tzinfo=UTC) == datetime(2026, 11, 2, 10, 1, tzinfo=UTC)
    assert photo["content_type"] == "photo"
    assert photo["text"] == "Foto"
    assert photo["reply_to_message_id"] == 1
    assert photo["edit_count"] == 0
    assert photo["edited_at"] is None
    assert post["is_channel_post"] is True
    assert post["user_id"] is None
    assert post["sender_chat_id"] == CHANNEL["id"]
    assert post["chat_type"] == "channel"


def _check_members(rows: list[dict[str, Any]]) -> None:
    got = sorted((r["source"], r["event"], r["user_id"], r["update_id"]) for r in rows)
    assert got == [("chat_member", "join", 222, 105), ("new_chat_members", "join", 222, 104)]


@pytest.mark.unit
def test_python_baseline_on_hand_made_day(raw: Path, tmp_path: Path):
    counts = baseline_python.run(raw, tmp_path / "out", DAY, DAY)
    assert counts["files"] == 2
    assert counts["lines_read"] == 10
    assert counts["duplicates"] == 1
    assert counts["quarantined"] == 1
    assert counts["messages"] == 3
    assert counts["member_events"] == 2
    _check_messages(_rows(tmp_path / "out", "messages"))
    _check_members(_rows(tmp_path / "out", "member_events"))


@pytest.mark.integration
def test_duckdb_baseline_on_hand_made_day(raw: Path, tmp_path: Path):
    counts = baseline_duckdb.run(raw, tmp_path / "out", DAY, DAY, threads=1)
    assert counts["messages"] == 3
    assert counts["member_events"] == 2
    _check_messages(_rows(tmp_path / "out", "messages"))
    _check_members(_rows(tmp_path / "out", "member_events"))


@pytest.mark.integration
def test_baselines_agree_on_a_generated_day(tmp_path: Path):
    raw = tmp_path / "raw"
    write_raw(generate_updates(days=1, target_updates=600, users=40, chats=3), raw, malformed=2)
    py = baseline_python.run(raw, tmp_path / "py", DAY, DAY)
    dd = baseline_duckdb.run(raw, tmp_path / "dd", DAY, DAY, threads=1)
    assert py["messages"] == dd["messages"] > 300
    assert py["member_events"] == dd["member_events"] > 0
    for table in ("messages", "member_events"):
        assert _canonical(_rows(tmp_path / "py", table)) == _canonical(
            _rows(tmp_path / "dd", table)
        )


def _canonical(rows: list[dict[str, Any]]) -> list[str]:
    """Rows as sorted JSON strings; timestamps compared as UTC wall times."""

    def plain(value: Any) -> Any:
        return value.replace(tzinfo=None) if isinstance(value, datetime) else value

    return sorted(
        json.dumps({k: plain(v) for k, v in r.items()}, sort_keys=True, default=str) for r in rows
    )


@pytest.mark.unit
def test_io_floor_reads_every_byte_of_the_window(raw: Path):
    folder = raw / f"dt={DAY}"
    expected = (folder / "100.json").stat().st_size + (folder / "batch.jsonl").stat().st_size
    assert io_floor.run(raw, DAY, DAY) == {"files": 2, "bytes": expected}
    assert io_floor.run(raw, DAY, "2026-11-03")["files"] == 3


@pytest.mark.unit
def test_window_listing(raw: Path):
    assert window_days("2026-10-31", "2026-11-02") == ["2026-10-31", "2026-11-01", DAY]
    with pytest.raises(ValueError):
        window_days(DAY, "2026-11-01")
    assert [p.name for p in raw_files(raw, DAY, DAY)] == ["100.json", "batch.jsonl"]
    assert raw_files(raw, "2026-10-01", "2026-10-02") == []
    assert date.fromisoformat(DAY).weekday() == 0  # a Monday, like the sample's first day
