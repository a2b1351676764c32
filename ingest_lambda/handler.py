"""Telegram webhook Lambda: parse, authenticate, delegate to a raw sink.

Reads a Lambda Function URL / API Gateway HTTP API payload v2.0 event. Writes the update
body, byte for byte, through a `RawSink` (S3 object, local file or Firehose record), and one
JSON line per request to stdout that is both the structured log and a CloudWatch Embedded
Metric Format document: the one metric of Stored, Rejected or Failed that happened, value 1,
in namespace TelegramLake, by UpdateType and as a dimensionless total (names in
`lake.metrics`). Never logs the secret or any message content.

Status codes (docs/webhook.md): 405 not POST, 401 missing/wrong secret header,
413 body over MAX_BODY_BYTES, 400 not a JSON object with an integer update_id,
200 stored, 503 storage failed (Telegram retries), 500 unexpected error.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from ingest_lambda.settings import Settings
from ingest_lambda.storage import RawSink, sink_for
from lake import metrics

SECRET_HEADER = "x-telegram-bot-api-secret-token"
# The request's outcome -> the one EMF metric it emits.
METRIC_FOR_OUTCOME = {
    "stored": metrics.STORED,
    "rejected": metrics.REJECTED,
    "failed": metrics.FAILED,
}
# Update ids are positive (Bot API) and land in a bigint column downstream.
MAX_UPDATE_ID = 2**63 - 1
# Used when the body was never parsed (405/401/413/400 before parsing).
NO_UPDATE_TYPE = "none"
# An update with only update_id, or a type name we refuse as a metric dimension value.
UNKNOWN_UPDATE_TYPE = "unknown"
_UPDATE_TYPE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")

_JSON_HEADERS = {"content-type": "application/json"}


def _response(status: int, body: str, **extra_headers: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {**_JSON_HEADERS, **extra_headers},
        "body": body,
        "isBase64Encoded": False,
    }


# Telegram reads a webhook response body as an optional Bot API call ("method" field); these
# bodies carry none. The 401 body says nothing about why.
_OK = '{"ok":true}'
_RESPONSE_BODIES = {
    401: '{"ok":false,"error":"unauthorized"}',
    405: '{"ok":false,"error":"method not allowed"}',
    413: '{"ok":false,"error":"payload too large"}',
    500: '{"ok":false,"error":"internal error"}',
    503: '{"ok":false,"error":"storage unavailable, retry"}',
}


class _RequestError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN/Infinity; JSON (and Spark's parser downstream) does not.
    raise ValueError(f"{name} is not valid JSON")


def utc_now() -> datetime:
    return datetime.now(UTC)


class JsonLineLog:
    """Writes one line per record to a text stream; a lock keeps threaded lines whole."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def __call__(self, line: str) -> None:
        # Resolve sys.stdout per call: Lambda and pytest may swap it after import.
        stream = self._stream or sys.stdout
        with self._lock:
            stream.write(line + "\n")
            stream.flush()


