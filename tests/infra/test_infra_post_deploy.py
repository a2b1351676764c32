"""Post-deploy helper: stack outputs -> telegram_admin set-webhook; Glue backfill runs.

CloudFormation is stubbed with botocore's Stubber (moto cannot hold a CDK stack's outputs
without deploying it); Secrets Manager and Glue calls are faked or mocked with moto.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from infra import post_deploy

STACK = "telegram-lake"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:IngestWebhookSecret-AbCdEf"
URL = "https://abcdefghijklmnop.lambda-url.us-east-1.on.aws/"


def cloudformation_with_outputs(outputs: dict[str, str]) -> tuple[Any, Stubber]:
    client = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stubber = Stubber(client)
    stubber.add_response(
        "describe_stacks",
        {
            "Stacks": [
                {
                    "StackName": STACK,
                    "CreationTime": "2026-01-01T00:00:00Z",
                    "StackStatus": "CREATE_COMPLETE",
                    "Outputs": [
                        {"OutputKey": key, "OutputValue": value} for key, value in outputs.items()
                    ],
                }
            ]
        },
        {"StackName": STACK},
    )
    stubber.activate()
    return client, stubber


class FakeSecrets:
    def __init__(self, value: str) -> None:
        self.value = value
        self.asked: list[str] = []

    def get_secret_value(self, SecretId: str) -> dict[str, str]:  # noqa: N803
        self.asked.append(SecretId)
        return {"SecretString": self.value}


class FakeRun:
    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, str]]] = []

    def __call__(self, argv: list[str], *, env: dict[str, str], check: bool) -> Any:
        self.calls.append((argv, env))
        return subprocess.CompletedProcess(argv, 0)


def test_set_webhook_passes_url_and_secret_to_telegram_admin() -> None:
    cloudformation, stubber = cloudformation_with_outputs(
        {"WebhookUrl": URL, "WebhookSecretArn": SECRET_ARN, "GlueJobName": "telegram-lake-etl"}
    )
    secrets = FakeSecrets("s3cr3t-TOKEN_value\n")
    run = FakeRun()
    environ = {
        "TELEGRAM_BOT_TOKEN": "123456:ABCDEF",
        "WEBHOOK_SECRET_PARAM": "/old/param",
        "PATH": "/usr/bin",
    }
    code = post_deploy.set_webhook(
        cloudformation=cloudformation,
        secretsmanager=secrets,
        stack_name=STACK,
        environ=environ,
        max_connections=10,
        run=run,
    )
    assert code == 0
    stubber.assert_no_pending_responses()
    assert secrets.asked == [SECRET_ARN]
    ((argv, env),) = run.calls
    assert argv == [
        sys.executable,
        "-m",
        "devtools.telegram_admin",
        "set-webhook",
        "--url",
        URL,
        "--max-connections",
        "10",
    ]
    assert env["WEBHOOK_SECRET"] == "s3cr3t-TOKEN_value"
    assert env["TELEGRAM_BOT_TOKEN"] == "123456:ABCDEF"
    assert env["PATH"] == "/usr/bin"
    assert "WEBHOOK_SECRET_PARAM" not in env


def test_set_webhook_needs_the_bot_token() -> None:
    cloudformation, _ = cloudformation_with_outputs(
        {"WebhookUrl": URL, "WebhookSecretArn": SECRET_ARN}
    )
    with pytest.raises(post_deploy.PostDeployError, match="TELEGRAM_BOT_TOKEN"):
        post_deploy.set_webhook(
            cloudformation=cloudformation,
            secretsmanager=FakeSecrets("x"),
            stack_name=STACK,
            environ={},
            run=FakeRun(),
        )


def test_missing_output_is_explained() -> None:
    cloudformation, _ = cloudformation_with_outputs({"WebhookUrl": URL})
    with pytest.raises(post_deploy.PostDeployError, match="no output 'WebhookSecretArn'"):
        post_deploy.set_webhook(
            cloudformation=cloudformation,
            secretsmanager=FakeSecrets("x"),
            stack_name=STACK,
            environ={"TELEGRAM_BOT_TOKEN": "1:A"},
            run=FakeRun(),
        )


def test_missing_stack_is_explained() -> None:
    client = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stubber = Stubber(client)
    stubber.add_client_error(
        "describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist"
    )
    stubber.activate()
    with pytest.raises(post_deploy.PostDeployError, match="deployed\\? right region"):
        post_deploy.stack_outputs(client, STACK)


def test_read_secret_from_secrets_manager(aws_credentials: None) -> None:
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        arn = client.create_secret(Name="webhook", SecretString="abcDEF123_-")["ARN"]
        assert post_deploy.read_secret(client, arn) == "abcDEF123_-"


class FakeGlue:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def start_job_run(self, **kwargs: Any) -> dict[str, str]:
        self.calls.append(kwargs)
        return {"JobRunId": "jr_0123"}


def test_start_job_backfill_window() -> None:
    cloudformation, _ = cloudformation_with_outputs({"GlueJobName": "telegram-lake-etl"})
    glue = FakeGlue()
    run_id = post_deploy.start_job(
        cloudformation=cloudformation,
        glue=glue,
        stack_name=STACK,
        start_date="2026-01-01",
        end_date="2026-01-31",
    )
    assert run_id == "jr_0123"
    assert glue.calls == [
        {
            "JobName": "telegram-lake-etl",
            "Arguments": {"--start_date": "2026-01-01", "--end_date": "2026-01-31"},
        }
    ]


def test_start_job_without_dates_uses_the_jobs_default_window() -> None:
    cloudformation, _ = cloudformation_with_outputs({"GlueJobName": "telegram-lake-etl"})
    glue = FakeGlue()
    post_deploy.start_job(cloudformation=cloudformation, glue=glue, stack_name=STACK)
    assert glue.calls == [{"JobName": "telegram-lake-etl", "Arguments": {}}]


def test_start_job_refuses_half_a_window() -> None:
    cloudformation, _ = cloudformation_with_outputs({"GlueJobName": "telegram-lake-etl"})
    with pytest.raises(post_deploy.PostDeployError, match="both"):
        post_deploy.start_job(
            cloudformation=cloudformation,
            glue=FakeGlue(),
            stack_name=STACK,
            start_date="2026-01-01",
        )


def test_default_stack_name_follows_cdk_json_then_env(tmp_path: Path) -> None:
    cdk_json = tmp_path / "cdk.json"
    cdk_json.write_text('{"app": "x", "context": {"project_name": "from-cdk-json"}}', "utf-8")
    env = {"TELEGRAM_LAKE_PROJECT_NAME": "from-env"}
    assert post_deploy.default_stack_name(env, cdk_json) == "from-cdk-json"
    assert post_deploy.default_stack_name(env, tmp_path / "missing.json") == "from-env"
    assert post_deploy.default_stack_name({}, tmp_path / "missing.json") == "telegram-lake"
