"""The curated tables as Athena sees them: columns, partition projection, DDL, Glue TableInput.

Single source for the table definitions of the curated zone (`messages`, `member_events`,
written by the Glue job as Parquet under `{curated_uri}/{table}/dt=YYYY-MM-DD/`):

- `athena_views/ddl/{table}.sql` (Athena `create external table`) is rendered from here
  (`python -m athena_views ddl --write` regenerates the files; a test keeps them in sync);
- the CDK app builds its Glue tables with `glue_table_input(...)`;
- the local DuckDB runner types the Parquet columns with `duckdb_type(...)`.

Reads and writes nothing by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

DDL_DIR = Path(__file__).resolve().parent / "ddl"

PARTITION_COLUMN = "dt"
PARTITION_TYPE = "date"
PARTITION_FORMAT = "yyyy-MM-dd"

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


@dataclass(frozen=True)
class Column:
    """One column: name, Athena (Hive DDL) type and the comment stored in the catalog."""

    name: str
    type: str
    comment: str


@dataclass(frozen=True)
class Table:
    """A curated table: its data columns (without the partition column) and description."""

    name: str
    grain: str
    comment: str
    columns: tuple[Column, ...]
    partition: Column

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """Data columns followed by the partition column, as a query over the table sees them."""
        return (*self.columns, self.partition)


MESSAGES = Table(
    name="messages",
    grain="one row per message (chat_id, message_id), its latest known version",
    comment="Telegram messages, latest version per (chat_id, message_id); dt = UTC send date",
    columns=(
        Column("chat_id", "bigint", "chat.id"),
        Column("message_id", "bigint", "message.message_id"),
        Column("message_thread_id", "bigint", "forum topic id (message_thread_id), null if none"),
        Column("update_id", "bigint", "update that produced the kept version"),
        Column("sent_at", "timestamp", "original date of the message (UTC)"),
        Column("edited_at", "timestamp", "edit_date of the kept version (UTC), null if never"),
        Column("edit_count", "int", "number of distinct edit updates seen for this message"),
        Column("chat_type", "string", "private, group, supergroup or channel"),
        Column("chat_title", "string", "chat.title"),
        Column("user_id", "bigint", "from.id, null for channel posts without from"),
        Column("user_is_bot", "boolean", "from.is_bot"),
        Column("user_first_name", "string", "from.first_name"),
        Column("user_last_name", "string", "from.last_name"),
        Column("user_username", "string", "from.username"),
        Column("user_language_code", "string", "from.language_code"),
        Column("sender_chat_id", "bigint", "sender_chat.id (anonymous admins, channels)"),
        Column(
            "content_type",
            "string",
            "text, photo, video, animation, audio, voice, video_note, document, sticker, "
            "location, venue, contact, poll, dice, story or other",
        ),
        Column("text", "string", "text or caption"),
        Column("text_length", "int", "characters in text (0 when null)"),
        Column("word_count", "int", "whitespace-separated words in text (0 when null)"),
        Column(
            "reply_to_message_id",
            "bigint",
            "reply_to_message.message_id; null for the implicit reply to a forum topic root",
        ),
        Column("is_forwarded", "boolean", "forward_origin (or legacy forward_date) present"),
        Column(
            "forward_origin_type", "string", "forward_origin.type: user, hidden_user, chat, channel"
        ),
        Column("is_channel_post", "boolean", "came from channel_post or edited_channel_post"),
        Column("media_group_id", "string", "album id"),
    ),
    partition=Column(PARTITION_COLUMN, PARTITION_TYPE, "UTC date of sent_at"),
)

MEMBER_EVENTS = Table(
    name="member_events",
    grain="one row per member change (join, leave, other) seen in a chat",
    comment="Telegram member joins and leaves; dt = UTC date of occurred_at",
    columns=(
        Column("chat_id", "bigint", "chat.id"),
        Column("user_id", "bigint", "the member who joined or left"),
        Column("event", "string", "join, leave or other"),
        Column("occurred_at", "timestamp", "message.date or chat_member.date (UTC)"),
        Column("source", "string", "new_chat_members, left_chat_member or chat_member"),
        Column("update_id", "bigint", "update that carried the change"),
        Column("user_is_bot", "boolean", "the member is a bot"),
        Column("user_first_name", "string", "the member first_name"),
        Column("user_username", "string", "the member username"),
        Column("old_status", "string", "chat_member only: old_chat_member.status"),
        Column("new_status", "string", "chat_member only: new_chat_member.status"),
    ),
    partition=Column(PARTITION_COLUMN, PARTITION_TYPE, "UTC date of occurred_at"),
)

TABLES: dict[str, Table] = {table.name: table for table in (MESSAGES, MEMBER_EVENTS)}


def duckdb_type(athena_type: str) -> str:
    """The DuckDB type that holds values of an Athena (Hive DDL) column type."""
    return _DUCKDB_TYPES[athena_type]


def table_location(location_uri: str, table: str) -> str:
    """`{location_uri}/{table}/`: where the Glue job writes the table (any scheme)."""
    return f"{location_uri.rstrip('/')}/{table}/"


def projection_properties(table: str, location_uri: str, projection_start: str) -> dict[str, str]:
    """Athena partition projection on `dt`: a date per day from `projection_start` to NOW.

    Projection replaces MSCK REPAIR / crawlers: Athena computes the partition list from
    these properties, and a `dt` predicate limits it to the days asked for.
    """
    return {
        "projection.enabled": "true",
        f"projection.{PARTITION_COLUMN}.type": "date",
        f"projection.{PARTITION_COLUMN}.format": PARTITION_FORMAT,
        f"projection.{PARTITION_COLUMN}.range": f"{projection_start},NOW",
        f"projection.{PARTITION_COLUMN}.interval": "1",
        f"projection.{PARTITION_COLUMN}.interval.unit": "DAYS",
        "storage.location.template": (
            f"{table_location(location_uri, table)}{PARTITION_COLUMN}=${{{PARTITION_COLUMN}}}/"
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
            "Columns": [_glue_column(column) for column in table.columns],
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
        for column in table.columns
    )
    properties = ",\n".join(
        f"    '{key}' = '{value}'"
        for key, value in table_parameters(table.name, location_uri, projection_start).items()
        if key != "EXTERNAL"
    )
    partition = table.partition
    return (
        f"-- {table.name}: {table.grain}\n"
        "-- Generated from athena_views/tables.py by `python -m athena_views ddl --write`:\n"
        "-- edit tables.py, not this file. Partition projection on dt: no MSCK, no crawler.\n"
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
