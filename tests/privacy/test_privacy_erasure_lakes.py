"""The erasure job on small hand-built lakes: a pseudonymous curated zone, a rerun that must
recognise mentions from the register alone, and the entry script under spark-submit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from erasure_builders import KEY, LEO, MIA, ZOE, dumps, message

from glue_jobs.erasure.config import ErasureConfig
from glue_jobs.erasure.job import run as forget
from lake.privacy import ForgottenRegister, pseudonym, username_hash
from tests.contract import (
    MEMBER_EVENTS_COLUMNS,
    MESSAGES_BOOKKEEPING_COLUMNS,
    MESSAGES_COLUMNS,
    REACTIONS_COLUMNS,
    Column,
    ddl_schema,
)

MIA_ID, ZOE_ID, LEO_ID = MIA["id"], ZOE["id"], LEO["id"]
P_MIA, P_ZOE, P_LEO = (pseudonym(KEY, person) for person in (MIA_ID, ZOE_ID, LEO_ID))
GROUP_ID = -1001500000001
DAY = date(2026, 9, 21)
AT = datetime(2026, 9, 21, 10, 0, tzinfo=UTC)


def zones(root: Path) -> dict[str, str]:
    for zone in ("raw", "curated", "quarantine"):
        (root / zone).mkdir(parents=True, exist_ok=True)
    (root / "privacy.key").write_text(KEY, "utf-8")
    return {
        "raw_uri": str(root / "raw"),
        "curated_uri": str(root / "curated"),
        "quarantine_uri": str(root / "quarantine"),
        "privacy_key_uri": (root / "privacy.key").as_uri(),
    }


def write_table(
    spark: Any, root: Path, table: str, columns: tuple[Column, ...], rows: list[dict[str, Any]]
) -> None:
    """Curated Parquet written by hand (the test contract's columns, then `dt`)."""
    names = [name for name, _ in columns]
    frame = spark.createDataFrame(
        [(*[row.get(name) for name in names], DAY) for row in rows],
        schema=ddl_schema(*columns, ("dt", "date")),
    )
    frame.write.mode("overwrite").partitionBy("dt").parquet(str(root / "curated" / table))


def message_row(**values: Any) -> dict[str, Any]:
    return {
        "chat_id": GROUP_ID,
        "update_id": values["message_id"] + 1000,
        "sent_at": AT,
        "edit_count": 0,
        "chat_type": "supergroup",
        "sender_type": "user",
        "is_automatic_forward": False,
        "content_type": "text",
        "text_length": len(values.get("text") or ""),
        "word_count": len((values.get("text") or "").split()),
        "is_forwarded": False,
        "is_channel_post": False,
        "source": "webhook",
        "edit_update_ids": [],
        "edit_dates": [],
        **values,
    }


def rows(root: Path, table: str, *columns: str) -> list[tuple[Any, ...]]:
    read = pq.read_table(root / "curated" / table).to_pylist()
    return sorted((tuple(row[name] for name in columns) for row in read), key=repr)


@pytest.mark.spark
def test_a_pseudonymous_lake_loses_them_by_pseudonym(spark: Any, tmp_path: Path) -> None:
    uris = zones(tmp_path)
    # Raw still holds one of her updates: where her username is learnt.
    day = tmp_path / "raw" / "dt=2026-09-21"
    day.mkdir()
    (day / "1.json").write_text(dumps(message(1, 1, MIA, text="hello")), "utf-8")
    messages = MESSAGES_COLUMNS + MESSAGES_BOOKKEEPING_COLUMNS
    write_table(
        spark,
        tmp_path,
        "messages",
        messages,
        [
            message_row(message_id=1, user_id=P_MIA, text="hello"),
            message_row(
                message_id=2,
                user_id=P_ZOE,
                text="ok @mia_k",
                reply_to_message_id=1,
                reply_to_user_id=P_MIA,
            ),
            message_row(
                message_id=3,
                user_id=P_LEO,
                text="her words",
                is_forwarded=True,
                forward_origin_type="user",
                forward_from_user_id=P_MIA,
            ),
            message_row(message_id=4, user_id=P_ZOE, text="no one else"),
            message_row(
                message_id=5,
                chat_id=P_MIA,
                chat_type="private",
                user_id=7000000001,
                sender_type="bot",
                text="/stats",
            ),
        ],
    )
    write_table(
        spark,
        tmp_path,
        "reactions",
        REACTIONS_COLUMNS,
        [
            {
                "chat_id": GROUP_ID,
                "message_id": 4,
                "update_id": 20,
                "reacted_at": AT,
                "update_type": "message_reaction",
                "actor_user_id": actor,
                "reaction_type": "emoji",
                "reaction": "👍",
                "was_set": False,
                "is_set": True,
            }
            for actor in (P_MIA, P_LEO)
        ],
    )
    write_table(
        spark,
        tmp_path,
        "member_events",
        MEMBER_EVENTS_COLUMNS,
        [
            {
                "chat_id": GROUP_ID,
                "user_id": P_MIA,
                "event": "join",
                "occurred_at": AT,
                "source": "chat_member",
                "update_id": 30,
                "actor_user_id": P_MIA,
            },
            {
                "chat_id": GROUP_ID,
                "user_id": P_LEO,
                "event": "join",
                "occurred_at": AT,
                "source": "new_chat_members",
                "update_id": 31,
                "actor_user_id": P_MIA,
            },
        ],
    )

    audit = forget(spark, ErasureConfig(**uris, user_ids=(MIA_ID,)))

    assert rows(
        tmp_path,
        "messages",
        "message_id",
        "user_id",
        "text",
        "text_length",
        "reply_to_user_id",
        "forward_from_user_id",
        "forward_origin_type",
    ) == [
        (2, P_ZOE, "ok @*****", 9, None, None, None),
        (3, P_LEO, "", 0, None, None, "hidden_user"),
        (4, P_ZOE, "no one else", 11, None, None, None),
    ]
    assert rows(tmp_path, "reactions", "update_id", "actor_user_id") == [(20, P_LEO)]
    assert rows(tmp_path, "member_events", "update_id", "user_id", "actor_user_id") == [
        (31, P_LEO, None)
    ]
    assert not (day / "1.json").exists()
    assert audit["people"]["found"] == 1
    assert audit["curated"]["rows_removed"] == {"messages": 2, "reactions": 1, "member_events": 1}
    assert audit["curated"]["rows_scrubbed"] == {
        "messages": 2,
        "reactions": 0,
        "member_events": 1,
    }


@pytest.mark.spark
def test_a_rerun_recognises_their_mentions_from_the_register(spark: Any, tmp_path: Path) -> None:
    # An earlier erasure of Mia stopped after deleting her own updates: nothing in the lake
    # names her any more but Zoe's mention; the register remembers her username's hash.
    uris = zones(tmp_path)
    day = tmp_path / "raw" / "dt=2026-09-21"
    day.mkdir()
    (day / "2.json").write_text(dumps(message(2, 2, ZOE, text="where is @Mia_K?")), "utf-8")
    register = ForgottenRegister.empty(KEY).with_people({P_MIA: [username_hash(KEY, "mia_k")]})
    privacy = tmp_path / "curated" / "_privacy"
    privacy.mkdir(parents=True)
    (privacy / "forgotten.json").write_text(json.dumps(register.to_document()), "utf-8")

    audit = forget(spark, ErasureConfig(**uris, user_ids=(MIA_ID,)))

    assert json.loads((day / "2.json").read_text("utf-8"))["message"]["text"] == "where is @*****?"
    assert audit["people"] == {"requested": 1, "found": 0, "already_forgotten": 1, "unknown": 0}
    assert audit["raw"]["objects_rewritten"] == 1


# --- the entry script ------------------------------------------------------------------------


def submit(repo_root: Path, tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).parent / "spark-submit"),
        "--master",
        "local[1]",
        "--conf",
        "spark.ui.enabled=false",
        str(repo_root / "glue_jobs" / "forget_users.py"),
        "--JOB_NAME",
        "telegram-lake-test",
        *arguments,
    ]
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600, check=False
    )


