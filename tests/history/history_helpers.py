"""Helpers of the history import tests: run an import, read what it wrote, expected ids.

Reads the raw zone the tests write under pytest's tmp dirs; writes exports there.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from hashlib import blake2b
from pathlib import Path
from typing import Any

from history_import.importer import ImportOptions, run_import
from history_import.report import Report

DATA = Path(__file__).resolve().parent / "data"
IMPORT_DAY = "2026-11-20"
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def expected_update_id(chat_id: int, message_id: int, kind: str, extra: int = 0) -> int:
    """The documented formula (docs/history-import.md), written out independently:
    2^62 + the top 62 bits of BLAKE2b-64("chat:message:kind:extra", person "tglake-history")."""
    text = f"{chat_id}:{message_id}:{kind}:{extra}".encode()
    digest = blake2b(text, digest_size=8, person=b"tglake-history").digest()
    return 2**62 + (int.from_bytes(digest, "big") >> 2)


def expected_updates(path: Path, chat_id: int) -> list[dict[str, Any]]:
    """A hand-written `.expected.jsonl`: `update_id` is written as [kind, message id, extra]."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        update = json.loads(line)
        kind, message_id, extra = update["update_id"]
        update["update_id"] = expected_update_id(chat_id, message_id, kind, extra)
        out.append(update)
    return out


def write_export(path: Path, chat: dict[str, Any], messages: list[dict[str, Any]]) -> Path:
    """A single-chat export (the header keys first, as Telegram Desktop writes them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {**chat, "messages": messages}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def run(export: Path, raw: Path, now: datetime = NOW, **options: Any) -> Report:
    return run_import(ImportOptions(export=export, raw_uri=str(raw), **options), now=now)


def part_files(raw: Path) -> dict[str, bytes]:
    """Every history part under the raw zone: relative path -> bytes."""
    return {
        str(p.relative_to(raw)): p.read_bytes() for p in sorted(raw.glob("dt=*/history_*.jsonl.gz"))
    }


def raw_tree(raw: Path) -> dict[str, bytes]:
    """Every file under the raw zone (parts, register entries, anything else)."""
    return {str(p.relative_to(raw)): p.read_bytes() for p in sorted(raw.rglob("*")) if p.is_file()}


def written_updates(raw: Path) -> list[dict[str, Any]]:
    """The updates of every part, in file name order, then line order."""
    updates = []
    for name, data in part_files(raw).items():
        assert name.endswith(".jsonl.gz")
        text = gzip.decompress(data).decode("utf-8")
        updates.extend(json.loads(line) for line in text.splitlines())
    return updates
