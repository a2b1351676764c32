"""The real entry script under spark-submit, as the demo and Glue run it (one submit).

Writes a small raw tree under tmp_path (file:// URIs, like the demo), runs
`spark-submit glue_jobs/telegram_etl.py` from another working directory, and checks the
printed run summary, the stored one, and that the Parquet is readable without Spark.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from glue_builders import BOB, chat_member, edit, message, write_raw

pytestmark = pytest.mark.integration


def test_spark_submit_runs_the_entry_script(tmp_path: Path, repo_root: Path) -> None:
    raw = tmp_path / "raw"
    write_raw(
        raw,
        "2024-03-01",
        [
            message(1, 10, "2024-03-01 08:00:00", text="hello lake"),
            edit(2, 10, "2024-03-01 08:00:00", "2024-03-01 08:30:00", text="hello, lake"),
            chat_member(3, "2024-03-01 09:00:00", BOB, {"status": "left"}, {"status": "member"}),
            "not json at all",
        ],
    )
    command = [
        str(Path(sys.executable).parent / "spark-submit"),
        "--master",
        "local[2]",
        "--conf",
        "spark.ui.enabled=false",
        str(repo_root / "glue_jobs" / "telegram_etl.py"),
        "--JOB_NAME",
        "telegram-lake-test",
        "--raw_uri",
        raw.as_uri(),
        "--curated_uri",
        (tmp_path / "curated").as_uri(),
        "--quarantine_uri",
        (tmp_path / "quarantine").as_uri(),
        "--start_date",
        "2024-03-01",
        "--end_date=2024-03-01",
    ]
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=work, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]

    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["counts"] == {
        "lines_read": 4,
        "new_rows": 1,
        "duplicates": 0,
        "edits_merged": 1,
        "member_event_updates": 1,
        "reaction_updates": 0,
        "join_request_updates": 0,
        "ignored": {},
        "quarantined": 1,
        "forgotten": 0,
    }
    stored = tmp_path / "curated" / "_runs" / f"{summary['run_id']}.json"
    assert json.loads(stored.read_text("utf-8")) == summary

    messages = pq.read_table(tmp_path / "curated" / "messages" / "dt=2024-03-01").to_pylist()
    assert [(m["message_id"], m["text"], m["edit_count"]) for m in messages] == [
        (10, "hello, lake", 1)
    ]
    members = pq.read_table(tmp_path / "curated" / "member_events" / "dt=2024-03-01")
    assert members.column("event").to_pylist() == ["join"]
    assert list((tmp_path / "quarantine").glob("dt=2024-03-01/*.json"))
