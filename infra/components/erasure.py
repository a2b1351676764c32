"""The erasure Glue job (forget people: raw and its older versions, quarantine, curated).

Creates CloudFormation resources only. Uploads the erasure entry script
`glue_jobs/forget_users.py` (the package zip is the ETL job's, same asset hash).

The Glue job `<project>-forget-users` is started on demand by
`python -m infra.post_deploy forget-user` (no schedule), one run at a time. Its role may
read and rewrite raw objects and delete their versions (`s3:DeleteObjectVersion`, on the raw
prefix only: no other role of the stack has it), rewrite the curated and quarantine
prefixes, and read the privacy key (the one the ETL job uses: the register of forgotten
people is keyed with it). No Spark UI event logs: they would keep the query plans, and the
plans hold the ids being erased.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.assets import StagedAssets
from infra.components.common import retention
from infra.components.processing import (
    GLUE_LOG_GROUP_PREFIX,
    GLUE_LOG_STREAMS,
    GLUE_METRIC_NAMESPACE,
    GLUE_VERSION,
    _depends_on_policy,
    _prefix_patterns,
)
from infra.components.storage import LakeStorage
from infra.config import CURATED_PREFIX, QUARANTINE_PREFIX, RAW_PREFIX, LakeConfig
from infra.nag import acknowledge, wildcard

#: The raw-zone actions of the erasure role (GetObjectVersion: older versions are searched).
RAW_REWRITE_ACTIONS = ("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject")
RAW_VERSION_PURGE_ACTION = "s3:DeleteObjectVersion"


class Erasure(Construct):
    """The erasure Glue job and its role; no schedule (started by post_deploy forget-user)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LakeConfig,
        storage: LakeStorage,
        assets: StagedAssets,
        privacy_key: secretsmanager.ISecret,
        privacy_key_uri: str,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        script = s3_assets.Asset(self, "EntryScript", path=str(assets.erasure_script))
        package = s3_assets.Asset(self, "JobPackage", path=str(assets.glue_package_zip))

        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("glue.amazonaws.com"),
            description="telegram-lake erasure: rewrite raw (purge versions), curated, quarantine",
        )
        raw_objects = storage.raw.arn_for_objects(f"{RAW_PREFIX}/*")
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
            iam.PolicyStatement(
                sid="CheckRawVersioning",
                actions=["s3:GetBucketVersioning"],
                resources=[storage.raw.bucket_arn],
            ),
            iam.PolicyStatement(
                sid="ListRawPrefixAndVersions",
                actions=["s3:ListBucket", "s3:ListBucketVersions"],
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
                sid="RewriteRaw",
                actions=list(RAW_REWRITE_ACTIONS),
                resources=[raw_objects],
            ),
            # The one grant that makes erasure final: older versions and delete markers of
            # raw objects go too. Nothing else in the stack may delete a raw version.
            iam.PolicyStatement(
                sid="PurgeRawVersions",
                actions=[RAW_VERSION_PURGE_ACTION],
                resources=[raw_objects],
            ),
            iam.PolicyStatement(
                sid="RewriteCuratedAndQuarantine",
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
                resources=[privacy_key.secret_arn],
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
                resources=["*"],
                conditions={"StringEquals": {"cloudwatch:namespace": GLUE_METRIC_NAMESPACE}},
            ),
        ]
        for statement in statements:
            self.role.add_to_policy(statement)

        self.log_groups = {
            stream: logs.LogGroup(
                self,
                f"{stream.capitalize()}Logs",
                log_group_name=f"{config.erasure_log_group_prefix}/{stream}",
                retention=retention(config.log_retention_days),
                removal_policy=RemovalPolicy.DESTROY,
            )
            for stream in GLUE_LOG_STREAMS
        }

        self.job = glue.CfnJob(
            self,
            "Job",
            name=config.erasure_job_name,
            description="telegram-lake: forget people (raw + versions, quarantine, curated)",
            role=self.role.role_arn,
            glue_version=GLUE_VERSION,
            command=glue.CfnJob.JobCommandProperty(
                name="glueetl",
                python_version="3",
                script_location=script.s3_object_url,
            ),
            worker_type=config.glue_worker_type,
            number_of_workers=config.glue_number_of_workers,
            timeout=config.erasure_timeout_minutes,
            execution_class="STANDARD",
            # A failed erasure is rerun by the operator after reading why (its audit record
            # says "started"): an automatic retry of a permission error would fail again.
            max_retries=0,
            execution_property=glue.CfnJob.ExecutionPropertyProperty(max_concurrent_runs=1),
            default_arguments={
                "--raw_uri": storage.raw_uri,
                "--curated_uri": storage.curated_uri,
                "--quarantine_uri": storage.quarantine_uri,
                "--privacy_key_uri": privacy_key_uri,
                "--extra-py-files": package.s3_object_url,
                "--job-language": "python",
                "--job-bookmark-option": "job-bookmark-disable",
                "--enable-metrics": "true",
                "--custom-logGroup-prefix": config.erasure_log_group_prefix,
            },
        )
        _depends_on_policy(self.job, self.role)
        for log_group in self.log_groups.values():
            self.job.node.add_dependency(log_group)
        self._acknowledge(stack, storage)

    def _acknowledge(self, stack: Stack, storage: LakeStorage) -> None:
        """cdk-nag findings of this component, each with why it is accepted."""
        acknowledge(
            self.role,
            wildcard(stack, storage.raw, RAW_PREFIX),
            "The erasure reads, rewrites and deletes (by version) whichever raw objects hold "
            "the people it forgets: any dt=<day>/ object under the raw prefix, nothing else.",
        )
        for prefix in (CURATED_PREFIX, QUARANTINE_PREFIX):
            acknowledge(
                self.role,
                wildcard(stack, storage.curated, prefix),
                f"The erasure rewrites partition and quarantine files below {prefix}/ (names "
                "chosen by Spark) and its own register and audit records; nothing outside.",
            )
        acknowledge(
            self.role,
            "IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:"
            f"{GLUE_LOG_GROUP_PREFIX}*]",
            "Glue's continuous logging writes to log groups and streams it names itself under "
            "/aws-glue/.",
        )
        acknowledge(
            self.role,
            "IAM5[Resource::*]",
            "cloudwatch:PutMetricData has no resource-level permissions; the statement is "
            "limited to the Glue metric namespace by a cloudwatch:namespace condition.",
        )
        acknowledge(
            self.job,
            "GL1",
            "CloudWatch Logs encrypts the log groups with service keys; the job logs counts "
            "and Spark messages, never an id, a name or a text.",
        )
        acknowledge(
            self.job,
            "GL3",
            "Job bookmarks are disabled: the erasure reads the whole lake every run.",
        )
