"""Reading the privacy key: key files, Secrets Manager (moto), and what is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lake.keys import read_key, secret_region
from lake.privacy import PrivacyKeyError

KEY = "0f" * 32
REGION = "sa-east-1"


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def secretsmanager(aws_credentials: None) -> Iterator[Any]:
    import boto3  # noqa: PLC0415
    from moto import mock_aws  # noqa: PLC0415

    with mock_aws():
        yield boto3.client("secretsmanager", region_name=REGION)


def test_key_file_as_path_or_uri(tmp_path: Path) -> None:
    key_file = tmp_path / "privacy.key"
    key_file.write_text(f"  {KEY}\n", encoding="utf-8")
    assert read_key(str(key_file)) == KEY
    assert read_key(key_file.as_uri()) == KEY


def test_secret_by_arn_is_read_in_its_own_region(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="telegram-lake/privacy-key", SecretString=KEY)["ARN"]
    assert secret_region(arn) == REGION
    # No client given: the one made must look in sa-east-1, not the default us-east-1.
    assert read_key(f"secretsmanager:{arn}") == KEY
    assert (
        read_key("secretsmanager:telegram-lake/privacy-key", secretsmanager=secretsmanager) == KEY
    )


def test_a_missing_secret_names_itself(secretsmanager: Any) -> None:
    with pytest.raises(PrivacyKeyError, match="cannot read the privacy key secret nope"):
        read_key("secretsmanager:nope", secretsmanager=secretsmanager)


def test_a_binary_secret_is_refused(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="binary", SecretBinary=b"\x00" * 40)
    with pytest.raises(PrivacyKeyError, match="holds no text"):
        read_key("secretsmanager:binary", secretsmanager=secretsmanager)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("secretsmanager:", "names no secret"),
        ("s3://bucket/privacy.key", "local key file or secretsmanager"),
        ("file://otherhost/privacy.key", "cannot read the privacy key file"),
    ],
)
def test_unusable_uris_are_refused(uri: str, message: str) -> None:
    with pytest.raises(PrivacyKeyError, match=message):
        read_key(uri)


def test_a_short_key_is_refused_without_showing_it(tmp_path: Path) -> None:
    key_file = tmp_path / "privacy.key"
    key_file.write_text("tooshort-secret", encoding="utf-8")
    with pytest.raises(PrivacyKeyError) as error:
        read_key(str(key_file))
    assert "tooshort-secret" not in str(error.value)


def test_secret_region_of_names_and_arns() -> None:
    assert secret_region("telegram-lake/privacy-key") is None
    assert (
        secret_region("arn:aws:secretsmanager:eu-west-1:123456789012:secret:k-AbCdEf")
        == "eu-west-1"
    )
