"""Create or update the curated tables and the views in Athena.

Reads the table definitions (`athena_views.tables`) and the view SQL (`athena_views.sql`);
writes to the Glue Data Catalog through Athena DDL: `create external table if not exists`
for `messages` / `member_events` (optional: the CDK app usually creates them as Glue tables)
and `create or replace view` for every view, in dependency order, each statement run and
waited for by `athena_views.runner` (the same runner the stack's custom resource uses).

Usage from Python (a CI step, a notebook):

    from athena_views.deploy import deploy
    deploy(workgroup="telegram-lake", database="telegram_lake", timezone="America/Sao_Paulo")

or `python -m athena_views deploy --workgroup W --database D [--timezone TZ]
[--with-tables --location-uri s3://bucket/curated --projection-start 2024-01-01]`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3

from athena_views.runner import (
    DEFAULT_POLL_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    run_query,
)
from athena_views.sql import (
    DEFAULT_TIMEZONE,
    create_view_statement,
    load_views,
    strip_comment_lines,
)
from athena_views.tables import TABLES, render_ddl


@dataclass(frozen=True)
class Statement:
    """One DDL statement to run: what it creates (kind + name) and its SQL."""

    kind: str
    name: str
    sql: str


@dataclass(frozen=True)
class Executed:
    """A statement that ran successfully, with its Athena query execution id."""

    statement: Statement
    query_execution_id: str


def table_statements(
    location_uri: str, projection_start: str, *, replace: bool = False
) -> list[Statement]:
    """DDL of the curated tables (partition projection from `projection_start` to NOW).

    `create external table if not exists` leaves an existing table untouched; with
    `replace=True` each table is dropped first (external: the data stays in S3, and with
    partition projection there are no partitions to lose) so that new columns apply.
    """
    statements = []
    for name in TABLES:
        if replace:
            statements.append(Statement("drop_table", name, f"drop table if exists {name}"))
        ddl = strip_comment_lines(render_ddl(name, location_uri, projection_start))
        statements.append(Statement("table", name, ddl.strip()))
    return statements


def view_statements(timezone: str = DEFAULT_TIMEZONE) -> list[Statement]:
    """`create or replace view` for every view, in dependency order, for a timezone."""
    return [
        Statement("view", name, create_view_statement(name, select_sql))
        for name, select_sql in load_views(timezone)
    ]


def deploy(
    *,
    workgroup: str,
    database: str,
    timezone: str = DEFAULT_TIMEZONE,
    with_tables: bool = False,
    location_uri: str | None = None,
    projection_start: str | None = None,
    replace_tables: bool = False,
    output_location: str | None = None,
    client: Any = None,
    region_name: str | None = None,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Executed]:
    """Create/update (tables and) views in Athena; returns what ran, in order.

    Stops at the first failing statement (raises `athena_views.runner.AthenaQueryError`):
    later views may depend on it.
    With `with_tables`, `location_uri` (curated zone root) and `projection_start` are needed.
    """
    statements: list[Statement] = []
    if with_tables:
        if not location_uri or not projection_start:
            raise ValueError("with_tables needs location_uri and projection_start")
        statements.extend(table_statements(location_uri, projection_start, replace=replace_tables))
    statements.extend(view_statements(timezone))
    if client is None:
        client = boto3.client("athena", region_name=region_name)
    executed = []
    for statement in statements:
        query_execution_id = run_query(
            client,
            statement.sql,
            workgroup=workgroup,
            database=database,
            output_location=output_location,
            poll_seconds=poll_seconds,
            timeout_seconds=timeout_seconds,
            sleep=sleep,
        )
        executed.append(Executed(statement, query_execution_id))
    return executed
