"""Deployment configuration: one frozen, validated object built from CDK context and env.

Reads CDK context (`cdk deploy -c key=value`, or the `context` block of `infra/cdk.json`),
then environment variables `TELEGRAM_LAKE_<KEY>` (upper-case field name), then the defaults
below. Writes nothing. Resource names derived from the config (bucket prefixes, Glue job,
database, workgroup) live here too, so the stack, the post-deploy helper and the docs agree.

The Lambda's environment variable *names* are not defined here: they are imported from
`ingest_lambda.settings`, the single source shared with the webhook code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lake.privacy import PRIVACY_MODES, PRIVACY_PLAIN, TEXT_KEEP, TEXT_POLICIES

ENV_PREFIX = "TELEGRAM_LAKE_"

RawSinkKind = Literal["s3", "firehose"]
RAW_SINK_KINDS: tuple[str, ...] = get_args(RawSinkKind)

# Glue 5.1 Spark jobs accept these worker types (G.025X is for streaming jobs only).
GLUE_WORKER_TYPES = ("G.1X", "G.2X", "G.4X", "G.8X", "G.12X", "G.16X", "R.1X", "R.2X", "R.4X")
GLUE_EXECUTION_CLASSES = ("STANDARD", "FLEX")
RAW_TRANSITION_CLASSES = ("STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR")

# The rejected-requests alarm counts over this window.
REJECTED_ALARM_MINUTES = 15

# Athena rejects a per-query cutoff below 10 MB.
MIN_BYTES_SCANNED_CUTOFF = 10_000_000

# Fixed key prefixes inside the buckets (the IAM policies are scoped to them).
RAW_PREFIX = "raw"
CURATED_PREFIX = "curated"
QUARANTINE_PREFIX = "quarantine"
FIREHOSE_ERROR_PREFIX = "firehose-errors"
ATHENA_RESULTS_PREFIX = "athena-results"

_PROJECT_NAME = re.compile(r"[a-z][a-z0-9-]{1,30}[a-z0-9]")
_HH_MM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_QUICKSIGHT_PRINCIPAL = re.compile(r"arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)/.+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration value is missing or invalid; the message names the key."""


