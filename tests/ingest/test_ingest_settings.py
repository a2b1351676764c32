"""Settings from the environment: defaults, fail-fast errors, secrets from SSM / Secrets Manager."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from ingest_helpers import EVENT_SECRET
from moto import mock_aws

from ingest_lambda import handler as handler_module
from ingest_lambda.settings import ConfigError, Settings, fetch_secret
from ingest_lambda.storage import FileSink, S3Sink, sink_for

LoadEvent = Callable[[str], dict[str, Any]]
SSM_NAME = "/telegram-lake/webhook-secret"
SM_NAME = "telegram-lake/webhook-secret"


def env(**values: str) -> dict[str, str]:
    return {"WEBHOOK_SECRET": EVENT_SECRET, **values}


def test_local_defaults(tmp_path: Path) -> None:
    settings = Settings.from_env(env(RAW_URI=f"file://{tmp_path}/raw"))

    assert settings.raw_sink == "file"
    assert settings.raw_uri == f"file://{tmp_path}/raw"
    assert settings.max_body_bytes == 1_048_576
    assert settings.webhook_secret == EVENT_SECRET
    sink = sink_for(settings)
    assert isinstance(sink, FileSink)
    assert sink.root == tmp_path / "raw"


@pytest.mark.parametrize("raw_uri", ["file://./.lake/raw", ".lake/raw", "./.lake/raw"])
def test_relative_local_paths_resolve_against_cwd(
    raw_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    settings = Settings.from_env(env(RAW_URI=raw_uri))

    assert settings.raw_uri == f"file://{tmp_path}/.lake/raw"
    monkeypatch.chdir("/")  # resolved once: a later chdir changes nothing
    sink = sink_for(settings)
    assert isinstance(sink, FileSink)
    assert sink.root == tmp_path / ".lake" / "raw"


def test_s3_uri_selects_the_s3_sink() -> None:
    settings = Settings.from_env(env(RAW_URI="s3://raw-bucket/telegram/"))

    assert settings.raw_sink == "s3"
    assert settings.raw_uri == "s3://raw-bucket/telegram/"
    assert settings.s3_sse == "AES256"
    assert isinstance(sink_for(settings, client=object()), S3Sink)


def test_firehose_needs_a_stream_and_caps_the_body_limit() -> None:
    with pytest.raises(ConfigError, match="FIREHOSE_STREAM_NAME"):
        Settings.from_env(env(RAW_SINK="firehose"))

    settings = Settings.from_env(env(RAW_SINK="FIREHOSE", FIREHOSE_STREAM_NAME="raw-updates"))

    assert settings.raw_sink == "firehose"
    assert settings.raw_uri is None
    assert settings.max_body_bytes == 1_023_999  # Firehose's 1,000 KiB record minus the newline
    with pytest.raises(ConfigError, match="Firehose record size limit"):
        Settings.from_env(
            env(RAW_SINK="firehose", FIREHOSE_STREAM_NAME="raw", MAX_BODY_BYTES="1048576")
        )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"RAW_URI": "s3://b/p"}, "no webhook secret configured"),
        ({"RAW_URI": "s3://b/p", "WEBHOOK_SECRET": "   "}, "no webhook secret configured"),
        (
            {"RAW_URI": "s3://b/p", "WEBHOOK_SECRET": "a", "WEBHOOK_SECRET_PARAM": "/x"},
            "set only one of WEBHOOK_SECRET and WEBHOOK_SECRET_PARAM",
        ),
        ({"RAW_URI": "s3://b/p", "WEBHOOK_SECRET": "has space"}, "A-Z a-z 0-9 _ -"),
        ({"RAW_URI": "s3://b/p", "WEBHOOK_SECRET": "x" * 257}, "1-256 characters"),
        ({"RAW_URI": "s3://b/p", "WEBHOOK_SECRET": "sécret"}, "A-Z a-z 0-9 _ -"),
        ({"WEBHOOK_SECRET": "abc"}, "RAW_URI is required"),
        ({"WEBHOOK_SECRET": "abc", "RAW_SINK": "s3"}, "RAW_URI is required"),
        ({"WEBHOOK_SECRET": "abc", "RAW_URI": "gs://bucket/x"}, "file:// URI or a plain path"),
        ({"WEBHOOK_SECRET": "abc", "RAW_URI": "s3:///x"}, "no bucket"),
        ({"WEBHOOK_SECRET": "abc", "RAW_URI": "file://nas/raw"}, "remote host"),
        ({"WEBHOOK_SECRET": "abc", "RAW_URI": "/tmp/raw", "RAW_SINK": "s3"}, "s3://"),
        ({"WEBHOOK_SECRET": "abc", "RAW_URI": "s3://b", "RAW_SINK": "file"}, "file://"),
        ({"WEBHOOK_SECRET": "abc", "RAW_URI": "s3://b", "RAW_SINK": "kinesis"}, "RAW_SINK"),
        ({"WEBHOOK_SECRET": "abc", "RAW_URI": "s3://b", "MAX_BODY_BYTES": "1MB"}, "integer"),
        ({"WEBHOOK_SECRET": "abc", "RAW_URI": "s3://b", "MAX_BODY_BYTES": "0"}, "positive"),
        ({"WEBHOOK_SECRET": "abc", "RAW_URI": "s3://b", "RAW_SSE": "none"}, "RAW_SSE"),
    ],
)
def test_misconfiguration_fails_fast_with_a_clear_message(
    values: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(values)


def test_longest_allowed_secret_is_accepted() -> None:
    secret = "Az09_-" * 42 + "abcd"
    assert len(secret) == 256

    assert Settings.from_env({"RAW_URI": "s3://b", "WEBHOOK_SECRET": secret}).webhook_secret == (
        secret
    )


def test_secret_is_not_in_repr_and_settings_are_frozen() -> None:
    settings = Settings.from_env(env(RAW_URI="s3://raw-bucket/p"))

    assert EVENT_SECRET not in repr(settings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.webhook_secret = "other"  # type: ignore[misc]


def test_kms_settings_reach_the_s3_sink() -> None:
    settings = Settings.from_env(
        env(RAW_URI="s3://raw-bucket/p", RAW_SSE="aws:kms", RAW_KMS_KEY_ID="alias/raw")
    )

    assert (settings.s3_sse, settings.s3_kms_key_id) == ("aws:kms", "alias/raw")


@pytest.fixture
def aws(aws_credentials: None) -> Iterator[None]:
    with mock_aws():
        yield


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize("reference", [SSM_NAME, f"ssm:{SSM_NAME}", "arn"])
def test_secret_from_ssm_securestring(reference: str) -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    ssm.put_parameter(Name=SSM_NAME, Value="from-ssm_secret\n", Type="SecureString")
    if reference == "arn":
        reference = "arn:aws:ssm:us-east-1:123456789012:parameter/telegram-lake/webhook-secret"

    settings = Settings.from_env({"RAW_URI": "s3://b/p", "WEBHOOK_SECRET_PARAM": reference})

    assert settings.webhook_secret == "from-ssm_secret"  # trailing newline dropped


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize("form", ["prefix", "arn"])
def test_secret_from_secrets_manager(form: str) -> None:
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    arn = secrets.create_secret(Name=SM_NAME, SecretString="from-secrets_manager")["ARN"]
    reference = f"secretsmanager:{SM_NAME}" if form == "prefix" else arn
    assert reference.startswith(("secretsmanager:", "arn:aws:secretsmanager:"))

    settings = Settings.from_env({"RAW_URI": "s3://b/p", "WEBHOOK_SECRET_PARAM": reference})

    assert settings.webhook_secret == "from-secrets_manager"


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize("reference", ["/telegram-lake/missing", "secretsmanager:missing"])
def test_unreadable_secret_is_a_config_error(reference: str) -> None:
    with pytest.raises(ConfigError, match="could not read the webhook secret"):
        Settings.from_env({"RAW_URI": "s3://b/p", "WEBHOOK_SECRET_PARAM": reference})


def test_empty_stored_secret_is_a_config_error() -> None:
    class EmptySsm:
        def get_parameter(self, **kwargs: Any) -> dict[str, Any]:
            return {"Parameter": {"Value": " \n"}}

    with pytest.raises(ConfigError, match="is empty"):
        fetch_secret("/x", ssm_client=EmptySsm())


def test_ssm_is_read_with_decryption_by_injected_client() -> None:
    calls: list[dict[str, Any]] = []

    class RecordingSsm:
        def get_parameter(self, **kwargs: Any) -> dict[str, Any]:
            calls.append(kwargs)
            return {"Parameter": {"Value": "abc"}}

    assert fetch_secret("/x", ssm_client=RecordingSsm()) == "abc"
    assert calls == [{"Name": "/x", "WithDecryption": True}]


@pytest.mark.usefixtures("aws")
def test_secret_is_fetched_once_per_cold_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, load_event: LoadEvent
) -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    ssm.put_parameter(Name=SSM_NAME, Value=EVENT_SECRET, Type="SecureString")
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    monkeypatch.delenv("RAW_SINK", raising=False)
    monkeypatch.setenv("WEBHOOK_SECRET_PARAM", SSM_NAME)
    monkeypatch.setenv("RAW_URI", str(tmp_path / "raw"))
    handler_module.default_ingestor.cache_clear()
    try:
        assert handler_module.handler(load_event("message"), None)["statusCode"] == 200
        # Rotated in SSM: this warm container keeps the secret it read at cold start.
        ssm.put_parameter(Name=SSM_NAME, Value="rotated", Type="SecureString", Overwrite=True)
        assert handler_module.handler(load_event("edited_message"), None)["statusCode"] == 200
        handler_module.default_ingestor.cache_clear()  # next cold start sees the new value
        assert handler_module.handler(load_event("message"), None)["statusCode"] == 401
    finally:
        handler_module.default_ingestor.cache_clear()
