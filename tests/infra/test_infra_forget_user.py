"""post_deploy forget-user: the ids travel in a request object, never in the job's arguments.

CloudFormation is stubbed with botocore's Stubber (moto cannot hold a CDK stack's outputs
without deploying it); S3 and Glue are moto's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto import mock_aws
from moto.moto_api import state_manager

from infra import post_deploy

STACK = "telegram-lake"
BUCKET = "curated-bucket"
OUTPUTS = {
    "ErasureJobName": "telegram-lake-forget-users",
    "GlueJobName": "telegram-lake-etl",
    "CuratedUri": f"s3://{BUCKET}/curated",
}
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def cloudformation(outputs: dict[str, str]) -> Any:
    client = boto3.client("cloudformation", region_name="us-east-1")
    stubber = Stubber(client)
    stubber.add_response(
        "describe_stacks",
        {
            "Stacks": [
                {
                    "StackName": STACK,
                    "CreationTime": "2026-01-01T00:00:00Z",
                    "StackStatus": "CREATE_COMPLETE",
                    "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()],
                }
            ]
        },
        {"StackName": STACK},
    )
    stubber.activate()
    return client


@pytest.fixture
def aws(aws_credentials: None) -> Iterator[tuple[Any, Any]]:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        glue = boto3.client("glue", region_name="us-east-1")
        for name in ("telegram-lake-etl", "telegram-lake-forget-users"):
            glue.create_job(
                Name=name, Role="role", Command={"Name": "glueetl", "ScriptLocation": "s3://x/y"}
            )
        yield s3, glue


def requests(s3: Any) -> dict[str, Any]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="curated/_privacy/requests/")
    return {
        item["Key"]: json.loads(s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read())
        for item in listed.get("Contents", [])
    }


def test_forget_user_writes_a_request_and_starts_the_job_with_its_uri(aws: Any) -> None:
    s3, glue = aws
    started = post_deploy.forget_user(
        cloudformation=cloudformation(OUTPUTS),
        glue=glue,
        s3=s3,
        stack_name=STACK,
        user_ids="4242424242, 17",
        now=NOW,
    )
    stored = requests(s3)
    assert len(stored) == 1
    ((key, document),) = stored.items()
    assert document == {"user_ids": [17, 4242424242]}
    assert key.startswith("curated/_privacy/requests/20261120T093000Z-")
    assert started["request"] == f"s3://{BUCKET}/{key}"
    erasure_id = key.rsplit("/", 1)[-1].removesuffix(".json")
    assert started["audit_record"] == f"s3://{BUCKET}/curated/_privacy/audit/{erasure_id}.json"
    run = glue.get_job_run(JobName="telegram-lake-forget-users", RunId=started["JobRunId"])
    arguments = run["JobRun"]["Arguments"]
    assert arguments == {"--user_ids_uri": started["request"], "--erasure_id": erasure_id}
    assert "4242424242" not in json.dumps(run["JobRun"], default=str)


def test_forget_user_refuses_bad_ids_before_anything(aws: Any) -> None:
    s3, glue = aws
    for bad in ("abc", "12,-3", "", "777000"):
        with pytest.raises(post_deploy.PostDeployError):
            post_deploy.forget_user(
                cloudformation=cloudformation(OUTPUTS),
                glue=glue,
                s3=s3,
                stack_name=STACK,
                user_ids=bad,
            )
    assert requests(s3) == {}
    assert glue.get_job_runs(JobName="telegram-lake-forget-users")["JobRuns"] == []


def test_forget_user_waits_for_a_running_etl(aws: Any) -> None:
    s3, glue = aws
    state_manager.set_transition(
        model_name="glue::job_run", transition={"progression": "manual", "times": 1000}
    )
    try:
        glue.start_job_run(JobName="telegram-lake-etl")
        with pytest.raises(post_deploy.PostDeployError, match="is running"):
            post_deploy.forget_user(
                cloudformation=cloudformation(OUTPUTS),
                glue=glue,
                s3=s3,
                stack_name=STACK,
                user_ids="4242424242",
            )
    finally:
        state_manager.unset_transition("glue::job_run")
    assert requests(s3) == {}
    assert glue.get_job_runs(JobName="telegram-lake-forget-users")["JobRuns"] == []


def test_a_request_that_cannot_start_is_deleted(aws: Any) -> None:
    s3, glue = aws
    outputs = {**OUTPUTS, "ErasureJobName": "no-such-job"}
    with pytest.raises(ClientError, match="EntityNotFound"):
        post_deploy.forget_user(
            cloudformation=cloudformation(outputs),
            glue=glue,
            s3=s3,
            stack_name=STACK,
            user_ids="4242424242",
        )
    assert requests(s3) == {}


def test_forget_user_command_line(aws: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    s3, glue = aws
    clients = {"cloudformation": cloudformation(OUTPUTS), "glue": glue, "s3": s3}
    monkeypatch.setattr(
        post_deploy, "_clients", lambda region, *names: [clients[name] for name in names]
    )
    code = post_deploy.main(
        ["--stack-name", STACK, "forget-user", "--user-ids", "4242424242"], environ={}
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"JobRunId", "request", "audit_record"}
    assert "4242424242" not in json.dumps(printed)