def zone_arguments(uris: dict[str, str]) -> list[str]:
    return [part for name, value in uris.items() for part in (f"--{name}", value)]


@pytest.mark.integration
def test_the_entry_script_says_an_unknown_id_erases_nothing(
    repo_root: Path, tmp_path: Path
) -> None:
    uris = zones(tmp_path)
    day = tmp_path / "raw" / "dt=2026-09-21"
    day.mkdir()
    kept = dumps(message(2, 2, ZOE, text="hello"))
    (day / "2.json").write_text(kept, "utf-8")

    result = submit(repo_root, tmp_path, *zone_arguments(uris), "--user_ids", "424242")

    assert result.returncode == 0, result.stderr[-4000:]
    audit = json.loads(result.stdout.strip().splitlines()[-1])
    assert audit["status"] == "completed"
    assert audit["people"] == {"requested": 1, "found": 0, "already_forgotten": 0, "unknown": 1}
    assert audit["raw"]["objects_deleted"] == audit["raw"]["objects_rewritten"] == 0
    # spark-submit passes the driver's stderr (its log) on to its own stdout.
    output = result.stdout + result.stderr
    assert "appear nowhere in the lake" in output
    assert "424242" not in output
    assert (day / "2.json").read_text("utf-8") == kept
    assert not (tmp_path / "curated" / "_privacy" / "forgotten.json").exists()


