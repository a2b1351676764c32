"""Webhook: Lambda settings, public Function URL, secret, least-privilege role, Firehose."""

from __future__ import annotations

from typing import Any

import pytest
from infra_helpers import Synth, as_list, get_att, join, logical_id_of

pytestmark = pytest.mark.infra


def webhook_function(synth: Synth) -> tuple[str, dict[str, Any]]:
    logical_id = logical_id_of(synth, "AWS::Lambda::Function", "IngestFunction")
    return logical_id, synth.template["Resources"][logical_id]["Properties"]


def webhook_role_id(synth: Synth) -> str:
    _, props = webhook_function(synth)
    role_id: str = props["Role"]["Fn::GetAtt"][0]
    return role_id


def all_actions(statements: list[dict[str, Any]]) -> set[str]:
    return {action for statement in statements for action in as_list(statement["Action"])}


def test_function_runtime_and_size(default_synth: Synth) -> None:
    _, props = webhook_function(default_synth)
    assert props["Handler"] == "ingest_lambda.handler.handler"
    assert props["Runtime"] == "python3.13"
    assert props["Architectures"] == ["arm64"]
    assert props["MemorySize"] == 256
    assert props["Timeout"] == 10
    assert "ReservedConcurrentExecutions" not in props


def test_function_environment_s3_sink(default_synth: Synth) -> None:
    _, props = webhook_function(default_synth)
    secret_id = logical_id_of(default_synth, "AWS::SecretsManager::Secret", "WebhookSecret")
    raw_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageRaw")
    assert props["Environment"]["Variables"] == {
        "WEBHOOK_SECRET_PARAM": {"Ref": secret_id},
        "RAW_SINK": "s3",
        "RAW_URI": join("s3://", {"Ref": raw_id}, "/raw"),
        # The function's timeout, which the handler's AWS client timeouts derive from.
        "FUNCTION_TIMEOUT_SECONDS": "10",
    }


def test_function_url_is_public_and_secret_header_is_the_auth(default_synth: Synth) -> None:
    function_id, _ = webhook_function(default_synth)
    default_synth.assertions.has_resource_properties(
        "AWS::Lambda::Url",
        {"AuthType": "NONE", "TargetFunctionArn": get_att(function_id)},
    )
    permissions = [
        resource["Properties"]
        for resource in default_synth.resources("AWS::Lambda::Permission").values()
        if resource["Properties"]["FunctionName"] == get_att(function_id)
    ]
    assert {
        "Action": "lambda:InvokeFunctionUrl",
        "FunctionName": get_att(function_id),
        "FunctionUrlAuthType": "NONE",
        "Principal": "*",
    } in permissions


def test_secret_is_generated_in_telegrams_alphabet(default_synth: Synth) -> None:
    secret_id = logical_id_of(default_synth, "AWS::SecretsManager::Secret", "WebhookSecret")
    secret = default_synth.template["Resources"][secret_id]
    generator = secret["Properties"]["GenerateSecretString"]
    assert generator["ExcludePunctuation"] is True
    assert generator["IncludeSpace"] is False
    assert generator["PasswordLength"] == 64
    assert secret["DeletionPolicy"] == "Delete"


def test_webhook_role_is_least_privilege_s3(default_synth: Synth) -> None:
    statements = default_synth.role_statements(webhook_role_id(default_synth))
    assert all_actions(statements) == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "secretsmanager:GetSecretValue",
        "s3:PutObject",
    }
    raw_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageRaw")
    (put,) = [s for s in statements if "s3:PutObject" in as_list(s["Action"])]
    assert put["Action"] == "s3:PutObject"
    assert put["Resource"] == join(get_att(raw_id), "/raw/*")
    secret_id = logical_id_of(default_synth, "AWS::SecretsManager::Secret", "WebhookSecret")
    (read,) = [s for s in statements if "secretsmanager:GetSecretValue" in as_list(s["Action"])]
    assert read["Resource"] == {"Ref": secret_id}
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert "*" not in as_list(statement["Resource"])
    role = default_synth.template["Resources"][webhook_role_id(default_synth)]["Properties"]
    assert "ManagedPolicyArns" not in role


def test_only_the_webhook_role_reads_the_secret(default_synth: Synth) -> None:
    secret_id = logical_id_of(default_synth, "AWS::SecretsManager::Secret", "WebhookSecret")
    readers: set[str] = set()
    for policy in default_synth.resources("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if {"Ref": secret_id} in as_list(statement["Resource"]):
                readers.update(role["Ref"] for role in policy["Properties"]["Roles"])
    assert readers == {webhook_role_id(default_synth)}


def test_firehose_variant_role_and_environment(full_synth: Synth) -> None:
    _, props = webhook_function(full_synth)
    stream_id, _ = full_synth.one("AWS::KinesisFirehose::DeliveryStream")
    variables = props["Environment"]["Variables"]
    assert variables["RAW_SINK"] == "firehose"
    assert variables["FIREHOSE_STREAM_NAME"] == "tg-lake-full-raw"
    assert (props["Timeout"], variables["FUNCTION_TIMEOUT_SECONDS"]) == (15, "15")
    assert "RAW_URI" not in variables
    assert props["ReservedConcurrentExecutions"] == 5

    statements = full_synth.role_statements(webhook_role_id(full_synth))
    assert all_actions(statements) == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "secretsmanager:GetSecretValue",
        "firehose:PutRecord",
    }
    (put,) = [s for s in statements if "firehose:PutRecord" in as_list(s["Action"])]
    assert put["Resource"] == get_att(stream_id)


def test_firehose_delivers_gzip_ndjson_by_arrival_day(full_synth: Synth) -> None:
    _, stream = full_synth.one("AWS::KinesisFirehose::DeliveryStream")
    props = stream["Properties"]
    assert props["DeliveryStreamName"] == "tg-lake-full-raw"
    assert props["DeliveryStreamType"] == "DirectPut"
    assert props["DeliveryStreamEncryptionConfigurationInput"] == {"KeyType": "AWS_OWNED_CMK"}
    s3 = props["ExtendedS3DestinationConfiguration"]
    raw_id = logical_id_of(full_synth, "AWS::S3::Bucket", "StorageRaw")
    assert s3["BucketARN"] == get_att(raw_id)
    assert s3["Prefix"] == "raw/dt=!{timestamp:yyyy-MM-dd}/"
    assert s3["ErrorOutputPrefix"] == (
        "firehose-errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/"
    )
    assert s3["CompressionFormat"] == "GZIP"
    assert s3["FileExtension"] == ".jsonl.gz"
    assert s3["CustomTimeZone"] == "UTC"
    assert "DynamicPartitioningConfiguration" not in s3


def test_firehose_role_writes_only_raw_and_error_prefixes(full_synth: Synth) -> None:
    _, stream = full_synth.one("AWS::KinesisFirehose::DeliveryStream")
    role_id = stream["Properties"]["ExtendedS3DestinationConfiguration"]["RoleARN"]["Fn::GetAtt"][0]
    raw_id = logical_id_of(full_synth, "AWS::S3::Bucket", "StorageRaw")
    statements = full_synth.role_statements(role_id)
    (writes,) = [s for s in statements if "s3:PutObject" in as_list(s["Action"])]
    assert writes["Resource"] == [
        join(get_att(raw_id), "/raw/*"),
        join(get_att(raw_id), "/firehose-errors/*"),
    ]
