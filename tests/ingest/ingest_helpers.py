"""Shared helpers for the webhook tests (imported by conftest.py and the test modules):
the test secret, a fixed clock, a log capture, a file-backed ingestor bundle."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest_lambda.handler import Ingestor
from ingest_lambda.settings import Settings

# The secret header value in tests/events/*.json.
EVENT_SECRET = "TEST-ONLY_webhook-secret_7f3a9c"
# Fixed arrival time: 2025-11-20 23:59:59.5 UTC, late in the day so a local-time bug shows.
ARRIVAL = datetime(2025, 11, 20, 23, 59, 59, 500000, tzinfo=UTC)
ARRIVAL_DT = "dt=2025-11-20"


@dataclass
class LogCapture:
    lines: list[str] = field(default_factory=list)

    def __call__(self, line: str) -> None:
        self.lines.append(line)

    @property
    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines]

    @property
    def last(self) -> dict[str, Any]:
        return self.records[-1]


@dataclass
class FileIngest:
    ingestor: Ingestor
    root: Path
    log: LogCapture

    def files(self) -> list[str]:
        """Every file under the raw root (hidden temp files included), relative, sorted."""
        files = (p for p in self.root.rglob("*") if p.is_file())
        return sorted(p.relative_to(self.root).as_posix() for p in files)


def fixed_clock() -> datetime:
    return ARRIVAL


def make_settings(root: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "webhook_secret": EVENT_SECRET,
        "raw_uri": root.as_uri(),
        "raw_sink": "file",
    }
    values.update(overrides)
    return Settings(**values)
