"""A test hook: kill the job at a named commit point, to prove a rerun converges.

Reads the environment variable `TELEGRAM_LAKE_CRASH_AT`; writes one line to stderr just
before it kills its own process. Used by the fault-injection suite
(tests/chaos/test_chaos_glue.py) only: nothing in the project sets the variable, and without
it `crash_point` is one dictionary lookup that returns at once.

The value is `<point>[@<subject>][#<n>]`: kill at the n-th time (default: the first) the job
reaches `<point>` with a subject that contains `<subject>` (the subject is what the point is
about: a table name, a file URI). The points, in the order a run reaches them:

  `read`            the outcome counts of the raw window are collected (nothing written yet)
  `staged`          one table's merged partitions are in `_staging/` (subject: table name)
  `small_write`     a small file's temporary copy is written, not yet renamed over its
                    final name (subject: the final URI: `_manifest.json`, `_runs/...`)
  `committed`       the manifest is written: the run is committed
  `moved`           one staged file is moved into its live partition (subject: target URI)
  `summary_written` the run summary is in `_runs/`; the staging folder is not deleted yet

The kill is SIGKILL: no `finally`, no shutdown hook, no flush runs in this process, as when
a machine dies.
"""

from __future__ import annotations

import os
import signal
import sys

CRASH_AT_ENV = "TELEGRAM_LAKE_CRASH_AT"

_reached: dict[str, int] = {}


def crash_point(name: str, subject: str = "") -> None:
    """Kill this process here if `TELEGRAM_LAKE_CRASH_AT` names this point (a test hook)."""
    wanted = os.environ.get(CRASH_AT_ENV)
    if not wanted:
        return
    point, _, occurrence = wanted.partition("#")
    point, _, part = point.partition("@")
    if point != name or part not in subject:
        return
    _reached[wanted] = _reached.get(wanted, 0) + 1
    if _reached[wanted] != int(occurrence or 1):
        return
    sys.stderr.write(f"{CRASH_AT_ENV}: SIGKILL at {name} {subject}\n")
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)
