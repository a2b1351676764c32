"""Glue job + schedule, catalog tables, Athena workgroup and views, alarms, outputs."""

from __future__ import annotations

from typing import Any

import pytest
from infra_helpers import Synth, as_list, etl_job, get_att, join, logical_id_of

from tests.contract import MESSAGES_COLUMNS

pytestmark = pytest.mark.infra

WRITE_ACTIONS = {"s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"}


def glue_job(synth: Synth) -> dict[str, Any]:
    _, job = etl_job(synth)
    props: dict[str, Any] = job["Properties"]
    return props


def test_glue_job_version_and_capacity(default_synth: Synth) -> None:
    props = glue_job(default_synth)
    assert props["Name"] == "telegram-lake-etl"
    assert props["GlueVersion"] == "5.1"
    assert props["Command"]["Name"] == "glueetl"
    assert props["Command"]["PythonVersion"] == "3"
    assert props["Command"]["ScriptLocation"]["Fn::Sub"].endswith(".py")
    assert props["WorkerType"] == "G.1X"
    assert props["NumberOfWorkers"] == 2
    assert props["Timeout"] == 60
    assert props["ExecutionClass"] == "STANDARD"
    assert props["ExecutionProperty"] == {"MaxConcurrentRuns": 1}


def test_glue_job_worker_config(full_synth: Synth) -> None:
    props = glue_job(full_synth)
    assert props["WorkerType"] == "G.2X"
    assert props["NumberOfWorkers"] == 3


def test_glue_job_default_arguments(default_synth: Synth) -> None:
    arguments = glue_job(default_synth)["DefaultArguments"]
    raw_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageRaw")
    curated_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageCurated")
    assert arguments["--raw_uri"] == join("s3://", {"Ref": raw_id}, "/raw")
    assert arguments["--curated_uri"] == join("s3://", {"Ref": curated_id}, "/curated")
    assert arguments["--quarantine_uri"] == join("s3://", {"Ref": curated_id}, "/quarantine")
    assert arguments["--extra-py-files"]["Fn::Sub"].endswith(".zip")
    assert arguments["--enable-metrics"] == "true"
    assert arguments["--enable-observability-metrics"] == "true"
    # Glue 5.x: the job's two log groups are <prefix>/error and <prefix>/output.
    assert arguments["--custom-logGroup-prefix"] == "/aws-glue/jobs/telegram-lake-etl"
    assert arguments["--job-bookmark-option"] == "job-bookmark-disable"
    assert arguments["--max_catch_up_days"] == "30"
    # The scheduled run has no window: the job catches up to the previous UTC arrival day.
    assert "--start_date" not in arguments
    assert "--end_date" not in arguments


def test_glue_role_reads_raw_writes_curated_and_quarantine_only(default_synth: Synth) -> None:
    role_id = glue_job(default_synth)["Role"]["Fn::GetAtt"][0]
    statements = default_synth.role_statements(role_id)
    raw_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageRaw")
    curated_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageCurated")
    raw_objects = join(get_att(raw_id), "/raw/*")
    curated_objects = join(get_att(curated_id), "/curated/*")
    quarantine_objects = join(get_att(curated_id), "/quarantine/*")

    writes = [s for s in statements if WRITE_ACTIONS & set(as_list(s["Action"]))]
    written = [resource for s in writes for resource in as_list(s["Resource"])]
    assert sorted(map(str, written)) == sorted(map(str, [curated_objects, quarantine_objects]))

    raw_statements = [s for s in statements if raw_objects in as_list(s["Resource"])]
    assert [s["Action"] for s in raw_statements] == ["s3:GetObject"]

    s3_actions = {
        action for s in statements for action in as_list(s["Action"]) if action.startswith("s3:")
    }
    assert s3_actions == {
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
        "s3:ListBucket",
        "s3:GetBucketLocation",
    }
    (metrics,) = [s for s in statements if s["Resource"] == "*"]
    assert metrics["Action"] == "cloudwatch:PutMetricData"
    assert metrics["Condition"] == {"StringEquals": {"cloudwatch:namespace": "Glue"}}
    role = default_synth.template["Resources"][role_id]["Properties"]
    assert "ManagedPolicyArns" not in role


