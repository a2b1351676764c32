"""The webhook Lambda when its AWS dependencies hang or fail.

The handler runs as Lambda runs it (`ingest_lambda.handler.handler`, settings and clients
from the environment); the S3 / Firehose / SSM endpoint is a local socket that hangs,
answers 500, or resets (AWS_ENDPOINT_URL_<SERVICE>), or moto. Each test asserts the 503 a
user sees, the JSON log line with its EMF `Failed` metric, that nothing was stored, and the
time bound: the answer comes before the function's timeout.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from chaos_helpers import FakeAwsEndpoint

from ingest_lambda import handler as handler_module
from ingest_lambda.handler import Ingestor
from ingest_lambda.settings import ConfigError, Settings
from ingest_lambda.storage import sink_for
from tests.ingest.ingest_helpers import EVENT_SECRET, LogCapture

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(60)]

LoadEvent = Callable[[str], dict[str, Any]]
BUCKET = "raw-bucket"


@pytest.fixture
def endpoint(request: pytest.FixtureRequest) -> Iterator[FakeAwsEndpoint]:
    fake = FakeAwsEndpoint(request.param)
    yield fake
    fake.close()


@pytest.fixture
def lambda_env(monkeypatch: pytest.MonkeyPatch, aws_credentials: None) -> Iterator[None]:
    """A clean Lambda environment; the handler's cached ingestor is rebuilt from it."""
    for name in ("RAW_SINK", "WEBHOOK_SECRET_PARAM", "MAX_BODY_BYTES", "FIREHOSE_STREAM_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WEBHOOK_SECRET", EVENT_SECRET)
    monkeypatch.setenv("RAW_URI", f"s3://{BUCKET}/raw")
    handler_module.default_ingestor.cache_clear()
    yield
    handler_module.default_ingestor.cache_clear()


def invoke(event: dict[str, Any], lambda_context: Any) -> tuple[dict[str, Any], float]:
    """(response, seconds the invocation took); the cold start (settings, boto3 import,
    clients) happens first, outside the clock, as in Lambda's init phase."""
    handler_module.default_ingestor()
    started = time.monotonic()
    response = handler_module.handler(event, lambda_context)
    return response, time.monotonic() - started


def the_log_line(captured: str) -> dict[str, Any]:
    (line,) = [line for line in captured.splitlines() if line.startswith("{")]
    record: dict[str, Any] = json.loads(line)
    return record


