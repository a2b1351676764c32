"""Run one command as a child process and measure it: wall, CPU, peak memory.

Reads /proc for the memory sampler (Linux; elsewhere only ru_maxrss is reported). Writes the
child's stderr to a log file the caller names; returns its stdout.

- wall: perf_counter around Popen .. wait4.
- CPU: user + sys from `os.wait4` (the child plus every descendant it waited for: the
  spark-submit JVM and its Python driver; Python workers forked by a daemon that is killed
  rather than reaped would be missed, which is why the job's transforms avoid Python UDFs).
- peak RSS: `ru_maxrss` of wait4 (the largest single process of the tree) and, sampled every
  `SAMPLE_SECONDS` from /proc, the largest sum of RSS over the whole process tree.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.2
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Measurement:
    wall_s: float
    cpu_s: float
    max_rss_bytes: int  # largest single process (ru_maxrss)
    tree_rss_bytes: int  # largest sampled sum over the process tree (0 when not sampled)
    returncode: int
    stdout: str


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as fh:
                kids.extend(int(x) for x in fh.read().split())
    except OSError:
        pass
    return kids


def tree_rss(pid: int) -> int:
    """Resident bytes of pid and all its descendants right now (0 if it is gone)."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as fh:
                total += int(fh.read().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
        stack.extend(_children(current))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        while not self.stopped.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.stopped.wait(SAMPLE_SECONDS)


def measure(
    cmd: Sequence[str],
    *,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout_s: float | None = None,
) -> Measurement:
    """Run cmd to completion (or kill its process group after timeout_s) and measure it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            stdout=subprocess.PIPE,
            stderr=log,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,  # its own process group: a timeout kills the whole tree
        )
        sampler = _Sampler(proc.pid)
        sampler.start()
        timer = None
        if timeout_s:
            timer = threading.Timer(timeout_s, _kill_group, args=(proc.pid,))
            timer.start()
        assert proc.stdout is not None
        stdout = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
        if timer is not None:
            timer.cancel()
        sampler.stopped.set()
        sampler.join()
    return Measurement(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_bytes=usage.ru_maxrss * 1024,  # Linux reports KiB
        tree_rss_bytes=sampler.peak,
        returncode=proc.returncode,
        stdout=stdout.decode("utf-8", "replace"),
    )


def _kill_group(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)


def last_json_line(stdout: str) -> str | None:
    """The last stdout line that looks like a JSON object (commands print their counts so)."""
    for line in reversed(stdout.splitlines()):
        stripped = line.strip()
        if stripped.startswith("{") and stripped.endswith("}"):
            return stripped
    return None
