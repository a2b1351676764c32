"""Privacy in the ETL job: pseudonymous mode, no text, forgotten people, curated retention.

Runs `glue_jobs.job.run` on small raw trees in pytest's tmp dirs. Pseudonyms are computed
here from their definition (docs/privacy.md: the first 15 hex digits of
SHA-256("{key}:{id}")), not with the code under test.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from glue_builders import ALICE, BOB, GROUP, chat_member, lake, message, run_job, write_raw
from pyspark.sql import SparkSession

pytestmark = pytest.mark.spark

KEY = "0123456789abcdef" * 4
DAY = "2024-03-01"
CAROL = {"id": 333333, "is_bot": False, "first_name": "Carol", "username": "carol"}


def pseudonym(person_id: int) -> int:
    return int(hashlib.sha256(f"{KEY}:{person_id}".encode()).hexdigest()[:15], 16)


def forgotten_register(*people: int, key: str = KEY) -> str:
    """A register of forgotten people as docs/privacy-erasure.md describes it."""
    fingerprint = hashlib.sha256(f"{key}:fingerprint".encode()).hexdigest()[:16]
    entries = [{"pseudonym": pseudonym(person), "username_hashes": []} for person in people]
    return json.dumps({"format": 1, "key_fingerprint": fingerprint, "people": entries})


def key_file(root: Path) -> str:
    path = root / "privacy.key"
    path.write_text(KEY + "\n", "utf-8")
    return str(path)


def table(root: Path, name: str) -> list[dict[str, Any]]:
    folder = root / "curated" / name
    if not folder.exists():
        return []
    return pq.read_table(folder).to_pylist()


def raw_day(raw: Path) -> None:
    write_raw(
        raw,
        DAY,
        [
            message(1, 10, f"{DAY} 08:00:00", text="hello from alice"),
            message(
                2,
                11,
                f"{DAY} 08:01:00",
                sender=BOB,
                text="hi alice",
                reply_to_message={"message_id": 10, "from": ALICE, "chat": GROUP, "date": 1},
            ),
            message(
                3,
                12,
                f"{DAY} 08:02:00",
                sender=CAROL,
                text="look what alice said",
                forward_origin={"type": "user", "date": 1, "sender_user": ALICE},
            ),
            message(4, 13, f"{DAY} 08:03:00", new_chat_members=[ALICE, CAROL], sender=BOB),
            chat_member(5, f"{DAY} 08:04:00", CAROL, {"status": "left"}, {"status": "member"}),
            # Alice's private chat with the bot: its chat id is hers
            message(
                6,
                1,
                f"{DAY} 08:05:00",
                chat={"id": ALICE["id"], "type": "private", "first_name": "Alice"},
                text="/start",
            ),
        ],
    )


def test_pseudonymous_mode_stores_no_id_or_name_and_is_stable(
    spark: SparkSession, tmp_path: Path
) -> None:
    raw_day(tmp_path / "raw")
    options = {"privacy_mode": "pseudonymous", "privacy_key_uri": key_file(tmp_path)}
    run_job(spark, lake(tmp_path), start_date=DAY, run_id="one", **options)
    messages = sorted(table(tmp_path, "messages"), key=lambda row: row["message_id"])
    assert [(row["message_id"], row["user_id"]) for row in messages] == [
        (1, pseudonym(ALICE["id"])),
        (10, pseudonym(ALICE["id"])),
        (11, pseudonym(BOB["id"])),
        (12, pseudonym(CAROL["id"])),
    ]
    assert messages[0]["chat_id"] == pseudonym(ALICE["id"])  # the private chat
    assert messages[2]["chat_id"] == GROUP["id"]  # groups keep their ids
    assert messages[2]["reply_to_user_id"] == pseudonym(ALICE["id"])
    assert messages[3]["forward_from_user_id"] == pseudonym(ALICE["id"])
    assert {row["user_first_name"] for row in messages} == {None}
    assert {row["user_username"] for row in messages} == {None}
    assert messages[1]["text"] == "hello from alice"  # text stays unless dropped
    members = table(tmp_path, "member_events")
    assert sorted(row["user_id"] for row in members) == sorted(
        [pseudonym(ALICE["id"]), pseudonym(CAROL["id"]), pseudonym(CAROL["id"])]
    )
    # No real id and no name anywhere in the curated zone's values.
    values = json.dumps(
        [table(tmp_path, name) for name in ("messages", "member_events")], default=str
    )
    for person in (ALICE, BOB, CAROL):
        assert str(person["id"]) not in values
        assert person["first_name"] not in values
    # Stable: another lake built from the same raw with the same key agrees.
    other = tmp_path / "other"
    raw_day(other / "raw")
    run_job(spark, lake(other), start_date=DAY, run_id="two", **options)
    assert sorted(row["user_id"] for row in table(other, "messages")) == sorted(
        row["user_id"] for row in messages
    )


def test_text_policy_drop_keeps_lengths_and_no_text(spark: SparkSession, tmp_path: Path) -> None:
    raw_day(tmp_path / "raw")
    run_job(spark, lake(tmp_path), start_date=DAY, run_id="no-text", text_policy="drop")
    messages = {row["message_id"]: row for row in table(tmp_path, "messages")}
    assert {row["text"] for row in messages.values()} == {None}
    assert (messages[10]["text_length"], messages[10]["word_count"]) == (16, 3)
    assert messages[10]["user_first_name"] == "Alice"  # plain mode keeps names


def test_forgotten_people_stay_out_and_leave_no_reference(
    spark: SparkSession, tmp_path: Path
) -> None:
    raw_day(tmp_path / "raw")
    register = tmp_path / "curated" / "_privacy" / "forgotten.json"
    register.parent.mkdir(parents=True)
    register.write_text(forgotten_register(ALICE["id"]), "utf-8")

    summary = run_job(
        spark, lake(tmp_path), start_date=DAY, run_id="after", privacy_key_uri=key_file(tmp_path)
    )

    # Alice's own message and her private chat; the join listing her and Carol stays
    # (Carol's row), as does everyone else's.
    assert summary["counts"]["forgotten"] == 2
    assert summary["counts"]["new_rows"] == 2
    messages = {row["message_id"]: row for row in table(tmp_path, "messages")}
    assert sorted(messages) == [11, 12]
    assert messages[11]["reply_to_user_id"] is None  # Bob replied to her: reference gone
    assert messages[12]["forward_from_user_id"] is None
    assert messages[12]["text"] is None  # the forwarded copy was her text
    members = table(tmp_path, "member_events")
    assert sorted((row["user_id"], row["source"]) for row in members) == [
        (CAROL["id"], "chat_member"),
        (CAROL["id"], "new_chat_members"),
    ]
    values = json.dumps(
        [table(tmp_path, name) for name in ("messages", "member_events")], default=str
    )
    assert str(ALICE["id"]) not in values


def test_forgotten_people_need_the_key(spark: SparkSession, tmp_path: Path) -> None:
    raw_day(tmp_path / "raw")
    register = tmp_path / "curated" / "_privacy" / "forgotten.json"
    register.parent.mkdir(parents=True)
    register.write_text(forgotten_register(BOB["id"]), "utf-8")
    with pytest.raises(ValueError, match="--privacy_key_uri is needed"):
        run_job(spark, lake(tmp_path), start_date=DAY, run_id="no-key")
    # A register written with another key would match nobody: refused, never ignored.
    other = tmp_path / "other.key"
    other.write_text("f" * 64, "utf-8")
    with pytest.raises(ValueError, match="another privacy key"):
        run_job(spark, lake(tmp_path), start_date=DAY, run_id="other", privacy_key_uri=str(other))


def test_curated_retention_drops_old_partitions(spark: SparkSession, tmp_path: Path) -> None:
    today = datetime.now(UTC).date()
    old = (today - timedelta(days=40)).isoformat()
    recent = (today - timedelta(days=2)).isoformat()
    raw = tmp_path / "raw"
    write_raw(raw, recent, [message(1, 1, f"{old} 10:00:00"), message(2, 2, f"{recent} 10:00")])
    summary = run_job(
        spark, lake(tmp_path), start_date=recent, run_id="kept", curated_retention_days=30
    )
    assert summary["partitions_dropped"]["messages"] == [old]
    assert summary["partitions_written"]["messages"] == [recent]
    assert [row["message_id"] for row in table(tmp_path, "messages")] == [2]
