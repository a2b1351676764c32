"""A progress bar on stderr for long imports: drawn only on a terminal.

Shows the share of the export file read, megabytes, messages and messages per second,
redrawn at most ten times a second on one line. When stderr is not a terminal (a log, CI,
a pipe) nothing is drawn; the report at the end says everything. Writes to stderr only.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24
REDRAW_SECONDS = 0.1
MB = 1024 * 1024


class ProgressBar:
    def __init__(self, total_bytes: int, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = max(total_bytes, 1)
        self.label = ""
        self.position = 0
        self.messages = 0
        self._started = time.perf_counter()
        self._drawn = 0.0

    def phase(self, label: str) -> None:
        """Start a pass over the file (`checking`, `importing`)."""
        self.label = label
        self.position = 0
        self._started = time.perf_counter()
        self._draw(force=True)

    def read(self, position: int) -> None:
        self.position = position
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._drawn < REDRAW_SECONDS:
            return
        self._drawn = now
        share = min(self.position / self.total, 1.0)
        filled = int(share * WIDTH)
        elapsed = max(now - self._started, 1e-9)
        line = (
            f"\r{self.label:<9} [{'#' * filled}{'.' * (WIDTH - filled)}] {share:6.1%} "
            f"{self.position / MB:,.1f}/{self.total / MB:,.1f} MB"
        )
        if self.messages:
            line += f"  {self.messages:,} msgs  {self.messages / elapsed:,.0f} msg/s"
        self.stream.write(line + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
