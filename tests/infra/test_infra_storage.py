"""Buckets: encryption, public access block, TLS-only policy, versioning, lifecycle, retention."""

from __future__ import annotations

from typing import Any

import pytest
from infra_helpers import Synth, get_att, join

pytestmark = pytest.mark.infra

BLOCK_ALL = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}


def bucket_id(synth: Synth, name: str) -> str:
    ids = [lid for lid in synth.resources("AWS::S3::Bucket") if lid.startswith(f"Storage{name}")]
    assert len(ids) == 1, ids
    return ids[0]


def bucket_policy_statements(synth: Synth, logical_id: str) -> list[dict[str, Any]]:
    for policy in synth.resources("AWS::S3::BucketPolicy").values():
        if policy["Properties"]["Bucket"] == {"Ref": logical_id}:
            statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
            return statements
    raise AssertionError(f"no bucket policy for {logical_id}")


def test_four_buckets(default_synth: Synth) -> None:
    assert len(default_synth.resources("AWS::S3::Bucket")) == 4
    for name in ("Raw", "Curated", "AthenaResults", "AccessLogs"):
        bucket_id(default_synth, name)


@pytest.mark.parametrize("name", ["Raw", "Curated", "AthenaResults", "AccessLogs"])
def test_every_bucket_encrypted_private_and_tls_only(default_synth: Synth, name: str) -> None:
    logical_id = bucket_id(default_synth, name)
    props = default_synth.template["Resources"][logical_id]["Properties"]
    assert props["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
        ]
    }
    assert props["PublicAccessBlockConfiguration"] == BLOCK_ALL
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}

    arn = get_att(logical_id)
    statements = bucket_policy_statements(default_synth, logical_id)
    assert {
        "Action": "s3:*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Resource": [arn, join(arn, "/*")],
    } in statements
    assert {
        "Action": "s3:*",
        "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}},
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Resource": [arn, join(arn, "/*")],
    } in statements


@pytest.mark.parametrize("name", ["Raw", "Curated", "AthenaResults"])
def test_data_buckets_log_access(default_synth: Synth, name: str) -> None:
    props = default_synth.template["Resources"][bucket_id(default_synth, name)]["Properties"]
    logging = props["LoggingConfiguration"]
    assert logging["DestinationBucketName"] == {"Ref": bucket_id(default_synth, "AccessLogs")}


def test_raw_bucket_versioned_with_lifecycle(default_synth: Synth) -> None:
    props = default_synth.template["Resources"][bucket_id(default_synth, "Raw")]["Properties"]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = {rule["Id"]: rule for rule in props["LifecycleConfiguration"]["Rules"]}
    transition = rules["raw-to-cheaper-class"]
    # Defaults: STANDARD_IA after 30 days, only objects above 128 KiB (IA's billing floor).
    assert transition["Transitions"] == [{"StorageClass": "STANDARD_IA", "TransitionInDays": 30}]
    assert transition["ObjectSizeGreaterThan"] == "131072"
    assert transition["Status"] == "Enabled"
    versions = rules["expire-overwritten-versions"]
    assert versions["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}


def test_athena_results_expire(default_synth: Synth) -> None:
    props = default_synth.template["Resources"][bucket_id(default_synth, "AthenaResults")][
        "Properties"
    ]
    (rule,) = [
        rule
        for rule in props["LifecycleConfiguration"]["Rules"]
        if rule["Id"] == "expire-query-results"
    ]
    assert rule["ExpirationInDays"] == 7


def test_raw_and_curated_retained_by_default(default_synth: Synth) -> None:
    resources = default_synth.template["Resources"]
    for name in ("Raw", "Curated", "AccessLogs"):
        resource = resources[bucket_id(default_synth, name)]
        assert resource["DeletionPolicy"] == "Retain", name
        assert resource["UpdateReplacePolicy"] == "Retain", name
    assert resources[bucket_id(default_synth, "AthenaResults")]["DeletionPolicy"] == "Delete"


def test_retain_data_false_deletes_buckets(full_synth: Synth) -> None:
    resources = full_synth.template["Resources"]
    for name in ("Raw", "Curated", "AccessLogs", "AthenaResults"):
        assert resources[bucket_id(full_synth, name)]["DeletionPolicy"] == "Delete", name
    # Emptied by CDK's auto-delete custom resource, else CloudFormation cannot delete them.
    assert len(full_synth.resources("Custom::S3AutoDeleteObjects")) == 4
