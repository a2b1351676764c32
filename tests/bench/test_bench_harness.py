"""The benchmark harness: statistics, argument parsing, the process meter and the report.

Writes only under pytest's tmp_path (a child process's log).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bench.__main__ import FULL_SIZES, job_profile, parse_args
from bench.report import (
    materialized_lines,
    performance_targets,
    profile_lines,
    render,
    targets,
    variant_summary,
)
from bench.runner import last_json_line, measure
from bench.stats import ratio, summarize

pytestmark = pytest.mark.unit
MB = 1024 * 1024


def test_summarize_odd_and_even_counts():
    s = summarize([3.0, 1.0, 2.0])
    assert (s.median, s.low, s.high, s.count) == (2.0, 1.0, 3.0, 3)
    assert s.spread == 2.0
    assert s.relative_spread == 1.0
    even = summarize([10.0, 1.0, 2.0, 3.0])
    assert even.median == 2.5
    assert even.spread == 9.0
    single = summarize([4.0])
    assert (single.median, single.spread, single.relative_spread) == (4.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        summarize([])


def test_ratio():
    assert ratio(10.0, 4.0) == 2.5
    assert ratio(1.0, 0.0) is None


def test_quick_mode_arguments():
    quick = parse_args(["--quick"])
    assert quick.quick is True
    assert quick.sizes == ("500", "10k")
    assert quick.repeats == 1
    assert quick.skip_tests is True
    full = parse_args([])
    assert full.sizes == FULL_SIZES == ("500", "10k", "100k", "1m")
    assert full.repeats == 3
    assert full.skip_tests is False
    assert full.out == Path("bench/RESULTS.md")
    assert full.work_dir == Path(".lake/bench")
    mixed = parse_args(["--quick", "--repeats", "2", "--sizes", "100K,1m", "--skip-job"])
    assert (mixed.sizes, mixed.repeats, mixed.skip_job) == (("100k", "1m"), 2, True)


@pytest.mark.parametrize("bad", [["--sizes", "5k"], ["--repeats", "0"], ["--sizes", ""]])
def test_bad_arguments_exit(bad: list[str]):
    with pytest.raises(SystemExit):
        parse_args(bad)


def test_measure_a_child(tmp_path: Path):
    code = (
        "import json, time\n"
        "block = bytearray(64 * 1024 * 1024)\n"
        "t = time.process_time()\n"
        "while time.process_time() - t < 0.3: pass\n"
        "print('noise'); print(json.dumps({'ok': len(block)}))\n"
    )
    m = measure([sys.executable, "-c", code], log_path=tmp_path / "log.txt")
    assert m.returncode == 0
    assert m.wall_s >= 0.3
    assert m.cpu_s >= 0.3
    assert m.max_rss_bytes >= 64 * MB
    assert json.loads(last_json_line(m.stdout) or "{}") == {"ok": 64 * MB}
    failed = measure([sys.executable, "-c", "import sys; sys.exit(3)"], log_path=tmp_path / "f")
    assert failed.returncode == 3


def test_last_json_line():
    assert last_json_line('a\n{"x": 1}\nINFO done\n') == '{"x": 1}'
    assert last_json_line("nothing here") is None


def _run(wall: float, **extra: float) -> dict[str, float]:
    return {
        "wall_s": wall,
        "cpu_s": wall * 1.5,
        "max_rss_bytes": 100 * MB,
        "tree_rss_bytes": 150 * MB,
        "returncode": 0,
        **extra,
    }


def _results() -> dict:
    dataset = {
        "layout": "one file per update",
        "raw_files": 1000,
        "raw_lines": 1000,
        "raw_bytes": 1_000_000,
        "json_bytes": 1_000_000,
        "generate_s": 1.0,
    }
    job_runs = [
        _run(w, output_bytes=150_000, max_files_per_partition=1, messages_rows=800)
        for w in (12.0, 10.0, 11.0)
    ]
    return {
        "command": "python -m bench --sizes 100k",
        "finished_at": "2026-11-26 12:00 UTC",
        "quick": False,
        "repeats": 3,
        "machine": {
            "nproc": 2,
            "cpu_model": "Test CPU",
            "memory_gb": 8,
            "platform": "Linux",
            "python": "3.11.7",
            "java": "openjdk 17",
            "pyspark": "3.5.6",
            "duckdb": "2.0.1",
            "pyarrow": "26",
            "load_start": 0.5,
        },
        "sizes": {
            "100k": {
                "dataset": dataset,
                "runs": {
                    "job": job_runs,
                    "python": [_run(4.0), _run(5.0), {**_run(9.0), "returncode": 1}],
                    "duckdb": [_run(5.0)],
                },
                "notes": [],
            }
        },
        "ingest": {"note": "Skipped: not there."},
        "views": {"note": "Skipped (--skip-views)."},
    }


def test_variant_summary_ignores_failed_runs():
    s = variant_summary([_run(4.0), _run(6.0), {**_run(100.0), "returncode": 1}], lines=1000)
    assert (s["ok"], s["failed"]) == (2, 1)
    assert s["wall"].median == 5.0
    assert s["updates_per_s"] == 200.0
    assert variant_summary([{**_run(1.0), "returncode": 2}], lines=10) == {"ok": 0, "failed": 1}


def test_targets_and_report():
    results = _results()
    text = render(results)
    # job median 11 s; Python median 4.5 s (the failed 9 s run is ignored); DuckDB 5 s.
    assert "job/Python = 2.44x" in text
    assert "job/DuckDB = 2.20x" in text
    assert "| Glue job (spark-submit) | 11.00 [10.00-12.00] |" in text
    assert "15.0 %" in text  # 150 kB of Parquet for 1 MB of JSON
    assert "Skipped: not there." in text
    assert "## Ingest (`python -m bench.ingest`)" in text
    assert "python -m bench --sizes 100k" in text
    per_size = {
        "100k": {k: variant_summary(v, 1000) for k, v in results["sizes"]["100k"]["runs"].items()}
    }
    checks = {name: met for name, _, met in targets(results, per_size)}
    assert checks["100k files: job <= 1.5x DuckDB"] is False
    assert checks["100k: job Parquet <= 20% of raw JSON bytes"] is True
    assert checks["100k: one file per partition (< 128 MB)"] is True


def test_performance_targets_table_lists_every_case_checked_or_not_measured():
    results = _results()
    results["tests"] = {
        "command": "python -m pytest",
        "wall_s": 400.0,
        "cpu_s": 700.0,
        "returncode": 0,
        "result": "1000 passed in 400.00s",
    }
    per_size = {
        "100k": {k: variant_summary(v, 1000) for k, v in results["sizes"]["100k"]["runs"].items()}
    }
    rows = {
        case: (measured, met)
        for case, _, _, measured, met in performance_targets(results, per_size)
    }
    # job median 11 s / Python median 4.5 s = 2.44 <= 4.
    assert rows["100k files, job / Python baseline"] == ("2.44 (11.00 s / 4.50 s)", True)
    # Sizes this run did not measure stay in the table, unchecked.
    assert rows["tiny day (500 updates), job / its empty-window floor"] == ("not measured", None)
    assert rows["1M NDJSON.gz, job / DuckDB"] == ("not measured", None)
    # 400 s is over the 6-minute target.
    assert rows["`make test` wall time on 2 cores"] == ("6.7 min (1000 passed in 400.00s)", False)
    assert len(rows) == 6
    text = render(results)
    assert (
        "| 100k files, job / Python baseline | <= 4 | 6.91 | 2.44 (11.00 s / 4.50 s) | yes |"
        in text
    )
    assert "| `make test` wall time on 2 cores | <= 6 min | ~5 min | 6.7 min" in text


def test_a_failing_test_suite_never_meets_its_target():
    results = {"tests": {"wall_s": 100.0, "returncode": 1, "result": "1 failed"}}
    (row,) = [r for r in performance_targets(results, {}) if r[0].startswith("`make test`")]
    assert row[4] is False


RUN = "INFO glue_jobs.job run 20261127T003438Z-0f1c9371"
DRIVER_LOG = f"""\
26/11/27 00:34:36 INFO SparkContext: Running Spark version 3.5.6
2026-11-27 00:34:38,500 {RUN}: 1 raw day folders in 2026-11-02..2026-11-02
26/11/27 00:34:38 INFO InMemoryFileIndex: It took 1250 ms to list leaf files for 1 paths.
26/11/27 00:34:39 INFO InMemoryFileIndex: It took 250 ms to list leaf files for 1 paths.
26/11/27 00:35:21 INFO DAGScheduler: ResultStage 0 (collect at job.py:233) finished in 36.5 s
26/11/27 00:35:24 INFO DAGScheduler: ShuffleMapStage 1 (collect at job.py:233) finished in 3.5 s
26/11/27 00:35:24 INFO DAGScheduler: Job 1 finished: collect at job.py:233, took 3.6 s
2026-11-27 00:35:38,500 {RUN} finished: {{'lines_read': 3}}
"""


def test_job_profile_splits_the_wall_time_from_the_driver_log():
    started = datetime(2026, 11, 27, 0, 34, 33, 500000).timestamp()  # local time, as logged
    profile = job_profile(DRIVER_LOG, started, wall_s=66.0)
    # first job line 5 s after start; run 60 s = 1.5 s listing + 40 s stages + 18.5 s driver;
    # the process exits 1 s after the last line (started + 66 s).
    assert profile == {
        "spark_stages": 2,
        "stages_s": 40.0,
        "listing_s": 1.5,
        "startup_s": 5.0,
        "driver_s": 18.5,
        "shutdown_s": 1.0,
    }
    line = profile_lines({"wall_s": 66.0, **profile})[0]
    assert "start-up (JVM, Python, Spark session) 5.00 s (8 %)" in line
    assert "Spark stages (reading, parsing, shuffles, writing) 40.00 s (61 %)" in line
    assert line.startswith("Where the job's 66.00 s went (last run, 2 Spark stages")


def test_stages_that_ran_side_by_side_are_not_split_from_the_driver_time():
    # Two more 15 s stages, finished at the same time as the first: 70 s of stages in a 60 s
    # run (first job line 00:34:38.5, last 00:35:38.5).
    log = DRIVER_LOG.replace(
        "26/11/27 00:35:24 INFO DAGScheduler: Job 1",
        "26/11/27 00:35:21 INFO DAGScheduler: ResultStage 2 (collect at j.py:1) finished in 15 s\n"
        "26/11/27 00:35:21 INFO DAGScheduler: ResultStage 3 (collect at j.py:1) finished in 15 s\n"
        "26/11/27 00:35:24 INFO DAGScheduler: Job 1",
    )
    started = datetime(2026, 11, 27, 0, 34, 33, 500000).timestamp()
    profile = job_profile(log, started, wall_s=66.0)
    assert profile["stages_s"] == 70.0
    assert profile["stages_overlap"] is True
    assert "driver_s" not in profile
    line = profile_lines({"wall_s": 66.0, **profile})[0]
    assert "Spark stages 70.00 s summed, more than the run" in line
    assert "driver between stages" not in line


def test_job_profile_without_job_lines_keeps_the_stage_sums():
    assert job_profile("Error: could not start\n", 0.0, wall_s=2.0) == {
        "spark_stages": 0,
        "stages_s": 0.0,
        "listing_s": 0.0,
    }


def test_materialized_views_line():
    line = materialized_lines(
        {"materialized_connect_s": 1.25, "materialized_required_total_s": 0.5}
    )
    assert "materializing 1.250 s, then the required views 0.500 s; 1.750 s in all." in line[0]
    assert materialized_lines({"connect_s": 0.6}) == []
