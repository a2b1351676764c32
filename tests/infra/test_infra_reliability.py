"""What the stack does when things go wrong: the alarms that say so, the grants that stay
narrow, and the logs that expire.

Rejected-requests alarm; the alarm topic's KMS key and its publish grants (aws:SourceArn);
a retention on every log group and a log group for every Lambda; the Glue role's listing
limited to its prefixes; the views role limited to the views; the schedule's dead-letter
queue and its alarm; Glue's retry policy; the catch-up-bound alarm. Expected names are
written by hand, never read from the code under test.
"""

from __future__ import annotations

from typing import Any

import pytest
from infra_helpers import Synth, as_list, etl_job, get_att, join, logical_id_of

pytestmark = pytest.mark.infra

# The Glue job's marker line (lake/metrics.py), copied by hand on purpose.
CATCH_UP_MARKER = "telegram-lake: catch-up bound exceeded"
VIEW_WRITE_ACTIONS = {"glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable"}


def alarm_on(synth: Synth, metric_name: str) -> dict[str, Any]:
    (alarm,) = [
        alarm["Properties"]
        for alarm in synth.resources("AWS::CloudWatch::Alarm").values()
        if alarm["Properties"]["MetricName"] == metric_name
    ]
    return alarm


def topic_id(synth: Synth) -> str:
    logical_id, _ = synth.one("AWS::SNS::Topic")
    return logical_id


# ---- rejected requests ---------------------------------------------------------------------


def test_rejected_requests_alarm_reads_the_handlers_dimensionless_total(
    default_synth: Synth, full_synth: Synth
) -> None:
    alarm = alarm_on(default_synth, "Rejected")
    assert alarm["Namespace"] == "TelegramLake"
    assert "Dimensions" not in alarm  # the EMF total over every update type
    assert alarm["Statistic"] == "Sum"
    assert alarm["Period"] == 900
    assert alarm["EvaluationPeriods"] == 1
    assert alarm["Threshold"] == 5  # the documented default of rejected_alarm_threshold
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [{"Ref": topic_id(default_synth)}]

    assert alarm_on(full_synth, "Rejected")["Threshold"] == 20


# ---- the alarm topic -----------------------------------------------------------------------


def test_the_topic_is_encrypted_with_a_rotated_key_that_its_publishers_may_use(
    default_synth: Synth,
) -> None:
    key_id, key = default_synth.one("AWS::KMS::Key")
    _, topic = default_synth.one("AWS::SNS::Topic")
    assert topic["Properties"]["KmsMasterKeyId"] == get_att(key_id)
    assert key["Properties"]["EnableKeyRotation"] is True
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    (publishers,) = [
        s for s in statements if "Service" in s["Principal"] and s["Effect"] == "Allow"
    ]
    assert sorted(as_list(publishers["Principal"]["Service"])) == [
        "cloudwatch.amazonaws.com",
        "events.amazonaws.com",
    ]
    assert sorted(as_list(publishers["Action"])) == ["kms:Decrypt", "kms:GenerateDataKey*"]


