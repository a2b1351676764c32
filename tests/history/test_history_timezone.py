"""Exports older than Telegram Desktop 4.0 have only zone-less local times: the import needs
`--timezone` and refuses to start (writing nothing) without it. Also the command line.

Writes exports under pytest's tmp dirs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from history_import.__main__ import main
from history_import.errors import ImportRefusedError, TimezoneRequiredError
from tests.history.history_helpers import raw_tree, run, write_export, written_updates

CHAT = {"name": "Velho grupo", "type": "private_supergroup", "id": 1111111111}


def old(i: int, date: str, **extra: Any) -> dict[str, Any]:
    """A message as Telegram Desktop 2.x-3.x wrote it: `date` only, integer `from_id`."""
    return (
        {"id": i, "type": "message", "date": date, "from": "Ana", "from_id": 42}
        | extra
        | {"text": f"m{i}"}
    )


OLD = [
    old(1, "2026-07-01T12:00:00", edited="2026-07-01T12:05:00"),  # CEST, UTC+2
    old(2, "2026-01-15T12:00:00"),  # CET, UTC+1
    old(3, "2026-10-25T02:30:00"),  # clocks went back at 03:00: the first 02:30 (CEST)
]


def test_an_old_export_without_timezone_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    export = write_export(tmp_path / "result.json", CHAT, OLD)
    with pytest.raises(TimezoneRequiredError, match="--timezone"):
        run(export, tmp_path / "raw")
    assert not (tmp_path / "raw").exists()


def test_a_late_old_message_still_writes_nothing(tmp_path: Path) -> None:
    new = {"id": 1, "type": "message", "date_unixtime": "1782900000", "from": "Ana"}
    messages = [new | {"from_id": "user42", "text": "novo"}] * 1 + [old(9, "2026-01-15T12:00:00")]
    export = write_export(tmp_path / "result.json", CHAT, messages)
    with pytest.raises(TimezoneRequiredError):
        run(export, tmp_path / "raw")
    raw = tmp_path / "raw"
    assert not raw.exists() or raw_tree(raw) == {}


def test_local_times_are_read_in_the_given_zone(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    report = run(write_export(tmp_path / "r.json", CHAT, OLD), raw, timezone="Europe/Berlin")
    updates = written_updates(raw)
    dates = [(u.get("message") or u["edited_message"])["date"] for u in updates]
    assert dates == [1782900000, 1782900000, 1768474800, 1792888200]
    assert updates[1]["edited_message"]["edit_date"] == 1782900300
    assert updates[0]["message"]["from"] == {"id": 42, "first_name": "Ana"}  # pre-2.7 from_id
    assert report.local_times == 4  # three dates and one edit


def test_unix_times_win_over_the_timezone(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    message = old(1, "2026-07-01T12:00:00", date_unixtime="1700000000")
    run(write_export(tmp_path / "r.json", CHAT, [message]), raw, timezone="Asia/Tokyo")
    assert written_updates(raw)[0]["message"]["date"] == 1700000000


def test_an_unknown_zone_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefusedError, match="not an IANA time zone"):
        run(write_export(tmp_path / "r.json", CHAT, OLD), tmp_path / "raw", timezone="Mars/Base")


def test_the_command_line_exits_2_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_export(tmp_path / "result.json", CHAT, OLD)
    status = main([str(export), "--raw_uri", str(tmp_path / "raw"), "--no_progress"])
    assert status == 2
    assert "--timezone" in capsys.readouterr().err
    assert not (tmp_path / "raw").exists()
    not_export = tmp_path / "photo.jpg"
    not_export.write_bytes(b"\xff\xd8\xff\xe0")
    assert main([str(not_export), "--raw_uri", str(tmp_path / "raw")]) == 2
    assert "is not a Telegram Desktop JSON export" in capsys.readouterr().err


def test_the_command_line_imports_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_export(tmp_path / "result.json", CHAT, OLD)
    report_json = tmp_path / "report.json"
    argv = [str(export), "--raw_uri", str(tmp_path / "raw"), "--timezone", "Europe/Berlin"]
    status = main([*argv, "--no_progress", "--report_json", str(report_json)])
    assert status == 0
    out = capsys.readouterr().out
    assert "read 3 export messages" in out and "wrote 4 updates in 1 file(s)" in out
    body = json.loads(report_json.read_text())
    assert body["totals"]["updates"] == 4
    assert body["chats"][0]["chat_id"] == -1001111111111
