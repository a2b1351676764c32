"""Webhook configuration: read once from the environment into a frozen, validated object.

Reads environment variables (names below are the single source for infra and docs) and, when
`WEBHOOK_SECRET_PARAM` is set, one SSM SecureString parameter or Secrets Manager secret.
Writes nothing. boto3 is imported only when a secret has to be fetched, so local runs and the
Lambda's cold import stay small. URIs are read with `lake.uri`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ingest_lambda import aws
from lake.uri import FILE_SCHEME, UriError, local_path, split_s3_uri, uri_scheme

# Environment variable names (infra sets exactly these).
RAW_URI = "RAW_URI"
WEBHOOK_SECRET = "WEBHOOK_SECRET"
WEBHOOK_SECRET_PARAM = "WEBHOOK_SECRET_PARAM"
RAW_SINK = "RAW_SINK"
FIREHOSE_STREAM_NAME = "FIREHOSE_STREAM_NAME"
MAX_BODY_BYTES = "MAX_BODY_BYTES"
RAW_SSE = "RAW_SSE"
RAW_KMS_KEY_ID = "RAW_KMS_KEY_ID"
# The Lambda's own timeout in seconds (infra sets it from the same config value): the AWS
# clients' timeouts and retries are derived from it (ingest_lambda.aws.call_timeouts).
FUNCTION_TIMEOUT_SECONDS = "FUNCTION_TIMEOUT_SECONDS"

ENV_VARS = (
    RAW_URI,
    WEBHOOK_SECRET,
    WEBHOOK_SECRET_PARAM,
    RAW_SINK,
    FIREHOSE_STREAM_NAME,
    MAX_BODY_BYTES,
    RAW_SSE,
    RAW_KMS_KEY_ID,
    FUNCTION_TIMEOUT_SECONDS,
)

SinkKind = Literal["s3", "file", "firehose"]
SINK_KINDS: tuple[SinkKind, ...] = ("s3", "file", "firehose")

# Telegram updates are a few KiB at most (4096-character texts plus entities and a quoted
# reply); 1 MiB leaves room for anything legitimate while bounding memory per request.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# Amazon Data Firehose rejects records over 1,000 KiB; the sink appends one newline.
FIREHOSE_MAX_RECORD_BYTES = 1_024_000
DEFAULT_SSE = "AES256"
SSE_MODES = ("AES256", "aws:kms", "aws:kms:dsse")

# setWebhook's secret_token: "1-256 characters. Only A-Z, a-z, 0-9, _ and - are allowed."
# A secret Telegram cannot send would make every request a 401, so reject it up front.
SECRET_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_SECRETS_MANAGER_ARN = re.compile(r"arn:aws[a-z-]*:secretsmanager:")
SECRETS_MANAGER_PREFIX = "secretsmanager:"
SSM_PREFIX = "ssm:"
# The S3 sink writes with boto3, which knows only `s3://` (not Hadoop's s3a/s3n spellings).
S3_SCHEME = "s3"

_Parsed = TypeVar("_Parsed")


class ConfigError(RuntimeError):
    """The webhook is misconfigured; raised at start-up so it never runs with an open door."""


@dataclass(frozen=True)
class Settings:
    """Everything the webhook needs, validated on construction.

    `raw_uri` is normalised: a relative local path becomes an absolute `file://` URI, resolved
    against the working directory at construction time.
    """

    webhook_secret: str = field(repr=False)
    raw_uri: str | None = None
    raw_sink: SinkKind = "file"
    firehose_stream_name: str | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    s3_sse: str = DEFAULT_SSE
    s3_kms_key_id: str | None = None
    function_timeout_seconds: float = aws.DEFAULT_FUNCTION_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        _check_function_timeout(self.function_timeout_seconds)
        if not SECRET_TOKEN_PATTERN.fullmatch(self.webhook_secret or ""):
            raise ConfigError(
                "the webhook secret must be 1-256 characters from A-Z a-z 0-9 _ - "
                "(Telegram's secret_token alphabet)"
            )
        if self.raw_sink not in SINK_KINDS:
            raise ConfigError(f"{RAW_SINK} must be one of {', '.join(SINK_KINDS)}")
        if self.max_body_bytes <= 0:
            raise ConfigError(f"{MAX_BODY_BYTES} must be a positive integer")
        if self.s3_sse not in SSE_MODES:
            raise ConfigError(f"{RAW_SSE} must be one of {', '.join(SSE_MODES)}")
        if self.raw_sink == "firehose":
            if not self.firehose_stream_name:
                raise ConfigError(f"{RAW_SINK}=firehose needs {FIREHOSE_STREAM_NAME}")
            if self.max_body_bytes > FIREHOSE_MAX_RECORD_BYTES - 1:
                raise ConfigError(
                    f"{MAX_BODY_BYTES} must be below {FIREHOSE_MAX_RECORD_BYTES} with "
                    "RAW_SINK=firehose (Firehose record size limit)"
                )
            return
        if not self.raw_uri:
            raise ConfigError(f"{RAW_URI} is required (s3://bucket/prefix or file:///path)")
        scheme = uri_scheme(self.raw_uri)
        if self.raw_sink == "s3":
            if scheme != S3_SCHEME:
                raise ConfigError(f"{RAW_SINK}=s3 needs an s3:// {RAW_URI}")
            _parse_uri(split_s3_uri, self.raw_uri)  # validates the bucket part
        elif scheme != FILE_SCHEME:
            raise ConfigError(f"{RAW_SINK}=file needs a file:// URI or a plain path")
        else:
            object.__setattr__(self, "raw_uri", _parse_uri(local_path, self.raw_uri).as_uri())

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        ssm_client: Any = None,
        secretsmanager_client: Any = None,
    ) -> Settings:
        """Build settings from `environ` (default `os.environ`); fetch the secret if needed.

        Raises ConfigError with a message naming the variable when something is missing or
        wrong. Clients are injectable for tests; by default boto3 creates them.
        """
        env = os.environ if environ is None else environ
        raw_uri = _get(env, RAW_URI)
        firehose_stream = _get(env, FIREHOSE_STREAM_NAME)
        sink = _get(env, RAW_SINK)
        if sink is None:
            if raw_uri is None:
                raise ConfigError(f"{RAW_URI} is required (s3://bucket/prefix or file:///path)")
            sink = "s3" if uri_scheme(raw_uri) == S3_SCHEME else "file"
        sink = sink.lower()
        if sink not in SINK_KINDS:
            raise ConfigError(f"{RAW_SINK} must be one of {', '.join(SINK_KINDS)}, got {sink!r}")
        max_body = _get(env, MAX_BODY_BYTES)
        if max_body is None:
            max_body_bytes = DEFAULT_MAX_BODY_BYTES
            if sink == "firehose":
                max_body_bytes = min(max_body_bytes, FIREHOSE_MAX_RECORD_BYTES - 1)
        else:
            try:
                max_body_bytes = int(max_body)
            except ValueError:
                raise ConfigError(
                    f"{MAX_BODY_BYTES} must be an integer, got {max_body!r}"
                ) from None
        function_timeout = _function_timeout(env)
        secret = resolve_secret(
            env,
            ssm_client=ssm_client,
            secretsmanager_client=secretsmanager_client,
            function_timeout=function_timeout,
        )
        return cls(
            webhook_secret=secret,
            raw_uri=raw_uri,
            raw_sink=sink,  # checked against SINK_KINDS above
            firehose_stream_name=firehose_stream,
            max_body_bytes=max_body_bytes,
            s3_sse=_get(env, RAW_SSE) or DEFAULT_SSE,
            s3_kms_key_id=_get(env, RAW_KMS_KEY_ID),
            function_timeout_seconds=function_timeout,
        )


def resolve_secret(
    environ: Mapping[str, str],
    *,
    ssm_client: Any = None,
    secretsmanager_client: Any = None,
    function_timeout: float = aws.DEFAULT_FUNCTION_TIMEOUT_SECONDS,
) -> str:
    """Return the webhook secret from WEBHOOK_SECRET or the store named by WEBHOOK_SECRET_PARAM.

    A store that hangs fails within `function_timeout` (see ingest_lambda.aws).
    """
    direct = _get(environ, WEBHOOK_SECRET)
    param = _get(environ, WEBHOOK_SECRET_PARAM)
    if direct and param:
        # Two sources invite "which one is live?" incidents; make the operator pick one.
        raise ConfigError(f"set only one of {WEBHOOK_SECRET} and {WEBHOOK_SECRET_PARAM}")
    if direct:
        return direct
    if param:
        return fetch_secret(
            param,
            ssm_client=ssm_client,
            secretsmanager_client=secretsmanager_client,
            function_timeout=function_timeout,
        )
    raise ConfigError(
        f"no webhook secret configured: set {WEBHOOK_SECRET} (local) or "
        f"{WEBHOOK_SECRET_PARAM} (SSM SecureString or Secrets Manager name); "
        "refusing to accept unauthenticated updates"
    )


def fetch_secret(
    name: str,
    *,
    ssm_client: Any = None,
    secretsmanager_client: Any = None,
    function_timeout: float = aws.DEFAULT_FUNCTION_TIMEOUT_SECONDS,
) -> str:
    """Read a secret by name: Secrets Manager for ARNs / `secretsmanager:NAME`, else SSM.

    SSM parameters are read WithDecryption (SecureString). Surrounding whitespace is dropped
    (values pasted from a file often end in a newline; the token alphabet has no whitespace).
    """
    try:
        if _SECRETS_MANAGER_ARN.match(name) or name.startswith(SECRETS_MANAGER_PREFIX):
            secret_id = name.removeprefix(SECRETS_MANAGER_PREFIX)
            client = secretsmanager_client or aws.client(
                "secretsmanager", function_timeout=function_timeout
            )
            response = client.get_secret_value(SecretId=secret_id)
            value = response.get("SecretString")
            if value is None and response.get("SecretBinary") is not None:
                value = bytes(response["SecretBinary"]).decode("utf-8")
            store = "Secrets Manager secret"
        else:
            client = ssm_client or aws.client("ssm", function_timeout=function_timeout)
            response = client.get_parameter(Name=name.removeprefix(SSM_PREFIX), WithDecryption=True)
            value = response["Parameter"]["Value"]
            store = "SSM parameter"
    except ConfigError:
        raise
    except Exception as exc:  # any AWS/client error: say where, never what the value was
        raise ConfigError(
            f"could not read the webhook secret {name!r}: {type(exc).__name__}: {exc}"
        ) from exc
    value = (value or "").strip()
    if not value:
        raise ConfigError(f"the {store} {name!r} is empty")
    return value


def _function_timeout(env: Mapping[str, str]) -> float:
    value = _get(env, FUNCTION_TIMEOUT_SECONDS)
    if value is None:
        return aws.DEFAULT_FUNCTION_TIMEOUT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigError(
            f"{FUNCTION_TIMEOUT_SECONDS} must be a number of seconds, got {value!r}"
        ) from None
    _check_function_timeout(seconds)
    return seconds


def _check_function_timeout(seconds: float) -> None:
    if not math.isfinite(seconds):
        raise ConfigError(f"{FUNCTION_TIMEOUT_SECONDS} must be a finite number of seconds")
    try:
        aws.call_timeouts(seconds)
    except ValueError as exc:
        raise ConfigError(f"{FUNCTION_TIMEOUT_SECONDS}: {exc}") from None


def _parse_uri(parse: Callable[[str], _Parsed], uri: str) -> _Parsed:
    """`parse(uri)`, with a URI it refuses reported as the ConfigError it is here."""
    try:
        return parse(uri)
    except UriError as exc:
        raise ConfigError(str(exc)) from None


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None
