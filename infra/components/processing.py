"""The Glue ETL job (raw -> curated + quarantine), its log groups, and its daily schedule.

Creates CloudFormation resources only. Uploads two assets: the entry script
`glue_jobs/telegram_etl.py` and the zipped `glue_jobs` package (`--extra-py-files`).
The scheduled run passes no dates, so the job catches up: every arrival day after the last
published run up to yesterday, at most `max_catch_up_days` of them. A run that fails is
retried by Glue (`glue_max_retries`); a start that fails (the schedule could not call
StartJobRun, e.g. a run still going) lands in the schedule's dead-letter queue, which
infra.components.monitoring watches.

Privacy (docs/privacy.md): the stack generates the privacy key (a Secrets Manager secret of
64 hex digits) that pseudonymous mode and the register of forgotten people hash ids with;
the job gets it as `--privacy_key_uri secretsmanager:<ARN>`, with `--privacy_mode`,
`--text_policy` and, when set, `--curated_retention_days` from the config. Only Glue roles
may read the key.
"""

from __future__ import annotations

import json

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.assets import StagedAssets
from infra.components.common import retention
from infra.components.storage import LakeStorage
from infra.config import CURATED_PREFIX, QUARANTINE_PREFIX, RAW_PREFIX, LakeConfig

GLUE_VERSION = "5.1"
# Scheduler's universal target: any AWS API action, here glue:StartJobRun.
START_JOB_RUN_TARGET = "arn:aws:scheduler:::aws-sdk:glue:startJobRun"
SCHEDULE_RETRIES = 2
# Glue writes its logs and observability metrics under these names.
GLUE_LOG_GROUP_PREFIX = "/aws-glue/"
GLUE_METRIC_NAMESPACE = "Glue"
# Glue 5.x log groups under --custom-logGroup-prefix: system/Spark/GlueLogger lines in
# "error", the script's stdout and stderr (Python logging) in "output".
GLUE_LOG_STREAMS = ("error", "output")
# Failed starts stay this long in the dead-letter queue (SQS's maximum).
DEAD_LETTER_RETENTION = Duration.days(14)
# The privacy key: 64 lower-case hex digits (256 bits), the form `lake.privacy` documents.
PRIVACY_KEY_LENGTH = 64
_NOT_HEX = "ghijklmnopqrstuvwxyz"
# How a job argument names a Secrets Manager secret (the job reads it with boto3).
SECRETS_MANAGER_URI_PREFIX = "secretsmanager:"