class Ingestor:
    """The webhook with its dependencies injected: settings, sink, clock, log, timer."""

    def __init__(
        self,
        settings: Settings,
        sink: RawSink,
        *,
        clock: Callable[[], datetime] = utc_now,
        log: Callable[[str], None] | None = None,
        timer: Callable[[], float] = time.perf_counter,
    ) -> None:
        # Compare fixed-length digests: hmac.compare_digest on the raw values would still
        # leak the secret's length through timing.
        self._secret_digest = hashlib.sha256(settings.webhook_secret.encode("ascii")).digest()
        self._max_body_bytes = settings.max_body_bytes
        self._sink = sink
        self._clock = clock
        self._log = log or JsonLineLog()
        self._timer = timer

    def __call__(self, event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        started = self._timer()
        update_id: int | None = None
        update_type = NO_UPDATE_TYPE
        body_bytes: int | None = None
        location: str | None = None
        error: str | None = None
        received_at: datetime | None = None
        try:
            # Arrival time (UTC) decides the raw partition: taken once, when the request came.
            received_at = self._clock()
            self._check_method(event)
            self._authenticate(event)
            body = self._body(event)
            body_bytes = len(body)
            update_id, update_type = self._parse(body)
            try:
                location = self._sink.put(update_id, body, received_at)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
                raise _RequestError(503, "storage_failed") from exc
            status, outcome, reason = 200, "stored", None
        except _RequestError as rejected:
            status, reason = rejected.status, rejected.reason
            outcome = "failed" if status >= 500 else "rejected"
        except Exception as exc:  # a bug must still answer (and be counted), not crash
            status, outcome, reason = 500, "failed", "internal_error"
            error = f"{type(exc).__name__}: {exc}"[:500]

        record: dict[str, Any] = {
            "level": "INFO" if status == 200 else ("ERROR" if status >= 500 else "WARNING"),
            "message": "telegram update " + outcome,
            "request_id": _request_id(event, context),
            "update_id": update_id,
            "update_type": update_type,
            "outcome": outcome,
            "status": status,
            "reason": reason,
            "body_bytes": body_bytes,
            "location": location,
            "latency_ms": round((self._timer() - started) * 1000, 3),
        }
        if error is not None:
            record["error"] = error
        self._log(_with_metrics(record, update_type, outcome, received_at or utc_now()))

        if status == 200:
            return _response(200, _OK)
        if status == 405:
            return _response(405, _RESPONSE_BODIES[405], allow="POST")
        body_text = _RESPONSE_BODIES.get(status) or json.dumps(
            {"ok": False, "error": reason}, separators=(",", ":")
        )
        return _response(status, body_text)

    @staticmethod
    def _check_method(event: Mapping[str, Any]) -> None:
        http = (event.get("requestContext") or {}).get("http") or {}
        if str(http.get("method", "")).upper() != "POST":
            raise _RequestError(405, "method_not_allowed")

    def _authenticate(self, event: Mapping[str, Any]) -> None:
        provided = None
        # Function URLs lowercase header names; API Gateway and local tools may not.
        for name, value in (event.get("headers") or {}).items():
            if name.lower() == SECRET_HEADER:
                provided = value
                break
        if provided is None:
            raise _RequestError(401, "missing_secret")
        digest = hashlib.sha256(str(provided).encode("utf-8", "surrogatepass")).digest()
        if not hmac.compare_digest(digest, self._secret_digest):
            raise _RequestError(401, "wrong_secret")

    def _body(self, event: Mapping[str, Any]) -> bytes:
        body = event.get("body")
        if not body:
            raise _RequestError(400, "empty_body")
        if not isinstance(body, str):
            raise _RequestError(400, "invalid_body")
        limit = self._max_body_bytes
        if event.get("isBase64Encoded"):
            # Base64 is 4 chars per 3 bytes: refuse before decoding something huge.
            if len(body) > (limit + 2) // 3 * 4 + 4:
                raise _RequestError(413, "body_too_large")
            try:
                data = base64.b64decode(body, validate=True)
            except (binascii.Error, ValueError):
                raise _RequestError(400, "invalid_base64") from None
        else:
            if len(body) > limit:  # each character is at least one UTF-8 byte
                raise _RequestError(413, "body_too_large")
            try:
                data = body.encode("utf-8")
            except UnicodeEncodeError:
                raise _RequestError(400, "not_utf8") from None
        if len(data) > limit:
            raise _RequestError(413, "body_too_large")
        if not data:
            raise _RequestError(400, "empty_body")
        return data

    @staticmethod
    def _parse(body: bytes) -> tuple[int, str]:
        try:
            update = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
        except UnicodeDecodeError:
            raise _RequestError(400, "not_utf8") from None
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            raise _RequestError(400, "invalid_json") from None
        if not isinstance(update, dict):
            raise _RequestError(400, "not_an_object")
        if "update_id" not in update:
            raise _RequestError(400, "missing_update_id")
        update_id = update["update_id"]
        if type(update_id) is not int:  # bool is an int subclass; true is not an id
            raise _RequestError(400, "update_id_not_integer")
        if not 0 <= update_id <= MAX_UPDATE_ID:
            raise _RequestError(400, "update_id_out_of_range")
        return update_id, update_type_of(update)


def update_type_of(update: Mapping[str, Any]) -> str:
    """The update's kind: its one field besides update_id (the Bot API sends at most one).

    Names outside `[a-z][a-z0-9_]{0,63}` become "unknown" so that the metric dimension stays
    bounded; new Telegram types (snake_case) keep their own name.
    """
    for key in update:
        if key != "update_id":
            return key if _UPDATE_TYPE_NAME.fullmatch(key) else UNKNOWN_UPDATE_TYPE
    return UNKNOWN_UPDATE_TYPE


def _request_id(event: Mapping[str, Any], context: Any) -> str | None:
    request_id = getattr(context, "aws_request_id", None)
    if request_id:
        return str(request_id)
    value = (event.get("requestContext") or {}).get("requestId")
    return str(value) if value else None


def _with_metrics(record: dict[str, Any], update_type: str, outcome: str, now: datetime) -> str:
    """The log record as an EMF document: CloudWatch extracts the metrics, Logs keeps the rest.

    Only the outcome that happened is emitted, as 1. Every metric name x dimension value that
    is ever published is a billed custom metric; zeros would keep all three alive for every
    update type. Sums over a period read missing data as no events.

    Each dimension set publishes the value once: by UpdateType, and under the empty set (EMF:
    "A DimensionSet MAY be empty") as the dimensionless total the alarms watch, because a
    CloudWatch alarm on one metric cannot sum over dimension values.
    """
    metric = METRIC_FOR_OUTCOME[outcome]
    record["_aws"] = {
        "Timestamp": int(now.timestamp() * 1000),
        "CloudWatchMetrics": [
            {
                "Namespace": metrics.NAMESPACE,
                "Dimensions": [list(dimensions) for dimensions in metrics.DIMENSION_SETS],
                "Metrics": [{"Name": metric, "Unit": metrics.COUNT_UNIT}],
            }
        ],
    }
    record[metrics.UPDATE_TYPE_DIMENSION] = update_type
    record[metric] = 1
    return json.dumps(record, separators=(",", ":"))


@functools.lru_cache(maxsize=1)
def default_ingestor() -> Ingestor:
    """Settings and sink from the environment, built once per container (cold start)."""
    settings = Settings.from_env()
    return Ingestor(settings, sink_for(settings))


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (Function URL / HTTP API payload v2.0)."""
    return default_ingestor()(event, context)


if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
    # In Lambda, configure during init: a missing secret fails the cold start loudly (never
    # an open door), and the SSM fetch and boto3 import run in the init phase.
    default_ingestor()
