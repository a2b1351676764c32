"""Privacy in the stack: retention lifecycle rules only when set, the job's privacy and
retention arguments, and the generated privacy key that only Glue roles may read."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from infra_helpers import Synth, as_list, etl_job, join, logical_id_of

from infra.config import ConfigError, LakeConfig

pytestmark = pytest.mark.infra


def lifecycle_rules(synth: Synth, bucket: str) -> dict[str, dict[str, Any]]:
    bucket_id = logical_id_of(synth, "AWS::S3::Bucket", f"Storage{bucket}")
    props = synth.template["Resources"][bucket_id]["Properties"]
    return {rule["Id"]: rule for rule in props["LifecycleConfiguration"]["Rules"]}


def job_arguments(synth: Synth) -> dict[str, Any]:
    _, job = etl_job(synth)
    arguments: dict[str, Any] = job["Properties"]["DefaultArguments"]
    return arguments


def privacy_key_id(synth: Synth) -> str:
    return logical_id_of(synth, "AWS::SecretsManager::Secret", "PrivacyKey")


# --- config --------------------------------------------------------------------------------


def test_nothing_expires_and_nothing_is_pseudonymised_by_default() -> None:
    config = LakeConfig()
    assert config.raw_expiry_days is None
    assert config.quarantine_expiry_days is None
    assert config.curated_retention_days is None
    assert config.raw_noncurrent_expiry_days == 30
    assert (config.privacy_mode, config.text_policy) == ("plain", "keep")


def test_privacy_keys_from_cli_strings() -> None:
    context = {
        "raw_expiry_days": "365",
        "quarantine_expiry_days": "none",
        "curated_retention_days": "730",
        "privacy_mode": "pseudonymous",
        "text_policy": "drop",
    }
    config = LakeConfig.from_sources(context.get, {})
    assert config.raw_expiry_days == 365
    assert config.quarantine_expiry_days is None
    assert config.curated_retention_days == 730
    assert (config.privacy_mode, config.text_policy) == ("pseudonymous", "drop")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"raw_expiry_days": 0}, "raw_expiry_days must be between 1 and 36500"),
        ({"quarantine_expiry_days": -3}, "quarantine_expiry_days"),
        ({"curated_retention_days": 0}, "curated_retention_days"),
        ({"privacy_mode": "anonymous"}, "privacy_mode must be one of plain, pseudonymous"),
        ({"text_policy": "hash"}, "text_policy must be one of keep, drop"),
    ],
)
def test_bad_privacy_values_are_refused(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        LakeConfig(**values)


# --- retention -----------------------------------------------------------------------------


def test_no_retention_rules_unless_set(default_synth: Synth) -> None:
    assert set(lifecycle_rules(default_synth, "Raw")) == {
        "raw-to-cheaper-class",
        "expire-overwritten-versions",
    }
    assert set(lifecycle_rules(default_synth, "Curated")) == {"abort-incomplete-uploads"}
    for bucket in ("Raw", "Curated"):
        for rule in lifecycle_rules(default_synth, bucket).values():
            assert "ExpirationInDays" not in rule


def test_raw_expiry_covers_both_raw_prefixes_and_their_versions(full_synth: Synth) -> None:
    rules = lifecycle_rules(full_synth, "Raw")
    assert rules["expire-raw"] == {
        "Id": "expire-raw",
        "Prefix": "raw/",
        "ExpirationInDays": 400,
        "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
        "Status": "Enabled",
    }
    assert rules["expire-firehose-errors"] == {
        "Id": "expire-firehose-errors",
        "Prefix": "firehose-errors/",
        "ExpirationInDays": 400,
        "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
        "Status": "Enabled",
    }
    assert rules["remove-expired-delete-markers"]["ExpiredObjectDeleteMarker"] is True
    # The older versions of overwritten updates follow the same setting.
    assert rules["expire-overwritten-versions"]["NoncurrentVersionExpiration"] == {
        "NoncurrentDays": 7
    }


def test_quarantine_expires_but_curated_data_is_left_to_the_job(full_synth: Synth) -> None:
    rules = lifecycle_rules(full_synth, "Curated")
    assert rules["expire-quarantine"] == {
        "Id": "expire-quarantine",
        "Prefix": "quarantine/",
        "ExpirationInDays": 30,
        "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
        "Status": "Enabled",
    }
    # Curated partitions are dropped by the job (which counts them), never by S3.
    expiring = [rule for rule in rules.values() if "ExpirationInDays" in rule]
    assert [rule["Prefix"] for rule in expiring] == ["quarantine/"]


# --- the job's arguments ----------------------------------------------------------------------


def test_job_gets_plain_mode_and_the_key_by_default(default_synth: Synth) -> None:
    arguments = job_arguments(default_synth)
    assert arguments["--privacy_mode"] == "plain"
    assert arguments["--text_policy"] == "keep"
    assert arguments["--privacy_key_uri"] == join(
        "secretsmanager:", {"Ref": privacy_key_id(default_synth)}
    )
    assert "--curated_retention_days" not in arguments


def test_job_gets_the_configured_privacy_and_retention(full_synth: Synth) -> None:
    arguments = job_arguments(full_synth)
    assert arguments["--privacy_mode"] == "pseudonymous"
    assert arguments["--text_policy"] == "drop"
    assert arguments["--curated_retention_days"] == "365"
    assert arguments["--privacy_key_uri"] == join(
        "secretsmanager:", {"Ref": privacy_key_id(full_synth)}
    )


# --- the privacy key ------------------------------------------------------------------------


def test_key_is_generated_as_64_hex_digits_and_kept_with_the_data(
    default_synth: Synth, full_synth: Synth
) -> None:
    secret = default_synth.template["Resources"][privacy_key_id(default_synth)]
    assert secret["Properties"]["GenerateSecretString"] == {
        "ExcludeCharacters": "ghijklmnopqrstuvwxyz",
        "ExcludePunctuation": True,
        "ExcludeUppercase": True,
        "IncludeSpace": False,
        "PasswordLength": 64,
    }
    assert "SecretString" not in secret["Properties"]
    assert secret["DeletionPolicy"] == "Retain"
    # retain_data=false: deleted with the buckets it keys.
    full = full_synth.template["Resources"][privacy_key_id(full_synth)]
    assert full["DeletionPolicy"] == "Delete"
    assert not default_synth.resources("AWS::SecretsManager::RotationSchedule")


def test_the_generator_settings_yield_hex(
    default_synth: Synth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Secrets Manager's own generator (moto's copy) with the template's settings."""
    import boto3  # noqa: PLC0415
    from moto import mock_aws  # noqa: PLC0415

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    settings = default_synth.template["Resources"][privacy_key_id(default_synth)]["Properties"][
        "GenerateSecretString"
    ]
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        for _ in range(20):
            password = client.get_random_password(**settings)["RandomPassword"]
            assert re.fullmatch(r"[0-9a-f]{64}", password), password