def test_glue_role_reads_only_its_two_code_objects(default_synth: Synth) -> None:
    props = glue_job(default_synth)
    statements = default_synth.role_statements(props["Role"]["Fn::GetAtt"][0])
    (code,) = [s for s in statements if s.get("Sid") == "ReadJobCode"]
    assert code["Action"] == "s3:GetObject"
    keys = sorted(
        resource["Fn::Join"][1][-1] for resource in code["Resource"]
    )  # ["/<hash>.py", "/<hash>.zip"]
    script_key = props["Command"]["ScriptLocation"]["Fn::Sub"].rsplit("/", 1)[1]
    package_key = props["DefaultArguments"]["--extra-py-files"]["Fn::Sub"].rsplit("/", 1)[1]
    assert keys == sorted([f"/{script_key}", f"/{package_key}"])


def test_daily_schedule_in_local_time(default_synth: Synth, full_synth: Synth) -> None:
    _, default = default_synth.one("AWS::Scheduler::Schedule")
    assert default["Properties"]["ScheduleExpression"] == "cron(0 2 * * ? *)"
    assert default["Properties"]["ScheduleExpressionTimezone"] == "UTC"

    _, schedule = full_synth.one("AWS::Scheduler::Schedule")
    props = schedule["Properties"]
    assert props["ScheduleExpression"] == "cron(30 1 * * ? *)"
    assert props["ScheduleExpressionTimezone"] == "Europe/Berlin"
    assert props["FlexibleTimeWindow"] == {"Mode": "OFF"}
    target = props["Target"]
    assert target["Arn"] == "arn:aws:scheduler:::aws-sdk:glue:startJobRun"
    assert target["Input"] == '{"JobName": "tg-lake-full-etl"}'

    role_id = target["RoleArn"]["Fn::GetAtt"][0]
    statements = full_synth.role_statements(role_id)
    (statement,) = [s for s in statements if s["Action"] == "glue:StartJobRun"]
    assert statement["Resource"] == join(
        "arn:",
        {"Ref": "AWS::Partition"},
        ":glue:",
        {"Ref": "AWS::Region"},
        ":",
        {"Ref": "AWS::AccountId"},
        ":job/tg-lake-full-etl",
    )


@pytest.mark.parametrize(
    "table", ["messages", "member_events", "chat_migrations", "reactions", "join_requests"]
)
def test_tables_use_partition_projection(default_synth: Synth, table: str) -> None:
    curated_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageCurated")
    tables = [
        resource["Properties"]
        for resource in default_synth.resources("AWS::Glue::Table").values()
        if resource["Properties"]["TableInput"]["Name"] == table
    ]
    assert len(tables) == 1
    props = tables[0]
    assert props["DatabaseName"] == "telegram_lake"
    table_input = props["TableInput"]
    assert table_input["TableType"] == "EXTERNAL_TABLE"
    assert table_input["PartitionKeys"][0]["Name"] == "dt"
    assert table_input["PartitionKeys"][0]["Type"] == "date"
    parameters = table_input["Parameters"]
    assert parameters["projection.enabled"] == "true"
    assert parameters["projection.dt.type"] == "date"
    assert parameters["projection.dt.format"] == "yyyy-MM-dd"
    assert parameters["projection.dt.range"] == "2024-01-01,NOW"
    assert parameters["projection.dt.interval"] == "1"
    assert parameters["projection.dt.interval.unit"] == "DAYS"
    assert parameters["storage.location.template"] == join(
        "s3://", {"Ref": curated_id}, f"/curated/{table}/dt=${{dt}}/"
    )
    assert table_input["StorageDescriptor"]["Location"] == join(
        "s3://", {"Ref": curated_id}, f"/curated/{table}/"
    )
    assert table_input["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == (
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    )


def test_projection_start_from_config(full_synth: Synth) -> None:
    names = []
    for resource in full_synth.resources("AWS::Glue::Table").values():
        parameters = resource["Properties"]["TableInput"]["Parameters"]
        assert parameters["projection.dt.range"] == "2023-06-01,NOW"
        names.append(resource["Properties"]["TableInput"]["Name"])
    # One Glue table per curated table, and nothing else (the views are made by Athena).
    assert sorted(names) == [
        "chat_migrations",
        "join_requests",
        "member_events",
        "messages",
        "reactions",
    ]


