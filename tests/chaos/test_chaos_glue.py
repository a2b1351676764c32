"""The Glue job killed (SIGKILL) at each commit point, then rerun: the lake converges.

Runs the real entry script (glue_jobs/telegram_etl.py) under spark-submit on a tiny raw
tree in pytest's tmp dirs. Day 1 holds two messages and a join; day 2 a late edit of a
day-1 message (so the day-2 run rewrites a partition it did not create), a new message,
a reaction set, changed and removed, a join request, a migration pair, a member leaving, a
redelivered day-1 update and a broken line. The day-2 run is killed at one point by the
fault-injection hook (`glue_jobs.faults`, `TELEGRAM_LAKE_CRASH_AT`); the test checks what
the crash left (live data untouched before the commit, old and new files side by side in
the middle of the publish), reruns the same window and compares the curated rows (every
table, every column, read with pyarrow), the quarantine and the run summaries with a
clean run's and with counts written by hand. Writes only under pytest's tmp dirs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from glue_jobs.faults import CRASH_AT_ENV
from tests.glue.glue_builders import (
    BOB,
    HEART,
    THUMBS,
    Lake,
    Rows,
    Update,
    chat_member,
    curated_rows,
    edit,
    join_request,
    message,
    migration_pair,
    quarantine_records,
    reaction,
    submit_job,
    table_rows,
    write_raw,
)

# Each test runs spark-submit twice (four times for the first: the clean runs); a submit
# takes 15-25 s on an idle 2-core machine, a few times that on a busy one.
pytestmark = [pytest.mark.chaos, pytest.mark.integration, pytest.mark.timeout(1200)]

DAY_ONE, DAY_TWO = "2024-03-01", "2024-03-02"
LEFT, MEMBER = {"status": "left"}, {"status": "member"}
LATE_NIGHT = message(2, 11, f"{DAY_ONE} 23:30:00", sender=BOB, text="late night")
RAW_DAY_ONE: list[Update | str] = [
    message(1, 10, f"{DAY_ONE} 09:00:00", text="hello"),
    LATE_NIGHT,
    chat_member(3, f"{DAY_ONE} 12:00:00", BOB, LEFT, MEMBER),
]
RAW_DAY_TWO: list[Update | str] = [
    edit(4, 10, f"{DAY_ONE} 09:00:00", f"{DAY_TWO} 08:00:00", text="hello, edited"),
    message(5, 12, f"{DAY_TWO} 10:00:00", text="day two"),
    reaction(6, 12, f"{DAY_TWO} 10:05:00", [], [THUMBS]),
    reaction(7, 12, f"{DAY_TWO} 10:06:00", [THUMBS], [HEART]),
    reaction(8, 12, f"{DAY_TWO} 10:07:00", [HEART], []),
    join_request(9, f"{DAY_TWO} 11:00:00", BOB, link_name="Site form"),
    *migration_pair(10, f"{DAY_TWO} 12:00:00"),
    chat_member(12, f"{DAY_TWO} 13:00:00", BOB, MEMBER, LEFT),
    LATE_NIGHT,  # redelivered the next day
    "not json",
]
MIGRATIONS = {"service:migrate_from_chat_id": 1, "service:migrate_to_chat_id": 1}
#: The day-2 run's counts when it is the first to fold day 2.
DAY_TWO_COUNTS = {
    "lines_read": 11,
    "new_rows": 1,
    "duplicates": 1,
    "edits_merged": 1,
    "member_event_updates": 1,
    "reaction_updates": 3,
    "join_request_updates": 1,
    "ignored": MIGRATIONS,
    "quarantined": 1,
    "forgotten": 0,
}
#: A rerun of day 2 after a run that folded it: every line of a table is a duplicate.
DAY_TWO_AGAIN_COUNTS = {
    **DAY_TWO_COUNTS,
    "new_rows": 0,
    "duplicates": 8,
    "edits_merged": 0,
    "member_event_updates": 0,
    "reaction_updates": 0,
    "join_request_updates": 0,
}


def file_lake(raw: Path, root: Path) -> Lake:
    return {
        "raw_uri": raw.as_uri(),
        "curated_uri": (root / "curated").as_uri(),
        "quarantine_uri": (root / "quarantine").as_uri(),
    }


#: A JIT that stops at C1 halves the CPU a short job spends planning (semantics unchanged):
#: these tests run the job twenty times on a machine others share.
SPARK_ARGS = (
    "--conf",
    "spark.sql.shuffle.partitions=2",
    "--driver-java-options",
    "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
)


def run_day_two(
    repo_root: Path, raw: Path, root: Path, run_id: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    work = root.parent / "work"
    work.mkdir(exist_ok=True)
    return submit_job(
        repo_root,
        file_lake(raw, root),
        "--start_date",
        DAY_TWO,
        "--run_id",
        run_id,
        cwd=work,
        spark_args=SPARK_ARGS,
        env=env,
    )


def last_json_line(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The run summary the entry script prints last. spark-submit relays the Python
    driver's stdout and stderr (its log, the crash hook's line) both on its stdout."""
    # the Python traceback is on stdout (spark-submit relays it there), the JVM's on stderr
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