def test_only_glue_roles_may_read_the_key(default_synth: Synth, full_synth: Synth) -> None:
    for synth in (default_synth, full_synth):
        key_ref = json.dumps({"Ref": privacy_key_id(synth)})
        readers: set[str] = set()
        policies = {
            **synth.resources("AWS::IAM::Policy"),
            **synth.resources("AWS::IAM::ManagedPolicy"),
        }
        for policy in policies.values():
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                if key_ref in json.dumps(statement["Resource"]):
                    assert statement["Action"] == "secretsmanager:GetSecretValue"
                    readers.update(role["Ref"] for role in policy["Properties"]["Roles"])
                for action in as_list(statement["Action"]):
                    # No statement reads secrets by wildcard.
                    if action.startswith("secretsmanager:"):
                        assert "*" not in as_list(statement["Resource"]), statement
        for role_id in synth.resources("AWS::IAM::Role"):
            inline = synth.template["Resources"][role_id]["Properties"].get("Policies", [])
            assert key_ref not in json.dumps(inline), role_id
        _, job = etl_job(synth)
        assert job["Properties"]["Role"]["Fn::GetAtt"][0] in readers
        for role_id in readers:
            trust = synth.template["Resources"][role_id]["Properties"]["AssumeRolePolicyDocument"]
            principals = [s["Principal"]["Service"] for s in trust["Statement"]]
            assert principals == ["glue.amazonaws.com"], role_id
        assert not synth.resources("AWS::SecretsManager::ResourcePolicy")


def test_key_arn_is_a_stack_output(default_synth: Synth) -> None:
    output = default_synth.template["Outputs"]["PrivacyKeySecretArn"]
    assert output["Value"] == {"Ref": privacy_key_id(default_synth)}
