"""Basic groups and private chats: only messages from before the bot's first one, with ids
moved above Telegram's 32-bit range (the exporter's per-member ids are not the bot's).

The bot's first message is looked up in the raw zone, in the curated `messages` table, or
given with `--bot_first_seen`. Writes raw and curated zones under pytest's tmp dirs.
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from history_import.errors import ImportRefusedError
from tests.history.history_helpers import expected_update_id, run, write_export, written_updates

GROUP = {"name": "Família", "type": "private_group", "id": 4123456789}
GROUP_ID = -4123456789
OFFSET = 2**32
BOT_FIRST = 1_793_000_000  # 2026-10-26T07:33:20Z: the first message the webhook delivered


def msg(i: int, t: int, **extra: Any) -> dict[str, Any]:
    return {"id": i, "type": "message", "date": "x", "date_unixtime": str(t), "from": "Ana",
            "from_id": "user42", "text": f"m{i}"} | extra  # fmt: skip


EXPORT = [
    msg(500, BOT_FIRST - 7_200),
    msg(501, BOT_FIRST - 3_600, reply_to_message_id=500),
    msg(502, BOT_FIRST),  # the bot saw this one itself (under its own id)
    msg(503, BOT_FIRST + 60),
]


def webhook_update(update_id: int, chat_id: int, date: int) -> dict[str, Any]:
    chat = {"id": chat_id, "title": "Família", "type": "group"}
    sender = {"id": 42, "is_bot": False, "first_name": "Ana"}
    message = {"message_id": 7, "from": sender, "chat": chat, "date": date, "text": "oi"}
    return {"update_id": update_id, "message": message}


def write_raw(raw: Path) -> None:
    day = raw / "dt=2026-10-26"
    day.mkdir(parents=True)
    (day / "900000001.json").write_text(json.dumps(webhook_update(900000001, GROUP_ID, BOT_FIRST)))
    (day / "900000002.json").write_text(json.dumps(webhook_update(900000002, -99, 1_000)))
    # An earlier history import of the same chat is no message the bot saw.
    imported = webhook_update(2**62 + 5, GROUP_ID, BOT_FIRST - 86_400)
    with gzip.open(raw / "dt=2026-10-26" / "replay-0000.jsonl.gz", "wt") as part:
        part.write(json.dumps(imported) + "\n")


def imported_ids(raw: Path) -> list[int]:
    return [u["message"]["message_id"] for u in written_updates(raw) if "message" in u]


def test_the_cut_off_comes_from_the_raw_zone(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_raw(raw)
    report = run(write_export(tmp_path / "r.json", GROUP, EXPORT), raw)
    assert imported_ids(raw) == [OFFSET + 500, OFFSET + 501]
    updates = written_updates(raw)
    assert [u["update_id"] for u in updates] == [
        expected_update_id(GROUP_ID, OFFSET + 500, "message"),
        expected_update_id(GROUP_ID, OFFSET + 501, "message"),
    ]
    assert updates[1]["message"]["reply_to_message"]["message_id"] == OFFSET + 500
    assert updates[0]["message"]["chat"] == {"id": GROUP_ID, "title": "Família", "type": "group"}
    assert dict(report.skipped) == {"after_bot_first_message": 2}
    chat = report.chats[0]
    assert chat.cutoff_at == BOT_FIRST and chat.first_seen.startswith("the raw zone")
    assert "imported only messages sent before the bot's first one" in report.render()


def write_curated(curated: Path, rows: list[tuple[int, datetime, int]]) -> None:
    folder = curated / "messages" / "dt=2026-10-26"
    folder.mkdir(parents=True)
    table = pa.table(
        {
            "chat_id": pa.array([r[0] for r in rows], pa.int64()),
            "message_id": pa.array(range(len(rows)), pa.int64()),
            "sent_at": pa.array([r[1] for r in rows], pa.timestamp("us")),
            "update_id": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    pq.write_table(table, folder / "part-00000.snappy.parquet")


def test_the_cut_off_comes_from_the_curated_messages_table(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    at = datetime(2026, 10, 26, 7, 33, 20)  # BOT_FIRST, as the job stores it (UTC, no zone)
    write_curated(
        curated,
        [
            (GROUP_ID, at, 900000001),
            (GROUP_ID, datetime(2026, 10, 1), 2**62 + 9),  # an imported row: not the bot's
            (-99, datetime(2026, 1, 1), 5),  # another chat
        ],
    )
    raw = tmp_path / "raw"
    report = run(write_export(tmp_path / "r.json", GROUP, EXPORT), raw, curated_uri=str(curated))
    assert imported_ids(raw) == [OFFSET + 500, OFFSET + 501]
    assert report.chats[0].first_seen.startswith("the curated messages table")


def test_the_cut_off_can_be_given(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_raw(raw)  # ignored: the option wins
    export = write_export(tmp_path / "r.json", GROUP, EXPORT)
    run(export, raw, bot_first_seen="2026-10-26T06:33:20Z")  # BOT_FIRST - 3600
    assert imported_ids(raw) == [OFFSET + 500]


def test_a_chat_the_bot_never_saw_is_imported_whole(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    report = run(write_export(tmp_path / "r.json", GROUP, EXPORT), raw, bot_first_seen="none")
    assert imported_ids(raw) == [OFFSET + i for i in (500, 501, 502, 503)]
    assert report.chats[0].cutoff_at is None
    assert "(never, from --bot_first_seen)" in report.render()


@pytest.mark.parametrize("bad", ["2026-10-26T06:33:20", "soon"])
def test_a_bad_cut_off_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ImportRefusedError, match="--bot_first_seen"):
        run(write_export(tmp_path / "r.json", GROUP, EXPORT), tmp_path / "raw", bot_first_seen=bad)


def test_a_private_chat_uses_the_user_id_and_the_offset(tmp_path: Path) -> None:
    chat = {"name": "Lake Stats", "type": "bot_chat", "id": 7412093385}
    raw = tmp_path / "raw"
    messages = [msg(10, BOT_FIRST - 60, from_id="user7412093385", **{"from": "Lake Stats"})]
    run(write_export(tmp_path / "r.json", chat, messages), raw, bot_first_seen="none")
    message = written_updates(raw)[0]["message"]
    assert message["chat"] == {"id": 7412093385, "first_name": "Lake Stats", "type": "private"}
    assert message["message_id"] == OFFSET + 10
    # A bot chat's other party is a bot.
    assert message["from"] == {"id": 7412093385, "is_bot": True, "first_name": "Lake Stats"}
