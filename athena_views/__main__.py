"""Command line for the views: query the local lake, list the views, print DDL, deploy.

    python -m athena_views query "select * from daily_activity" [--curated-uri .lake/curated]
        [--timezone UTC] [--format table|csv] [--limit N]
    python -m athena_views views                      # every view with its grain
    python -m athena_views ddl [--location-uri URI --projection-start YYYY-MM-DD]
        [--timezone TZ] [--write]                     # Athena DDL of tables and views
    python -m athena_views deploy --workgroup W --database D [--timezone TZ]
        [--with-tables --location-uri URI --projection-start YYYY-MM-DD]

`query` reads the curated Parquet files under `--curated-uri` (DuckDB, nothing written);
`ddl --write` rewrites `athena_views/ddl/*.sql` and `docs/tables.md` from `lake/tables.py`; `deploy`
runs the DDL in Athena. Output goes to stdout, errors to stderr (exit status 1).
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

import duckdb

from athena_views.deploy import deploy, table_statements, view_statements
from athena_views.local import DEFAULT_CURATED_URI, connect
from athena_views.reference import write_tables_doc
from athena_views.runner import AthenaQueryError
from athena_views.sql import DEFAULT_TIMEZONE, InvalidTimezoneError, view_files, view_names
from athena_views.tables import TABLES, render_ddl, write_ddl_files

FLOAT_DIGITS = 4


def format_value(value: Any) -> str:
    """One cell as text: nulls empty, floats rounded, timestamps ISO with a space."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(round(value, FLOAT_DIGITS))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _is_numeric(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def display_width(text: str) -> int:
    """Terminal columns a string takes: wide characters (CJK, most emoji) take two."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def _pad(text: str, width: int, *, right: bool = False) -> str:
    padding = " " * (width - display_width(text))
    return padding + text if right else text + padding


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table (numbers right-aligned) followed by a row count."""
    cells = [[format_value(value) for value in row] for row in rows]
    widths = [display_width(name) for name in columns]
    for row in cells:
        widths = [max(width, display_width(cell)) for width, cell in zip(widths, row, strict=True)]
    numeric = [
        bool(rows) and all(_is_numeric(row[i]) or row[i] is None for row in rows)
        for i in range(len(columns))
    ]
    header = " | ".join(_pad(name, width) for name, width in zip(columns, widths, strict=True))
    rule = "-+-".join("-" * width for width in widths)
    lines = [header.rstrip(), rule]
    for row in cells:
        line = " | ".join(
            _pad(cell, width, right=is_number)
            for cell, width, is_number in zip(row, widths, numeric, strict=True)
        )
        lines.append(line.rstrip())
    count = len(rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines)


def write_csv(out: TextIO, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Rows as CSV with a header line."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([format_value(value) for value in row])


def _print_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> None:
    if fmt == "csv":
        write_csv(sys.stdout, columns, rows)
    else:
        print(format_table(columns, rows))


def _cmd_query(args: argparse.Namespace) -> int:
    con = connect(args.curated_uri, args.timezone)
    try:
        cursor = con.execute(args.sql)
        if cursor.description is None:
            return 0
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchmany(args.limit) if args.limit is not None else cursor.fetchall()
    except duckdb.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        con.close()
    _print_rows(columns, rows, args.format)
    return 0


def _cmd_views(args: argparse.Namespace) -> int:
    files = {view.name: view for view in view_files()}
    rows = [(name, files[name].layer, files[name].grain) for name in view_names()]
    _print_rows(["view", "layer", "grain"], rows, args.format)
    return 0


def _cmd_ddl(args: argparse.Namespace) -> int:
    if args.write:
        for path in [*write_ddl_files(), write_tables_doc()]:
            print(f"wrote {path}")
        return 0
    if args.location_uri and args.projection_start:
        tables = [s.sql for s in table_statements(args.location_uri, args.projection_start)]
    else:
        tables = [render_ddl(name).strip() for name in TABLES]
    views = [s.sql for s in view_statements(args.timezone)]
    print(";\n\n".join(tables + views) + ";")
    return 0


def _cmd_deploy(args: argparse.Namespace) -> int:
    try:
        executed = deploy(
            workgroup=args.workgroup,
            database=args.database,
            timezone=args.timezone,
            with_tables=args.with_tables,
            location_uri=args.location_uri,
            projection_start=args.projection_start,
            replace_tables=args.replace_tables,
            output_location=args.output_location,
            region_name=args.region,
        )
    except AthenaQueryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for item in executed:
        print(f"{item.statement.kind} {item.statement.name}: {item.query_execution_id}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m athena_views", description="Athena views: local queries, DDL, deploy."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    query = commands.add_parser("query", help="run SQL over the local lake (tables + views)")
    query.add_argument("sql", help='e.g. "select * from daily_activity order by day"')
    query.add_argument("--curated-uri", default=DEFAULT_CURATED_URI, help="path or file:// URI")
    query.add_argument("--timezone", default=DEFAULT_TIMEZONE, help="IANA zone for local days")
    query.add_argument("--format", choices=("table", "csv"), default="table")
    query.add_argument("--limit", type=int, default=None, help="print at most N rows")
    query.set_defaults(func=_cmd_query)

    views = commands.add_parser("views", help="list the views (dependency order) and grains")
    views.add_argument("--format", choices=("table", "csv"), default="table")
    views.set_defaults(func=_cmd_views)

    ddl = commands.add_parser("ddl", help="print the Athena DDL of the tables and views")
    ddl.add_argument("--location-uri", help="curated zone root, e.g. s3://bucket/curated")
    ddl.add_argument("--projection-start", help="first dt of partition projection (YYYY-MM-DD)")
    ddl.add_argument("--timezone", default=DEFAULT_TIMEZONE)
    ddl.add_argument("--write", action="store_true", help="regenerate athena_views/ddl/*.sql")
    ddl.set_defaults(func=_cmd_ddl)

    deploy = commands.add_parser("deploy", help="create/update the views (and tables) in Athena")
    deploy.add_argument("--workgroup", required=True)
    deploy.add_argument("--database", required=True)
    deploy.add_argument("--timezone", default=DEFAULT_TIMEZONE)
    deploy.add_argument("--with-tables", action="store_true")
    deploy.add_argument("--location-uri")
    deploy.add_argument("--projection-start")
    deploy.add_argument("--replace-tables", action="store_true")
    deploy.add_argument("--output-location", help="s3:// URI if the workgroup sets none")
    deploy.add_argument("--region")
    deploy.set_defaults(func=_cmd_deploy)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except (InvalidTimezoneError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