@pytest.mark.integration
def test_the_entry_script_refuses_bad_ids_before_anything(repo_root: Path, tmp_path: Path) -> None:
    uris = zones(tmp_path)
    result = submit(repo_root, tmp_path, *zone_arguments(uris), "--user_ids", "12,abc")
    assert result.returncode == 2
    assert "error: not a Telegram user id: 'abc'" in result.stdout + result.stderr
    assert list((tmp_path / "curated").iterdir()) == []


@pytest.mark.integration
def test_the_entry_script_refuses_a_missing_key(repo_root: Path, tmp_path: Path) -> None:
    uris = zones(tmp_path)
    uris["privacy_key_uri"] = str(tmp_path / "no-such.key")
    result = submit(repo_root, tmp_path, *zone_arguments(uris), "--user_ids", str(MIA_ID))
    assert result.returncode == 2
    assert "error: no privacy key file" in result.stdout + result.stderr
    assert list((tmp_path / "curated").iterdir()) == []


@pytest.mark.spark
def test_the_scheduled_catch_up_skips_an_erasures_run_summary(
    spark: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An erasure publishes through the staging too; its summary covers no arrival day and
    is no unreadable summary either (which would log a warning on every scheduled run)."""
    from glue_jobs.catch_up import covered_until  # noqa: PLC0415
    from glue_jobs.fs import HadoopFs  # noqa: PLC0415

    runs = tmp_path / "curated" / "_runs"
    runs.mkdir(parents=True)
    window = {"start_date": "2024-03-04", "end_date": "2024-03-05"}
    (runs / "etl.json").write_text(json.dumps({"run_id": "etl", "window": window}), "utf-8")
    (runs / "erasure.json").write_text(
        json.dumps({"run_id": "erasure", "kind": "erasure", "window": None}), "utf-8"
    )
    assert covered_until(HadoopFs(spark), str(tmp_path / "curated")) == date(2024, 3, 5)
    (runs / "etl.json").unlink()
    assert covered_until(HadoopFs(spark), str(tmp_path / "curated")) is None
    assert "unreadable" not in caplog.text
