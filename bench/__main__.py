"""The benchmark suite of issue 7: the Glue job against baselines, ingest and view numbers.

    python -m bench [--quick] [--sizes 500,10k,100k,1m] [--repeats 3] [--work-dir .lake/bench]
                    [--out bench/RESULTS.md] [--skip-job] [--skip-ingest] [--skip-views]
                    [--skip-history] [--skip-tests]

Reads nothing of the lake: generates its inputs under `{work-dir}/data/` (cached, see
`bench.datasets`), writes every run's output under `{work-dir}/out/`, logs under
`{work-dir}/logs/`, the raw numbers to `{work-dir}/results.json` and the report to `--out`.
Full mode also times the test suite (`make test`) once, for its wall-time
target. Quick mode: the 500 and 10k days only, one repeat, the ingest bench's quick mode,
views over ~50k messages and no test-suite run: a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import duckdb
import pyarrow
import pyarrow.parquet as pq
import pyspark

from bench.datasets import SIZES, VIEWS_FULL, VIEWS_QUICK, Dataset, ensure_curated, ensure_dataset
from bench.report import render
from bench.runner import Measurement, last_json_line, measure

REPO_ROOT = Path(__file__).resolve().parent.parent
JOB_SCRIPT = REPO_ROOT / "glue_jobs" / "telegram_etl.py"
INGEST_BENCH_MODULE = "bench.ingest"
HISTORY_BENCH_MODULE = "bench.history"
DEFAULT_WORK_DIR = Path(".lake") / "bench"
DEFAULT_OUT = Path("bench") / "RESULTS.md"
FULL_SIZES = ("500", "10k", "100k", "1m")
QUICK_SIZES = ("500", "10k")
#: The days measured against the job's empty-window start-up floor.
FLOOR_SIZES = ("500", "10k")
EMPTY_WINDOW_DAY = "2026-10-01"  # no raw data: the job's own start-up floor
RUN_TIMEOUT_S = 3600.0


@dataclass(frozen=True)
class Options:
    quick: bool
    sizes: tuple[str, ...]
    repeats: int
    work_dir: Path
    out: Path
    skip_job: bool
    skip_ingest: bool
    skip_views: bool
    skip_history: bool
    skip_tests: bool
    driver_memory: str
    timeout_s: float


def _sizes(text: str) -> tuple[str, ...]:
    names = tuple(part.strip().lower() for part in text.replace(" ", ",").split(",") if part)
    unknown = [n for n in names if n not in SIZES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown size(s) {unknown or text!r}; choose from {', '.join(SIZES)}"
        )
    return names


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Time the Glue job against Python, DuckDB and I/O-floor baselines.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="500 and 10k only, 1 repeat, no test suite"
    )
    parser.add_argument(
        "--sizes", type=_sizes, default=None, help=f"comma list of {', '.join(SIZES)}"
    )
    parser.add_argument("--repeats", type=int, default=None, help="default 3 (quick: 1)")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--skip-job", action="store_true", help="baselines only")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-views", action="store_true")
    parser.add_argument("--skip-history", action="store_true")
    parser.add_argument("--skip-tests", action="store_true", help="do not time `make test`")
    parser.add_argument("--driver-memory", default="2g", help="spark-submit --driver-memory")
    parser.add_argument("--timeout", type=float, default=RUN_TIMEOUT_S, help="seconds per run")
    args = parser.parse_args(argv)
    repeats = args.repeats if args.repeats is not None else (1 if args.quick else 3)
    if repeats < 1:
        parser.error("--repeats must be >= 1")
    sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    return Options(
        quick=args.quick,
        sizes=sizes,
        repeats=repeats,
        work_dir=args.work_dir,
        out=args.out,
        skip_job=args.skip_job,
        skip_ingest=args.skip_ingest,
        skip_views=args.skip_views,
        skip_history=args.skip_history,
        skip_tests=args.skip_tests or args.quick,
        driver_memory=args.driver_memory,
        timeout_s=args.timeout,
    )


# ----- machine -----------------------------------------------------------------------------


def _first_line(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (done.stderr or done.stdout).strip().splitlines()
    return text[0] if text else "unknown"


def _proc_value(path: str, key: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine_info() -> dict[str, Any]:
    mem_kb = _proc_value("/proc/meminfo", "MemTotal").split()[0]
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu_model": _proc_value("/proc/cpuinfo", "model name"),
        "memory_gb": round(int(mem_kb) / 1024 / 1024, 1) if mem_kb.isdigit() else "unknown",
        "platform": platform.platform(),
        "python": platform.python_version(),
        "java": _first_line(["java", "-version"]),
        "pyspark": pyspark.__version__,
        "duckdb": duckdb.__version__,
        "pyarrow": pyarrow.__version__,
        "load_start": round(os.getloadavg()[0], 2),
    }


# ----- variants ----------------------------------------------------------------------------

CommandFor = Callable[[Dataset, Path, str, str], list[str]]


def spark_env() -> dict[str, str]:
    env = dict(os.environ)
    # Driver and workers must be this interpreter (the venv), whatever is on PATH.
    env["PYSPARK_PYTHON"] = sys.executable
    env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return env


def spark_submit() -> Path:
    return Path(sys.executable).parent / "spark-submit"


def spark_options(options: Options) -> list[str]:
    return [
        "--master",
        "local[*]",
        "--driver-memory",
        options.driver_memory,
        "--conf",
        "spark.ui.enabled=false",
    ]


def job_command(options: Options) -> CommandFor:
    def command(dataset: Dataset, out: Path, start: str, end: str) -> list[str]:
        return [
            str(spark_submit()),
            *spark_options(options),
            str(JOB_SCRIPT),
            "--raw_uri",
            dataset.raw.resolve().as_uri(),
            "--curated_uri",
            (out / "curated").resolve().as_uri(),
            "--quarantine_uri",
            (out / "quarantine").resolve().as_uri(),
            "--start_date",
            start,
            "--end_date",
            end,
        ]

    return command


def module_command(module: str, writes: bool) -> CommandFor:
    def command(dataset: Dataset, out: Path, start: str, end: str) -> list[str]:
        cmd = [sys.executable, "-m", module, "--raw", str(dataset.raw)]
        if writes:
            cmd += ["--out", str(out / "curated")]
        return [*cmd, "--start_date", start, "--end_date", end]

    return command


@dataclass(frozen=True)
class Variant:
    key: str
    command: CommandFor
    empty_window: bool = False


def variants_for(size: str, options: Options, job_ok: bool) -> list[Variant]:
    chosen = []
    if job_ok:
        chosen.append(Variant("job", job_command(options)))
    chosen += [
        Variant("python", module_command("bench.baseline_python", writes=True)),
        Variant("duckdb", module_command("bench.baseline_duckdb", writes=True)),
        Variant("io_floor", module_command("bench.io_floor", writes=False)),
    ]
    if job_ok and size in FLOOR_SIZES:
        chosen.append(Variant("job_empty", job_command(options), empty_window=True))
    return chosen


# ----- outputs -----------------------------------------------------------------------------


def output_metrics(curated: Path) -> dict[str, Any]:
    """Parquet bytes of both tables, files per `messages` partition, messages rows."""
    total = 0
    for table in ("messages", "member_events"):
        total += sum(p.stat().st_size for p in (curated / table).glob("dt=*/*.parquet"))
    per_partition = [
        len(list(folder.glob("*.parquet"))) for folder in (curated / "messages").glob("dt=*")
    ]
    rows = sum(
        pq.ParquetFile(p).metadata.num_rows for p in (curated / "messages").glob("dt=*/*.parquet")
    )
    return {
        "output_bytes": total,
        "partitions": len(per_partition),
        "max_files_per_partition": max(per_partition) if per_partition else 0,
        "messages_rows": rows,
    }


SPARK_STAGE_DONE = re.compile(r"(?:Result|ShuffleMap)Stage \d+ \(.*\) finished in ([0-9.]+) s")
FILE_LISTING = re.compile(r"It took (\d+) ms to list leaf files")
#: The job's own log lines (Python logging, millisecond timestamps, local time).
JOB_LOG_TIME = r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) INFO glue_jobs\.job run \S+"
JOB_STARTED = re.compile(JOB_LOG_TIME + r": \d+ raw day folders", re.M)
JOB_FINISHED = re.compile(JOB_LOG_TIME + r" finished", re.M)


def _log_time(match: re.Match[str] | None) -> float | None:
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()


def job_profile(log: str, started_at: float, wall_s: float) -> dict[str, Any]:
    """Where the job's wall time went, from its driver log (the profile of RESULTS.md).

    `log` holds both of the job's streams: Spark's log4j lines (stderr) and the job's own
    Python log lines, which spark-submit merges into stdout.

    startup_s: process start to the job's first line (JVM, Python, Spark session);
    listing_s: Spark's file listings; stages_s: every Spark stage (the job runs one at a
    time; when stages overlap, their sum exceeds the run and `stages_overlap` replaces
    driver_s); driver_s: the rest of the run (planning, code generation, scheduling, commit);
    shutdown_s: the job's last line to process exit.
    """
    stages = [float(m.group(1)) for m in SPARK_STAGE_DONE.finditer(log)]
    listing = sum(int(m.group(1)) for m in FILE_LISTING.finditer(log)) / 1000
    first, last = _log_time(JOB_STARTED.search(log)), _log_time(JOB_FINISHED.search(log))
    profile: dict[str, Any] = {
        "spark_stages": len(stages),
        "stages_s": round(sum(stages), 2),
        "listing_s": round(listing, 2),
    }
    if first is not None and last is not None:
        run_s = last - first
        profile.update(
            startup_s=round(first - started_at, 2),
            shutdown_s=round(started_at + wall_s - last, 2),
        )
        if sum(stages) + listing <= run_s:
            profile["driver_s"] = round(run_s - sum(stages) - listing, 2)
        else:  # stages ran side by side: their sum is no share of the wall time
            profile["stages_overlap"] = True
    return profile


def run_variant(
    variant: Variant, dataset: Dataset, options: Options, run_name: str
) -> tuple[dict[str, Any], str | None]:
    out = options.work_dir / "out" / run_name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    start, end = dataset.spec.start, dataset.spec.end
    if variant.empty_window:
        start = end = EMPTY_WINDOW_DAY
    cmd = variant.command(dataset, out, start, end)
    env = spark_env() if variant.key.startswith("job") else None
    log = options.work_dir / "logs" / f"{run_name}.log"
    started_at = time.time()
    m: Measurement = measure(cmd, log_path=log, env=env, cwd=REPO_ROOT, timeout_s=options.timeout_s)
    record: dict[str, Any] = {
        "wall_s": m.wall_s,
        "cpu_s": m.cpu_s,
        "max_rss_bytes": m.max_rss_bytes,
        "tree_rss_bytes": m.tree_rss_bytes,
        "returncode": m.returncode,
        "log": str(log),
    }
    if m.returncode == 0 and not variant.empty_window:
        record.update(output_metrics(out / "curated"))
    if variant.key.startswith("job"):
        streams = log.read_text(errors="replace") + "\n" + m.stdout
        record.update(job_profile(streams, started_at, m.wall_s))
    line = last_json_line(m.stdout)
    print(
        f"  {run_name}: {m.wall_s:.2f} s wall, {m.cpu_s:.2f} s CPU, rc={m.returncode}",
        file=sys.stderr,
        flush=True,
    )
    if m.returncode != 0:
        print(f"    failed, see {log}", file=sys.stderr)
    return record, line


def run_size(size: str, options: Options, job_ok: bool) -> dict[str, Any]:
    spec = SIZES[size]
    print(f"[{size}] preparing input ({spec.layout}, {spec.updates:,} updates)", file=sys.stderr)
    dataset = ensure_dataset(spec, options.work_dir)
    variants = variants_for(size, options, job_ok)
    runs: dict[str, list[dict[str, Any]]] = {v.key: [] for v in variants}
    job_summary = None
    for repeat in range(options.repeats):
        for variant in variants:  # interleaved: A B C D A B C D ...
            record, line = run_variant(variant, dataset, options, f"{size}-{variant.key}-{repeat}")
            runs[variant.key].append(record)
            if variant.key == "job" and line and record["returncode"] == 0:
                job_summary = json.loads(line)
        # Only the runs' outputs of the last repeat are kept (for inspection).
    notes = []
    if not job_ok:
        notes.append("Glue job not run (--skip-job, or glue_jobs/telegram_etl.py missing).")
    return {
        "dataset": {
            "layout": spec.layout,
            "raw_files": dataset.raw_files,
            "raw_lines": dataset.raw_lines,
            "raw_bytes": dataset.raw_bytes,
            "json_bytes": dataset.json_bytes,
            "generate_s": dataset.generate_s,
            "spec": asdict(spec),
        },
        "runs": runs,
        "job_summary": job_summary,
        "notes": notes,
    }


# ----- ingest and views ----------------------------------------------------------------------


def run_ingest(options: Options) -> dict[str, Any]:
    if options.skip_ingest:
        return {"note": "Skipped (--skip-ingest)."}
    cmd = [sys.executable, "-m", INGEST_BENCH_MODULE, *(["--quick"] if options.quick else [])]
    print("[ingest] " + shlex.join(cmd), file=sys.stderr)
    log = options.work_dir / "logs" / "ingest.log"
    m = measure(cmd, log_path=log, cwd=REPO_ROOT, timeout_s=options.timeout_s)
    display = f"python -m {INGEST_BENCH_MODULE}" + (" --quick" if options.quick else "")
    try:
        data = json.loads(m.stdout)
    except ValueError:
        return {"note": f"`{display}` failed (rc={m.returncode}); see {log}."}
    return {"command": display, "data": data}


def run_history(options: Options) -> dict[str, Any]:
    if options.skip_history:
        return {"note": "Skipped (--skip-history)."}
    flags = ["--quick"] if options.quick else []
    cmd = [sys.executable, "-m", HISTORY_BENCH_MODULE, *flags, "--work-dir", str(options.work_dir)]
    print("[history] " + shlex.join(cmd), file=sys.stderr)
    log = options.work_dir / "logs" / "history.log"
    m = measure(cmd, log_path=log, cwd=REPO_ROOT, timeout_s=options.timeout_s)
    display = shlex.join(["python", "-m", HISTORY_BENCH_MODULE, *flags])
    line = last_json_line(m.stdout)
    if m.returncode != 0 or line is None:
        return {"note": f"`{display}` failed (rc={m.returncode}); see {log}."}
    return {"command": display, "data": json.loads(line)}


#: The README's test command, run as users run it (the Makefile's environment included).
TEST_SUITE_COMMAND = ("make", "--no-print-directory", "test")


def run_test_suite(options: Options) -> dict[str, Any]:
    """Time the test suite once (its wall time is a target of its own)."""
    if options.skip_tests:
        return {"note": "Skipped (--quick or --skip-tests)."}
    print("[tests] " + shlex.join(TEST_SUITE_COMMAND), file=sys.stderr)
    log = options.work_dir / "logs" / "tests.log"
    m = measure(TEST_SUITE_COMMAND, log_path=log, cwd=REPO_ROOT, timeout_s=options.timeout_s)
    last = next((line for line in reversed(m.stdout.splitlines()) if line.strip()), "")
    return {
        "command": shlex.join(TEST_SUITE_COMMAND),
        "wall_s": round(m.wall_s, 1),
        "cpu_s": round(m.cpu_s, 1),
        "returncode": m.returncode,
        "result": last.strip("= "),
    }


def run_views(options: Options) -> dict[str, Any]:
    if options.skip_views:
        return {"note": "Skipped (--skip-views)."}
    if find_spec("athena_views.local") is None:
        return {"note": "Skipped: `athena_views.local` does not exist yet."}
    spec = VIEWS_QUICK if options.quick else VIEWS_FULL
    print(f"[views] preparing {spec.updates:,} updates over {spec.days} days", file=sys.stderr)
    dataset = ensure_dataset(spec, options.work_dir)
    curated = ensure_curated(dataset)
    repeats = 1 if options.quick else 3
    cmd = [
        sys.executable,
        "-m",
        "bench.views_bench",
        "--curated",
        str(curated),
        "--repeats",
        str(repeats),
    ]
    log = options.work_dir / "logs" / "views.log"
    m = measure(cmd, log_path=log, cwd=REPO_ROOT, timeout_s=options.timeout_s)
    line = last_json_line(m.stdout)
    if m.returncode != 0 or line is None:
        return {"note": f"views bench failed (rc={m.returncode}); see {log}."}
    return {
        "data": json.loads(line),
        "repeats": repeats,
        "source": f"{spec.updates:,} generated updates over {spec.days} days, curated by the "
        "DuckDB baseline, which writes the job's contract columns",
    }


# ----- main --------------------------------------------------------------------------------


def job_available(options: Options) -> bool:
    return not options.skip_job and JOB_SCRIPT.exists() and spark_submit().exists()


def main(argv: Sequence[str] | None = None) -> int:
    raw_argv = list(sys.argv[1:] if argv is None else argv)
    options = parse_args(raw_argv)
    options.work_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    job_ok = job_available(options)
    results: dict[str, Any] = {
        "command": shlex.join(["python", "-m", "bench", *raw_argv]),
        "quick": options.quick,
        "repeats": options.repeats,
        "machine": machine_info(),
        "spark_options": shlex.join(spark_options(options)),
        "sizes": {},
    }
    for size in options.sizes:
        results["sizes"][size] = run_size(size, options, job_ok)
    results["ingest"] = run_ingest(options)
    results["history"] = run_history(options)
    results["views"] = run_views(options)
    results["tests"] = run_test_suite(options)
    results["load_end"] = round(os.getloadavg()[0], 2)
    results["finished_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    (options.work_dir / "results.json").write_text(
        json.dumps(results, indent=2, default=str), encoding="utf-8"
    )
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(render(results), encoding="utf-8")
    print(f"wrote {options.out} ({results['elapsed_s']} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
