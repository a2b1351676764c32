"""A class-data-sharing archive of Spark's classes, for every local `spark-submit`.

    python -m devtools.class_archive [--force]

A local run of the Glue job spends seconds loading and verifying the same ~15k JVM classes
before it does any work. Java 17 can keep them, loaded and verified, in an archive that the
next JVM maps instead (class-data sharing). This builds one by running the real job once on
the bundled sample (`samples/updates.jsonl`, as one raw day) with `-XX:ArchiveClassesAtExit`.
The Makefile then hands every Spark JVM it starts (the demo, `make etl`, the tests' Spark
session and their `spark-submit`s, the benchmark) the options of `use_options` through
`SPARK_SUBMIT_OPTS`, which Spark's launcher adds to the driver's command line.

Reads the sample; writes the archive next to the interpreter (`.venv/spark-classes.jsa`);
the job's output goes to a temporary folder. A stale archive (another JDK build, another
pyspark) is skipped by the JVM, silently, which then loads classes as usual: the archive
only ever costs disk (~150 MB). `make install` runs this; a failure to build is reported
and leaves Spark as it was. Glue runs its own JVMs: this is for local runs only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from lake.zones import partition_name

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "samples" / "updates.jsonl"
JOB_SCRIPT = REPO_ROOT / "glue_jobs" / "telegram_etl.py"
ARCHIVE = Path(sys.prefix) / "spark-classes.jsa"
#: Any day: the job reads the raw day folder it is given.
SAMPLE_DAY = "2026-01-01"
BUILD_TIMEOUT_S = 600


def use_options(archive: Path) -> str:
    """JVM options that map the archive; a missing or stale one is skipped without a word
    (-Xshare:auto, and the warning it would print on stdout turned off)."""
    return f"-XX:SharedArchiveFile={archive} -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off"


def build(archive: Path, *, timeout_s: float = BUILD_TIMEOUT_S) -> None:
    """Run the job once on the sample with a JVM that dumps its classes at exit."""
    with tempfile.TemporaryDirectory(prefix="class-archive-") as tmp:
        root = Path(tmp)
        day = root / "raw" / partition_name(SAMPLE_DAY)
        day.mkdir(parents=True)
        shutil.copyfile(SAMPLE, day / "sample.jsonl")
        partial = archive.with_name(archive.name + ".partial")
        partial.unlink(missing_ok=True)
        cmd = [
            str(Path(sys.executable).parent / "spark-submit"),
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            str(JOB_SCRIPT),
            "--raw_uri",
            str(root / "raw"),
            "--curated_uri",
            str(root / "curated"),
            "--quarantine_uri",
            str(root / "quarantine"),
            "--start_date",
            SAMPLE_DAY,
        ]
        env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
        env["PYSPARK_DRIVER_PYTHON"] = sys.executable
        # Dumped from a JVM that maps no archive of ours (not the one being replaced).
        env["SPARK_SUBMIT_OPTS"] = f"-XX:ArchiveClassesAtExit={partial}"
        done = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=timeout_s, check=False
        )
        if done.returncode != 0 or not partial.exists():
            partial.unlink(missing_ok=True)
            tail = (done.stderr or done.stdout)[-2000:]
            raise RuntimeError(f"the sample run failed (exit {done.returncode}):\n{tail}")
        partial.replace(archive)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.class_archive",
        description="Build the JVM class archive that shortens every local Spark start.",
    )
    parser.add_argument("--force", action="store_true", help="rebuild an existing archive")
    args = parser.parse_args(argv)
    if args.force or not ARCHIVE.exists():
        try:
            build(ARCHIVE)
        except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"class archive not built, Spark starts as usual: {exc}", file=sys.stderr)
            return 0
    size_mb = ARCHIVE.stat().st_size // 2**20
    print(f"class archive {ARCHIVE} ({size_mb} MB), mapped with: {use_options(ARCHIVE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
