"""After `cdk deploy`: wire the Telegram bot to the deployed webhook, run or inspect the job.

Reads the stack's CloudFormation outputs (boto3 `describe_stacks`) and the webhook secret
(Secrets Manager `get_secret_value`); env TELEGRAM_BOT_TOKEN for the Bot API. Writes
nothing itself: `set-webhook` runs `python -m devtools.telegram_admin set-webhook` with
WEBHOOK_SECRET in the child's environment only; `start-job` starts one Glue run.

    python -m infra.post_deploy outputs     [--stack-name NAME] [--region R]
    python -m infra.post_deploy set-webhook [--stack-name NAME] [--region R]
                                            [--max-connections N] [--drop-pending-updates]
    python -m infra.post_deploy webhook-info [--stack-name NAME] [--region R]
    python -m infra.post_deploy start-job   [--start-date D --end-date D] [--stack-name ...]
    python -m infra.post_deploy forget-user --user-ids ID[,ID...] [--stack-name ...]

`forget-user` writes the ids to an erasure request object in the curated bucket
(`_privacy/requests/`, see lake.zones) and starts the erasure job with that object's URI,
so that the ids never appear in the job run's arguments (which Glue keeps); the job deletes
the request when the erasure is complete. It refuses while an ETL run is going.

The secret is never printed. The stack name defaults to the config's project name.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import boto3

from glue_jobs.config import new_run_id
from glue_jobs.erasure.config import ErasureInputError, parse_user_ids
from infra import outputs
from infra.config import LakeConfig
from ingest_lambda.settings import WEBHOOK_SECRET, WEBHOOK_SECRET_PARAM
from lake.uri import split_s3_uri
from lake.zones import audit_uri, erasure_request_uri

ADMIN_MODULE = "devtools.telegram_admin"
TELEGRAM_BOT_TOKEN = "TELEGRAM_BOT_TOKEN"
CDK_JSON = Path(__file__).resolve().parent / "cdk.json"

Runner = Callable[..., subprocess.CompletedProcess[Any]]
#: Glue run states of a run that has not ended.
ACTIVE_RUN_STATES = frozenset({"STARTING", "RUNNING", "STOPPING", "WAITING"})


class PostDeployError(RuntimeError):
    """Something the operator must fix (message says what)."""


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    """The stack's outputs as {OutputKey: OutputValue}."""
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except Exception as exc:  # botocore ClientError: stack missing, no credentials, ...
        raise PostDeployError(
            f"cannot read stack {stack_name!r}: {exc} (deployed? right region/profile?)"
        ) from exc
    if not stacks:
        raise PostDeployError(f"stack {stack_name!r} not found")
    return {item["OutputKey"]: item["OutputValue"] for item in stacks[0].get("Outputs", [])}


def require(values: Mapping[str, str], key: str, stack_name: str) -> str:
    value = values.get(key)
    if not value:
        raise PostDeployError(f"stack {stack_name!r} has no output {key!r} (old stack?)")
    return value


def read_secret(secretsmanager: Any, secret_id: str) -> str:
    """The webhook secret (SecretString), stripped; never logged."""
    value = secretsmanager.get_secret_value(SecretId=secret_id).get("SecretString") or ""
    value = value.strip()
    if not value:
        raise PostDeployError(f"the secret {secret_id!r} is empty")
    return value


def admin_command(
    command: str,
    *,
    url: str | None = None,
    max_connections: int | None = None,
    drop_pending_updates: bool = False,
) -> list[str]:
    """argv of the telegram_admin CLI, run with this interpreter."""
    argv = [sys.executable, "-m", ADMIN_MODULE, command]
    if url is not None:
        argv += ["--url", url]
    if max_connections is not None:
        argv += ["--max-connections", str(max_connections)]
    if drop_pending_updates:
        argv.append("--drop-pending-updates")
    return argv


def admin_environment(base: Mapping[str, str], secret: str) -> dict[str, str]:
    """Child env: the caller's, plus WEBHOOK_SECRET; WEBHOOK_SECRET_PARAM removed (one source)."""
    if not base.get(TELEGRAM_BOT_TOKEN):
        raise PostDeployError(
            f"set {TELEGRAM_BOT_TOKEN} (from @BotFather) in the environment first"
        )
    env = {key: value for key, value in base.items() if key != WEBHOOK_SECRET_PARAM}
    env[WEBHOOK_SECRET] = secret
    return env


def set_webhook(
    *,
    cloudformation: Any,
    secretsmanager: Any,
    stack_name: str,
    environ: Mapping[str, str],
    max_connections: int | None = None,
    drop_pending_updates: bool = False,
    run: Runner = subprocess.run,
) -> int:
    """setWebhook(url = the stack's Function URL, secret_token = the stack's secret)."""
    values = stack_outputs(cloudformation, stack_name)
    url = require(values, outputs.WEBHOOK_URL, stack_name)
    secret = read_secret(secretsmanager, require(values, outputs.WEBHOOK_SECRET_ARN, stack_name))
    env = admin_environment(environ, secret)
    argv = admin_command(
        "set-webhook",
        url=url,
        max_connections=max_connections,
        drop_pending_updates=drop_pending_updates,
    )
    return run(argv, env=env, check=False).returncode


def start_job(
    *,
    cloudformation: Any,
    glue: Any,
    stack_name: str,
    start_date: str | None = None,
    end_date: str | None = None,
) -> str:
    """Start one Glue run (a backfill when dates are given); returns the run id."""
    values = stack_outputs(cloudformation, stack_name)
    job = require(values, outputs.GLUE_JOB, stack_name)
    arguments: dict[str, str] = {}
    if bool(start_date) != bool(end_date):
        raise PostDeployError("give both --start-date and --end-date, or neither")
    if start_date and end_date:
        if date.fromisoformat(start_date) > date.fromisoformat(end_date):
            raise PostDeployError("--start-date is after --end-date")
        arguments = {"--start_date": start_date, "--end_date": end_date}
    response = glue.start_job_run(JobName=job, Arguments=arguments)
    return str(response["JobRunId"])


