"""Benchmark inputs: generated raw days (and a curated zone for the views), cached on disk.

Writes `{work}/data/{name}/raw/dt=.../` with `samples.generate` (one file per update, or
gzip NDJSON parts) and `{work}/data/{name}/manifest.json` (the generation parameters and
the input sizes). A dataset whose manifest matches its spec is reused, not regenerated:
the 1M-update day takes minutes to generate. Also builds the views' curated zone with the
DuckDB baseline.
"""

from __future__ import annotations

import gzip
import json
import shutil
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.baseline_duckdb import run as duckdb_run
from bench.rawfiles import raw_files, tree_bytes
from samples.simulation import generate_updates
from samples.writers import write_raw

BENCH_START = "2026-11-02"
SEED = 7
MALFORMED = 5  # a handful of bad lines, so the quarantine path runs too


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    updates: int
    ndjson_gz: bool
    users: int
    chats: int
    days: int = 1
    start: str = BENCH_START
    seed: int = SEED
    malformed: int = MALFORMED

    @property
    def end(self) -> str:
        return (date.fromisoformat(self.start) + timedelta(days=self.days - 1)).isoformat()

    @property
    def layout(self) -> str:
        return "NDJSON.gz parts (100k lines)" if self.ndjson_gz else "one file per update"


# A chat-sized day (500 updates: what most groups produce), 10k and 100k one-file-per-update
# days, a 1M-update NDJSON.gz day.
SIZES: dict[str, DatasetSpec] = {
    "500": DatasetSpec("500", 500, ndjson_gz=False, users=40, chats=1),
    "10k": DatasetSpec("10k", 10_000, ndjson_gz=False, users=200, chats=4),
    "100k": DatasetSpec("100k", 100_000, ndjson_gz=False, users=1_000, chats=6),
    "1m": DatasetSpec("1m", 1_000_000, ndjson_gz=True, users=5_000, chats=12),
}
# ~1M curated messages over four weeks (quick mode: ~50k), for the view timings.
VIEWS_FULL = DatasetSpec("views-1m", 1_300_000, ndjson_gz=True, users=3_000, chats=12, days=28)
VIEWS_QUICK = DatasetSpec("views-quick", 65_000, ndjson_gz=True, users=300, chats=4, days=28)


@dataclass(frozen=True)
class Dataset:
    spec: DatasetSpec
    root: Path
    raw_files: int
    raw_lines: int
    raw_bytes: int  # bytes on disk (compressed for .gz)
    json_bytes: int  # uncompressed JSON bytes
    generate_s: float

    @property
    def raw(self) -> Path:
        return self.root / "raw"


def _json_bytes_and_lines(raw: Path, spec: DatasetSpec) -> tuple[int, int]:
    files = raw_files(raw, spec.start, spec.end)
    if not spec.ndjson_gz:
        return sum(p.stat().st_size for p in files), len(files)
    size = lines = 0
    for path in files:
        with gzip.open(path, "rb") as fh:
            for line in fh:
                size += len(line) - 1  # without the newline: same bytes as a .json file
                lines += 1
    return size, lines


def ensure_dataset(spec: DatasetSpec, work: Path) -> Dataset:
    """The dataset of spec under work/data, generated unless an identical one exists."""
    root = work / "data" / spec.name
    manifest = root / "manifest.json"
    wanted = asdict(spec)
    if manifest.exists():
        saved: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
        if saved.get("spec") == wanted:
            return Dataset(spec=spec, root=root, **saved["sizes"])
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    updates = generate_updates(
        seed=spec.seed,
        start=spec.start,
        days=spec.days,
        chats=spec.chats,
        users=spec.users,
        target_updates=spec.updates,
    )
    write_raw(
        updates,
        root / "raw",
        ndjson_gz=spec.ndjson_gz,
        malformed=spec.malformed,
        malformed_every=max(1, spec.updates // (spec.malformed + 1)),
    )
    generate_s = time.perf_counter() - started
    json_bytes, lines = _json_bytes_and_lines(root / "raw", spec)
    sizes: dict[str, Any] = {
        "raw_files": len(raw_files(root / "raw", spec.start, spec.end)),
        "raw_lines": lines,
        "raw_bytes": tree_bytes(root / "raw"),
        "json_bytes": json_bytes,
        "generate_s": round(generate_s, 1),
    }
    manifest.write_text(json.dumps({"spec": wanted, "sizes": sizes}, indent=2), encoding="utf-8")
    return Dataset(spec=spec, root=root, **sizes)


def ensure_curated(dataset: Dataset) -> Path:
    """A curated zone of the dataset (DuckDB baseline, same contract columns), cached."""
    curated = dataset.root / "curated"
    marker = curated / "_SUCCESS"
    if not marker.exists():
        if curated.exists():
            shutil.rmtree(curated)
        duckdb_run(dataset.raw, curated, dataset.spec.start, dataset.spec.end)
        marker.write_text("", encoding="utf-8")
    return curated
