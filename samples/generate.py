"""Command line of the sample generator: realistic, deterministic Telegram webhook updates.

Reads nothing; writes either one compact JSON Update per line (the bundled sample,
`samples/updates.jsonl`) or a raw-zone layout (`DIR/dt={arrival date}/{update_id}.json`, or
gzip NDJSON parts with `--ndjson-gz`) for the benchmarks and the quarantine path.

Usage:
    python -m samples.generate --out samples/updates.jsonl
    python -m samples.generate --layout raw --out DIR --days 1 --updates 100000 [--malformed 5]
    python -m samples.generate --layout raw --ndjson-gz --out DIR --days 1 --updates 1000000

The generator itself: `samples.simulation` (the timeline), `samples.scenarios` (what
happens), `samples.world` and `samples.cast` (who), `samples.bot_api`, `samples.media`,
`samples.content`, `samples.commerce` and `samples.entities` (Bot API shapes),
`samples.writers` (files).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from samples.simulation import (
    DEFAULT_CHATS,
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    DEFAULT_TARGET_UPDATES,
    DEFAULT_USERS,
    generate_updates,
)
from samples.writers import DEFAULT_LINES_PER_PART, write_jsonl, write_raw


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m samples.generate",
        description="Generate realistic, deterministic Telegram webhook updates.",
    )
    parser.add_argument("--out", required=True, help="output file (jsonl) or directory (raw)")
    parser.add_argument("--layout", choices=("jsonl", "raw"), default="jsonl")
    parser.add_argument("--ndjson-gz", action="store_true", help="raw layout as gzip NDJSON parts")
    parser.add_argument("--lines-per-part", type=int, default=DEFAULT_LINES_PER_PART)
    parser.add_argument("--malformed", type=int, default=0, help="raw layout only: bad lines")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--start", default=DEFAULT_START, help="first arrival day (YYYY-MM-DD)")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
    parser.add_argument("--chats", type=int, default=DEFAULT_CHATS, help="group chats")
    parser.add_argument("--users", type=int, default=DEFAULT_USERS)
    parser.add_argument("--updates", type=int, default=DEFAULT_TARGET_UPDATES)
    args = parser.parse_args(argv)
    if args.layout != "raw" and (args.malformed or args.ndjson_gz):
        parser.error("--malformed and --ndjson-gz need --layout raw")
    updates = generate_updates(
        seed=args.seed,
        start=args.start,
        days=args.days,
        chats=args.chats,
        users=args.users,
        target_updates=args.updates,
    )
    out = Path(args.out)
    if args.layout == "jsonl":
        count = write_jsonl(updates, out)
        print(f"wrote {count} updates to {out}", file=sys.stderr)
    else:
        stats = write_raw(
            updates,
            out,
            ndjson_gz=args.ndjson_gz,
            malformed=args.malformed,
            lines_per_part=args.lines_per_part,
            malformed_every=max(1, args.updates // (args.malformed + 1)),
        )
        print(f"wrote raw layout to {out}: {json.dumps(stats)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
