"""Listing and reading the raw zone the way every benchmark variant sees it.

Reads `{raw}/dt=YYYY-MM-DD/` folders of the arrival window: `*.json` (one update per file,
the webhook's layout), `*.jsonl` and `*.jsonl.gz` (NDJSON batches). Writes nothing.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

from lake.zones import is_raw_file, partition_name


def window_days(start: str, end: str) -> list[str]:
    """Arrival days of an inclusive window, as YYYY-MM-DD strings."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last < first:
        raise ValueError(f"end {end} is before start {start}")
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def raw_files(raw: Path, start: str, end: str) -> list[Path]:
    """Every raw file of the window, sorted (day, then name): a deterministic order."""
    files: list[Path] = []
    for day in window_days(start, end):
        folder = raw / partition_name(day)
        if not folder.is_dir():
            continue
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.is_file() and is_raw_file(e.name))
        files.extend(folder / name for name in names)
    return files


def tree_bytes(root: Path, suffix: str = "") -> int:
    """Total size of the files under root (optionally only those ending in suffix)."""
    total = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(suffix):
                total += os.path.getsize(os.path.join(folder, name))
    return total
