"""Lazy boto3 client creation with timeouts that fit inside the function's own timeout.

Reads AWS configuration the usual boto3 way (env, instance role). Writes nothing.

botocore's defaults (60 s connect and read timeouts, retries) outlast a 10 s Lambda: an S3
that accepts the connection and never answers would end in a Lambda timeout, with no log
line, no metric and no answer. Every client here instead gets a connect timeout, a read
timeout and a retry count derived from the function's timeout (`call_timeouts`), so the
worst case of one call, retries and back-off included, ends early enough for the handler to
log the failure and answer 503 (Telegram then retries the delivery).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The Lambda's timeout when FUNCTION_TIMEOUT_SECONDS is not set (infra sets it).
DEFAULT_FUNCTION_TIMEOUT_SECONDS = 10.0
#: Kept back from the function's timeout for the handler's own work: log line, response.
RESPONSE_RESERVE_SECONDS = 1.0
#: botocore's standard retry mode sleeps before retry n at most 1 s x 2**(n-1) (jitter,
#: throttling scale), raised by up to 5 s more when the service sends x-amz-retry-after.
MAX_DELAY_BEFORE_FIRST_RETRY = 1.0 + 5.0
#: botocore sends S3 bodies with `Expect: 100-continue` and waits up to 1 s for the
#: "100 Continue" before sending the body anyway: a silent endpoint costs that per attempt.
EXPECT_CONTINUE_WAIT_SECONDS = 1.0
#: Connect + read below this is not worth a retry: the budget goes to one attempt.
MIN_ATTEMPT_SECONDS = 1.5
#: A TCP + TLS handshake to a regional endpoint takes milliseconds.
MAX_CONNECT_SECONDS = 1.0
RETRY_MODE = "standard"


@dataclass(frozen=True)
class CallTimeouts:
    """botocore settings for one AWS call: `retries` is botocore's `max_attempts`, the
    number of retries after the first attempt."""

    connect: float
    read: float
    retries: int

    @property
    def worst_case_seconds(self) -> float:
        """Every attempt hitting both timeouts and the 100-continue wait, plus the longest
        sleep before each retry."""
        attempt = self.connect + EXPECT_CONTINUE_WAIT_SECONDS + self.read
        return (self.retries + 1) * attempt + self.retries * MAX_DELAY_BEFORE_FIRST_RETRY


def call_timeouts(function_timeout: float) -> CallTimeouts:
    """Timeouts whose worst case ends RESPONSE_RESERVE_SECONDS before `function_timeout`.

    One retry when each of the two attempts still gets MIN_ATTEMPT_SECONDS of connect +
    read, else a single attempt with the whole budget (Telegram retries a 503 anyway). A
    third of an attempt (at most 1 s) is for connecting. The default 10 s gives one attempt
    of 1 s connect + 7 s read; 15 s gives two of 1 s + 2 s.
    """
    available = function_timeout - RESPONSE_RESERVE_SECONDS
    for retries in (1, 0):
        per_attempt = (available - retries * MAX_DELAY_BEFORE_FIRST_RETRY) / (
            retries + 1
        ) - EXPECT_CONTINUE_WAIT_SECONDS
        if per_attempt >= MIN_ATTEMPT_SECONDS:
            connect = min(MAX_CONNECT_SECONDS, per_attempt / 3)
            return CallTimeouts(connect=connect, read=per_attempt - connect, retries=retries)
    raise ValueError(
        f"a function timeout of {function_timeout} s leaves no time for an AWS call; "
        "it must be at least "
        f"{RESPONSE_RESERVE_SECONDS + EXPECT_CONTINUE_WAIT_SECONDS + MIN_ATTEMPT_SECONDS} s"
    )


def client_config(function_timeout: float) -> Any:
    """The botocore `Config` for `call_timeouts(function_timeout)`."""
    from botocore.config import Config  # noqa: PLC0415  # see client()

    timeouts = call_timeouts(function_timeout)
    return Config(
        connect_timeout=timeouts.connect,
        read_timeout=timeouts.read,
        retries={"max_attempts": timeouts.retries, "mode": RETRY_MODE},
    )


def client(service: str, *, function_timeout: float = DEFAULT_FUNCTION_TIMEOUT_SECONDS) -> Any:
    """A boto3 client for `service`; boto3 is imported on first use (~100+ ms)."""
    import boto3  # noqa: PLC0415  # deliberate: keeps the cold import of the handler small

    return boto3.client(service, config=client_config(function_timeout))
