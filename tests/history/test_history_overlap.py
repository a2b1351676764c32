"""The bundled export and the webhook sample of the same forum, end to end through spark-submit.

Writes the forum's webhook updates (`samples/updates.jsonl`) into a raw zone as the
webhook does, imports `samples/history/result.json` with the real importer, runs the real
entry script with spark-submit, and reads the curated `messages` back with pyarrow. The
expectations come from the two sample files read with plain `json`, never from the job.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from history_import.importer import ImportOptions, run_import

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
FORUM = -1001707924673
ARRIVAL = "2026-11-15"


def webhook_updates() -> list[dict[str, Any]]:
    """The forum's message updates of the webhook sample (deliveries, redeliveries kept)."""
    updates = []
    for line in (REPO / "samples" / "updates.jsonl").read_text("utf-8").splitlines():
        update = json.loads(line)
        body = next((update[key] for key in ("message", "edited_message") if key in update), None)
        if body is not None and body.get("chat", {}).get("id") == FORUM:
            updates.append(update)
    return updates


def exported_messages() -> dict[int, dict[str, Any]]:
    export = json.loads((REPO / "samples" / "history" / "result.json").read_text("utf-8"))
    return {message["id"]: message for message in export["messages"]}


def flat_text(text: Any) -> str:
    """Telegram Desktop's `text`: a string, or a list of strings and entity objects."""
    if isinstance(text, str):
        return text
    return "".join(part if isinstance(part, str) else part["text"] for part in text)


def test_imported_history_and_webhook_messages_are_one_row_each(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    day = raw / f"dt={ARRIVAL}"
    day.mkdir(parents=True)
    webhook = webhook_updates()
    for update in webhook:
        (day / f"{update['update_id']}.json").write_text(json.dumps(update), "utf-8")
    run_import(
        ImportOptions(
            export=REPO / "samples" / "history" / "result.json",
            raw_uri=str(raw),
            bot_first_seen="none",
        )
    )
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    command = [
        str(Path(sys.executable).parent / "spark-submit"),
        "--master",
        "local[1]",
        "--conf",
        "spark.ui.enabled=false",
        str(REPO / "glue_jobs" / "telegram_etl.py"),
        "--raw_uri",
        str(raw),
        "--curated_uri",
        str(tmp_path / "curated"),
        "--quarantine_uri",
        str(tmp_path / "quarantine"),
        "--start_date",
        ARRIVAL,
        "--end_date",
        "2026-12-31",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=900, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]

    rows = [
        row
        for row in pq.read_table(tmp_path / "curated" / "messages").to_pylist()
        if row["chat_id"] == FORUM
    ]
    keys = Counter(row["message_id"] for row in rows)
    assert max(keys.values()) == 1  # one row per message, whatever its sources

    exported = exported_messages()
    seen = {
        (update.get("message") or update.get("edited_message"))["message_id"] for update in webhook
    }
    by_id = {row["message_id"]: row for row in rows}
    # Every overlap message keeps the sender as the webhook reported it (the export knows no
    # usernames or languages, and writes full display names as first names).
    senders = {
        body["message_id"]: body.get("from", {})
        for update in webhook
        for body in [update.get("message") or update.get("edited_message")]
    }
    # Service messages (joins, pins, topics) are member events or ignored, not rows.
    overlap = sorted(
        message_id for message_id in seen & set(exported) if "action" not in exported[message_id]
    )
    assert len(overlap) > 200  # the sample overlaps by about 250 messages
    for message_id in overlap:
        row, sender = by_id[message_id], senders[message_id]
        assert (row["user_first_name"], row["user_username"], row["user_language_code"]) == (
            sender.get("first_name"),
            sender.get("username"),
            sender.get("language_code"),
        ), message_id
    # History from before the bot joined (ids below the bot's join, 48385) is imported.
    before = [row for row in rows if row["message_id"] < 48385]
    assert before and {row["source"] for row in before} == {"desktop_export"}
    # An edit only the export has, later than the webhook's, wins the text; never the count.
    webhook_edits = Counter(
        update["edited_message"]["message_id"]
        for update in {u["update_id"]: u for u in webhook}.values()
        if "edited_message" in update
    )
    for message_id in (48433, 48530, 48536):
        row = by_id[message_id]
        assert row["text"] == flat_text(exported[message_id]["text"])
        assert row["text"].endswith("(corrigido)")
        assert row["source"] == "desktop_export"
        assert row["edit_count"] <= webhook_edits[message_id]
    # A message edited after the export keeps the webhook's later version.
    last_edit = max(
        (u for u in webhook if u.get("edited_message", {}).get("message_id") == 48482),
        key=lambda u: u["edited_message"]["edit_date"],
    )
    assert by_id[48482]["text"] == last_edit["edited_message"].get(
        "text", last_edit["edited_message"].get("caption")
    )
    assert by_id[48482]["source"] == "webhook"
