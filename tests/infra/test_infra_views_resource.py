"""The Athena-views custom resource handler: a fake Athena client and response URL, moto's
Athena, and its staged Lambda asset run on its own.

The request/response documents follow CloudFormation's custom resource contract (fields
RequestType, ResponseURL, StackId, RequestId, LogicalResourceId, PhysicalResourceId,
ResourceProperties, OldResourceProperties; response Status/Reason/PhysicalResourceId/Data).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.assets import stage_assets
from infra.runtime import athena_views_resource as resource

PROPS: dict[str, Any] = {
    "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:views",
    "WorkGroup": "telegram-lake",
    "Database": "telegram_lake",
    "Catalog": "AwsDataCatalog",
    "Views": [
        {"Name": "stg_messages", "Sql": "create or replace view stg_messages as select 1 as a"},
        {"Name": "daily_activity", "Sql": "create or replace view daily_activity as select 2"},
    ],
}


class FakeAthena:
    """Records statements; each query is RUNNING once, then ends in `outcome(sql)`."""

    def __init__(self, failing: str | None = None) -> None:
        self.statements: list[dict[str, Any]] = []
        self._failing = failing
        self._polls: dict[str, int] = {}

    def start_query_execution(self, **kwargs: Any) -> dict[str, str]:
        self.statements.append(kwargs)
        query_id = f"q{len(self.statements)}"
        self._polls[query_id] = 0
        return {"QueryExecutionId": query_id}

    def get_query_execution(self, QueryExecutionId: str) -> dict[str, Any]:  # noqa: N803
        self._polls[QueryExecutionId] += 1
        if self._polls[QueryExecutionId] == 1:
            return {"QueryExecution": {"Status": {"State": "RUNNING"}}}
        sql = self.statements[int(QueryExecutionId[1:]) - 1]["QueryString"]
        if self._failing and self._failing in sql:
            return {
                "QueryExecution": {
                    "Status": {
                        "State": "FAILED",
                        "StateChangeReason": "line 1:8: Table 'x' does not exist",
                    }
                }
            }
        return {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}}

    @property
    def sql(self) -> list[str]:
        return [statement["QueryString"] for statement in self.statements]


def event(request_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "ResponseURL": "https://cloudformation-custom-resource-response.example/presigned",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/telegram-lake/guid",
        "RequestId": "unique-request-id",
        "ResourceType": "Custom::AthenaViews",
        "LogicalResourceId": "CatalogViewsF9423711",
        "ResourceProperties": PROPS,
        **extra,
    }


def plenty() -> float:
    return 60.0


def no_sleep(_: float) -> None:
    return None


def test_create_runs_every_statement_in_order_and_waits() -> None:
    athena = FakeAthena()
    data = resource.handle(event("Create"), athena, seconds_left=plenty, sleep=no_sleep)
    assert athena.sql == [
        "create or replace view stg_messages as select 1 as a",
        "create or replace view daily_activity as select 2",
    ]
    for statement in athena.statements:
        assert statement["WorkGroup"] == "telegram-lake"
        assert statement["QueryExecutionContext"] == {
            "Database": "telegram_lake",
            "Catalog": "AwsDataCatalog",
        }
    assert data == {"Views": "stg_messages,daily_activity"}


def test_a_failing_view_fails_with_athenas_reason_and_stops() -> None:
    athena = FakeAthena(failing="stg_messages")
    with pytest.raises(resource.ViewDeployError, match=r"view stg_messages: .*does not exist"):
        resource.handle(event("Create"), athena, seconds_left=plenty, sleep=no_sleep)
    assert len(athena.sql) == 1


def test_update_drops_views_that_left_the_list() -> None:
    old = {**PROPS, "Views": [*PROPS["Views"], {"Name": "old_view", "Sql": "create ..."}]}
    athena = FakeAthena()
    resource.handle(
        event("Update", PhysicalResourceId="telegram-lake/telegram_lake/views",
              OldResourceProperties=old),
        athena,
        seconds_left=plenty,
        sleep=no_sleep,
    )  # fmt: skip
    assert athena.sql[-1] == 'DROP VIEW IF EXISTS "old_view"'
    assert len(athena.sql) == 3


def test_delete_drops_in_reverse_order() -> None:
    athena = FakeAthena()
    resource.handle(
        event("Delete", PhysicalResourceId="telegram-lake/telegram_lake/views"),
        athena,
        seconds_left=plenty,
        sleep=no_sleep,
    )
    assert athena.sql == [
        'DROP VIEW IF EXISTS "daily_activity"',
        'DROP VIEW IF EXISTS "stg_messages"',
    ]


def test_no_time_left_stops_waiting() -> None:
    class Stuck(FakeAthena):
        def get_query_execution(self, QueryExecutionId: str) -> dict[str, Any]:  # noqa: N803
            return {"QueryExecution": {"Status": {"State": "RUNNING"}}}

    with pytest.raises(
        resource.ViewDeployError, match="view stg_messages: Athena query q1 RUNNING: still RUNNING"
    ):
        resource.handle(event("Create"), Stuck(), seconds_left=lambda: 0.0, sleep=no_sleep)


def test_statements_wait_for_the_functions_time_less_the_response_margin() -> None:
    class Context:
        def __init__(self) -> None:
            self.remaining_ms = [300_000, 20_000, 10_000]

        def get_remaining_time_in_millis(self) -> int:
            return self.remaining_ms.pop(0)

    seconds_left = resource.time_budget(Context())
    assert [seconds_left(), seconds_left(), seconds_left()] == [285.0, 5.0, -5.0]


def test_with_moto_every_view_runs_in_the_workgroup(aws_credentials: None) -> None:
    with mock_aws():
        athena = boto3.client("athena", region_name="us-east-1")
        athena.create_work_group(
            Name="telegram-lake",
            Configuration={"ResultConfiguration": {"OutputLocation": "s3://athena-results/"}},
        )
        data = resource.handle(event("Create"), athena, seconds_left=plenty, sleep=no_sleep)
        ids = athena.list_query_executions(WorkGroup="telegram-lake")["QueryExecutionIds"]
        queries = [
            athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
            for query_id in ids
        ]
    assert data == {"Views": "stg_messages,daily_activity"}
    assert sorted(query["Query"] for query in queries) == sorted(
        view["Sql"] for view in PROPS["Views"]
    )
    for query in queries:
        assert query["QueryExecutionContext"]["Database"] == "telegram_lake"
        assert query["Status"]["State"] == "SUCCEEDED"


# Imports the staged handler with only the asset (and the Lambda runtime's stdlib + boto3)
# to import from, and prints every loaded module that came from anywhere else. `-B`: the
# shared staged asset must not gain a __pycache__ (it would change the asset hash).
IMPORT_ALONE = """
import json, sys, sysconfig
asset = sys.argv[1]
sys.path.insert(0, asset)
import athena_views_resource
allowed = (asset, *sysconfig.get_paths().values())
print(json.dumps({
    "outside": sorted(
        name for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None) and not module.__file__.startswith(allowed)
    ),
    "runner": sys.modules["athena_views.runner"].__file__,
}))
"""


def test_the_lambda_asset_holds_the_handler_and_the_runner_only(tmp_path: Path) -> None:
    views_dir = stage_assets().views_handler_dir
    files = sorted(p.relative_to(views_dir).as_posix() for p in views_dir.rglob("*.py"))
    assert files == [
        "athena_views/__init__.py",
        "athena_views/runner.py",
        "athena_views_resource.py",
    ]
    result = subprocess.run(
        [sys.executable, "-I", "-B", "-c", IMPORT_ALONE, str(views_dir)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(result.stdout)
    assert loaded["outside"] == []
    assert loaded["runner"] == str(views_dir / "athena_views" / "runner.py")


class Recorder:
    def __init__(self) -> None:
        self.requests: list[Any] = []

    def __call__(self, request: Any, timeout: float) -> Any:
        self.requests.append(request)

        class Response:
            def __enter__(self) -> Response:
                return self

            def __exit__(self, *exc: object) -> None:
                return None

            def read(self) -> bytes:
                return b""

        return Response()


def test_response_document() -> None:
    opener = Recorder()
    resource.send_response(event("Create"), "SUCCESS", data={"Views": "a"}, opener=opener)
    (request,) = opener.requests
    assert request.get_method() == "PUT"
    assert request.full_url == "https://cloudformation-custom-resource-response.example/presigned"
    body = json.loads(request.data)
    assert body == {
        "Status": "SUCCESS",
        "Reason": "see the function's CloudWatch log",
        "PhysicalResourceId": "telegram-lake/telegram_lake/views",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/telegram-lake/guid",
        "RequestId": "unique-request-id",
        "LogicalResourceId": "CatalogViewsF9423711",
        "Data": {"Views": "a"},
    }


def test_failed_update_keeps_the_known_physical_id() -> None:
    opener = Recorder()
    moved = {**PROPS, "Database": "other_db"}
    resource.send_response(
        {**event("Update", PhysicalResourceId="telegram-lake/telegram_lake/views"),
         "ResourceProperties": moved},
        "FAILED",
        reason="view x: boom",
        opener=opener,
    )  # fmt: skip
    body = json.loads(opener.requests[0].data)
    assert body["Status"] == "FAILED"
    assert body["Reason"] == "view x: boom"
    assert body["PhysicalResourceId"] == "telegram-lake/telegram_lake/views"
