"""The erasure job's arguments: ids, the request, the key (no Spark, no AWS)."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from glue_jobs.erasure.config import ErasureConfig, ErasureInputError, parse_user_ids
from lake.keys import read_key as read_privacy_key
from lake.privacy import PrivacyKeyError

KEY = "0123456789abcdef0123456789abcdef"
ZONES = {"raw_uri": "r", "curated_uri": "c", "quarantine_uri": "q", "privacy_key_uri": "k"}


def test_ids_are_parsed_sorted_and_deduplicated() -> None:
    assert parse_user_ids(" 42, 7,42 ") == (7, 42)
    assert parse_user_ids([7397125524, "233833463"]) == (233833463, 7397125524)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a Telegram user id: ''"),
        ("12,,13", "not a Telegram user id: ''"),
        ("-5", "not a Telegram user id: '-5'"),
        ("0", "ids are positive"),
        ("1e9", "not a Telegram user id: '1e9'"),
        ("99999999999999999", "not a Telegram user id"),
        ("777000", "777000 is a Telegram service account"),
        ("1087968824", "service account"),
        ("136817688", "service account"),
    ],
)
def test_bad_ids_are_refused(text: str, message: str) -> None:
    with pytest.raises(ErasureInputError, match=message):
        parse_user_ids(text)


def test_a_boolean_is_no_id() -> None:
    with pytest.raises(ErasureInputError):
        parse_user_ids([True])


def test_exactly_one_source_of_ids() -> None:
    with pytest.raises(ErasureInputError, match="exactly one"):
        ErasureConfig(**ZONES)
    with pytest.raises(ErasureInputError, match="exactly one"):
        ErasureConfig(**ZONES, user_ids=(1,), user_ids_uri="s3://b/r.json")


def test_config_from_job_arguments() -> None:
    config = ErasureConfig.from_options(
        {**ZONES, "user_ids": "5,3", "io_threads": "4", "JOB_NAME": "x", "erasure_id": "e-1"}
    )
    assert (config.user_ids, config.io_threads, config.erasure_id) == ((3, 5), 4, "e-1")
    with pytest.raises(ErasureInputError, match="io_threads"):
        ErasureConfig.from_options({**ZONES, "user_ids": "5", "io_threads": "many"})
    with pytest.raises(ErasureInputError, match="erasure_id"):
        ErasureConfig.from_options({**ZONES, "user_ids": "5", "erasure_id": "../etc"})


def test_key_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "privacy.key"
    path.write_text(KEY + "\n", "utf-8")
    assert read_privacy_key(str(path)) == KEY
    assert read_privacy_key(path.as_uri()) == KEY
    with pytest.raises(PrivacyKeyError, match="no privacy key file"):
        read_privacy_key(str(tmp_path / "missing.key"))
    (tmp_path / "short.key").write_text("short", "utf-8")
    with pytest.raises(PrivacyKeyError, match="at least 32"):
        read_privacy_key(str(tmp_path / "short.key"))


def test_key_from_secrets_manager(aws_credentials: None) -> None:
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        arn = client.create_secret(Name="privacy-key", SecretString=KEY)["ARN"]
        assert read_privacy_key(f"secretsmanager:{arn}", secretsmanager=client) == KEY
        assert read_privacy_key("secretsmanager:privacy-key", secretsmanager=client) == KEY
        with pytest.raises(PrivacyKeyError, match="cannot read the privacy key secret") as error:
            read_privacy_key("secretsmanager:nope", secretsmanager=client)
        assert KEY not in str(error.value)
