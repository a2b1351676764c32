"""Deploying tables and views to Athena (moto); the runner's failures: test_views_runner.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from athena_views.deploy import deploy, table_statements, view_statements
from athena_views.sql import view_names

WORKGROUP = "telegram-lake"
DATABASE = "telegram_lake"


@pytest.fixture
def athena(aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("athena", region_name="us-east-1")
        client.create_work_group(
            Name=WORKGROUP,
            Configuration={"ResultConfiguration": {"OutputLocation": "s3://athena-results/"}},
        )
        yield client


def test_deploy_creates_every_view_in_order(athena: Any) -> None:
    sleeps: list[float] = []
    executed = deploy(
        workgroup=WORKGROUP,
        database=DATABASE,
        timezone="America/Sao_Paulo",
        client=athena,
        sleep=sleeps.append,
    )
    assert [item.statement.name for item in executed] == view_names()
    assert {"daily_activity", "membership_daily", "dau_wau_mau"} <= set(view_names())
    for item in executed:
        execution = athena.get_query_execution(QueryExecutionId=item.query_execution_id)
        query = execution["QueryExecution"]
        assert query["Query"] == item.statement.sql
        assert query["QueryExecutionContext"]["Database"] == DATABASE
        assert query["WorkGroup"] == WORKGROUP
        assert query["Status"]["State"] == "SUCCEEDED"
    first = executed[0].statement.sql
    assert first.startswith(f"create or replace view {executed[0].statement.name} as\n")
    stg_messages = next(i.statement.sql for i in executed if i.statement.name == "stg_messages")
    assert "at time zone 'America/Sao_Paulo'" in stg_messages
    assert "--" not in stg_messages
    assert sleeps == []  # moto answers SUCCEEDED at once: no polling wait


def test_deploy_with_tables_runs_table_ddl_first(athena: Any) -> None:
    executed = deploy(
        workgroup=WORKGROUP,
        database=DATABASE,
        with_tables=True,
        location_uri="s3://lake/curated",
        projection_start="2024-01-01",
        client=athena,
    )
    kinds = [(item.statement.kind, item.statement.name) for item in executed]
    assert kinds[:5] == [
        ("table", "messages"),
        ("table", "member_events"),
        ("table", "chat_migrations"),
        ("table", "reactions"),
        ("table", "join_requests"),
    ]
    assert kinds[5][0] == "view"
    assert executed[0].statement.sql.startswith("create external table if not exists messages (")
    assert "'projection.dt.range' = '2024-01-01,NOW'" in executed[0].statement.sql


def test_replace_tables_drops_then_creates() -> None:
    statements = table_statements("s3://lake/curated", "2024-01-01", replace=True)
    assert [(s.kind, s.name) for s in statements] == [
        ("drop_table", "messages"),
        ("table", "messages"),
        ("drop_table", "member_events"),
        ("table", "member_events"),
        ("drop_table", "chat_migrations"),
        ("table", "chat_migrations"),
        ("drop_table", "reactions"),
        ("table", "reactions"),
        ("drop_table", "join_requests"),
        ("table", "join_requests"),
    ]
    assert statements[0].sql == "drop table if exists messages"


def test_deploy_with_tables_needs_location_and_start() -> None:
    with pytest.raises(ValueError, match="location_uri"):
        deploy(workgroup=WORKGROUP, database=DATABASE, with_tables=True, client=object())


def test_view_statements_are_valid_for_every_timezone_given() -> None:
    statements = view_statements("Europe/Lisbon")
    assert all(s.kind == "view" for s in statements)
    assert all(s.sql.startswith(f"create or replace view {s.name} as\n") for s in statements)
