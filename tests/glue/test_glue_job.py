"""The Glue job end to end through `glue_jobs.job.run`, on small raw trees in tmp dirs.

Reads and writes only under pytest's tmp_path. Expected counts and rows are worked out by
hand from the updates each test stores (comments say how).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from glue_builders import (
    BOB,
    GROUP,
    chat_member,
    edit,
    lake,
    message,
    run_job,
    tree_digest,
    write_raw,
)
from pyspark.sql import SparkSession

from glue_jobs import job, staging
from glue_jobs.fs import HadoopFs
from lake.tables import MESSAGES
from tests.contract import (
    MEMBER_EVENTS_COLUMNS,
    MESSAGES_BOOKKEEPING_COLUMNS,
    MESSAGES_COLUMNS,
    PARTITION_COLUMN,
)

pytestmark = pytest.mark.spark

PHOTO = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 90}]
REACTION = {
    "chat": GROUP,
    "message_id": 10,
    "user": BOB,
    "date": 1709280000,
    "old_reaction": [],
    "new_reaction": [{"type": "emoji", "emoji": "👍"}],
}

# Hand-written from the curated data contract, plus the documented bookkeeping columns.
MESSAGES_DTYPES = [*MESSAGES_COLUMNS, *MESSAGES_BOOKKEEPING_COLUMNS, PARTITION_COLUMN]
MEMBER_EVENTS_DTYPES = [*MEMBER_EVENTS_COLUMNS, PARTITION_COLUMN]


def rows(spark: SparkSession, root: Path, table: str, *columns: str) -> list[tuple[Any, ...]]:
    frame = spark.read.parquet(str(root / "curated" / table)).select(*columns)
    return sorted(tuple(row) for row in frame.collect())


def data_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith((".", "_")))


def counts(summary: dict[str, Any]) -> dict[str, Any]:
    return dict(summary["counts"])


def test_run_counts_every_line_once_and_writes_the_contract(
    spark: SparkSession, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    first = message(1, 10, "2024-03-01 08:00:00", text="good morning all")
    write_raw(
        raw,
        "2024-03-01",
        [
            first,
            message(2, 11, "2024-03-01 08:01:00", photo=PHOTO, caption="sunrise"),
            message(3, 12, "2024-03-01 08:02:00", new_chat_members=[BOB]),
            {"update_id": 4, "callback_query": {"id": "1", "from": BOB, "chat_instance": "1"}},
            '{"update_id": 5, "message": {"message_id": 1',  # truncated body
        ],
        ndjson={
            "replay.jsonl": [
                first,  # the same update again, in a batch file
                edit(6, 10, "2024-03-01 08:00:00", "2024-03-01 09:00:00", text="good morning!"),
                "   ",  # a blank line is no record
                {"update_id": 7, "message_reaction": REACTION},
            ]
        },
    )
    write_raw(
        raw,
        "2024-03-02",
        [
            first,
            chat_member(8, "2024-03-02 07:00:00", BOB, {"status": "left"}, {"status": "member"}),
        ],
        ndjson={
            "history.jsonl.gz": [
                message(9, 13, "2024-02-28 12:00:00", text="from the import"),
                json.dumps({"update_id": "10"}),
            ]
        },
    )
    write_raw(raw, "2024-03-05", [message(99, 99, "2024-03-05 00:00:00")])  # outside window
    raw_before = tree_digest(raw)

    summary = run_job(
        spark, lake(tmp_path), start_date="2024-03-01", end_date="2024-03-03", run_id="run-1"
    )

    # 12 lines: day 1 has 5 files + 3 NDJSON lines, day 2 has 2 files + 2 gzip lines.
    assert counts(summary) == {
        "lines_read": 12,
        "new_rows": 3,  # updates 1, 2, 9
        "duplicates": 2,  # update 1 again in replay.jsonl and on day 2
        "edits_merged": 1,  # update 6
        "member_event_updates": 2,  # updates 3 and 8
        "reaction_updates": 1,  # update 7
        "join_request_updates": 0,
        "ignored": {"callback_query": 1},
        "quarantined": 2,  # the truncated file and the string update_id
        "forgotten": 0,
    }
    assert summary["run_id"] == "run-1"
    assert summary["window"] == {"start_date": "2024-03-01", "end_date": "2024-03-03"}
    assert summary["rows_written"] == {
        "messages": 3,
        "member_events": 2,
        "chat_migrations": 0,
        "reactions": 1,
        "join_requests": 0,
    }
    assert summary["partitions_written"] == {
        "messages": ["2024-02-28", "2024-03-01"],
        "member_events": ["2024-03-01", "2024-03-02"],
        "chat_migrations": [],
        "reactions": ["2024-03-01"],
        "join_requests": [],
    }
    assert summary["started_at"] <= summary["finished_at"]
    stored = json.loads((tmp_path / "curated" / "_runs" / "run-1.json").read_text("utf-8"))
    assert stored == summary

    assert rows(
        spark, tmp_path, "messages",
        "message_id", "update_id", "edit_count", "content_type", "text", "original_update_id",
        "dt",
    ) == [
        (10, 6, 1, "text", "good morning!", 1, date(2024, 3, 1)),
        (11, 2, 0, "photo", "sunrise", 2, date(2024, 3, 1)),
        (13, 9, 0, "text", "from the import", 9, date(2024, 2, 28)),
    ]  # fmt: skip
    assert rows(
        spark, tmp_path, "member_events", "user_id", "event", "source", "update_id", "dt"
    ) == [
        (222222, "join", "chat_member", 8, date(2024, 3, 2)),
        (222222, "join", "new_chat_members", 3, date(2024, 3, 1)),
    ]
    curated = tmp_path / "curated"
    assert spark.read.parquet(str(curated / "messages")).dtypes == MESSAGES_DTYPES
    assert spark.read.parquet(str(curated / "member_events")).dtypes == MEMBER_EVENTS_DTYPES
    for table, day in [("messages", "2024-03-01"), ("member_events", "2024-03-02")]:
        assert len(data_files(curated / table / f"dt={day}")) == 1
    assert not (curated / "_staging" / "run-1").exists()

    quarantined = sorted(
        (record["reason"], record["raw"], record["run_id"], folder.name, record["source_file"])
        for folder in (tmp_path / "quarantine").glob("dt=*")
        for part in folder.glob("*.json")
        for record in map(json.loads, part.read_text("utf-8").splitlines())
    )
    assert [entry[:4] for entry in quarantined] == [
        ("not_json", '{"update_id": 5, "message": {"message_id": 1', "run-1", "dt=2024-03-01"),
        ("update_id_not_integer", '{"update_id": "10"}', "run-1", "dt=2024-03-02"),
    ]
    assert quarantined[0][4].endswith("dt=2024-03-01/broken-4.json")
    assert quarantined[1][4].endswith("dt=2024-03-02/history.jsonl.gz")

    # I2 on this tree: the same rows again; every folded update now counts as a duplicate.
    again = run_job(
        spark, lake(tmp_path), start_date="2024-03-01", end_date="2024-03-03", run_id="run-2"
    )
    assert counts(again) == {
        "lines_read": 12,
        "new_rows": 0,
        "duplicates": 9,
        "edits_merged": 0,
        "member_event_updates": 0,
        "reaction_updates": 0,
        "join_request_updates": 0,
        "ignored": {"callback_query": 1},
        "quarantined": 2,
        "forgotten": 0,
    }
    assert rows(spark, tmp_path, "messages", "message_id", "update_id", "edit_count", "dt") == [
        (10, 6, 1, date(2024, 3, 1)),
        (11, 2, 0, date(2024, 3, 1)),
        (13, 9, 0, date(2024, 2, 28)),
    ]
    assert tree_digest(raw) == raw_before  # I5: raw is read-only


def test_late_edit_rewrites_only_the_send_date_partition_by_merging(
    spark: SparkSession, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    write_raw(
        raw,
        "2024-03-01",
        [message(1, 10, "2024-03-01 08:00:00", text="v1"), message(2, 11, "2024-03-01 09:00:00")],
    )
    write_raw(raw, "2024-02-20", [message(3, 5, "2024-02-20 09:00:00")])
    run_job(spark, lake(tmp_path), start_date="2024-02-20", end_date="2024-03-01", run_id="day-1")
    messages = tmp_path / "curated" / "messages"
    old_files = data_files(messages / "dt=2024-03-01")
    untouched = data_files(messages / "dt=2024-02-20")

    # Day 2 brings an edit of a day-1 message (whose original is not in this window) and a
    # new message: the 2024-03-01 partition is rebuilt from what it held plus the edit.
    write_raw(
        raw,
        "2024-03-02",
        [
            edit(4, 10, "2024-03-01 08:00:00", "2024-03-02 10:00:00", text="v2 edited"),
            message(5, 20, "2024-03-02 11:00:00"),
        ],
    )
    # A target of one row per file also shows that a day is split only past the target size.
    summary = run_job(
        spark,
        lake(tmp_path),
        start_date="2024-03-02",
        run_id="day-2",
        target_file_bytes=MESSAGES.row_bytes,
    )

    assert counts(summary)["new_rows"] == 1
    assert counts(summary)["edits_merged"] == 1
    assert summary["partitions_written"]["messages"] == ["2024-03-01", "2024-03-02"]
    assert summary["rows_written"]["messages"] == 3  # the two rewritten partitions
    assert rows(spark, tmp_path, "messages", "message_id", "update_id", "text", "edit_count") == [
        (5, 3, "message 5", 0),
        (10, 4, "v2 edited", 1),
        (11, 2, "message 11", 0),
        (20, 5, "message 20", 0),
    ]
    assert len(old_files) == 1  # a small day is one file
    new_files = data_files(messages / "dt=2024-03-01")
    assert len(new_files) == 2  # two rows, one row per file
    assert not set(new_files) & set(old_files)  # replaced, not appended to
    assert data_files(messages / "dt=2024-02-20") == untouched  # not in the run: not rewritten


def test_a_crash_never_loses_rows_and_the_next_run_finishes_the_publish(
    spark: SparkSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    write_raw(raw, "2024-03-01", [message(1, 10, "2024-03-01 08:00:00", text="v1")])
    run_job(spark, lake(tmp_path), start_date="2024-03-01", run_id="first")
    write_raw(
        raw,
        "2024-03-02",
        [
            edit(2, 10, "2024-03-01 08:00:00", "2024-03-02 10:00:00", text="v2"),
            message(3, 20, "2024-03-02 11:00:00", text="new"),
        ],
    )

    # 1. Crash before the commit point: live data untouched, staging discarded next time.
    def crash(*_: Any, **__: Any) -> None:
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(job, "commit_manifest", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        run_job(spark, lake(tmp_path), start_date="2024-03-02", run_id="uncommitted")
    monkeypatch.undo()
    assert (curated / "_staging" / "uncommitted").exists()
    assert rows(spark, tmp_path, "messages", "message_id", "text") == [(10, "v1")]

    # 2. Crash after the commit point, half-way through the publish (one partition moved).
    original_publish_partition = staging._publish_partition
    calls: list[str] = []

    def publish_one_then_crash(fs: Any, staged: str, live: str, files: list[str]) -> None:
        if calls:
            raise RuntimeError("simulated crash")
        calls.append(live)
        original_publish_partition(fs, staged, live, files)

    monkeypatch.setattr(staging, "_publish_partition", publish_one_then_crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        run_job(spark, lake(tmp_path), start_date="2024-03-02", run_id="committed")
    monkeypatch.undo()
    assert not (curated / "_staging" / "uncommitted").exists()
    assert (curated / "_staging" / "committed" / "_manifest.json").exists()
    assert not (curated / "_runs" / "committed.json").exists()
    assert rows(spark, tmp_path, "messages", "message_id", "text") == [(10, "v2")]

    # 3. The next run (here over an empty window) completes the committed publish first.
    summary = run_job(spark, lake(tmp_path), start_date="2024-03-09", run_id="after")
    assert counts(summary)["lines_read"] == 0
    assert summary["partitions_written"] == {
        "messages": [],
        "member_events": [],
        "chat_migrations": [],
        "reactions": [],
        "join_requests": [],
    }
    assert rows(spark, tmp_path, "messages", "message_id", "text") == [(10, "v2"), (20, "new")]
    assert not (curated / "_staging").exists() or not any((curated / "_staging").iterdir())
    recovered = json.loads((curated / "_runs" / "committed.json").read_text("utf-8"))
    assert recovered["counts"]["edits_merged"] == 1
    assert recovered["finished_at"] is not None


def test_publish_completes_a_half_done_move_and_can_be_replayed(
    spark: SparkSession, tmp_path: Path
) -> None:
    fs = HadoopFs(spark)
    staged, live = tmp_path / "staged", tmp_path / "live"
    staged.mkdir()
    live.mkdir()
    (staged / "part-new-1.parquet").write_text("new 1")
    (staged / "part-new-2.parquet").write_text("new 2")
    (live / "part-old.parquet").write_text("old")
    # An earlier attempt copied part-new-2 (S3 renames copy, then delete) and died.
    (live / "part-new-2.parquet").write_text("new 2")
    files = ["part-new-1.parquet", "part-new-2.parquet"]

    staging._publish_partition(fs, str(staged), str(live), files)
    assert data_files(live) == files
    assert data_files(staged) == []
    assert (live / "part-new-1.parquet").read_text() == "new 1"

    staging._publish_partition(fs, str(staged), str(live), files)  # replay: a no-op
    assert data_files(live) == files