def test_the_topic_policy_names_who_may_publish(default_synth: Synth) -> None:
    _, policy = default_synth.one("AWS::SNS::TopicPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    # No grant without a condition: before, EventBridge's had none.
    assert all(s.get("Condition") for s in allows)
    by_service = {s["Principal"]["Service"]: s for s in allows}
    assert set(by_service) == {"events.amazonaws.com", "cloudwatch.amazonaws.com"}

    rule_id, _ = default_synth.one("AWS::Events::Rule")
    events = by_service["events.amazonaws.com"]
    assert events["Action"] == "sns:Publish"
    assert events["Condition"] == {"ArnEquals": {"aws:SourceArn": get_att(rule_id)}}

    alarms = by_service["cloudwatch.amazonaws.com"]
    assert alarms["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert alarms["Condition"]["ArnLike"]["aws:SourceArn"] == join(
        "arn:",
        {"Ref": "AWS::Partition"},
        ":cloudwatch:",
        {"Ref": "AWS::Region"},
        ":",
        {"Ref": "AWS::AccountId"},
        ":alarm:*",
    )


# ---- log retention -------------------------------------------------------------------------


@pytest.mark.parametrize(("variant", "days"), [("default_synth", 30), ("full_synth", 90)])
def test_every_log_group_expires_and_every_function_has_one(
    variant: str, days: int, request: pytest.FixtureRequest
) -> None:
    synth: Synth = request.getfixturevalue(variant)
    log_groups = synth.resources("AWS::Logs::LogGroup")
    assert log_groups
    for logical_id, log_group in log_groups.items():
        assert log_group["Properties"].get("RetentionInDays") == days, logical_id

    functions = synth.resources("AWS::Lambda::Function")
    assert len(functions) >= 3  # webhook, views custom resource, S3 auto-delete provider
    for logical_id, function in functions.items():
        target = function["Properties"].get("LoggingConfig", {}).get("LogGroup")
        # Without its own group, Lambda creates /aws/lambda/<name> with no expiry.
        assert target is not None, logical_id
        assert target["Ref"] in log_groups, logical_id


def test_the_glue_jobs_log_groups_are_the_stacks(default_synth: Synth) -> None:
    names = {
        log_group["Properties"].get("LogGroupName")
        for log_group in default_synth.resources("AWS::Logs::LogGroup").values()
    }
    assert {
        "/aws-glue/jobs/telegram-lake-etl/error",
        "/aws-glue/jobs/telegram-lake-etl/output",
    } <= names


# ---- Glue role: listing ----------------------------------------------------------------------


def test_the_glue_role_lists_only_its_prefixes(default_synth: Synth) -> None:
    _, job = etl_job(default_synth)
    statements = default_synth.role_statements(job["Properties"]["Role"]["Fn::GetAtt"][0])
    raw_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageRaw")
    curated_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageCurated")

    listing = [s for s in statements if "s3:ListBucket" in as_list(s["Action"])]
    assert {str(s["Resource"]): s["Action"] for s in listing} == {
        str(get_att(raw_id)): "s3:ListBucket",
        str(get_att(curated_id)): "s3:ListBucket",
    }
    prefixes = {
        str(s["Resource"]): sorted(s["Condition"]["StringLike"]["s3:prefix"]) for s in listing
    }
    assert prefixes == {
        str(get_att(raw_id)): ["raw", "raw/*"],
        str(get_att(curated_id)): ["curated", "curated/*", "quarantine", "quarantine/*"],
    }


# ---- views role ------------------------------------------------------------------------------


def test_the_views_role_may_change_views_only(default_synth: Synth) -> None:
    function_id = logical_id_of(default_synth, "AWS::Lambda::Function", "CatalogViewsFunction")
    function = default_synth.template["Resources"][function_id]["Properties"]
    statements = default_synth.role_statements(function["Role"]["Fn::GetAtt"][0])
    _, views = default_synth.one("Custom::AthenaViews")
    view_names = {view["Name"] for view in views["Properties"]["Views"]}
    data_tables = {
        table["Properties"]["TableInput"]["Name"]
        for table in default_synth.resources("AWS::Glue::Table").values()
    }
    assert {"messages", "member_events"} <= data_tables

    def table_names(statement: dict[str, Any]) -> set[str]:
        names = set()
        for resource in as_list(statement["Resource"]):
            last = resource["Fn::Join"][1][-1] if isinstance(resource, dict) else resource
            if ":table/" in last:
                names.add(last.rsplit("/", 1)[1])
        return names

    writes = [s for s in statements if VIEW_WRITE_ACTIONS & set(as_list(s["Action"]))]
    assert writes
    written = set().union(*(table_names(s) for s in writes))
    assert written == view_names
    assert not written & data_tables
    assert "*" not in written
    glue_reads = [s for s in statements if "glue:GetTable" in as_list(s["Action"])]
    assert set().union(*(table_names(s) for s in glue_reads)) == view_names | data_tables


# ---- schedule: dead-letter queue, retries ----------------------------------------------------


def test_failed_starts_go_to_an_encrypted_dead_letter_queue_that_alarms(
    default_synth: Synth,
) -> None:
    queue_id, queue = default_synth.one("AWS::SQS::Queue")
    assert queue["Properties"]["SqsManagedSseEnabled"] is True
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    _, queue_policy = default_synth.one("AWS::SQS::QueuePolicy")
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in queue_policy["Properties"]["PolicyDocument"]["Statement"]
    )

    _, schedule = default_synth.one("AWS::Scheduler::Schedule")
    target = schedule["Properties"]["Target"]
    assert target["DeadLetterConfig"] == {"Arn": get_att(queue_id)}
    statements = default_synth.role_statements(target["RoleArn"]["Fn::GetAtt"][0])
    (send,) = [s for s in statements if s["Action"] == "sqs:SendMessage"]
    assert send["Resource"] == get_att(queue_id)

    alarm = alarm_on(default_synth, "ApproximateNumberOfMessagesVisible")
    assert alarm["Namespace"] == "AWS/SQS"
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": get_att(queue_id, "QueueName")}]
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (
        1,
        "GreaterThanOrEqualToThreshold",
    )
    assert alarm["AlarmActions"] == [{"Ref": topic_id(default_synth)}]


def test_glue_retries_a_failed_run(default_synth: Synth, full_synth: Synth) -> None:
    _, job = etl_job(default_synth)
    assert job["Properties"]["MaxRetries"] == 1
    _, full_job = etl_job(full_synth)
    assert full_job["Properties"]["MaxRetries"] == 2
    assert full_job["Properties"]["DefaultArguments"]["--max_catch_up_days"] == "7"


# ---- catch-up bound ----------------------------------------------------------------------------


def test_the_catch_up_marker_in_either_glue_log_group_raises_an_alarm(
    default_synth: Synth,
) -> None:
    log_groups = {
        logical_id: resource["Properties"]["LogGroupName"]
        for logical_id, resource in default_synth.resources("AWS::Logs::LogGroup").items()
        if str(resource["Properties"].get("LogGroupName", "")).startswith("/aws-glue/")
    }
    filters = list(default_synth.resources("AWS::Logs::MetricFilter").values())
    assert sorted(log_groups[f["Properties"]["LogGroupName"]["Ref"]] for f in filters) == [
        "/aws-glue/jobs/telegram-lake-etl/error",
        "/aws-glue/jobs/telegram-lake-etl/output",
    ]
    for metric_filter in filters:
        props = metric_filter["Properties"]
        assert props["FilterPattern"] == f'"{CATCH_UP_MARKER}"'  # the exact phrase
        assert props["MetricTransformations"] == [
            {
                "MetricName": "CatchUpBoundExceeded",
                "MetricNamespace": "TelegramLake",
                "MetricValue": "1",
            }
        ]
    alarm = alarm_on(default_synth, "CatchUpBoundExceeded")
    assert alarm["Namespace"] == "TelegramLake"
    assert (alarm["Statistic"], alarm["Threshold"]) == ("Sum", 1)
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [{"Ref": topic_id(default_synth)}]
