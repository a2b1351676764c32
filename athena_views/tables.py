"""The curated tables as Athena sees them: DDL, partition projection, Glue TableInput.

Derived from the table specs in `lake.tables` (the one declaration of every curated
column); only the contract columns are declared to Athena, never the Glue job's
bookkeeping columns:

- `athena_views/ddl/{table}.sql` (Athena `create external table`) is rendered from here
  (`python -m athena_views ddl --write` regenerates the files and `docs/tables.md`; tests
  keep them in sync);
- the CDK app builds its Glue tables with `glue_table_input(...)`;
- the local DuckDB runner types the Parquet columns with `duckdb_type(...)`.

Reads and writes nothing by itself (`write_ddl_files` writes the committed templates).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from lake.tables import MEMBER_EVENTS, MESSAGES, TABLES, Column, TableSpec
from lake.zones import PARTITION_COLUMN, PARTITION_JAVA_DATE_FORMAT, partition_name, table_uri

__all__ = ["MEMBER_EVENTS", "MESSAGES", "PARTITION_COLUMN", "TABLES", "TableSpec"]

DDL_DIR = Path(__file__).resolve().parent / "ddl"

# Placeholders kept in the committed `ddl/*.sql` files (sqlfluff's jinja templater gives
# them a default value in `.sqlfluff`); `render_ddl` substitutes real values on deploy.
LOCATION_PLACEHOLDER = "{{ location_uri }}"
PROJECTION_START_PLACEHOLDER = "{{ projection_start }}"

PARQUET_INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"

# Athena (Hive DDL) type -> DuckDB type, for the local runner.
_DUCKDB_TYPES = {
    "bigint": "BIGINT",
    "int": "INTEGER",
    "string": "VARCHAR",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "double": "DOUBLE",
}

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Comments and locations end up inside single-quoted DDL literals.
_UNSAFE_LITERAL_RE = re.compile(r"['\\\n\r]")


def duckdb_type(athena_type: str) -> str:
    """The DuckDB type that holds values of an Athena (Hive DDL) column type."""
    if athena_type.startswith("array<") and athena_type.endswith(">"):
        return f"{duckdb_type(athena_type[len('array<') : -1])}[]"
    return _DUCKDB_TYPES[athena_type]


def table_location(location_uri: str, table: str) -> str:
    """`{location_uri}/{table}/`: where the Glue job writes the table (any scheme)."""
    return f"{table_uri(location_uri, table)}/"


def projection_properties(table: str, location_uri: str, projection_start: str) -> dict[str, str]:
    """Athena partition projection on `dt`: a date per day from `projection_start` to NOW.

    Projection replaces MSCK REPAIR / crawlers: Athena computes the partition list from
    these properties, and a `dt` predicate limits it to the days asked for.
    """
    return {
        "projection.enabled": "true",
        f"projection.{PARTITION_COLUMN}.type": "date",
        f"projection.{PARTITION_COLUMN}.format": PARTITION_JAVA_DATE_FORMAT,
        f"projection.{PARTITION_COLUMN}.range": f"{projection_start},NOW",
        f"projection.{PARTITION_COLUMN}.interval": "1",
        f"projection.{PARTITION_COLUMN}.interval.unit": "DAYS",
        "storage.location.template": (
            f"{table_location(location_uri, table)}{partition_name(f'${{{PARTITION_COLUMN}}}')}/"
        ),
    }


def table_parameters(table: str, location_uri: str, projection_start: str) -> dict[str, str]:
    """Every table property: Parquet classification plus partition projection."""
    return {
        "EXTERNAL": "TRUE",
        "classification": "parquet",
        "parquet.compression": "SNAPPY",
        **projection_properties(table, location_uri, projection_start),
    }


def validate_projection_start(projection_start: str) -> str:
    """Return `projection_start` if it is an ISO date (YYYY-MM-DD); raise ValueError if not."""
    if not _DATE_RE.match(projection_start):
        raise ValueError(f"projection_start must be YYYY-MM-DD, got {projection_start!r}")
    date.fromisoformat(projection_start)
    return projection_start


def _check_literal(value: str, what: str) -> str:
    if _UNSAFE_LITERAL_RE.search(value):
        raise ValueError(f"{what} must not contain quotes, backslashes or newlines: {value!r}")
    return value


def glue_table_input(name: str, location_uri: str, projection_start: str) -> dict[str, Any]:
    """The Glue `TableInput` (Glue API / CloudFormation `AWS::Glue::Table` shape) of a table.

    `location_uri` is the curated zone root (`s3://bucket/curated`); it may be a CDK token.
    `projection_start` (YYYY-MM-DD) is the first day partition projection enumerates.
    """
    table = TABLES[name]
    validate_projection_start(projection_start)
    return {
        "Name": table.name,
        "Description": table.comment,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": table_parameters(table.name, location_uri, projection_start),
        "PartitionKeys": [_glue_column(table.partition)],
        "StorageDescriptor": {
            "Columns": [_glue_column(column) for column in table.data_columns],
            "Location": table_location(location_uri, table.name),
            "InputFormat": PARQUET_INPUT_FORMAT,
            "OutputFormat": PARQUET_OUTPUT_FORMAT,
            "SerdeInfo": {
                "SerializationLibrary": PARQUET_SERDE,
                "Parameters": {"serialization.format": "1"},
            },
        },
    }


def _glue_column(column: Column) -> dict[str, str]:
    return {"Name": column.name, "Type": column.type, "Comment": column.comment}


def render_ddl(
    name: str,
    location_uri: str = LOCATION_PLACEHOLDER,
    projection_start: str = PROJECTION_START_PLACEHOLDER,
) -> str:
    """Athena `create external table if not exists` DDL of a table.

    With the default arguments the result is the template committed as `ddl/{name}.sql`
    (jinja placeholders); with real values it is the statement to run in Athena.
    """
    table = TABLES[name]
    if projection_start != PROJECTION_START_PLACEHOLDER:
        validate_projection_start(projection_start)
    _check_literal(location_uri, "location_uri")
    column_lines = ",\n".join(
        f"    {column.name} {column.type} comment '{_check_literal(column.comment, 'comment')}'"
        for column in table.data_columns
    )
    properties = ",\n".join(
        f"    '{key}' = '{value}'"
        for key, value in table_parameters(table.name, location_uri, projection_start).items()
        if key != "EXTERNAL"
    )
    partition = table.partition
    return (
        f"-- {table.name}: {table.grain}\n"
        "-- Generated from lake/tables.py by `python -m athena_views ddl --write`:\n"
        "-- edit lake/tables.py, not this file. Partition projection on dt: no MSCK, no crawler.\n"
        f"create external table if not exists {table.name} (\n"
        f"{column_lines}\n"
        ")\n"
        f"comment '{_check_literal(table.comment, 'comment')}'\n"
        f"partitioned by ({partition.name} {partition.type} comment '{partition.comment}')\n"
        f"row format serde '{PARQUET_SERDE}'\n"
        f"stored as inputformat '{PARQUET_INPUT_FORMAT}'\n"
        f"outputformat '{PARQUET_OUTPUT_FORMAT}'\n"
        f"location '{table_location(location_uri, table.name)}'\n"
        "tblproperties (\n"
        f"{properties}\n"
        ")\n"
    )


def ddl_path(name: str) -> Path:
    """Where the committed DDL template of a table lives."""
    return DDL_DIR / f"{name}.sql"


def write_ddl_files() -> list[Path]:
    """Regenerate `ddl/*.sql` from this module; returns the files written."""
    DDL_DIR.mkdir(exist_ok=True)
    written = []
    for name in TABLES:
        path = ddl_path(name)
        path.write_text(render_ddl(name), encoding="utf-8")
        written.append(path)
    return written