def assert_adds_up(counts: dict[str, Any]) -> None:
    """I1 over the summary as stored: every line read is exactly one outcome."""
    outcomes = sum(v for k, v in counts.items() if k not in {"lines_read", "ignored"})
    assert counts["lines_read"] == outcomes + sum(counts["ignored"].values()), counts


@dataclass(frozen=True)
class CleanLake:
    """A lake after a clean day-1 run (copied by each test) and the clean day-2 result."""

    raw: Path
    day_one: Path
    day_one_rows: dict[str, Rows]
    rows: dict[str, Rows]
    quarantine: list[Any]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> CleanLake:
    base = tmp_path_factory.mktemp("glue-crash")
    raw = base / "raw"
    write_raw(raw, DAY_ONE, RAW_DAY_ONE)
    write_raw(raw, DAY_TWO, RAW_DAY_TWO)
    day_one = base / "day-one"
    work = base / "work"
    work.mkdir()
    first = submit_job(
        repo_root,
        file_lake(raw, day_one),
        "--start_date",
        DAY_ONE,
        "--run_id",
        "day-one",
        cwd=work,
        spark_args=SPARK_ARGS,
    )
    last_json_line(first)
    shutil.copytree(day_one, base / "baseline")
    summary = last_json_line(run_day_two(repo_root, raw, base / "baseline", "baseline"))
    assert summary["counts"] == DAY_TWO_COUNTS
    return CleanLake(
        raw=raw,
        day_one=day_one,
        day_one_rows=curated_rows(day_one / "curated"),
        rows=curated_rows(base / "baseline" / "curated"),
        quarantine=quarantine_records(base / "baseline" / "quarantine"),
    )


# --- what each crash leaves (checked before the rerun) ------------------------------------


def untouched(clean: CleanLake, curated: Path) -> None:
    assert curated_rows(curated) == clean.day_one_rows
    assert not (curated / "_runs" / "crashed.json").exists()


def nothing_staged(clean: CleanLake, curated: Path) -> None:
    untouched(clean, curated)
    assert not (curated / "_staging" / "crashed").exists()


def staged(table: str) -> Callable[[CleanLake, Path], None]:
    def check(clean: CleanLake, curated: Path) -> None:
        untouched(clean, curated)
        assert list((curated / "_staging" / "crashed" / table).glob("dt=*/*.parquet"))
        assert not (curated / "_staging" / "crashed" / "_manifest.json").exists()

    return check


def manifest_half_written(clean: CleanLake, curated: Path) -> None:
    untouched(clean, curated)
    folder = curated / "_staging" / "crashed"
    assert [p.name for p in folder.glob("._manifest.json.*.tmp")], sorted(folder.iterdir())
    assert not (folder / "_manifest.json").exists()


def committed(clean: CleanLake, curated: Path) -> None:
    untouched(clean, curated)
    assert (curated / "_staging" / "crashed" / "_manifest.json").exists()


def first_file_moved(clean: CleanLake, curated: Path) -> None:
    """The window readers may see: the rewritten partition holds its old and new file."""
    partition = curated / "messages" / f"dt={DAY_ONE}"
    assert len(list(partition.glob("*.parquet"))) == 2
    texts = sorted(dict(row)["text"] for row in table_rows(curated / "messages"))
    assert texts == ["hello", "hello, edited", "late night", "late night"]
    assert not (curated / "_runs" / "crashed.json").exists()


def published(summary_written: bool) -> Callable[[CleanLake, Path], None]:
    def check(clean: CleanLake, curated: Path) -> None:
        assert curated_rows(curated) == clean.rows
        assert (curated / "_runs" / "crashed.json").exists() == summary_written
        assert (curated / "_staging" / "crashed" / "_manifest.json").exists()

    return check


def summary_half_written(clean: CleanLake, curated: Path) -> None:
    published(summary_written=False)(clean, curated)
    assert list((curated / "_runs").glob(".crashed.json.*.tmp"))


@dataclass(frozen=True)
class Crash:
    at: str  # the TELEGRAM_LAKE_CRASH_AT value
    committed: bool  # whether the manifest was durable when the job died
    left: Callable[[CleanLake, Path], None]


