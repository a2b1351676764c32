"""Writing generated updates: one JSON Lines file, or a raw-zone layout.

`write_jsonl` writes one compact JSON Update per line (the bundled `samples/updates.jsonl`).
`write_raw` writes the raw zone as the webhook does (`DIR/dt={arrival date}/{update_id}.json`,
a same-day re-delivery overwrites its object) or as a batch source does (gzip NDJSON parts
`DIR/dt=.../part-0000.jsonl.gz`), optionally with malformed lines for the quarantine path.
Paths come from `lake.zones`. Reads nothing.
"""

from __future__ import annotations

import gzip
import itertools
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, cast

from lake.zones import partition_name, raw_object_key, utc_day
from samples.bot_api import JsonObj

DEFAULT_LINES_PER_PART = 100_000
PART_SUFFIX = ".jsonl.gz"

# Malformed inputs for the quarantine path (never in the bundled sample).
MALFORMED_LINES: tuple[str, ...] = (
    '{"update_id": 1, "message": {"message_id": 5, "chat": {"id": -1',  # truncated
    "[1, 2, 3]",  # valid JSON, not an object
    '{"message": {"message_id": 9, "chat": {"id": -100, "type": "group"}, "date": 1}}',  # no id
    '{"update_id": "12", "message": {"message_id": 9}}',  # update_id is a string
    "not json at all \u00e9\u00e8",
    '{"update_id": 77, "message": {"message_id": 3, "date": 1790000000}}',  # no chat
    "{}",
)


def dumps(update: JsonObj) -> str:
    """The compact serialisation used for every file this module writes."""
    return json.dumps(update, ensure_ascii=False, separators=(",", ":"))


def write_jsonl(updates: Iterable[tuple[datetime, JsonObj]], out: Path) -> int:
    """One update per line, in the given order; returns the number of lines."""
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for _, update in updates:
            fh.write(dumps(update))
            fh.write("\n")
            count += 1
    return count


class _Parts:
    """Open gzip NDJSON parts, one per arrival day, rolled over every `lines_per_part`."""

    def __init__(self, out: Path, lines_per_part: int) -> None:
        self.out = out
        self.lines_per_part = lines_per_part
        self.open: dict[str, tuple[IO[bytes], int, int]] = {}  # dt= -> (file, number, lines)
        self.files = 0

    def write(self, partition: str, line: bytes) -> None:
        self._for(partition).write(line + b"\n")

    def _for(self, partition: str) -> IO[bytes]:
        current = self.open.get(partition)
        if current is not None and (self.lines_per_part <= 0 or current[2] < self.lines_per_part):
            self.open[partition] = (current[0], current[1], current[2] + 1)
            return current[0]
        number = 0
        if current is not None:
            current[0].close()
            number = current[1] + 1
        path = self.out / partition / f"part-{number:04d}{PART_SUFFIX}"
        path.parent.mkdir(parents=True, exist_ok=True)
        # Closed by close(), after the last line of its day: a `with` cannot span the loop.
        handle = cast(IO[bytes], gzip.open(path, "wb", compresslevel=6))  # noqa: SIM115
        self.files += 1
        self.open[partition] = (handle, number, 1)
        return handle

    def close(self) -> None:
        for handle, _, _ in self.open.values():
            handle.close()


def write_raw(
    updates: Iterable[tuple[datetime, JsonObj]],
    out: Path,
    *,
    ndjson_gz: bool = False,
    malformed: int = 0,
    lines_per_part: int = DEFAULT_LINES_PER_PART,
    malformed_every: int = 97,
) -> dict[str, int]:
    """Write the raw-zone layout; returns counts (deliveries, files, malformed)."""
    out.mkdir(parents=True, exist_ok=True)
    made_dirs: set[str] = set()
    stats = {"deliveries": 0, "files": 0, "malformed": 0}
    parts = _Parts(out, lines_per_part)
    # Spread the malformed lines deterministically over the run (one every `every` updates).
    every = max(1, malformed_every)
    bad = iter(itertools.cycle(MALFORMED_LINES))
    written_bad = 0
    keys: set[str] = set()
    for i, (arrival, update) in enumerate(updates):
        partition = partition_name(utc_day(arrival))
        data = dumps(update).encode("utf-8")
        if ndjson_gz:
            parts.write(partition, data)
        else:
            if partition not in made_dirs:
                (out / partition).mkdir(parents=True, exist_ok=True)
                made_dirs.add(partition)
            key = raw_object_key(update["update_id"], arrival)
            if key not in keys:  # a same-day re-delivery overwrites the same object
                keys.add(key)
                stats["files"] += 1
            (out / key).write_bytes(data)
        stats["deliveries"] += 1
        if malformed and written_bad < malformed and i % every == every - 1:
            line = next(bad).encode("utf-8")
            if ndjson_gz:
                parts.write(partition, line)
            else:
                (out / partition / f"malformed-{written_bad:04d}.json").write_bytes(line)
                stats["files"] += 1
            written_bad += 1
    parts.close()
    stats["files"] += parts.files
    stats["malformed"] = written_bad
    return stats
