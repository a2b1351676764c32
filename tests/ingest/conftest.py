"""Fixtures for the webhook tests: a file-backed ingestor with a fixed clock and captured
log lines, and a factory for ingestors over any sink. Writes only under pytest's tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import FileIngest, LogCapture, fixed_clock, make_settings

from ingest_lambda.handler import Ingestor
from ingest_lambda.storage import FileSink, RawSink


@pytest.fixture
def log_capture() -> LogCapture:
    return LogCapture()


@pytest.fixture
def file_ingest(tmp_path: Path, log_capture: LogCapture) -> FileIngest:
    root = tmp_path / "raw"
    ingestor = Ingestor(make_settings(root), FileSink(root), clock=fixed_clock, log=log_capture)
    return FileIngest(ingestor, root, log_capture)


@pytest.fixture
def make_ingest(
    tmp_path: Path, log_capture: LogCapture
) -> Callable[..., tuple[Ingestor, LogCapture]]:
    """An ingestor over any sink, with settings overrides (e.g. max_body_bytes)."""

    def _make(sink: RawSink, **overrides: Any) -> tuple[Ingestor, LogCapture]:
        settings = make_settings(tmp_path / "unused", **overrides)
        return Ingestor(settings, sink, clock=fixed_clock, log=log_capture), log_capture

    return _make