def test_messages_table_columns_follow_the_contract(default_synth: Synth) -> None:
    (messages,) = [
        resource["Properties"]["TableInput"]
        for resource in default_synth.resources("AWS::Glue::Table").values()
        if resource["Properties"]["TableInput"]["Name"] == "messages"
    ]
    columns = [
        (column["Name"], column["Type"]) for column in messages["StorageDescriptor"]["Columns"]
    ]
    assert columns == [
        (name, type_name) for name, type_name in MESSAGES_COLUMNS
    ]  # every contract column (dt is the partition key; bookkeeping columns are not declared)
    assert columns[:6] == [
        ("chat_id", "bigint"),
        ("message_id", "bigint"),
        ("message_thread_id", "bigint"),
        ("update_id", "bigint"),
        ("sent_at", "timestamp"),
        ("edited_at", "timestamp"),
    ]


def test_workgroup_enforces_engine_v3_encryption_and_cutoff(default_synth: Synth) -> None:
    results_id = logical_id_of(default_synth, "AWS::S3::Bucket", "StorageAthenaResults")
    _, workgroup = default_synth.one("AWS::Athena::WorkGroup")
    props = workgroup["Properties"]
    assert props["Name"] == "telegram-lake"
    configuration = props["WorkGroupConfiguration"]
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert configuration["EngineVersion"] == {"SelectedEngineVersion": "Athena engine version 3"}
    assert configuration["BytesScannedCutoffPerQuery"] == 10 * 1024**3
    assert configuration["ResultConfiguration"] == {
        "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"},
        "OutputLocation": join("s3://", {"Ref": results_id}, "/athena-results/"),
    }
    assert configuration["PublishCloudWatchMetricsEnabled"] is True


def test_views_created_by_custom_resource_in_configured_timezone(
    default_synth: Synth, full_synth: Synth
) -> None:
    _, views = default_synth.one("Custom::AthenaViews")
    props = views["Properties"]
    assert props["WorkGroup"] == "telegram-lake"
    assert props["Database"] == "telegram_lake"
    assert props["Timezone"] == "UTC"
    names = [view["Name"] for view in props["Views"]]
    for required in (
        "daily_activity",
        "user_activity",
        "user_daily_activity",
        "hourly_heatmap",
        "content_type_daily",
        "membership_daily",
    ):
        assert required in names
    for view in props["Views"]:
        assert view["Sql"].lower().startswith(f"create or replace view {view['Name']} as")
    # A view can only select from views created before it.
    assert names.index("stg_messages") < names.index("daily_activity")

    _, berlin = full_synth.one("Custom::AthenaViews")
    assert berlin["Properties"]["Timezone"] == "Europe/Berlin"
    berlin_sql = "\n".join(view["Sql"] for view in berlin["Properties"]["Views"])
    assert "Europe/Berlin" in berlin_sql
    default_sql = "\n".join(view["Sql"] for view in props["Views"])
    assert "Europe/Berlin" not in default_sql


def test_views_function_may_only_run_ddl_in_its_workgroup(default_synth: Synth) -> None:
    function_id = logical_id_of(default_synth, "AWS::Lambda::Function", "CatalogViewsFunction")
    function = default_synth.template["Resources"][function_id]["Properties"]
    statements = default_synth.role_statements(function["Role"]["Fn::GetAtt"][0])
    (athena,) = [s for s in statements if s.get("Sid") == "RunViewDdl"]
    assert athena["Action"] == [
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetWorkGroup",
    ]
    assert athena["Resource"] == join(
        "arn:",
        {"Ref": "AWS::Partition"},
        ":athena:",
        {"Ref": "AWS::Region"},
        ":",
        {"Ref": "AWS::AccountId"},
        ":workgroup/telegram-lake",
    )
    for statement in statements:
        assert "*" not in as_list(statement["Resource"])


def alarms_by_metric(synth: Synth) -> dict[str, dict[str, Any]]:
    return {
        alarm["Properties"]["MetricName"]: alarm["Properties"]
        for alarm in synth.resources("AWS::CloudWatch::Alarm").values()
    }


