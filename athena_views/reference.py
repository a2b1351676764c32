"""The curated tables' reference page, `docs/tables.md`, rendered from `lake.tables`.

Reads the table specs; `write_tables_doc` writes `docs/tables.md` (run by
`python -m athena_views ddl --write`; a test keeps the committed page in sync), so the
documented columns can never drift from what the Glue job writes and Athena declares.
"""

from __future__ import annotations

from pathlib import Path

from lake.tables import TABLES, Column, TableSpec

DOCS_PATH = Path(__file__).resolve().parent.parent / "docs" / "tables.md"

_INTRO = """\
# Curated tables

The Glue job writes each table as snappy Parquet under
`{curated_uri}/{table}/dt=YYYY-MM-DD/part-*.parquet`; Athena reads them through the tables
of `athena_views/ddl/` (partition projection on `dt`, no crawler). Every column may be
null unless its description says otherwise. The views (see [views](views.md)) are the
supported way to read them.

This page is generated from `lake/tables.py`, the one declaration of every curated column
(`python -m athena_views ddl --write`): edit the spec, not this page.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _column_rows(columns: tuple[Column, ...]) -> list[str]:
    rows = ["| column | type | meaning |", "| --- | --- | --- |"]
    rows += [
        f"| `{column.name}` | `{column.type}` | {_cell(column.comment)}"
        f"{'' if column.nullable else ' (never null)'} |"
        for column in columns
    ]
    return rows


def _table_section(table: TableSpec) -> list[str]:
    lines = [
        f"## `{table.name}`",
        "",
        f"{table.comment[0].upper()}{table.comment[1:]}.",
        "",
        f"- Grain: {table.grain}.",
        f"- Key: `({', '.join(table.key)})` within a `{table.partition.name}` partition.",
        f"- Partition: `{table.partition.name}` ({table.partition.type}), "
        f"{table.partition.comment}.",
        f"- Rows in each file are sorted by `{', '.join(table.sort_by)}`.",
        "",
        *_column_rows(table.data_columns),
    ]
    if table.bookkeeping_columns:
        lines += [
            "",
            "Bookkeeping columns, written by the Glue job after the contract columns so that "
            "re-runs stay idempotent. They are in the Parquet files but not in the Athena "
            "table:",
            "",
            *_column_rows(table.bookkeeping_columns),
        ]
    return lines


def render_tables_doc() -> str:
    """The whole `docs/tables.md` page."""
    lines = [_INTRO]
    for table in TABLES.values():
        lines += [*_table_section(table), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_tables_doc(path: Path = DOCS_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_tables_doc(), encoding="utf-8")
    return path
