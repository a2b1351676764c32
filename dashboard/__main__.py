"""`python -m dashboard`: write the HTML dashboard of a local curated zone.

Reads: the curated zone only through the views that `athena_views.local.connect` creates
(DuckDB). Writes: `{out}/index.html`, and with `--csv`
`{out}/csv/<chart>.csv`.

    python -m dashboard --curated-uri ./.lake/curated --out ./.lake/dashboard \
        [--timezone Europe/Berlin] [--csv] [--title "My group"] [--include-private]
"""

from __future__ import annotations

import argparse
import sys
import zoneinfo
from collections.abc import Sequence

from dashboard.build import CSV_DIR, DEFAULT_TITLE, build_dashboard


def _timezone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"unknown IANA timezone: {name!r}") from error
    return name


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Write a self-contained (offline) HTML dashboard from the Athena views.",
    )
    parser.add_argument("--curated-uri", required=True, help="curated zone: a path or file:// URI")
    parser.add_argument("--out", required=True, help="output folder (index.html goes there)")
    parser.add_argument(
        "--timezone",
        type=_timezone,
        default="UTC",
        help="IANA timezone for days and hours (default: UTC)",
    )
    parser.add_argument(
        "--csv", action="store_true", help=f"also write each chart's data to {CSV_DIR}/*.csv"
    )
    parser.add_argument("--title", default=DEFAULT_TITLE, help="page title")
    parser.add_argument(
        "--include-private",
        action="store_true",
        help="also chart private chats with the bot (left out by default)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # Imported late: argument errors and --help need neither DuckDB nor sqlglot loaded.
    from athena_views.local import connect  # noqa: PLC0415

    con = connect(args.curated_uri, timezone=args.timezone, materialize_staging=True)
    try:
        index = build_dashboard(
            con,
            args.out,
            timezone=args.timezone,
            csv=args.csv,
            title=args.title,
            include_private=args.include_private,
        )
    finally:
        con.close()
    print(f"Dashboard written to {index.resolve()}")
    if args.csv:
        print(f"Chart data (CSV) in {(index.parent / CSV_DIR).resolve()}")
    print(f"Open it in a browser: {index.resolve().as_uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
