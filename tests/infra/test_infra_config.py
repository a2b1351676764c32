"""LakeConfig: defaults, context/env precedence and coercion, validation, derived names."""

from __future__ import annotations

from typing import Any

import pytest

from infra.config import ConfigError, LakeConfig


def test_defaults() -> None:
    config = LakeConfig()
    assert config.project_name == "telegram-lake"
    assert config.views_timezone == "UTC"
    assert config.schedule_time == "02:00"
    assert config.schedule_timezone == "UTC"
    assert config.glue_worker_type == "G.1X"
    assert config.glue_number_of_workers == 2
    assert config.raw_sink == "s3"
    assert config.enable_quicksight is False
    assert config.alarm_email is None
    assert config.retain_data is True
    assert config.bytes_scanned_cutoff == 10_737_418_240
    assert config.lambda_timeout_seconds == 10
    assert config.rejected_alarm_threshold == 5
    assert config.glue_max_retries == 1
    assert config.max_catch_up_days == 30


def test_derived_names() -> None:
    config = LakeConfig(project_name="my-lake", schedule_time="01:30")
    assert config.stack_name == "my-lake"
    assert config.database_name == "my_lake"
    assert config.workgroup_name == "my-lake"
    assert config.glue_job_name == "my-lake-etl"
    assert config.firehose_stream_name == "my-lake-raw"
    assert config.schedule_cron == "cron(30 1 * * ? *)"
    assert config.glue_log_group_prefix == "/aws-glue/jobs/my-lake-etl"


def test_context_beats_env_beats_default() -> None:
    context = {"views_timezone": "Europe/Berlin"}
    environ = {
        "TELEGRAM_LAKE_VIEWS_TIMEZONE": "Asia/Tokyo",
        "TELEGRAM_LAKE_SCHEDULE_TIMEZONE": "America/New_York",
    }
    config = LakeConfig.from_sources(context.get, environ)
    assert config.views_timezone == "Europe/Berlin"
    assert config.schedule_timezone == "America/New_York"
    assert config.schedule_time == "02:00"


def test_strings_from_cli_and_env_are_coerced() -> None:
    context: dict[str, Any] = {
        "glue_number_of_workers": "5",
        "enable_quicksight": "true",
        "quicksight_principal_arn": "arn:aws:quicksight:us-east-1:123456789012:user/default/me",
        "retain_data": "no",
        "alarm_email": "",
        "lambda_reserved_concurrency": "none",
        "bytes_scanned_cutoff": "1_000_000_000",
    }
    config = LakeConfig.from_sources(context.get, {})
    assert config.glue_number_of_workers == 5
    assert config.enable_quicksight is True
    assert config.retain_data is False
    assert config.alarm_email is None
    assert config.lambda_reserved_concurrency is None
    assert config.bytes_scanned_cutoff == 1_000_000_000


def test_typed_values_from_cdk_json_pass_through() -> None:
    context: dict[str, Any] = {"glue_number_of_workers": 4, "retain_data": False}
    config = LakeConfig.from_sources(context.get, {})
    assert config.glue_number_of_workers == 4
    assert config.retain_data is False


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"project_name": "Telegram_Lake"}, "project_name"),
        ({"views_timezone": "Mars/Olympus"}, "views_timezone"),
        ({"schedule_timezone": "CEST"}, "schedule_timezone"),
        ({"schedule_time": "25:00"}, "schedule_time"),
        ({"schedule_time": "2:00"}, "schedule_time"),
        ({"glue_worker_type": "G.025X"}, "glue_worker_type"),
        ({"glue_number_of_workers": 1}, "glue_number_of_workers"),
        ({"glue_execution_class": "SPOT"}, "glue_execution_class"),
        ({"raw_transition_days": 10}, "raw_transition_days"),
        ({"bytes_scanned_cutoff": 1000}, "bytes_scanned_cutoff"),
        ({"alarm_email": "not-an-address"}, "alarm_email"),
        ({"raw_sink": "kinesis"}, "raw_sink"),
        ({"enable_quicksight": True}, "quicksight_principal_arn"),
        ({"quicksight_principal_arn": "arn:aws:iam::123456789012:user/me"}, "quicksight"),
        ({"projection_start_date": "2024-13-01"}, "projection_start_date"),
        ({"log_retention_days": 31}, "log_retention_days"),
        ({"stale_alarm_hours": 200}, "stale_alarm_hours"),
        ({"lambda_timeout_seconds": 4}, "lambda_timeout_seconds"),
        ({"lambda_timeout_seconds": 61}, "lambda_timeout_seconds"),
        ({"rejected_alarm_threshold": -1}, "rejected_alarm_threshold"),
        ({"glue_max_retries": 11}, "glue_max_retries"),
        ({"max_catch_up_days": 0}, "max_catch_up_days"),
    ],
)
def test_invalid_values_are_refused_with_the_key(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        LakeConfig(**values)


def test_bad_strings_name_the_key() -> None:
    with pytest.raises(ConfigError, match="glue_number_of_workers must be an integer"):
        LakeConfig.from_sources({"glue_number_of_workers": "two"}.get, {})
    with pytest.raises(ConfigError, match="retain_data must be true or false"):
        LakeConfig.from_sources({"retain_data": "maybe"}.get, {})


def test_glacier_ir_may_transition_early() -> None:
    config = LakeConfig(raw_transition_storage_class="GLACIER_IR", raw_transition_days=7)
    assert config.raw_transition_days == 7
