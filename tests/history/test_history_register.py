"""Re-imports: the same export writes nothing new; a later export adds only what is new.

Writes small exports and raw zones under pytest's tmp dirs.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from history_import.store import LocalStore
from tests.history.history_helpers import (
    expected_update_id,
    part_files,
    raw_tree,
    run,
    write_export,
    written_updates,
)

CHAT = {"name": "Re-import group", "type": "private_supergroup", "id": 1234567890}
CHAT_ID = -1001234567890
T0 = 1_790_000_000
LATER = datetime(2026, 12, 24, 18, 0, tzinfo=UTC)


def message(i: int, text: str, edited: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": i,
        "type": "message",
        "date": "2026-09-21T12:00:00",
        "date_unixtime": str(T0 + 60 * i),
    }
    if edited is not None:
        out |= {"edited": "2026-09-21T13:00:00", "edited_unixtime": str(edited)}
    return out | {"from": "Ana", "from_id": "user42", "text": text, "text_entities": []}


FIRST = [
    message(1, "um"),
    message(2, "dois"),
    message(3, "três", edited=T0 + 1_000),
    message(4, "quatro"),
    message(5, "cinco"),
]
# Weeks later: 2 and 4 edited (4 for the first time), 3 unchanged, 5 deleted, 6..8 new.
SECOND = [
    message(1, "um"),
    message(2, "dois!", edited=T0 + 5_000),
    message(3, "três", edited=T0 + 1_000),
    message(4, "quatro!", edited=T0 + 6_000),
    message(6, "seis"),
    message(7, "sete"),
    message(8, "oito"),
]


def test_same_export_again_leaves_the_same_raw_objects(tmp_path: Path) -> None:
    export = write_export(tmp_path / "result.json", CHAT, FIRST)
    raw = tmp_path / "raw"
    first = run(export, raw)
    before = raw_tree(raw)
    assert first.totals()["updates"] == 6
    again = run(export, raw)
    assert raw_tree(raw) == before
    assert again.totals()["updates"] == 0
    assert again.totals()["already_imported"] == 5
    assert again.chats[0].status == "nothing new"
    another_day = run(export, raw, now=LATER)
    assert raw_tree(raw) == before
    assert another_day.totals()["files"] == 0


def test_without_its_register_an_import_rewrites_byte_identical_parts(tmp_path: Path) -> None:
    export = write_export(tmp_path / "result.json", CHAT, FIRST)
    raw = tmp_path / "raw"
    run(export, raw)
    parts = part_files(raw)
    shutil.rmtree(raw / "_imports")
    run(export, raw)  # same day: the same names, overwritten with the same bytes
    assert part_files(raw) == parts
    shutil.rmtree(raw / "_imports")
    run(export, raw, now=LATER)  # another day: the same file, byte for byte, in that day
    later = {name.split("/", 1)[1]: data for name, data in part_files(raw).items()}
    assert len(part_files(raw)) == 2
    assert later == {name.split("/", 1)[1]: data for name, data in parts.items()}


def test_a_later_export_adds_only_new_messages_and_later_edits(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    run(write_export(tmp_path / "first.json", CHAT, FIRST), raw)
    imported = {u["update_id"] for u in written_updates(raw)}
    report = run(write_export(tmp_path / "second.json", CHAT, SECOND), raw, now=LATER)
    added = [u for u in written_updates(raw) if u["update_id"] not in imported]
    assert [u["update_id"] for u in added] == [
        expected_update_id(CHAT_ID, 2, "edit", T0 + 5_000),
        expected_update_id(CHAT_ID, 4, "edit", T0 + 6_000),
        expected_update_id(CHAT_ID, 6, "message"),
        expected_update_id(CHAT_ID, 7, "message"),
        expected_update_id(CHAT_ID, 8, "message"),
    ]
    assert added[0]["edited_message"]["text"] == "dois!"
    assert added[0]["edited_message"]["edit_date"] == T0 + 5_000
    assert added[1]["edited_message"]["text"] == "quatro!"
    totals = report.totals()
    assert (totals["messages"], totals["edits"], totals["already_imported"]) == (3, 2, 2)
    assert report.chats[0].generation == 2
    assert report.chats[0].files[0].startswith("dt=2026-12-24/history_-1001234567890_g00002_")
    entry = json.loads((raw / "_imports" / str(CHAT_ID) / "g00002.json").read_text())
    assert entry["message_ids"] == [[6, 8]]
    assert entry["edits"] == [[2, T0 + 5_000], [4, T0 + 6_000]]
    assert entry["export_digest"] == report.export_digest


def test_an_older_export_after_a_newer_one_adds_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    run(write_export(tmp_path / "second.json", CHAT, SECOND), raw)
    before = raw_tree(raw)
    older = [message(2, "dois", edited=T0 + 2_000), message(3, "três", edited=T0 + 1_000)]
    report = run(write_export(tmp_path / "older.json", CHAT, older), raw)
    assert raw_tree(raw) == before
    assert report.totals()["already_imported"] == 2


def test_register_entries_are_created_exclusively(tmp_path: Path) -> None:
    store = LocalStore(str(tmp_path))
    assert store.put_exclusive("_imports/-1/g00001.json", b"first")
    assert not store.put_exclusive("_imports/-1/g00001.json", b"second")
    assert (tmp_path / "_imports/-1/g00001.json").read_bytes() == b"first"
    assert [p.name for p in (tmp_path / "_imports/-1").iterdir()] == ["g00001.json"]


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    report = run(write_export(tmp_path / "result.json", CHAT, FIRST), raw, dry_run=True)
    assert report.totals()["updates"] == 6
    assert report.chats[0].status == "dry run"
    assert not raw.exists() or raw_tree(raw) == {}
