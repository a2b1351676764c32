"""The AWS clients' timeouts and retries fit inside the function's timeout.

Expected numbers are worked by hand from the rule in ingest_lambda.aws: 1 s kept for the
answer, 1 s of "100 Continue" wait per attempt, 6 s before a retry (1 s jitter + 5 s of
Retry-After), a retry only when each attempt keeps 1.5 s, a third (at most 1 s) to connect.
"""

from __future__ import annotations

from typing import Any

import pytest

from ingest_lambda import aws
from ingest_lambda.settings import ConfigError, Settings
from ingest_lambda.storage import sink_for
from tests.ingest.ingest_helpers import EVENT_SECRET


@pytest.mark.parametrize(
    ("function_timeout", "connect", "read", "retries", "worst_case"),
    [
        (10, 1.0, 7.0, 0, 9.0),  # 10 - 1 - 1 = 8: one attempt
        (15, 1.0, 2.0, 1, 14.0),  # (14 - 6) / 2 - 1 = 3 each: 2 x (1 + 1 + 2) + 6
        (5, 1.0, 2.0, 0, 4.0),
        (3.5, 0.5, 1.0, 0, 2.5),
        (60, 1.0, 24.5, 1, 59.0),  # (59 - 6) / 2 - 1 = 25.5 each
    ],
)
def test_call_timeouts_end_a_second_before_the_function_does(
    function_timeout: float, connect: float, read: float, retries: int, worst_case: float
) -> None:
    timeouts = aws.call_timeouts(function_timeout)
    assert (timeouts.connect, timeouts.read, timeouts.retries) == (connect, read, retries)
    assert timeouts.worst_case_seconds == pytest.approx(worst_case)


def test_a_function_timeout_too_short_for_any_call_is_refused() -> None:
    with pytest.raises(ValueError, match=r"at least 3\.5 s"):
        aws.call_timeouts(3.4)


def test_clients_carry_the_config(aws_credentials: None) -> None:
    client = aws.client("s3", function_timeout=15)
    config = client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (1.0, 2.0)
    # botocore stores max_attempts (retries) as total attempts.
    assert config.retries == {"mode": "standard", "total_max_attempts": 2}


def test_the_sink_client_is_built_from_the_settings_timeout(aws_credentials: None) -> None:
    settings = Settings(
        webhook_secret=EVENT_SECRET,
        raw_uri="s3://raw-bucket/raw",
        raw_sink="s3",
        function_timeout_seconds=10,
    )
    client: Any = sink_for(settings)._client  # type: ignore[attr-defined]
    assert (client.meta.config.connect_timeout, client.meta.config.read_timeout) == (1.0, 7.0)
    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 1}


def base_env(**extra: str) -> dict[str, str]:
    return {"RAW_URI": "file:///tmp/raw", "WEBHOOK_SECRET": EVENT_SECRET, **extra}


def test_function_timeout_from_the_environment() -> None:
    assert Settings.from_env(base_env()).function_timeout_seconds == 10.0
    assert Settings.from_env(base_env(FUNCTION_TIMEOUT_SECONDS="15")).function_timeout_seconds == 15


@pytest.mark.parametrize("value", ["abc", "2", "inf", "nan", "-10"])
def test_a_bad_function_timeout_is_a_config_error(value: str) -> None:
    with pytest.raises(ConfigError, match="FUNCTION_TIMEOUT_SECONDS"):
        Settings.from_env(base_env(FUNCTION_TIMEOUT_SECONDS=value))