def forget_user(
    *,
    cloudformation: Any,
    glue: Any,
    s3: Any,
    stack_name: str,
    user_ids: str,
    now: datetime | None = None,
) -> dict[str, str]:
    """Start one erasure of the given people; returns its job run id, request and audit URIs.

    Nothing starts while an ETL run is going (it could publish partitions it merged before
    the erasure rewrote them). A request that could not be started is deleted again.
    """
    try:
        ids = parse_user_ids(user_ids)
    except ErasureInputError as error:
        raise PostDeployError(str(error)) from None
    values = stack_outputs(cloudformation, stack_name)
    erasure_job = require(values, outputs.ERASURE_JOB, stack_name)
    etl_job = require(values, outputs.GLUE_JOB, stack_name)
    curated_uri = require(values, outputs.CURATED_URI, stack_name)
    running = [
        run["Id"]
        for run in glue.get_job_runs(JobName=etl_job, MaxResults=25).get("JobRuns", [])
        if run.get("JobRunState") in ACTIVE_RUN_STATES
    ]
    if running:
        raise PostDeployError(
            f"the ETL job {etl_job} is running ({running[0]}): start the erasure when it ends"
        )
    erasure_id = new_run_id(now or datetime.now(UTC))
    request = erasure_request_uri(curated_uri, erasure_id)
    bucket, key = split_s3_uri(request)
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=json.dumps({"user_ids": list(ids)}).encode("utf-8"),
        ContentType="application/json",
    )
    try:
        response = glue.start_job_run(
            JobName=erasure_job,
            Arguments={"--user_ids_uri": request, "--erasure_id": erasure_id},
        )
    except Exception:
        s3.delete_object(Bucket=bucket, Key=key)  # the ids must not stay behind
        raise
    return {
        "JobRunId": str(response["JobRunId"]),
        "request": request,
        "audit_record": audit_uri(curated_uri, erasure_id),
    }


def default_stack_name(environ: Mapping[str, str], cdk_json: Path = CDK_JSON) -> str:
    """The stack name `make deploy` used: cdk.json context, then env, then the default."""
    context: dict[str, Any] = {}
    if cdk_json.is_file():
        context = json.loads(cdk_json.read_text("utf-8")).get("context", {})
    return LakeConfig.from_sources(context.get, environ).stack_name


def _clients(region: str | None, *services: str) -> list[Any]:
    session = boto3.session.Session(region_name=region)
    return [session.client(service) for service in services]


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(prog="python -m infra.post_deploy", description=__doc__)
    parser.add_argument("--stack-name", default=None, help="default: the config's project name")
    parser.add_argument("--region", default=None, help="default: the AWS profile's region")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("outputs", help="print the stack outputs as JSON")
    set_cmd = sub.add_parser("set-webhook", help="point the bot at the deployed webhook")
    set_cmd.add_argument("--max-connections", type=int, default=None)
    set_cmd.add_argument("--drop-pending-updates", action="store_true")
    sub.add_parser("webhook-info", help="Telegram's view of the webhook (pending, last error)")
    job_cmd = sub.add_parser("start-job", help="start the Glue job now (optionally a backfill)")
    job_cmd.add_argument("--start-date", default=None, help="first arrival day, YYYY-MM-DD")
    job_cmd.add_argument("--end-date", default=None, help="last arrival day, YYYY-MM-DD")
    forget_cmd = sub.add_parser(
        "forget-user", help="erase people from the lake (raw, versions, quarantine, curated)"
    )
    forget_cmd.add_argument(
        "--user-ids", required=True, help="Telegram user ids, comma-separated: 123,456"
    )
    args = parser.parse_args(argv)

    stack_name = args.stack_name or default_stack_name(env)
    try:
        if args.command == "outputs":
            (cloudformation,) = _clients(args.region, "cloudformation")
            print(json.dumps(stack_outputs(cloudformation, stack_name), indent=2, sort_keys=True))
            return 0
        if args.command == "set-webhook":
            cloudformation, secretsmanager = _clients(
                args.region, "cloudformation", "secretsmanager"
            )
            return set_webhook(
                cloudformation=cloudformation,
                secretsmanager=secretsmanager,
                stack_name=stack_name,
                environ=env,
                max_connections=args.max_connections,
                drop_pending_updates=args.drop_pending_updates,
            )
        if args.command == "webhook-info":
            cloudformation, secretsmanager = _clients(
                args.region, "cloudformation", "secretsmanager"
            )
            values = stack_outputs(cloudformation, stack_name)
            secret_arn = require(values, outputs.WEBHOOK_SECRET_ARN, stack_name)
            child_env = admin_environment(env, read_secret(secretsmanager, secret_arn))
            return subprocess.run(
                admin_command("webhook-info"), env=child_env, check=False
            ).returncode
        if args.command == "forget-user":
            cloudformation, glue, s3 = _clients(args.region, "cloudformation", "glue", "s3")
            started = forget_user(
                cloudformation=cloudformation,
                glue=glue,
                s3=s3,
                stack_name=stack_name,
                user_ids=args.user_ids,
            )
            print(json.dumps(started))
            return 0
        cloudformation, glue = _clients(args.region, "cloudformation", "glue")
        run_id = start_job(
            cloudformation=cloudformation,
            glue=glue,
            stack_name=stack_name,
            start_date=args.start_date,
            end_date=args.end_date,
        )
        print(json.dumps({"JobRunId": run_id}))
        return 0
    except PostDeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
