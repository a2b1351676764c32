"""The job in an operator's worst week: bad raw files, missed days, crashes at the wrong time.

Runs `glue_jobs.job.run` on small raw trees in pytest's tmp dirs; the run summary builder
without Spark. Expectations written by hand.
"""

from __future__ import annotations

import gzip
import json
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from glue_builders import lake, message, run_job, write_raw
from pyspark.sql import Row, SparkSession

from glue_jobs.config import ArrivalWindow
from glue_jobs.summary import ConservationError, build_summary

pytestmark = pytest.mark.spark

DAY = "2024-03-01"


def quarantine(root: Path) -> list[tuple[str, str | None, str | None]]:
    """(file name, reason, error) of every quarantine record."""
    return sorted(
        (Path(record["source_file"]).name, record["reason"], record.get("error"))
        for part in (root / "quarantine").glob("dt=*/*.json")
        for record in map(json.loads, part.read_text("utf-8").splitlines())
    )


def test_bad_raw_files_are_quarantined_and_the_rest_of_the_day_is_processed(
    spark: SparkSession, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    good = [message(n, n, f"{DAY} 10:0{n}:00", text=f"good {n}") for n in (1, 2, 3)]
    write_raw(
        raw,
        DAY,
        [good[0]],
        ndjson={"batch.jsonl.gz": [good[1]], "part.jsonl": [good[2]]},
    )
    folder = raw / f"dt={DAY}"
    # a gzip batch cut short in transit
    whole = gzip.compress((json.dumps(message(4, 4, f"{DAY} 11:00:00")) + "\n").encode())
    (folder / "truncated.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (folder / "empty.json").write_bytes(b"")
    (folder / "two.json").write_text(
        json.dumps(message(5, 5, f"{DAY} 11:00:00")) + "\n" + json.dumps(message(6, 6, DAY)),
        "utf-8",
    )
    broken = {
        "negative.json": '{"update_id": -7, "message": {"message_id": 1}}',
        "float.json": '{"update_id": 7.5}',
        "string.json": '{"update_id": "8"}',
        "huge.json": '{"update_id": 18446744073709551616}',
        "shape.json": '{"update_id": 9, "message": {"message_id": "nine", "date": 1}}',
        "missing.json": '{"message": {"message_id": 10}}',
    }
    for name, text in broken.items():
        (folder / name).write_text(text, "utf-8")

    summary = run_job(spark, lake(tmp_path), start_date=DAY, run_id="bad-files")

    counts = summary["counts"]
    # 3 good lines + 1 truncated file + 1 empty file + 1 two-document file + 6 broken lines
    assert counts["lines_read"] == 12
    assert counts["new_rows"] == 3
    assert counts["quarantined"] == 9
    records = quarantine(tmp_path)
    assert [(name, reason) for name, reason, _ in records] == [
        ("empty.json", "empty_file"),
        ("float.json", "update_id_not_integer"),
        ("huge.json", "update_id_out_of_range"),
        ("missing.json", "missing_update_id"),
        ("negative.json", "update_id_out_of_range"),
        ("shape.json", "message_missing_fields"),
        ("string.json", "update_id_not_integer"),
        ("truncated.jsonl.gz", "corrupt_file"),
        ("two.json", "several_documents"),
    ]
    errors = {name: error for name, _, error in records}
    assert errors["empty.json"] == "0 bytes"
    assert "EOFException" in str(errors["truncated.jsonl.gz"])
    messages = spark.read.parquet(str(tmp_path / "curated" / "messages"))
    assert sorted(row["text"] for row in messages.collect()) == ["good 1", "good 2", "good 3"]


def _write_recent(raw: Path, today: date, days_ago: int, update_id: int) -> str:
    day = (today - timedelta(days=days_ago)).isoformat()
    write_raw(raw, day, [message(update_id, update_id, f"{day} 12:00:00")])
    return day


def test_scheduled_runs_catch_up_missed_days_within_the_bound(
    spark: SparkSession, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    today = datetime.now(UTC).date()
    raw = tmp_path / "raw"
    days = {ago: _write_recent(raw, today, ago, 100 + ago) for ago in range(1, 7)}

    # The first run ever takes yesterday only.
    first = run_job(spark, lake(tmp_path), run_id="first")
    assert first["days"] == [days[1]]
    assert first["days_left"] == 0

    # As if only a backfill up to 6 days ago had ever published: the runs after it failed.
    (tmp_path / "curated" / "_runs" / "first.json").unlink()
    run_job(spark, lake(tmp_path), start_date=days[6], run_id="backfill")
    # A bound of 2: the two oldest missed days now, and an alarm line for the rest.
    with caplog.at_level(logging.ERROR, logger="glue_jobs.catch_up"):
        bounded = run_job(spark, lake(tmp_path), run_id="bounded", max_catch_up_days=2)
    assert bounded["days"] == [days[5], days[4]]
    assert bounded["days_left"] == 3
    assert any(
        "telegram-lake: catch-up bound exceeded" in record.getMessage()
        and "3 missed arrival days" in record.getMessage()
        for record in caplog.records
    )
    # The next scheduled run picks up where that one stopped.
    rest = run_job(spark, lake(tmp_path), run_id="rest")
    assert rest["days"] == [days[3], days[2], days[1]]
    assert rest["days_left"] == 0
    # Everything is covered: a further run takes nothing and writes an empty summary.
    idle = run_job(spark, lake(tmp_path), run_id="idle")
    assert idle["days"] == []
    assert idle["counts"]["lines_read"] == 0
    messages = spark.read.parquet(str(tmp_path / "curated" / "messages"))
    assert sorted(row["message_id"] for row in messages.collect()) == [
        101, 102, 103, 104, 105, 106,
    ]  # fmt: skip


def test_a_manifest_or_summary_cut_short_by_a_crash_never_wedges_the_job(
    spark: SparkSession, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    write_raw(raw, DAY, [message(1, 1, f"{DAY} 10:00:00", text="kept")])
    run_job(spark, lake(tmp_path), start_date=DAY, run_id="done")
    curated = tmp_path / "curated"
    # A crash at the instant a manifest was created: the run never committed.
    (curated / "_staging" / "crashed" / "messages" / f"dt={DAY}").mkdir(parents=True)
    (curated / "_staging" / "crashed" / "messages" / f"dt={DAY}" / "part-0.parquet").write_bytes(
        b"PAR1"
    )
    (curated / "_staging" / "crashed" / "_manifest.json").write_bytes(b"")
    # A crash at the instant a run summary was created.
    (curated / "_runs" / "done.json").write_bytes(b'{"run_id": "do')

    again = run_job(spark, lake(tmp_path), start_date=DAY, run_id="after")

    assert again["counts"]["duplicates"] == 1
    assert not (curated / "_staging" / "crashed").exists()
    messages = spark.read.parquet(str(curated / "messages"))
    assert [row["text"] for row in messages.collect()] == ["kept"]
    # The scheduled form still works with the unreadable summary in _runs/.
    assert run_job(spark, lake(tmp_path), run_id="scheduled")["run_id"] == "scheduled"


# --- I1 is a check that can fail -------------------------------------------------------------


def _outcomes(*rows: tuple[str, str, str | None, int, int | None]) -> list[Row]:
    return [
        Row(level=level, kind=kind, detail=detail, target=None, dt=None, lines=lines, updates=n)
        for level, kind, detail, lines, n in rows
    ]


def _summary(metrics: dict[str, dict[str, int]]) -> dict[str, Any]:
    outcomes = _outcomes(
        ("partition", "message", None, 3, None),
        ("outcome", "message", None, 3, 2),  # one update delivered twice
        ("partition", "ignored", "callback_query", 1, None),
        ("outcome", "ignored", "callback_query", 1, 1),
    )
    return build_summary(
        run_id="r",
        started_at=datetime(2024, 3, 1, tzinfo=UTC),
        window=ArrivalWindow(date(2024, 3, 1), date(2024, 3, 1)),
        outcomes=outcomes,
        table_metrics=metrics,
        partitions={},
    )


def test_the_summary_adds_up_when_every_line_is_accounted_for() -> None:
    summary = _summary(
        {
            "messages": {
                "new_originals": 2,
                "new_edits": 0,
                "refolded_updates": 0,
                "incoming_lines": 3,
                "rows": 2,
            }
        }
    )
    assert summary["counts"]["new_rows"] == 2
    assert summary["counts"]["duplicates"] == 1
    assert summary["counts"]["ignored"] == {"callback_query": 1}


def test_a_line_lost_in_a_merge_fails_the_run_before_it_publishes() -> None:
    with pytest.raises(ConservationError, match="4 lines read but 3 accounted for"):
        # the merge saw 3 lines but only 1 of the 2 distinct updates came out
        _summary(
            {
                "messages": {
                    "new_originals": 1,
                    "new_edits": 0,
                    "refolded_updates": 0,
                    "incoming_lines": 3,
                    "rows": 1,
                }
            }
        )
