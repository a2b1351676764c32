"""Glue database and tables (partition projection), Athena workgroup, and the views.

Creates CloudFormation resources. At synth time reads `athena_views.tables` (table
definitions, the same source as the committed DDL) and `athena_views.deploy.view_statements`
(the `create or replace view` statements the CLI deploys too, rendered for the configured
timezone). The statements become properties of a custom resource whose Lambda runs them in
Athena, with the CLI's runner (`athena_views.runner`), on every deploy that changes them.
"""

from __future__ import annotations

from aws_cdk import CustomResource, Duration, RemovalPolicy, Stack
from aws_cdk import aws_athena as athena
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from athena_views import tables as athena_tables
from athena_views.deploy import view_statements
from infra.assets import StagedAssets
from infra.components.common import retention
from infra.components.ingest import RUNTIME
from infra.components.storage import LakeStorage
from infra.config import ATHENA_RESULTS_PREFIX, LakeConfig

ENGINE_VERSION = "Athena engine version 3"
DATA_CATALOG = "AwsDataCatalog"
VIEWS_HANDLER = "athena_views_resource.handler"
VIEWS_TIMEOUT = Duration.minutes(5)
# CloudFormation gives up on the custom resource after this (the handler answers sooner).
VIEWS_SERVICE_TIMEOUT = Duration.minutes(6)


def load_view_statements(timezone: str) -> list[dict[str, str]]:
    """`[{"Name", "Sql"}]`: each view's `create or replace view` statement, rendered for
    `timezone`, in dependency order: the statements `python -m athena_views deploy` runs."""
    return [
        {"Name": statement.name, "Sql": statement.sql} for statement in view_statements(timezone)
    ]


class Catalog(Construct):
    """Database, projected tables, workgroup, and the views custom resource."""

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

        self.database = glue.CfnDatabase(
            self,
            "Database",
            catalog_id=stack.account,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=config.database_name,
                description="telegram-lake curated tables and analytics views",
            ),
        )

        self.tables: dict[str, glue.CfnTable] = {}
        for name in athena_tables.TABLES:
            table_input = athena_tables.glue_table_input(
                name, storage.curated_uri, config.projection_start_date
            )
            table = glue.CfnTable(
                self,
                f"Table{_pascal(name)}",
                catalog_id=stack.account,
                database_name=config.database_name,
                table_input=glue.CfnTable.TableInputProperty(name=name),
            )
            # The TableInput comes ready-made in CloudFormation's shape (single source in
            # athena_views.tables), so it goes in as a raw override.
            table.add_property_override("TableInput", table_input)
            table.node.add_dependency(self.database)
            self.tables[name] = table

        self.workgroup = athena.CfnWorkGroup(
            self,
            "WorkGroup",
            name=config.workgroup_name,
            description="telegram-lake: encrypted results, engine v3, bytes-scanned limit",
            state="ENABLED",
            # Lets the stack delete the workgroup with its saved queries and history.
            recursive_delete_option=True,
            work_group_configuration=athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                enforce_work_group_configuration=True,
                engine_version=athena.CfnWorkGroup.EngineVersionProperty(
                    selected_engine_version=ENGINE_VERSION
                ),
                publish_cloud_watch_metrics_enabled=True,
                requester_pays_enabled=False,
                bytes_scanned_cutoff_per_query=config.bytes_scanned_cutoff,
                result_configuration=athena.CfnWorkGroup.ResultConfigurationProperty(
                    output_location=storage.athena_results_uri,
                    encryption_configuration=athena.CfnWorkGroup.EncryptionConfigurationProperty(
                        encryption_option="SSE_S3"
                    ),
                ),
            ),
        )

        self.views = load_view_statements(config.views_timezone)
        self.views_function = self._views_function(config, storage, assets)
        self.views_resource = CustomResource(
            self,
            "Views",
            service_token=self.views_function.function_arn,
            resource_type="Custom::AthenaViews",
            service_timeout=VIEWS_SERVICE_TIMEOUT,
            properties={
                "WorkGroup": config.workgroup_name,
                "Database": config.database_name,
                "Catalog": DATA_CATALOG,
                "Timezone": config.views_timezone,
                "Views": self.views,
            },
        )
        self.views_resource.node.add_dependency(self.workgroup)
        for table in self.tables.values():
            self.views_resource.node.add_dependency(table)

    def _views_function(
        self, config: LakeConfig, storage: LakeStorage, assets: StagedAssets
    ) -> lambda_.Function:
        stack = Stack.of(self)
        log_group = logs.LogGroup(
            self,
            "ViewsLogs",
            retention=retention(config.log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        role = iam.Role(
            self,
            "ViewsRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="telegram-lake: create/replace the Athena views on deploy",
        )
        database_arn = stack.format_arn(
            service="glue", resource="database", resource_name=config.database_name
        )
        catalog_arn = stack.format_arn(service="glue", resource="catalog")
        view_names = [view["Name"] for view in self.views]

        def table_arns(names: list[str]) -> list[str]:
            return [
                stack.format_arn(
                    service="glue",
                    resource="table",
                    resource_name=f"{config.database_name}/{name}",
                )
                for name in names
            ]

        statements = [
            iam.PolicyStatement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[log_group.log_group_arn],
            ),
            iam.PolicyStatement(
                sid="RunViewDdl",
                actions=[
                    "athena:StartQueryExecution",
                    "athena:GetQueryExecution",
                    "athena:GetWorkGroup",
                ],
                resources=[
                    stack.format_arn(
                        service="athena",
                        resource="workgroup",
                        resource_name=config.workgroup_name,
                    )
                ],
            ),
            # Athena reads the catalog entries a view's SQL names (data tables and views);
            # it may create, replace and drop the views, by name, and no other table.
            iam.PolicyStatement(
                sid="ReadTablesForViewDdl",
                actions=["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
                resources=[
                    catalog_arn,
                    database_arn,
                    *table_arns([*athena_tables.TABLES, *view_names]),
                ],
            ),
            iam.PolicyStatement(
                sid="ManageViewsOnly",
                actions=["glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable"],
                resources=[catalog_arn, database_arn, *table_arns(view_names)],
            ),
            iam.PolicyStatement(
                sid="ResultsBucket",
                actions=["s3:GetBucketLocation", "s3:ListBucket"],
                resources=[storage.athena_results.bucket_arn],
            ),
            iam.PolicyStatement(
                sid="WriteQueryResults",
                actions=["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
                resources=[storage.athena_results.arn_for_objects(f"{ATHENA_RESULTS_PREFIX}/*")],
            ),
        ]
        for statement in statements:
            role.add_to_policy(statement)
        function = lambda_.Function(
            self,
            "ViewsFunction",
            description="telegram-lake: CloudFormation custom resource for the Athena views",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler=VIEWS_HANDLER,
            code=lambda_.Code.from_asset(str(assets.views_handler_dir)),
            memory_size=128,
            timeout=VIEWS_TIMEOUT,
            role=role,
            log_group=log_group,
        )
        return function


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))
