"""The webhook: secret, Lambda + Function URL, and (raw_sink=firehose) the Firehose stream.

Creates CloudFormation resources only. The Lambda's code asset is the `ingest_lambda`
package and the `lake` contracts it imports (see infra.assets); its environment uses the
variable names from `ingest_lambda.settings`, the single source shared with the handler. The
Firehose stream's `dt=` prefix comes from `lake.zones`, like the Lambda's own keys.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.assets import StagedAssets
from infra.components.common import retention
from infra.components.storage import LakeStorage
from infra.config import FIREHOSE_ERROR_PREFIX, RAW_PREFIX, LakeConfig
from ingest_lambda import settings as lambda_settings
from lake.zones import FIREHOSE_PARTITION_EXPRESSION

HANDLER = "ingest_lambda.handler.handler"
# Python 3.13: the newest runtime the team builds against (the code itself targets 3.11+).
RUNTIME = lambda_.Runtime.PYTHON_3_13
MEMORY_MB = 256
# Telegram's secret_token alphabet is A-Z a-z 0-9 _ -: no punctuation, 64 characters.
SECRET_LENGTH = 64
FIREHOSE_BUFFER_MB = 64
FIREHOSE_FILE_EXTENSION = ".jsonl.gz"


class Ingest(Construct):
    """Webhook secret, function, public URL and the optional Firehose raw path."""

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
        self.secret = secretsmanager.Secret(
            self,
            "WebhookSecret",
            description=(
                f"{config.project_name}: Telegram webhook secret_token "
                "(X-Telegram-Bot-Api-Secret-Token)"
            ),
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=SECRET_LENGTH,
                exclude_punctuation=True,
                include_space=False,
            ),
            # A new stack gets a new secret (and `make set-webhook` again); keeping an
            # orphaned one would only cost money and confuse which one is live.
            removal_policy=RemovalPolicy.DESTROY,
        )

        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=retention(config.log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )

        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="telegram-lake webhook: write logs, read its secret, store raw updates",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            )
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                sid="ReadWebhookSecret",
                actions=["secretsmanager:GetSecretValue"],
                resources=[self.secret.secret_arn],
            )
        )

        environment = {
            lambda_settings.WEBHOOK_SECRET_PARAM: self.secret.secret_arn,
            lambda_settings.RAW_SINK: config.raw_sink,
            # One setting, two uses: the function's timeout, and the handler's AWS client
            # timeouts derived from it (ingest_lambda.aws.call_timeouts).
            lambda_settings.FUNCTION_TIMEOUT_SECONDS: str(config.lambda_timeout_seconds),
        }
        self.delivery_stream: firehose.CfnDeliveryStream | None = None
        self.firehose_role: iam.Role | None = None
        if config.raw_sink == "firehose":
            self.delivery_stream = self._delivery_stream(config, storage)
            environment[lambda_settings.FIREHOSE_STREAM_NAME] = config.firehose_stream_name
            self.role.add_to_policy(
                iam.PolicyStatement(
                    sid="PutRawRecords",
                    actions=["firehose:PutRecord"],
                    resources=[self.delivery_stream.attr_arn],
                )
            )
        else:
            environment[lambda_settings.RAW_URI] = storage.raw_uri
            self.role.add_to_policy(
                iam.PolicyStatement(
                    sid="PutRawObjects",
                    actions=["s3:PutObject"],
                    resources=[storage.raw.arn_for_objects(f"{RAW_PREFIX}/*")],
                )
            )

        self.function = lambda_.Function(
            self,
            "Function",
            description="Telegram webhook: authenticate, validate, store the update untouched",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(assets.lambda_dir)),
            memory_size=MEMORY_MB,
            timeout=Duration.seconds(config.lambda_timeout_seconds),
            role=self.role,
            log_group=self.log_group,
            environment=environment,
            reserved_concurrent_executions=config.lambda_reserved_concurrency,
        )

        # Telegram cannot sign SigV4 requests: the URL is public and the secret header,
        # checked in constant time by the handler, is the authentication.
        self.url = self.function.add_function_url(
            auth_type=lambda_.FunctionUrlAuthType.NONE,
            invoke_mode=lambda_.InvokeMode.BUFFERED,
        )

    def _delivery_stream(
        self, config: LakeConfig, storage: LakeStorage
    ) -> firehose.CfnDeliveryStream:
        """DirectPut stream -> raw bucket as gzip NDJSON under `raw/dt=<arrival day UTC>/`."""
        log_group = logs.LogGroup(
            self,
            "FirehoseLogs",
            retention=retention(config.log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        log_stream = logs.LogStream(
            self,
            "FirehoseDeliveryLog",
            log_group=log_group,
            removal_policy=RemovalPolicy.DESTROY,
        )
        role = iam.Role(
            self,
            "FirehoseRole",
            assumed_by=iam.ServicePrincipal(
                "firehose.amazonaws.com",
                conditions={"StringEquals": {"sts:ExternalId": Stack.of(self).account}},
            ),
            description="telegram-lake Firehose: deliver raw batches to the raw bucket",
        )
        role.add_to_policy(
            iam.PolicyStatement(
                sid="RawBucket",
                actions=[
                    "s3:GetBucketLocation",
                    "s3:ListBucket",
                    "s3:ListBucketMultipartUploads",
                ],
                resources=[storage.raw.bucket_arn],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                sid="WriteRawBatches",
                actions=["s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject"],
                resources=[
                    storage.raw.arn_for_objects(f"{RAW_PREFIX}/*"),
                    storage.raw.arn_for_objects(f"{FIREHOSE_ERROR_PREFIX}/*"),
                ],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                sid="DeliveryLog",
                actions=["logs:PutLogEvents"],
                resources=[
                    Stack.of(self).format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name=(
                            f"{log_group.log_group_name}:log-stream:{log_stream.log_stream_name}"
                        ),
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
        )
        stream = firehose.CfnDeliveryStream(
            self,
            "RawStream",
            delivery_stream_name=config.firehose_stream_name,
            delivery_stream_type="DirectPut",
            delivery_stream_encryption_configuration_input=(
                firehose.CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty(
                    key_type="AWS_OWNED_CMK"
                )
            ),
            extended_s3_destination_configuration=(
                firehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty(
                    bucket_arn=storage.raw.bucket_arn,
                    role_arn=role.role_arn,
                    # Firehose's timestamp namespace is the approximate arrival time in UTC:
                    # the same `dt=` the Lambda's S3 sink uses. No dynamic partitioning
                    # needed (that is for keys taken from the record, and costs per GB).
                    prefix=f"{RAW_PREFIX}/{FIREHOSE_PARTITION_EXPRESSION}",
                    error_output_prefix=(
                        f"{FIREHOSE_ERROR_PREFIX}/!{{firehose:error-output-type}}/"
                        f"{FIREHOSE_PARTITION_EXPRESSION}"
                    ),
                    custom_time_zone="UTC",
                    file_extension=FIREHOSE_FILE_EXTENSION,
                    compression_format="GZIP",
                    buffering_hints=firehose.CfnDeliveryStream.BufferingHintsProperty(
                        interval_in_seconds=config.firehose_buffer_seconds,
                        size_in_m_bs=FIREHOSE_BUFFER_MB,
                    ),
                    cloud_watch_logging_options=(
                        firehose.CfnDeliveryStream.CloudWatchLoggingOptionsProperty(
                            enabled=True,
                            log_group_name=log_group.log_group_name,
                            log_stream_name=log_stream.log_stream_name,
                        )
                    ),
                )
            ),
        )
        # The role's policy must be in place before Firehose validates the destination.
        policy = role.node.try_find_child("DefaultPolicy")
        if policy is not None:
            stream.node.add_dependency(policy)
        self.firehose_role = role
        return stream
