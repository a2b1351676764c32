"""Baseline C: the I/O floor, reading every raw byte of the window once and doing nothing.

    python -m bench.io_floor --raw DIR --start_date D --end_date D

Reads each raw file of the window (`bench.rawfiles.raw_files`) in 1 MiB chunks; gzip files
are read as stored (compressed bytes: decompressing is already work). Writes nothing; prints
one JSON line with the file and byte counts. No job can list, open and read the same files
faster from the same process start.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.rawfiles import raw_files

CHUNK = 1024 * 1024


def run(raw: Path, start_date: str, end_date: str) -> dict[str, int]:
    files = raw_files(raw, start_date, end_date)
    total = 0
    for path in files:
        with path.open("rb", buffering=0) as fh:
            while chunk := fh.read(CHUNK):
                total += len(chunk)
    return {"files": len(files), "bytes": total}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.io_floor")
    parser.add_argument("--raw", required=True, type=Path)
    parser.add_argument("--start_date", required=True)
    parser.add_argument("--end_date", required=True)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.raw, args.start_date, args.end_date)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