def test_alarms_notify_the_topic(default_synth: Synth) -> None:
    topic_id, _ = default_synth.one("AWS::SNS::Topic")
    alarms = alarms_by_metric(default_synth)
    assert set(alarms) == {
        "Errors",
        "Throttles",
        "Failed",
        "Stored",
        "Rejected",
        "ApproximateNumberOfMessagesVisible",
        "CatchUpBoundExceeded",
    }
    for props in alarms.values():
        assert props["AlarmActions"] == [{"Ref": topic_id}]
    function_id = logical_id_of(default_synth, "AWS::Lambda::Function", "IngestFunction")
    for metric in ("Errors", "Throttles"):
        assert alarms[metric]["Namespace"] == "AWS/Lambda"
        assert alarms[metric]["Dimensions"] == [
            {"Name": "FunctionName", "Value": {"Ref": function_id}}
        ]
        assert alarms[metric]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarms[metric]["Threshold"] == 1


def test_failed_requests_alarm_reads_the_handlers_emf_total(default_synth: Synth) -> None:
    alarm = alarms_by_metric(default_synth)["Failed"]
    # The handler's EMF record publishes Failed under an empty dimension set too: the alarm
    # watches that dimensionless total, not one update type.
    assert alarm["Namespace"] == "TelegramLake"
    assert "Dimensions" not in alarm
    assert alarm["Statistic"] == "Sum"
    assert alarm["Period"] == 300
    assert alarm["EvaluationPeriods"] == 1
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["Threshold"] == 1
    assert alarm["TreatMissingData"] == "notBreaching"


def test_no_updates_alarm_covers_24_hours(default_synth: Synth) -> None:
    alarm = alarms_by_metric(default_synth)["Stored"]
    assert alarm["Namespace"] == "TelegramLake"
    assert "Dimensions" not in alarm
    assert alarm["Statistic"] == "Sum"
    assert alarm["Period"] == 3600
    assert alarm["EvaluationPeriods"] == 24
    assert alarm["DatapointsToAlarm"] == 24
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Threshold"] == 1
    assert alarm["TreatMissingData"] == "breaching"


def test_no_log_metric_filter_duplicates_the_emf_metrics(default_synth: Synth) -> None:
    # The only metric filters count the Glue job's catch-up marker, not webhook outcomes.
    filters = default_synth.resources("AWS::Logs::MetricFilter").values()
    names = [f["Properties"]["MetricTransformations"][0]["MetricName"] for f in filters]
    assert names == ["CatchUpBoundExceeded", "CatchUpBoundExceeded"]


def test_glue_failures_reach_sns(default_synth: Synth) -> None:
    topic_id, _ = default_synth.one("AWS::SNS::Topic")
    _, rule = default_synth.one("AWS::Events::Rule")
    props = rule["Properties"]
    assert props["EventPattern"] == {
        "source": ["aws.glue"],
        "detail-type": ["Glue Job State Change"],
        "detail": {
            "jobName": ["telegram-lake-etl"],
            "state": ["FAILED", "TIMEOUT", "STOPPED", "ERROR"],
        },
    }
    assert props["Targets"][0]["Arn"] == {"Ref": topic_id}


def test_topic_is_tls_only_and_email_is_optional(default_synth: Synth, full_synth: Synth) -> None:
    assert default_synth.resources("AWS::SNS::Subscription") == {}
    full_synth.assertions.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "ops@example.com"}
    )
    _, policy = default_synth.one("AWS::SNS::TopicPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert any(
        s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        for s in statements
    )


def test_outputs(default_synth: Synth, full_synth: Synth) -> None:
    assert set(default_synth.template["Outputs"]) == {
        "WebhookUrl",
        "WebhookSecretArn",
        "WebhookSecretName",
        "RawBucketName",
        "CuratedBucketName",
        "AthenaResultsBucketName",
        "AccessLogsBucketName",
        "RawUri",
        "CuratedUri",
        "QuarantineUri",
        "GlueJobName",
        "ErasureJobName",
        "AthenaWorkGroup",
        "GlueDatabase",
        "AlarmTopicArn",
        "ViewsTimezone",
        "PrivacyKeySecretArn",
    }
    url_id = logical_id_of(default_synth, "AWS::Lambda::Url", "IngestFunction")
    assert default_synth.template["Outputs"]["WebhookUrl"]["Value"] == get_att(
        url_id, "FunctionUrl"
    )
    assert {"FirehoseStreamName", "QuickSightDataSourceId", "QuickSightAnalysisId"} <= set(
        full_synth.template["Outputs"]
    )
