"""History import numbers: throughput and peak memory of `python -m history_import`.

    python -m bench.history [--quick] [--sizes 100k,1m] [--work-dir .lake/bench]

`python -m bench` runs it as one part of the suite (`--skip-history` leaves it out).

Generates Telegram Desktop exports under `{work-dir}/data/history-{size}/result.json`
(deterministic, cached with a manifest: the 1M-message export takes a while to write), shaped
like real ones (one-space indentation per level, `date` and `date_unixtime`, plain and
formatted texts, replies, edits, media, forwards, member changes), then imports each into a
fresh raw zone under `{work-dir}/out/history-{size}/` in its own process and measures wall
time, CPU and peak RSS (`bench.runner.measure`). A single-chat export of each size, and one
full-account export (the same chat inside `chats.list`, which costs a second pass). Prints
one JSON document to stdout. Flat memory = the peak RSS of the largest export within
FLAT_RSS_RATIO of the smallest's.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.runner import measure

REPO_ROOT = Path(__file__).resolve().parent.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
FULL_SIZES = ("100k", "1m")
QUICK_SIZES = ("10k", "100k")
ACCOUNT_SIZE = {"full": "100k", "quick": "10k"}
TARGET_MESSAGES_PER_S = 50_000
FLAT_RSS_RATIO = 1.25
SEED = 15
START = 1_760_000_000  # 2025-10-09: messages every ~20 s from here
CHAT = {"name": "Benchmark supergroup", "type": "public_supergroup", "id": 1707924673}
USERS = 2_000
SKIP_NOTE = "(File not included. Change data exporting settings to download.)"
WORDS = ("dados", "python", "spark", "glue", "athena", "parquet", "duckdb", "lake", "bom",
         "dia", "pessoal", "alguém", "sabe", "como", "resolver", "isso", "aqui", "obrigado",
         "valeu", "amanhã", "reunião", "deploy", "erro", "log", "query", "partição", "hello",
         "everyone", "thanks", "great", "idea", "meetup", "today", "🚀", "😂", "👍", "café",
         "☕")  # fmt: skip
GENERATOR_VERSION = 1


def _text(rng: random.Random) -> tuple[Any, list[dict[str, Any]]]:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30)))
    if rng.random() < 0.12:
        parts: list[Any] = [
            {"type": "bold", "text": words[:10]},
            words[10:],
            {"type": "link", "text": "https://example.com/x"},
        ]
        typed = [parts[0], {"type": "plain", "text": words[10:]}, parts[2]]
        return parts, typed
    return words, [{"type": "plain", "text": words}]


def _media(rng: random.Random, message: dict[str, Any]) -> None:
    roll = rng.random()
    if roll < 0.10:
        message.update(photo=SKIP_NOTE, photo_file_size=rng.randint(20_000, 400_000))
        message.update(width=1280, height=960)
    elif roll < 0.15:
        message.update(file=SKIP_NOTE, file_size=rng.randint(10_000, 60_000))
        message.update(media_type="sticker", sticker_emoji="😂", mime_type="image/webp")
        message.update(width=512, height=512)
    elif roll < 0.17:
        message.update(file=SKIP_NOTE, file_size=rng.randint(5_000, 90_000))
        message.update(media_type="voice_message", mime_type="audio/ogg", duration_seconds=7)
    elif roll < 0.19:
        message.update(file=SKIP_NOTE, file_name="clip.mp4", file_size=rng.randint(1, 9) << 20)
        message.update(media_type="video_file", mime_type="video/mp4", duration_seconds=31)
        message.update(width=720, height=1280)
    elif roll < 0.20:
        message.update(file=SKIP_NOTE, file_name="relatorio.pdf", file_size=234_567)
        message.update(mime_type="application/pdf")


def messages(count: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """`count` export messages of one busy supergroup (deterministic for a seed)."""
    rng = random.Random(seed)
    weights = [1.0 / (1 + i) ** 0.9 for i in range(USERS)]
    people = [(100_000_000 + 7919 * i, f"Person {i}") for i in range(USERS)]
    t = START
    for message_id in range(1, count + 1):
        t += rng.randint(1, 40)
        stamp = datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        user_id, name = rng.choices(people, weights)[0]
        message: dict[str, Any] = {"id": message_id}
        if rng.random() < 0.01:
            message.update(type="service", date=stamp, date_unixtime=str(t))
            message.update(actor=name, actor_id=f"user{user_id}")
            if rng.random() < 0.5:
                message.update(action="invite_members", members=[rng.choice(people)[1]])
            else:
                message.update(action="remove_members", members=[name])
            message.update(text="", text_entities=[])
            yield message
            continue
        message.update(type="message", date=stamp, date_unixtime=str(t))
        if rng.random() < 0.05:
            edited = t + rng.randint(5, 3_600)
            edited_stamp = datetime.fromtimestamp(edited, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            message.update(edited=edited_stamp, edited_unixtime=str(edited))
        message.update({"from": name, "from_id": f"user{user_id}"})
        if rng.random() < 0.03:
            message["forwarded_from"] = rng.choice(people)[1]
        if rng.random() < 0.2 and message_id > 1:
            message["reply_to_message_id"] = max(1, message_id - int(rng.expovariate(0.1)) - 1)
        _media(rng, message)
        text, typed = _text(rng) if "file" not in message or rng.random() < 0.3 else ("", [])
        message.update(text=text, text_entities=typed)
        yield message


def _indented(value: Any, level: int) -> str:
    """Telegram Desktop's layout: one space of indentation per nesting level."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level)


