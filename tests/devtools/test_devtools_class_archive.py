"""The JVM class archive `make install` builds (devtools/class_archive.py) and the Makefile
hands to every local Spark JVM: it must be one a JVM with Spark's classpath can map."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pyspark
import pytest

from devtools.class_archive import use_options

SPARK_JARS = Path(pyspark.__file__).resolve().parent / "jars"


def test_the_options_map_the_archive_and_never_fail_or_print() -> None:
    options = use_options(Path("/lake/spark-classes.jsa")).split()
    assert "-XX:SharedArchiveFile=/lake/spark-classes.jsa" in options
    assert "-Xshare:auto" in options  # a stale archive is skipped, never an error
    assert {"-Xlog:cds=off", "-Xlog:cds+dynamic=off"} <= set(options)  # nothing on stdout


def test_a_missing_archive_changes_nothing() -> None:
    java = shutil.which("java")
    assert java, "Spark needs Java 17"
    options = use_options(Path("/nonexistent/spark-classes.jsa")).split()
    done = subprocess.run(
        [java, *options, "-cp", f"{SPARK_JARS}/*", "-version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout == ""  # -version writes to stderr; no CDS warning anywhere
    assert "cds" not in done.stderr


def test_the_archive_make_hands_to_spark_is_mapped() -> None:
    options = os.environ.get("SPARK_SUBMIT_OPTS", "")
    found = re.search(r"-XX:SharedArchiveFile=(\S+)", options)
    if found is None:
        pytest.skip("not run through make: no archive in SPARK_SUBMIT_OPTS")
    archive = Path(found.group(1))
    assert archive.is_file(), f"make install did not build {archive}"
    # The Makefile's options are the ones the tests above check (one string, not two).
    assert use_options(archive) in options
    java = shutil.which("java")
    assert java
    # -Xshare:on: fail, instead of skipping, if the archive does not fit Spark's classpath.
    done = subprocess.run(
        [
            java,
            f"-XX:SharedArchiveFile={archive}",
            "-Xshare:on",
            "-cp",
            f"{SPARK_JARS}/*",
            "-version",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
