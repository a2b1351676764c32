"""The telegram-lake stack: storage, ingest, processing, erasure, catalog, monitoring
(+ QuickSight).

Creates CloudFormation resources and outputs (names in infra.outputs); cdk-nag suppressions
with their reasons live in infra.nag (infra.components.erasure acknowledges its own).
"""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, CfnResource, RemovalPolicy, Stack, Tags
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra import outputs
from infra.assets import StagedAssets, stage_assets
from infra.components.catalog import Catalog
from infra.components.common import retention
from infra.components.erasure import Erasure
from infra.components.ingest import Ingest
from infra.components.monitoring import Monitoring
from infra.components.processing import Processing
from infra.components.quicksight import QuickSight
from infra.components.storage import LakeStorage
from infra.config import LakeConfig
from infra.nag import add_suppressions


class TelegramLakeStack(Stack):
    """Everything the pipeline needs in one account and region."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LakeConfig,
        assets: StagedAssets | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            description=(
                "telegram-lake: Telegram webhook -> raw S3 -> Glue -> Parquet -> Athena views"
            ),
            **kwargs,
        )
        self.config = config
        assets = assets or stage_assets()
        Tags.of(self).add("project", config.project_name)

        self.storage = LakeStorage(self, "Storage", config=config)
        self.ingest = Ingest(self, "Ingest", config=config, storage=self.storage, assets=assets)
        self.processing = Processing(
            self, "Processing", config=config, storage=self.storage, assets=assets
        )
        self.catalog = Catalog(self, "Catalog", config=config, storage=self.storage, assets=assets)
        self.erasure = Erasure(
            self,
            "Erasure",
            config=config,
            storage=self.storage,
            assets=assets,
            privacy_key=self.processing.privacy_key,
            privacy_key_uri=self.processing.privacy_key_uri,
        )
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            config=config,
            function=self.ingest.function,
            glue_job_name=config.glue_job_name,
            dead_letter_queue=self.processing.dead_letter_queue,
            glue_log_groups=list(self.processing.log_groups.values()),
        )
        self.monitoring.node.add_dependency(self.processing.job)

        self.quicksight: QuickSight | None = None
        if config.enable_quicksight:
            self.quicksight = QuickSight(
                self, "QuickSight", config=config, storage=self.storage, catalog=self.catalog
            )

        self._outputs()
        self._log_group_for_every_function()
        add_suppressions(self)
        self._cfn_lint_exceptions()

    def _log_group_for_every_function(self) -> None:
        """Give every Lambda function without a log group of its own one with a retention.

        The stack's own functions have theirs; CDK's custom-resource providers (the S3
        auto-delete handler) do not, and Lambda would create `/aws/lambda/<name>` on their
        first run, kept forever.
        """
        functions = [
            construct
            for construct in self.node.find_all()
            if isinstance(construct, CfnResource)
            and construct.cfn_resource_type == "AWS::Lambda::Function"
            and not (
                isinstance(construct, lambda_.CfnFunction) and construct.logging_config is not None
            )
        ]
        for function in functions:
            scope = function.node.scope
            assert isinstance(scope, Construct)  # a resource always has a parent construct
            log_group = logs.LogGroup(
                scope,
                f"{function.node.id}Logs",
                retention=retention(self.config.log_retention_days),
                removal_policy=RemovalPolicy.DESTROY,
            )
            function.add_property_override("LoggingConfig.LogGroup", log_group.log_group_name)

    def _cfn_lint_exceptions(self) -> None:
        """Tell cfn-lint about one CDK idiom it flags on every Lambda function.

        CDK makes each function depend on its role (and so its inline policy), although the
        role is already referenced by GetAtt: W3005 "redundant DependsOn". The DependsOn is
        what orders the policy before the function, so it is kept and W3005 is ignored on
        these resources only.
        """
        for construct in self.node.find_all():
            if isinstance(construct, CfnResource) and construct.cfn_resource_type in {
                "AWS::Lambda::Function"
            }:
                construct.add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})

    def _outputs(self) -> None:
        config = self.config
        values = {
            outputs.WEBHOOK_URL: (self.ingest.url.url, "Telegram webhook URL (setWebhook url)"),
            outputs.WEBHOOK_SECRET_ARN: (
                self.ingest.secret.secret_arn,
                "Secrets Manager secret holding the webhook secret_token",
            ),
            outputs.WEBHOOK_SECRET_NAME: (self.ingest.secret.secret_name, "Its name"),
            outputs.RAW_BUCKET: (self.storage.raw.bucket_name, "Raw zone bucket"),
            outputs.CURATED_BUCKET: (
                self.storage.curated.bucket_name,
                "Curated zone (+ quarantine) bucket",
            ),
            outputs.ATHENA_RESULTS_BUCKET: (
                self.storage.athena_results.bucket_name,
                "Athena query results bucket",
            ),
            outputs.ACCESS_LOGS_BUCKET: (
                self.storage.access_logs.bucket_name,
                "S3 server access logs bucket",
            ),
            outputs.RAW_URI: (self.storage.raw_uri, "--raw_uri of the Glue job"),
            outputs.CURATED_URI: (self.storage.curated_uri, "--curated_uri of the Glue job"),
            outputs.QUARANTINE_URI: (
                self.storage.quarantine_uri,
                "--quarantine_uri of the Glue job",
            ),
            outputs.GLUE_JOB: (self.processing.job.ref, "Glue ETL job name"),
            outputs.ERASURE_JOB: (self.erasure.job.ref, "Glue erasure job (forget-user)"),
            outputs.ATHENA_WORKGROUP: (self.catalog.workgroup.ref, "Athena workgroup"),
            outputs.GLUE_DATABASE: (self.catalog.database.ref, "Glue/Athena database"),
            outputs.ALARM_TOPIC: (self.monitoring.topic.topic_arn, "SNS topic of the alarms"),
            outputs.VIEWS_TIMEZONE: (config.views_timezone, "Timezone of the Athena views"),
            outputs.PRIVACY_KEY_SECRET_ARN: (
                self.processing.privacy_key.secret_arn,
                "Secrets Manager secret holding the privacy key (export-user --privacy-key-uri)",
            ),
        }
        if self.ingest.delivery_stream is not None:
            values[outputs.FIREHOSE_STREAM] = (
                self.ingest.delivery_stream.ref,
                "Firehose stream of the raw path",
            )
        if self.quicksight is not None:
            values[outputs.QUICKSIGHT_DATA_SOURCE] = (
                self.quicksight.data_source_id,
                "QuickSight data source",
            )
            values[outputs.QUICKSIGHT_ANALYSIS] = (
                self.quicksight.analysis_id,
                "QuickSight analysis with the main charts",
            )
        for key, (value, description) in values.items():
            CfnOutput(self, key, value=value, description=description)
