"""The Athena runner shared by the CLI deployer and the views custom resource.

moto's Athena for what reaches Athena; botocore's Stubber for the states moto never
returns (QUEUED, RUNNING, FAILED, CANCELLED).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from athena_views.runner import AthenaQueryError, run_query

WORKGROUP = "telegram-lake"
DATABASE = "telegram_lake"
SQL = "create or replace view v as select 1 as x"


@pytest.fixture
def athena(aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("athena", region_name="us-east-1")
        client.create_work_group(
            Name=WORKGROUP,
            Configuration={"ResultConfiguration": {"OutputLocation": "s3://athena-results/"}},
        )
        yield client


def test_runs_in_the_workgroup_database_and_catalog(athena: Any) -> None:
    sleeps: list[float] = []
    query_id = run_query(
        athena, SQL, workgroup=WORKGROUP, database=DATABASE, catalog="OtherCatalog",
        sleep=sleeps.append,
    )  # fmt: skip
    query = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
    assert query["Query"] == SQL
    assert query["WorkGroup"] == WORKGROUP
    assert query["QueryExecutionContext"] == {"Database": DATABASE, "Catalog": "OtherCatalog"}
    assert query["Status"]["State"] == "SUCCEEDED"
    assert sleeps == []  # moto answers SUCCEEDED at once: no polling wait


def test_output_location_only_when_given(athena: Any) -> None:
    given = run_query(
        athena, SQL, workgroup=WORKGROUP, database=DATABASE, output_location="s3://out/q/"
    )
    default = run_query(athena, SQL, workgroup=WORKGROUP, database=DATABASE)
    located = {
        query_id: athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        .get("ResultConfiguration", {})
        .get("OutputLocation", "")
        for query_id in (given, default)
    }
    assert located[given].startswith("s3://out/q/")
    assert not located[default].startswith("s3://out/")


def stubbed_client(states: list[dict[str, Any]]) -> tuple[Any, Stubber]:
    client = boto3.client(
        "athena",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stubber = Stubber(client)
    stubber.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q-1"},
        {
            "QueryString": SQL,
            "QueryExecutionContext": {"Database": DATABASE, "Catalog": "AwsDataCatalog"},
            "WorkGroup": WORKGROUP,
        },
    )
    for status in states:
        stubber.add_response(
            "get_query_execution",
            {"QueryExecution": {"QueryExecutionId": "q-1", "Status": status}},
            {"QueryExecutionId": "q-1"},
        )
    stubber.activate()
    return client, stubber


def test_failed_statement_raises_with_athenas_reason() -> None:
    reason = "line 1:8: mismatched input 'selec'. Expecting: 'SELECT'"
    client, stubber = stubbed_client(
        [
            {"State": "QUEUED"},
            {"State": "RUNNING"},
            {"State": "FAILED", "StateChangeReason": reason},
        ]
    )
    sleeps: list[float] = []
    with pytest.raises(AthenaQueryError) as raised:
        run_query(
            client, SQL, workgroup=WORKGROUP, database=DATABASE, poll_seconds=0.25,
            sleep=sleeps.append,
        )  # fmt: skip
    assert raised.value.state == "FAILED"
    assert raised.value.reason == reason
    assert raised.value.query_execution_id == "q-1"
    assert str(raised.value) == f"Athena query q-1 FAILED: {reason} [{SQL}]"
    assert sleeps == [0.25, 0.25]
    stubber.assert_no_pending_responses()


def test_without_a_state_change_reason_the_athena_error_is_reported() -> None:
    client, _ = stubbed_client(
        [{"State": "FAILED", "AthenaError": {"ErrorMessage": "TABLE_NOT_FOUND: x"}}]
    )
    with pytest.raises(AthenaQueryError, match="FAILED: TABLE_NOT_FOUND: x"):
        run_query(client, SQL, workgroup=WORKGROUP, database=DATABASE)


def test_cancelled_without_any_reason() -> None:
    client, _ = stubbed_client([{"State": "CANCELLED"}])
    with pytest.raises(AthenaQueryError, match="CANCELLED: no reason given"):
        run_query(client, SQL, workgroup=WORKGROUP, database=DATABASE)


def test_statement_still_running_after_the_timeout_raises() -> None:
    client, stubber = stubbed_client([{"State": "RUNNING"}, {"State": "RUNNING"}])
    ticks = iter([0.0, 5.0, 11.0])
    with pytest.raises(AthenaQueryError, match="RUNNING: still RUNNING after 10 s"):
        run_query(
            client, SQL, workgroup=WORKGROUP, database=DATABASE, timeout_seconds=10,
            sleep=lambda _: None, clock=lambda: next(ticks),
        )  # fmt: skip
    stubber.assert_no_pending_responses()


def test_no_time_left_still_reads_the_state_once() -> None:
    # A statement that finished at once succeeds even when no time was left to wait.
    client, stubber = stubbed_client([{"State": "SUCCEEDED"}])
    assert run_query(client, SQL, workgroup=WORKGROUP, database=DATABASE, timeout_seconds=0)
    stubber.assert_no_pending_responses()
