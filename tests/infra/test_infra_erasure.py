"""The erasure Glue job in the stack: its arguments, and a role that alone may purge raw
versions (s3:DeleteObjectVersion on the raw prefix, nothing wider)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from infra_helpers import Synth, as_list, etl_job, get_att, join, logical_id_of

pytestmark = pytest.mark.infra

PURGE = "s3:DeleteObjectVersion"


def erasure_job(synth: Synth) -> tuple[str, dict[str, Any]]:
    logical_id = logical_id_of(synth, "AWS::Glue::Job", "ErasureJob")
    return logical_id, synth.template["Resources"][logical_id]


def all_statements(synth: Synth) -> list[tuple[str, dict[str, Any]]]:
    """(role logical id, statement) of every policy statement attached to a role."""
    found = []
    for policy in synth.resources("AWS::IAM::Policy").values():
        for role in policy["Properties"].get("Roles", []):
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                # A role of the stack by Ref; an outside role (QuickSight's) by name.
                found.append((role["Ref"] if isinstance(role, dict) else str(role), statement))
    for role_id, role in synth.resources("AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                found.append((role_id, statement))
    return found


def test_erasure_job_is_its_own_glue_job(default_synth: Synth) -> None:
    _, job = erasure_job(default_synth)
    props = job["Properties"]
    assert props["Name"] == "telegram-lake-forget-users"
    assert props["GlueVersion"] == "5.1"
    assert props["Command"]["Name"] == "glueetl"
    assert props["ExecutionProperty"] == {"MaxConcurrentRuns": 1}
    assert props["MaxRetries"] == 0
    assert props["Timeout"] == 180
    assert props["Role"] != etl_job(default_synth)[1]["Properties"]["Role"]


def test_erasure_job_arguments_name_the_zones_and_the_privacy_key(default_synth: Synth) -> None:
    _, job = erasure_job(default_synth)
    arguments = job["Properties"]["DefaultArguments"]
    raw_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageRaw")
    curated_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageCurated")
    key_id = logical_id_of(default_synth, "AWS::SecretsManager::Secret", "PrivacyKey")
    assert arguments["--raw_uri"] == join("s3://", {"Ref": raw_id}, "/raw")
    assert arguments["--curated_uri"] == join("s3://", {"Ref": curated_id}, "/curated")
    assert arguments["--quarantine_uri"] == join("s3://", {"Ref": curated_id}, "/quarantine")
    assert arguments["--privacy_key_uri"] == join("secretsmanager:", {"Ref": key_id})
    assert arguments["--custom-logGroup-prefix"] == "/aws-glue/jobs/telegram-lake-forget-users"
    # The people come per run (a request object), never as a default; no Spark UI event
    # logs, which would keep query plans holding the ids.
    assert "--user_ids" not in arguments
    assert "--user_ids_uri" not in arguments
    assert "--enable-spark-ui" not in arguments


def test_the_erasure_role_alone_purges_raw_versions_and_only_under_raw(
    default_synth: Synth, full_synth: Synth
) -> None:
    for synth in (default_synth, full_synth):
        role_id = erasure_job(synth)[1]["Properties"]["Role"]["Fn::GetAtt"][0]
        raw_id = logical_id_of(synth, "AWS::S3::Bucket", "StorageRaw")
        purging = [
            (role, statement)
            for role, statement in all_statements(synth)
            if any(action in (PURGE, "s3:*", "*") for action in as_list(statement["Action"]))
        ]
        assert [role for role, _ in purging] == [role_id]
        (_, statement) = purging[0]
        assert statement["Effect"] == "Allow"
        assert as_list(statement["Action"]) == [PURGE]
        assert as_list(statement["Resource"]) == [join(get_att(raw_id), "/raw/*")]


def test_the_erasure_role_writes_raw_curated_and_quarantine_only(default_synth: Synth) -> None:
    role_id = erasure_job(default_synth)[1]["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = default_synth.role_statements(role_id)
    raw_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageRaw")
    curated_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageCurated")
    writes = {"s3:PutObject", "s3:DeleteObject", PURGE}
    written = {
        json.dumps(resource, sort_keys=True)
        for statement in statements
        if writes & set(as_list(statement["Action"]))
        for resource in as_list(statement["Resource"])
    }
    assert written == {
        json.dumps(join(get_att(raw_id), "/raw/*"), sort_keys=True),
        json.dumps(join(get_att(curated_id), "/curated/*"), sort_keys=True),
        json.dumps(join(get_att(curated_id), "/quarantine/*"), sort_keys=True),
    }
    # DeleteObject (which leaves a delete marker) is not granted on raw: raw objects go by
    # version only, so no marker and no older version stays behind.
    raw_deletes = [
        statement
        for statement in statements
        if "s3:DeleteObject" in as_list(statement["Action"])
        and join(get_att(raw_id), "/raw/*") in as_list(statement["Resource"])
    ]
    assert raw_deletes == []


def test_the_erasure_role_lists_versions_only_under_raw(default_synth: Synth) -> None:
    role_id = erasure_job(default_synth)[1]["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = default_synth.role_statements(role_id)
    raw_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageRaw")
    versions = [s for s in statements if "s3:ListBucketVersions" in as_list(s["Action"])]
    assert len(versions) == 1
    assert versions[0]["Resource"] == get_att(raw_id)
    assert versions[0]["Condition"] == {"StringLike": {"s3:prefix": ["raw", "raw/*"]}}
    checks = [s for s in statements if "s3:GetBucketVersioning" in as_list(s["Action"])]
    assert [s["Resource"] for s in checks] == [get_att(raw_id)]


def test_the_etl_role_cannot_touch_raw_versions(default_synth: Synth) -> None:
    role_id = etl_job(default_synth)[1]["Properties"]["Role"]["Fn::GetAtt"][0]
    actions = {
        action for s in default_synth.role_statements(role_id) for action in as_list(s["Action"])
    }
    assert not actions & {PURGE, "s3:ListBucketVersions", "s3:GetObjectVersion"}
    raw_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageRaw")
    raw_objects = join(get_att(raw_id), "/raw/*")
    raw_actions = {
        action
        for s in default_synth.role_statements(role_id)
        if raw_objects in as_list(s["Resource"])
        for action in as_list(s["Action"])
    }
    assert raw_actions == {"s3:GetObject"}


def test_the_erasure_role_reads_the_privacy_key(default_synth: Synth) -> None:
    role_id = erasure_job(default_synth)[1]["Properties"]["Role"]["Fn::GetAtt"][0]
    key_id = logical_id_of(default_synth, "AWS::SecretsManager::Secret", "PrivacyKey")
    reads = [
        s
        for s in default_synth.role_statements(role_id)
        if "secretsmanager:GetSecretValue" in as_list(s["Action"])
    ]
    assert [s["Resource"] for s in reads] == [{"Ref": key_id}]


def test_nothing_schedules_the_erasure(default_synth: Synth) -> None:
    for schedule in default_synth.resources("AWS::Scheduler::Schedule").values():
        assert "forget-users" not in json.dumps(schedule["Properties"])


def test_erasure_job_name_is_an_output(default_synth: Synth) -> None:
    job_id, _ = erasure_job(default_synth)
    assert default_synth.template["Outputs"]["ErasureJobName"]["Value"] == {"Ref": job_id}


def test_erasure_log_groups_have_a_retention(full_synth: Synth) -> None:
    names = {
        group["Properties"]["LogGroupName"]: group["Properties"].get("RetentionInDays")
        for group in full_synth.resources("AWS::Logs::LogGroup").values()
        if isinstance(group["Properties"].get("LogGroupName"), str)
    }
    assert names["/aws-glue/jobs/tg-lake-full-forget-users/error"] == 90
    assert names["/aws-glue/jobs/tg-lake-full-forget-users/output"] == 90