CRASHES = [
    pytest.param(Crash("read", False, nothing_staged), id="read", marks=pytest.mark.slow_chaos),
    pytest.param(
        Crash("staged@messages", False, staged("messages")),
        id="staged-first-table",
        marks=pytest.mark.slow_chaos,
    ),
    pytest.param(
        Crash("staged@join_requests", False, staged("join_requests")),
        id="staged-last-table",
        marks=pytest.mark.slow_chaos,
    ),
    pytest.param(
        Crash("small_write@_manifest.json", False, manifest_half_written),
        id="manifest-temp-not-renamed",
        marks=pytest.mark.slow_chaos,
    ),
    pytest.param(
        Crash("committed", True, committed), id="manifest-written", marks=pytest.mark.slow_chaos
    ),
    # the representative point, in `make test`: half-published, the hardest state
    pytest.param(Crash("moved#1", True, first_file_moved), id="first-publish-move"),
    pytest.param(
        Crash("moved@/join_requests/dt=", True, published(summary_written=False)),
        id="last-publish-move",
        marks=pytest.mark.slow_chaos,
    ),
    pytest.param(
        Crash("small_write@/_runs/", True, summary_half_written),
        id="summary-temp-not-renamed",
        marks=pytest.mark.slow_chaos,
    ),
    pytest.param(
        Crash("summary_written", True, published(summary_written=True)),
        id="summary-written",
        marks=pytest.mark.slow_chaos,
    ),
]


@pytest.mark.parametrize("crash", CRASHES)
def test_a_rerun_after_a_kill_converges_to_the_clean_run(
    crash: Crash, clean: CleanLake, tmp_path: Path, repo_root: Path
) -> None:
    lake = tmp_path / "lake"
    shutil.copytree(clean.day_one, lake)
    curated = lake / "curated"

    killed = run_day_two(repo_root, clean.raw, lake, "crashed", env={CRASH_AT_ENV: crash.at})
    assert killed.returncode == 137, killed.stdout[-4000:]  # spark-submit passes on 128 + SIGKILL
    assert f"{CRASH_AT_ENV}: SIGKILL at {crash.at.split('@')[0].split('#')[0]}" in killed.stdout
    crash.left(clean, curated)
    staging_left = (curated / "_staging" / "crashed").exists()

    rerun = run_day_two(repo_root, clean.raw, lake, "rerun")
    summary = last_json_line(rerun)
    if crash.committed:
        assert "completing the publish of committed run crashed" in rerun.stdout
    elif staging_left:
        assert "discarding uncommitted staging folder" in rerun.stdout

    assert curated_rows(curated) == clean.rows
    assert quarantine_records(lake / "quarantine") == clean.quarantine
    assert not list((curated / "_staging").glob("*"))
    assert_adds_up(summary["counts"])
    runs = sorted(p.name for p in (curated / "_runs").glob("[!.]*.json"))
    if crash.committed:
        # the rerun finished the killed run first, then found day 2 already folded
        assert summary["counts"] == DAY_TWO_AGAIN_COUNTS
        assert runs == ["crashed.json", "day-one.json", "rerun.json"]
        recovered = json.loads((curated / "_runs" / "crashed.json").read_text("utf-8"))
        assert recovered["counts"] == DAY_TWO_COUNTS
        assert recovered["finished_at"]
    else:
        assert summary["counts"] == DAY_TWO_COUNTS
        assert runs == ["day-one.json", "rerun.json"]


HOOKED_LOOP = """
from glue_jobs.faults import crash_point
for n in range(3):
    crash_point("moved", f"file:///lake/curated/messages/dt=2024-03-0{n + 1}/part-{n}.parquet")
    print("passed", n, flush=True)
"""


@pytest.mark.parametrize(
    ("crash_at", "passed"),
    [
        (None, 3),  # the hook costs nothing when the variable is not set
        ("", 3),
        ("staged", 3),  # another point
        ("moved", 0),  # the first time by default
        ("moved#2", 1),
        ("moved@dt=2024-03-03/", 2),
        ("moved@dt=2024-03-03/#2", 3),  # the subject matches once only
    ],
)
def test_the_crash_hook_kills_at_the_named_occurrence_only(
    crash_at: str | None, passed: int, repo_root: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != CRASH_AT_ENV}
    if crash_at is not None:
        env[CRASH_AT_ENV] = crash_at
    result = subprocess.run(
        [sys.executable, "-c", HOOKED_LOOP],
        capture_output=True,
        text=True,
        env=env,
        cwd=repo_root,
        timeout=60,
        check=False,
    )
    assert result.stdout.splitlines() == [f"passed {n}" for n in range(passed)]
    assert result.returncode == (0 if passed == 3 else -signal.SIGKILL)
    assert (f"{CRASH_AT_ENV}: SIGKILL at moved" in result.stderr) == (passed < 3)