@dataclass(frozen=True)
class LakeConfig:
    """Everything that varies between deployments. Validated on construction."""

    # Prefix of every named resource and the CloudFormation stack name.
    project_name: str = "telegram-lake"
    # IANA timezone in which the Athena views compute `day`, `hour`, `weekday`.
    views_timezone: str = "UTC"
    # Daily Glue run: local wall-clock time HH:MM in `schedule_timezone`.
    schedule_time: str = "02:00"
    schedule_timezone: str = "UTC"
    glue_worker_type: str = "G.1X"
    glue_number_of_workers: int = 2
    glue_timeout_minutes: int = 60
    # FLEX runs on spare capacity at ~1/3 less per DPU-hour, but may start minutes later.
    glue_execution_class: str = "STANDARD"
    # Glue retries a failed run this many times (each retry starts with the job's recovery).
    glue_max_retries: int = 1
    # A scheduled run (no dates) takes at most this many missed arrival days, oldest first;
    # a longer gap raises the catch-up alarm (passed as the job's --max_catch_up_days).
    max_catch_up_days: int = 30
    # Raw objects move to a cheaper class after this many days (objects >= 128 KiB only).
    raw_transition_days: int = 30
    raw_transition_storage_class: str = "STANDARD_IA"
    # Older versions of raw objects (re-deliveries overwrite the same key, expiry below and
    # erasure leave them too) expire after this many days of being noncurrent.
    raw_noncurrent_expiry_days: int = 30
    # Retention (docs/privacy.md). None = kept until deleted: nothing expires unless set.
    # Raw objects (raw/ and firehose-errors/) expire this many days after they were written;
    # their older versions go raw_noncurrent_expiry_days later.
    raw_expiry_days: int | None = None
    # Quarantined lines (quarantine/ in the curated bucket) expire after this many days.
    quarantine_expiry_days: int | None = None
    # The Glue job drops curated partitions (dt = event date) older than this many days
    # (its --curated_retention_days).
    curated_retention_days: int | None = None
    # `plain` or `pseudonymous` (people's ids become keyed pseudonyms, no names are stored)
    # and `keep` or `drop` (no message text is stored): the job's --privacy_mode and
    # --text_policy. The key is a Secrets Manager secret the stack generates.
    privacy_mode: str = PRIVACY_PLAIN
    text_policy: str = TEXT_KEEP
    athena_results_expiry_days: int = 7
    bytes_scanned_cutoff: int = 10 * 1024**3
    alarm_email: str | None = None
    # Hours without a stored update before the "no updates" alarm fires (0 = no alarm).
    stale_alarm_hours: int = 24
    raw_sink: RawSinkKind = "s3"
    firehose_buffer_seconds: int = 300
    enable_quicksight: bool = False
    quicksight_principal_arn: str | None = None
    # QuickSight's own service role; the stack lets it read the lake (QuickSight flag only).
    quicksight_service_role_name: str = "aws-quicksight-service-role-v0"
    # First `dt` that partition projection enumerates (queries without a dt filter list
    # every day from here to today).
    projection_start_date: str = "2024-01-01"
    # RETAIN the raw and curated buckets (and the access logs) when the stack is deleted.
    retain_data: bool = True
    lambda_reserved_concurrency: int | None = None
    # The webhook Lambda's timeout; its AWS clients' timeouts and retries are derived from
    # it (env FUNCTION_TIMEOUT_SECONDS, see ingest_lambda.aws), so a hanging S3 still gets
    # a logged 503 before the function times out.
    lambda_timeout_seconds: int = 10
    # Rejected webhook requests (401/4xx) in REJECTED_ALARM_MINUTES that raise the alarm
    # (0 = no alarm). A rotated secret without set-webhook makes every delivery a 401.
    rejected_alarm_threshold: int = 5
    log_retention_days: int = 30
    # The erasure job (forget-user) scans the whole raw zone: it may run longer than a day.
    erasure_timeout_minutes: int = 180

    def __post_init__(self) -> None:
        if not _PROJECT_NAME.fullmatch(self.project_name):
            raise ConfigError(
                "project_name must be 3-32 characters of a-z, 0-9 and '-', starting with a "
                f"letter, got {self.project_name!r}"
            )
        for key in ("views_timezone", "schedule_timezone"):
            _check_timezone(key, getattr(self, key))
        if not _HH_MM.fullmatch(self.schedule_time):
            raise ConfigError(f"schedule_time must be HH:MM (24 h), got {self.schedule_time!r}")
        if self.glue_worker_type not in GLUE_WORKER_TYPES:
            raise ConfigError(f"glue_worker_type must be one of {', '.join(GLUE_WORKER_TYPES)}")
        if self.glue_number_of_workers < 2:
            raise ConfigError("glue_number_of_workers must be at least 2 (driver + executor)")
        _check_range("glue_timeout_minutes", self.glue_timeout_minutes, 1, 2880)
        _check_range("glue_max_retries", self.glue_max_retries, 0, 10)
        _check_range("max_catch_up_days", self.max_catch_up_days, 1, 366)
        if self.glue_execution_class not in GLUE_EXECUTION_CLASSES:
            raise ConfigError(
                f"glue_execution_class must be one of {', '.join(GLUE_EXECUTION_CLASSES)}"
            )
        if self.raw_transition_storage_class not in RAW_TRANSITION_CLASSES:
            raise ConfigError(
                f"raw_transition_storage_class must be one of {', '.join(RAW_TRANSITION_CLASSES)}"
            )
        # S3 refuses lifecycle transitions to STANDARD_IA earlier than 30 days.
        minimum_days = 30 if self.raw_transition_storage_class == "STANDARD_IA" else 0
        _check_range("raw_transition_days", self.raw_transition_days, minimum_days, 36500)
        _check_range("raw_noncurrent_expiry_days", self.raw_noncurrent_expiry_days, 1, 36500)
        _check_range("athena_results_expiry_days", self.athena_results_expiry_days, 1, 36500)
        for key in ("raw_expiry_days", "quarantine_expiry_days", "curated_retention_days"):
            value = getattr(self, key)
            if value is not None:
                _check_range(key, value, 1, 36500)
        if self.privacy_mode not in PRIVACY_MODES:
            raise ConfigError(f"privacy_mode must be one of {', '.join(PRIVACY_MODES)}")
        if self.text_policy not in TEXT_POLICIES:
            raise ConfigError(f"text_policy must be one of {', '.join(TEXT_POLICIES)}")
        if self.bytes_scanned_cutoff < MIN_BYTES_SCANNED_CUTOFF:
            raise ConfigError(f"bytes_scanned_cutoff must be >= {MIN_BYTES_SCANNED_CUTOFF}")
        if self.alarm_email is not None and not _EMAIL.fullmatch(self.alarm_email):
            raise ConfigError(f"alarm_email is not an e-mail address: {self.alarm_email!r}")
        _check_range("stale_alarm_hours", self.stale_alarm_hours, 0, 168)
        if self.raw_sink not in RAW_SINK_KINDS:
            raise ConfigError(f"raw_sink must be one of {', '.join(RAW_SINK_KINDS)}")
        _check_range("firehose_buffer_seconds", self.firehose_buffer_seconds, 0, 900)
        if self.enable_quicksight and not self.quicksight_principal_arn:
            raise ConfigError(
                "enable_quicksight needs quicksight_principal_arn "
                "(arn:aws:quicksight:REGION:ACCOUNT:user/default/NAME)"
            )
        if self.quicksight_principal_arn and not _QUICKSIGHT_PRINCIPAL.fullmatch(
            self.quicksight_principal_arn
        ):
            raise ConfigError(
                f"quicksight_principal_arn is not a QuickSight user/group ARN: "
                f"{self.quicksight_principal_arn!r}"
            )
        try:
            date.fromisoformat(self.projection_start_date)
        except ValueError:
            raise ConfigError(
                f"projection_start_date must be YYYY-MM-DD, got {self.projection_start_date!r}"
            ) from None
        if self.lambda_reserved_concurrency is not None:
            _check_range("lambda_reserved_concurrency", self.lambda_reserved_concurrency, 1, 1000)
        # 5 s leaves one AWS attempt of 2 s read; Function URLs wait at most 15 minutes, but
        # Telegram's deliveries should not.
        _check_range("lambda_timeout_seconds", self.lambda_timeout_seconds, 5, 60)
        _check_range("rejected_alarm_threshold", self.rejected_alarm_threshold, 0, 100_000)
        _check_range("erasure_timeout_minutes", self.erasure_timeout_minutes, 1, 2880)
        if self.log_retention_days not in LOG_RETENTION_DAYS:
            raise ConfigError(
                "log_retention_days must be a CloudWatch Logs retention value, e.g. 7, 30, 90"
            )

    # ---- derived names -------------------------------------------------------------------

    @property
    def stack_name(self) -> str:
        return self.project_name

    @property
    def database_name(self) -> str:
        # Glue/Athena database names: lower case, digits and underscores.
        return self.project_name.replace("-", "_")

    @property
    def workgroup_name(self) -> str:
        return self.project_name

    @property
    def glue_job_name(self) -> str:
        return f"{self.project_name}-etl"

    @property
    def glue_log_group_prefix(self) -> str:
        """Glue 5.x writes the job's logs to `<prefix>/error` and `<prefix>/output`."""
        return f"/aws-glue/jobs/{self.glue_job_name}"

    @property
    def erasure_job_name(self) -> str:
        return f"{self.project_name}-forget-users"

    @property
    def erasure_log_group_prefix(self) -> str:
        return f"/aws-glue/jobs/{self.erasure_job_name}"

    @property
    def firehose_stream_name(self) -> str:
        return f"{self.project_name}-raw"

    @property
    def schedule_cron(self) -> str:
        """EventBridge Scheduler cron (minutes hours day month weekday year), local time."""
        hours, minutes = (int(part) for part in self.schedule_time.split(":"))
        return f"cron({minutes} {hours} * * ? *)"

    # ---- construction ---------------------------------------------------------------------

    @classmethod
    def from_sources(
        cls,
        context: Callable[[str], Any] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> LakeConfig:
        """Build from `context(key)` (e.g. `app.node.try_get_context`), env, then defaults.

        Context wins over env so that `-c key=value` on the command line always applies.
        Values may be typed (from cdk.json) or strings (from `-c` / env); both are coerced.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = context(spec.name) if context is not None else None
            if raw is None:
                raw = env.get(ENV_PREFIX + spec.name.upper())
            if raw is None:
                continue
            values[spec.name] = _coerce(spec.name, raw, str(spec.type))
        return cls(**values)


# CloudWatch Logs accepts only these retention periods (days).
LOG_RETENTION_DAYS = frozenset(
    {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
     2922, 3288, 3653}
)  # fmt: skip


def _coerce(key: str, raw: Any, type_name: str) -> Any:
    """Turn a context/env value into the field's type; '' or 'none' means None if optional."""
    optional = "None" in type_name
    if isinstance(raw, str):
        text = raw.strip()
        if optional and text.lower() in {"", "none", "null"}:
            return None
        if type_name.startswith("bool"):
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ConfigError(f"{key} must be true or false, got {raw!r}")
        if type_name.startswith("int"):
            try:
                return int(text.replace("_", ""))
            except ValueError:
                raise ConfigError(f"{key} must be an integer, got {raw!r}") from None
        return text
    if type_name.startswith("bool") and not isinstance(raw, bool):
        raise ConfigError(f"{key} must be true or false, got {raw!r}")
    if type_name.startswith("int") and (isinstance(raw, bool) or not isinstance(raw, int)):
        raise ConfigError(f"{key} must be an integer, got {raw!r}")
    return raw


def _check_range(key: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ConfigError(f"{key} must be between {low} and {high}, got {value}")


def _check_timezone(key: str, name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{key} must be an IANA timezone like Europe/Berlin, got {name!r}"
        ) from None
