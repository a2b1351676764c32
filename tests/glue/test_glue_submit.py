"""The real entry script under spark-submit, as the demo and Glue run it (one submit).

Writes a small raw tree under tmp_path (file:// URIs, like the demo), runs
`spark-submit glue_jobs/telegram_etl.py` from another working directory on a JVM and a
Python whose timezone is America/Sao_Paulo (UTC-3), with two cores, and checks the printed
run summary, the stored one, and the Parquet read without Spark: `dt` and every timestamp
are UTC whatever the machine's timezone. The second day arrives as one `.jsonl.gz` file,
fewer files than the two cores, so the job spreads its lines before parsing (the
repartition branch of `glue_jobs.sources.load_ndjson_lines`).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from glue_builders import BOB, chat_member, edit, message, submit_job, write_raw

pytestmark = pytest.mark.integration

ZONE = "America/Sao_Paulo"
LEFT, MEMBER = {"status": "left"}, {"status": "member"}


def test_spark_submit_runs_the_entry_script_in_utc_on_a_non_utc_machine(
    tmp_path: Path, repo_root: Path
) -> None:
    raw = tmp_path / "raw"
    write_raw(
        raw,
        "2024-03-01",
        [
            message(1, 10, "2024-03-01 08:00:00", text="hello lake"),
            edit(2, 10, "2024-03-01 08:00:00", "2024-03-01 08:30:00", text="hello, lake"),
            chat_member(3, "2024-03-01 09:00:00", BOB, LEFT, MEMBER),
            "not json at all",
        ],
    )
    # In Sao Paulo all four happen on 2024-03-01 (20:30, 21:30, 22:30, 23:59:59 local time).
    write_raw(
        raw,
        "2024-03-02",
        ndjson={
            "batch-0001.jsonl.gz": [
                message(4, 21, "2024-03-01 23:30:00", text="before midnight UTC"),
                message(5, 20, "2024-03-02 00:30:00", text="after midnight UTC"),
                chat_member(6, "2024-03-02 01:30:00", BOB, MEMBER, LEFT),
                message(7, 22, "2024-03-02 02:59:59", text="last second in Sao Paulo"),
            ]
        },
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = submit_job(
        repo_root,
        {
            "raw_uri": raw.as_uri(),
            "curated_uri": (tmp_path / "curated").as_uri(),
            "quarantine_uri": (tmp_path / "quarantine").as_uri(),
        },
        "--start_date",
        "2024-03-01",
        "--end_date=2024-03-02",
        cwd=work,
        master="local[2]",
        spark_args=(
            "--driver-java-options",
            f"-Duser.timezone={ZONE}",
            "--conf",
            f"spark.executor.extraJavaOptions=-Duser.timezone={ZONE}",
        ),
        env={"TZ": ZONE},
    )
    # a Python traceback is on stdout (spark-submit relays it there), the JVM's on stderr
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]

    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["counts"] == {
        "lines_read": 8,
        "new_rows": 4,
        "duplicates": 0,
        "edits_merged": 1,
        "member_event_updates": 2,
        "reaction_updates": 0,
        "join_request_updates": 0,
        "ignored": {},
        "quarantined": 1,
        "forgotten": 0,
    }
    assert summary["partitions_written"]["messages"] == ["2024-03-01", "2024-03-02"]
    assert summary["partitions_written"]["member_events"] == ["2024-03-01", "2024-03-02"]
    stored = tmp_path / "curated" / "_runs" / f"{summary['run_id']}.json"
    assert json.loads(stored.read_text("utf-8")) == summary

    messages = pq.read_table(tmp_path / "curated" / "messages").to_pylist()
    assert sorted(
        (str(m["dt"]), m["message_id"], m["sent_at"], m["text"], m["edit_count"]) for m in messages
    ) == [
        ("2024-03-01", 10, datetime(2024, 3, 1, 8, 0), "hello, lake", 1),
        ("2024-03-01", 21, datetime(2024, 3, 1, 23, 30), "before midnight UTC", 0),
        ("2024-03-02", 20, datetime(2024, 3, 2, 0, 30), "after midnight UTC", 0),
        ("2024-03-02", 22, datetime(2024, 3, 2, 2, 59, 59), "last second in Sao Paulo", 0),
    ]
    edited = next(m for m in messages if m["message_id"] == 10)
    assert edited["edited_at"] == datetime(2024, 3, 1, 8, 30)
    members = pq.read_table(tmp_path / "curated" / "member_events").to_pylist()
    assert sorted((str(m["dt"]), m["event"], m["occurred_at"]) for m in members) == [
        ("2024-03-01", "join", datetime(2024, 3, 1, 9, 0)),
        ("2024-03-02", "leave", datetime(2024, 3, 2, 1, 30)),
    ]
    assert list((tmp_path / "quarantine").glob("dt=2024-03-01/*.json"))