def assert_failed_with_503(response: dict[str, Any], record: dict[str, Any]) -> None:
    assert response["statusCode"] == 503
    assert json.loads(response["body"]) == {"ok": False, "error": "storage unavailable, retry"}
    assert (record["status"], record["outcome"], record["reason"]) == (
        503,
        "failed",
        "storage_failed",
    )
    assert record["update_id"] == 937451001
    # The EMF document: the Failed metric, once, that the StorageFailures alarm counts.
    (directive,) = record["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "TelegramLake"
    assert directive["Metrics"] == [{"Name": "Failed", "Unit": "Count"}]
    assert record["Failed"] == 1


@pytest.fixture
def invoke_with(
    monkeypatch: pytest.MonkeyPatch,
    lambda_env: None,
    load_event: LoadEvent,
    lambda_context: Any,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[dict[str, Any], dict[str, Any], float]]:
    """Invoke the handler with a message update and extra env; (response, log line, s)."""

    def _invoke(**env: str) -> tuple[dict[str, Any], dict[str, Any], float]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        response, elapsed = invoke(load_event("message"), lambda_context)
        return response, the_log_line(capsys.readouterr().out), elapsed

    return _invoke


Invoke = Callable[..., tuple[dict[str, Any], dict[str, Any], float]]


@pytest.mark.parametrize("endpoint", ["hang"], indirect=True)
def test_an_s3_that_hangs_gives_503_its_log_line_and_metric_before_the_timeout(
    invoke_with: Invoke, endpoint: FakeAwsEndpoint
) -> None:
    # 5 s: one attempt of 1 s connect + 2 s read (no room for a retry), 1 s to answer.
    response, record, elapsed = invoke_with(
        AWS_ENDPOINT_URL_S3=endpoint.url, FUNCTION_TIMEOUT_SECONDS="5"
    )

    assert_failed_with_503(response, record)
    assert "timeout" in record["error"].lower()
    # 1 s waiting for "100 Continue", then the 2 s read timeout; the worst case is 4 s.
    assert 2.9 <= elapsed < 4.0
    assert endpoint.connections == 1


@pytest.mark.slow_chaos
@pytest.mark.parametrize("endpoint", ["hang"], indirect=True)
def test_an_s3_hang_at_the_default_10_s_timeout_answers_503_within_9_s(
    invoke_with: Invoke, endpoint: FakeAwsEndpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FUNCTION_TIMEOUT_SECONDS", raising=False)  # the default, as deployed
    response, record, elapsed = invoke_with(AWS_ENDPOINT_URL_S3=endpoint.url)

    assert_failed_with_503(response, record)
    # One attempt: 1 s for "100 Continue" + the 7 s read timeout; the function has 10 s.
    assert 7.9 <= elapsed < 9.0
    assert endpoint.connections == 1


@pytest.mark.slow_chaos
@pytest.mark.parametrize("endpoint", ["hang"], indirect=True)
def test_an_s3_hang_at_15_s_is_tried_twice_and_answered_within_14_s(
    invoke_with: Invoke, endpoint: FakeAwsEndpoint
) -> None:
    response, record, elapsed = invoke_with(
        AWS_ENDPOINT_URL_S3=endpoint.url, FUNCTION_TIMEOUT_SECONDS="15"
    )

    assert_failed_with_503(response, record)
    # Two attempts of 1 s ("100 Continue") + 2 s read, and a jittered back-off.
    assert 6.0 <= elapsed < 14.0
    assert endpoint.connections == 2


@pytest.mark.parametrize("endpoint", ["error", "reset"], indirect=True)
@pytest.mark.parametrize(("timeout", "attempts"), [("10", 1), ("15", 2)])
def test_an_s3_that_fails_gives_503_after_the_attempts_the_budget_allows(
    invoke_with: Invoke, endpoint: FakeAwsEndpoint, timeout: str, attempts: int
) -> None:
    response, record, elapsed = invoke_with(
        AWS_ENDPOINT_URL_S3=endpoint.url, FUNCTION_TIMEOUT_SECONDS=timeout
    )

    assert_failed_with_503(response, record)
    assert endpoint.connections == attempts
    assert elapsed < float(timeout) - 1


@pytest.mark.parametrize("endpoint", ["hang"], indirect=True)
def test_a_firehose_that_hangs_gives_503_before_the_timeout(
    invoke_with: Invoke, endpoint: FakeAwsEndpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RAW_URI")
    response, record, elapsed = invoke_with(
        RAW_SINK="firehose",
        FIREHOSE_STREAM_NAME="telegram-lake-raw",
        AWS_ENDPOINT_URL_FIREHOSE=endpoint.url,
        FUNCTION_TIMEOUT_SECONDS="5",
    )

    assert_failed_with_503(response, record)
    assert 1.9 <= elapsed < 4.0  # the 2 s read timeout (no 100-continue for JSON APIs)


@pytest.mark.parametrize("endpoint", ["hang"], indirect=True)
def test_an_ssm_that_hangs_at_cold_start_fails_the_start_before_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
    lambda_env: None,
    endpoint: FakeAwsEndpoint,
) -> None:
    """No open door and no silent hang: the cold start ends with a ConfigError in time."""
    monkeypatch.delenv("WEBHOOK_SECRET")
    monkeypatch.setenv("WEBHOOK_SECRET_PARAM", "/telegram-lake/webhook-secret")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", endpoint.url)
    monkeypatch.setenv("FUNCTION_TIMEOUT_SECONDS", "5")

    started = time.monotonic()
    with pytest.raises(ConfigError, match="could not read the webhook secret"):
        Settings.from_env()
    assert time.monotonic() - started < 4.0


def test_a_bucket_that_vanishes_mid_stream_loses_nothing_once_telegram_retries(
    s3: Any, load_event: LoadEvent, lambda_context: Any
) -> None:
    """moto: stored, then NoSuchBucket (503, nothing stored), then the redelivery stores."""
    s3.create_bucket(Bucket=BUCKET)
    settings = Settings(webhook_secret=EVENT_SECRET, raw_uri=f"s3://{BUCKET}/raw", raw_sink="s3")
    log = LogCapture()
    ingestor = Ingestor(settings, sink_for(settings, client=s3), log=log)
    first, second = load_event("message"), load_event("edited_message")

    assert ingestor(first, lambda_context)["statusCode"] == 200
    s3.delete_object(Bucket=BUCKET, Key=log.last["location"].split(f"{BUCKET}/", 1)[1])
    s3.delete_bucket(Bucket=BUCKET)
    failed = ingestor(second, lambda_context)
    s3.create_bucket(Bucket=BUCKET)
    retried = ingestor(second, lambda_context)  # Telegram redelivers after the 503

    assert failed["statusCode"] == 503
    assert log.records[1]["reason"] == "storage_failed"
    assert "NoSuchBucket" in log.records[1]["error"]
    assert retried["statusCode"] == 200
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert [key.rsplit("/", 1)[1] for key in keys] == ["937451002.json"]
    body = s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert body == second["body"].encode()
