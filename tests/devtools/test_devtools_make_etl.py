"""`make etl`: the Glue entry script on the local lake, with the project's interpreter.

The dry runs (`make -n`) check how START/END become the job's window; one real run
(spark-submit, a few seconds of Spark) processes a raw day written here by hand and checks
the curated row and the run summary. Runs `make -o .venv/.installed` so that the test never
reinstalls the virtualenv.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

MAKE = ["make", "--no-print-directory", "-o", ".venv/.installed"]


def make(repo_root: Path, *args: str, dry_run: bool = False) -> subprocess.CompletedProcess[str]:
    command = [*MAKE, *(["-n"] if dry_run else []), "etl", *args]
    return subprocess.run(
        command, cwd=repo_root, capture_output=True, text=True, timeout=600, check=False
    )


def spark_submit_line(output: str) -> str:
    """The recipe's spark-submit command as one line (make prints the continuations)."""
    return " ".join(output.replace("\\\n", " ").split())


def test_one_day_is_start_and_end(repo_root: Path) -> None:
    result = make(repo_root, "START=2025-11-20", "LAKE=/srv/lake", dry_run=True)
    assert result.returncode == 0, result.stderr
    line = spark_submit_line(result.stdout)
    assert '--start_date "2025-11-20" --end_date "2025-11-20"' in line
    assert '--raw_uri "/srv/lake/raw"' in line
    assert '--curated_uri "/srv/lake/curated"' in line
    assert '--quarantine_uri "/srv/lake/quarantine"' in line
    assert ".venv/bin/spark-submit" in line


def test_a_range_and_the_scheduled_form(repo_root: Path) -> None:
    ranged = spark_submit_line(
        make(repo_root, "START=2025-11-01", "END=2025-11-30", dry_run=True).stdout
    )
    assert '--start_date "2025-11-01" --end_date "2025-11-30"' in ranged

    scheduled = spark_submit_line(make(repo_root, dry_run=True).stdout)
    assert "glue_jobs/telegram_etl.py" in scheduled
    assert "--start_date" not in scheduled  # no dates: the job catches up by itself
    assert "--end_date" not in scheduled


def test_end_without_start_is_a_usage_error(repo_root: Path) -> None:
    result = make(repo_root, "END=2025-11-30")
    assert result.returncode != 0
    assert "END needs START" in result.stdout


@pytest.mark.integration
def test_make_etl_processes_a_local_raw_day(tmp_path: Path, repo_root: Path) -> None:
    day = tmp_path / "lake" / "raw" / "dt=2025-11-20"
    day.mkdir(parents=True)
    update = {
        "update_id": 700001,
        "message": {
            "message_id": 42,
            "date": 1763640000,  # 2025-11-20 12:00:00 UTC
            "chat": {"id": -1001234567890, "type": "supergroup", "title": "Lake"},
            "from": {"id": 1001, "is_bot": False, "first_name": "Ana"},
            "text": "make etl works",
        },
    }
    (day / "700001.json").write_text(json.dumps(update), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYSPARK_")}

    result = subprocess.run(
        [*MAKE, "etl", "START=2025-11-20", f"LAKE={tmp_path / 'lake'}"],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-4000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["counts"]["lines_read"] == 1
    assert summary["counts"]["new_rows"] == 1
    rows = pq.read_table(tmp_path / "lake" / "curated" / "messages" / "dt=2025-11-20").to_pylist()
    assert [(r["chat_id"], r["message_id"], r["text"]) for r in rows] == [
        (-1001234567890, 42, "make etl works")
    ]