def write_export(path: Path, count: int, *, account: bool = False) -> int:
    """Write a single-chat (or full-account) export of `count` messages; its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    level = 4 if account else 2
    with path.open("w", encoding="utf-8") as out:
        if account:
            out.write('{\n "about": "Benchmark export",\n "personal_information": {\n')
            out.write('  "user_id": 100000000,\n  "first_name": "Person 0"\n },\n')
            out.write(' "chats": {\n  "about": "",\n  "list": [\n   {\n')
        else:
            out.write("{\n")
        pad = " " * (level - 1)
        out.write(f'{pad}"name": "{CHAT["name"]}",\n{pad}"type": "{CHAT["type"]}",\n')
        out.write(f'{pad}"id": {CHAT["id"]},\n{pad}"messages": [')
        first = True
        for message in messages(count):
            out.write(("\n" if first else ",\n") + " " * level + _indented(message, level))
            first = False
        out.write(f"\n{pad}]\n")
        out.write("   }\n  ]\n }\n}\n" if account else "}\n")
    return path.stat().st_size


def ensure_export(work_dir: Path, size: str, *, account: bool = False) -> tuple[Path, int]:
    """The cached export of this size (regenerated when its manifest differs)."""
    name = f"history-{size}" + ("-account" if account else "")
    folder = work_dir / "data" / name
    manifest = {"count": SIZES[size], "account": account, "seed": SEED, "v": GENERATOR_VERSION}
    marker = folder / "manifest.json"
    export = folder / "result.json"
    if marker.is_file() and json.loads(marker.read_text()) == manifest and export.is_file():
        return export, export.stat().st_size
    print(f"[history] writing {name} ({SIZES[size]:,} messages)", file=sys.stderr)
    size_bytes = write_export(export, SIZES[size], account=account)
    marker.write_text(json.dumps(manifest))
    return export, size_bytes


def run_one(work_dir: Path, size: str, *, account: bool = False) -> dict[str, Any]:
    export, size_bytes = ensure_export(work_dir, size, account=account)
    name = f"history-{size}" + ("-account" if account else "")
    out = work_dir / "out" / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    report_path = out / "report.json"
    cmd = [sys.executable, "-m", "history_import", str(export), "--raw_uri", str(out / "raw")]
    cmd += ["--no_progress", "--report_json", str(report_path)]
    print("[history] " + " ".join(cmd), file=sys.stderr)
    m = measure(cmd, log_path=work_dir / "logs" / f"{name}.log", cwd=REPO_ROOT)
    report = json.loads(report_path.read_text()) if report_path.is_file() else {}
    totals = report.get("totals", {})
    read = int(totals.get("messages_read", 0))
    return {
        "size": size,
        "kind": "account" if account else "chat",
        "messages": read,
        "updates": totals.get("updates"),
        "export_bytes": size_bytes,
        "returncode": m.returncode,
        "wall_s": round(m.wall_s, 3),
        "cpu_s": round(m.cpu_s, 3),
        "messages_per_s": round(read / m.wall_s) if m.wall_s else None,
        "max_rss_mb": round(m.max_rss_bytes / 2**20, 1),
        "command": "python -m history_import "
        + " ".join(a if a != str(export) else f"<{name}>/result.json" for a in cmd[3:]),
    }


def run(work_dir: Path, sizes: Sequence[str], quick: bool) -> dict[str, Any]:
    started = time.perf_counter()
    runs = [run_one(work_dir, size) for size in sizes]
    runs.append(run_one(work_dir, ACCOUNT_SIZE["quick" if quick else "full"], account=True))
    chat_runs = [r for r in runs if r["kind"] == "chat" and r["returncode"] == 0]
    largest = max(chat_runs, key=lambda r: r["messages"], default=None)
    smallest = min(chat_runs, key=lambda r: r["messages"], default=None)
    rss_ratio = (
        largest["max_rss_mb"] / smallest["max_rss_mb"]
        if largest and smallest and smallest["max_rss_mb"]
        else None
    )
    return {
        "runs": runs,
        "target_messages_per_s": TARGET_MESSAGES_PER_S,
        "largest_messages_per_s": largest["messages_per_s"] if largest else None,
        "rss_ratio_largest_to_smallest": round(rss_ratio, 3) if rss_ratio else None,
        "flat_rss_ratio": FLAT_RSS_RATIO,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k and 100k exports only")
    parser.add_argument("--sizes", help=f"comma list of {', '.join(SIZES)}")
    parser.add_argument("--work-dir", type=Path, default=Path(".lake") / "bench")
    args = parser.parse_args(argv)
    sizes = (
        tuple(args.sizes.split(",")) if args.sizes else (QUICK_SIZES if args.quick else FULL_SIZES)
    )
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; choose from {', '.join(SIZES)}")
    print(json.dumps(run(args.work_dir, sizes, args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