class Processing(Construct):
    """Glue job, its role, and the schedule that starts it once a day."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LakeConfig,
        storage: LakeStorage,
        assets: StagedAssets,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)

        script = s3_assets.Asset(self, "EntryScript", path=str(assets.glue_script))
        package = s3_assets.Asset(self, "JobPackage", path=str(assets.glue_package_zip))

        self.privacy_key = secretsmanager.Secret(
            self,
            "PrivacyKey",
            description=(
                f"{config.project_name}: privacy key (keyed pseudonyms of people's ids, the "
                "register of forgotten people). Never rotate or replace it: every pseudonym "
                "would change."
            ),
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=PRIVACY_KEY_LENGTH,
                exclude_punctuation=True,
                exclude_uppercase=True,
                exclude_characters=_NOT_HEX,
                include_space=False,
            ),
            # Kept with the data it keys: without it the pseudonyms of a retained curated
            # zone could no longer be looked up (access requests) or matched (erasure).
            removal_policy=RemovalPolicy.RETAIN if config.retain_data else RemovalPolicy.DESTROY,
        )
        self.privacy_key_uri = f"{SECRETS_MANAGER_URI_PREFIX}{self.privacy_key.secret_arn}"

        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("glue.amazonaws.com"),
            description="telegram-lake ETL: read raw, write curated and quarantine",
        )
        statements = [
            iam.PolicyStatement(
                sid="ReadJobCode",
                actions=["s3:GetObject"],
                resources=[
                    script.bucket.arn_for_objects(script.s3_object_key),
                    package.bucket.arn_for_objects(package.s3_object_key),
                ],
            ),
            iam.PolicyStatement(
                sid="LocateLakeBuckets",
                actions=["s3:GetBucketLocation"],
                resources=[storage.raw.bucket_arn, storage.curated.bucket_arn],
            ),
            # Listing is limited to the job's own prefixes: a ListObjects call without a
            # prefix, or with another one, is denied (s3:prefix is absent or does not match).
            iam.PolicyStatement(
                sid="ListRawPrefix",
                actions=["s3:ListBucket"],
                resources=[storage.raw.bucket_arn],
                conditions={"StringLike": {"s3:prefix": _prefix_patterns(RAW_PREFIX)}},
            ),
            iam.PolicyStatement(
                sid="ListCuratedAndQuarantinePrefixes",
                actions=["s3:ListBucket"],
                resources=[storage.curated.bucket_arn],
                conditions={
                    "StringLike": {
                        "s3:prefix": [
                            *_prefix_patterns(CURATED_PREFIX),
                            *_prefix_patterns(QUARANTINE_PREFIX),
                        ]
                    }
                },
            ),
            iam.PolicyStatement(
                sid="ReadRaw",
                actions=["s3:GetObject"],
                resources=[storage.raw.arn_for_objects(f"{RAW_PREFIX}/*")],
            ),
            iam.PolicyStatement(
                sid="WriteCuratedAndQuarantine",
                # Spark's committer writes temporary objects, renames (copy + delete) and
                # replaces a partition on re-runs, hence Delete and the multipart actions.
                actions=[
                    "s3:GetObject",
                    "s3:PutObject",
                    "s3:DeleteObject",
                    "s3:AbortMultipartUpload",
                    "s3:ListMultipartUploadParts",
                ],
                resources=[
                    storage.curated.arn_for_objects(f"{CURATED_PREFIX}/*"),
                    storage.curated.arn_for_objects(f"{QUARANTINE_PREFIX}/*"),
                ],
            ),
            iam.PolicyStatement(
                sid="ReadPrivacyKey",
                actions=["secretsmanager:GetSecretValue"],
                resources=[self.privacy_key.secret_arn],
            ),
            iam.PolicyStatement(
                sid="ContinuousLogging",
                actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[
                    stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name=f"{GLUE_LOG_GROUP_PREFIX}*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            ),
            iam.PolicyStatement(
                sid="JobMetrics",
                actions=["cloudwatch:PutMetricData"],
                # PutMetricData has no resource type; the namespace condition scopes it.
                resources=["*"],
                conditions={"StringEquals": {"cloudwatch:namespace": GLUE_METRIC_NAMESPACE}},
            ),
        ]
        for statement in statements:
            self.role.add_to_policy(statement)

        # Created here, with a retention, before Glue would create them without one.
        self.log_groups = {
            stream: logs.LogGroup(
                self,
                f"{stream.capitalize()}Logs",
                log_group_name=f"{config.glue_log_group_prefix}/{stream}",
                retention=retention(config.log_retention_days),
                removal_policy=RemovalPolicy.DESTROY,
            )
            for stream in GLUE_LOG_STREAMS
        }

        self.job = glue.CfnJob(
            self,
            "Job",
            name=config.glue_job_name,
            description="telegram-lake: raw Telegram updates -> curated Parquet (daily window)",
            role=self.role.role_arn,
            glue_version=GLUE_VERSION,
            command=glue.CfnJob.JobCommandProperty(
                name="glueetl",
                python_version="3",
                script_location=script.s3_object_url,
            ),
            worker_type=config.glue_worker_type,
            number_of_workers=config.glue_number_of_workers,
            timeout=config.glue_timeout_minutes,
            execution_class=config.glue_execution_class,
            max_retries=config.glue_max_retries,
            execution_property=glue.CfnJob.ExecutionPropertyProperty(max_concurrent_runs=1),
            default_arguments={
                "--raw_uri": storage.raw_uri,
                "--curated_uri": storage.curated_uri,
                "--quarantine_uri": storage.quarantine_uri,
                "--extra-py-files": package.s3_object_url,
                "--job-language": "python",
                # The job picks its own window (default: previous UTC arrival day);
                # bookmarks would second-guess it.
                "--job-bookmark-option": "job-bookmark-disable",
                "--max_catch_up_days": str(config.max_catch_up_days),
                "--enable-metrics": "true",
                # Glue 5.x logs every job in real time; this names its two log groups.
                "--custom-logGroup-prefix": config.glue_log_group_prefix,
                "--enable-observability-metrics": "true",
                **privacy_arguments(config, self.privacy_key_uri),
            },
        )
        # The job must not run (schedule, console) before its role's policy and log groups.
        _depends_on_policy(self.job, self.role)
        for log_group in self.log_groups.values():
            self.job.node.add_dependency(log_group)

        self.dead_letter_queue = sqs.Queue(
            self,
            "ScheduleDeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=DEAD_LETTER_RETENTION,
        )

        self.schedule_role = iam.Role(
            self,
            "ScheduleRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            ),
            description="telegram-lake: start the daily ETL run",
        )
        job_arn = stack.format_arn(
            service="glue", resource="job", resource_name=config.glue_job_name
        )
        self.schedule_role.add_to_policy(
            iam.PolicyStatement(
                sid="StartEtl",
                actions=["glue:StartJobRun"],
                resources=[job_arn],
            )
        )
        # EventBridge Scheduler sends a start it could not make to the queue as this role.
        self.schedule_role.add_to_policy(
            iam.PolicyStatement(
                sid="DeadLetterFailedStarts",
                actions=["sqs:SendMessage"],
                resources=[self.dead_letter_queue.queue_arn],
            )
        )
        self.schedule = scheduler.CfnSchedule(
            self,
            "Daily",
            description=(
                f"Daily {config.schedule_time} {config.schedule_timezone}: ETL catch-up up to "
                "the previous UTC arrival day"
            ),
            schedule_expression=config.schedule_cron,
            schedule_expression_timezone=config.schedule_timezone,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            state="ENABLED",
            target=scheduler.CfnSchedule.TargetProperty(
                arn=START_JOB_RUN_TARGET,
                role_arn=self.schedule_role.role_arn,
                input=json.dumps({"JobName": config.glue_job_name}),
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                    maximum_retry_attempts=SCHEDULE_RETRIES,
                    maximum_event_age_in_seconds=3600,
                ),
                dead_letter_config=scheduler.CfnSchedule.DeadLetterConfigProperty(
                    arn=self.dead_letter_queue.queue_arn
                ),
            ),
        )
        self.schedule.node.add_dependency(self.job)
        _depends_on_policy(self.schedule, self.schedule_role)
        self.job_arn = job_arn


def privacy_arguments(config: LakeConfig, privacy_key_uri: str) -> dict[str, str]:
    """The job's privacy and retention arguments (curated retention only when set)."""
    arguments = {
        "--privacy_mode": config.privacy_mode,
        "--text_policy": config.text_policy,
        "--privacy_key_uri": privacy_key_uri,
    }
    if config.curated_retention_days is not None:
        arguments["--curated_retention_days"] = str(config.curated_retention_days)
    return arguments


def _prefix_patterns(prefix: str) -> list[str]:
    """s3:prefix values for a key prefix: the prefix itself and everything under it."""
    return [prefix, f"{prefix}/*"]


def _depends_on_policy(resource: Construct, role: iam.Role) -> None:
    """Make `resource` wait for the role's inline policy (the role itself is a GetAtt)."""
    policy = role.node.try_find_child("DefaultPolicy")
    if policy is not None:
        resource.node.add_dependency(policy)
