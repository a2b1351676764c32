"""Optional QuickSight layer (config `enable_quicksight`): data source, datasets, analysis.

Creates CloudFormation resources only: an Athena data source on the stack's workgroup, one
DIRECT_QUERY dataset per reporting view (`athena_views/views/marts/`; each dataset's columns
are the view's declared ones, read at synth time from `athena_views.view_columns`), an
analysis with the main charts (`infra.components.quicksight_analysis`), and an IAM policy
on QuickSight's service role so that it can run queries in the workgroup and read the
curated zone. Needs a QuickSight subscription in the account (Enterprise or Standard) and
the principal (user/group ARN) that owns them.

DIRECT_QUERY: the curated data is small and changes once a day, so each chart queries the
views in Athena (a few MB scanned) instead of keeping a SPICE copy that must be refreshed.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_quicksight as quicksight
from constructs import Construct

from athena_views.view_columns import mart_views, view_spec
from infra.components.catalog import DATA_CATALOG, Catalog
from infra.components.quicksight_analysis import ANALYSIS_VIEWS, analysis_definition
from infra.components.storage import LakeStorage
from infra.config import ATHENA_RESULTS_PREFIX, CURATED_PREFIX, LakeConfig

# Athena type of a view column (athena_views/views/**/*.yml) -> QuickSight input column type.
QUICKSIGHT_TYPES: dict[str, str] = {
    "bigint": "INTEGER",
    "integer": "INTEGER",
    "double": "DECIMAL",
    "varchar": "STRING",
    "date": "DATETIME",
    "timestamp": "DATETIME",
    "boolean": "BOOLEAN",
}


DATA_SOURCE_ACTIONS = [
    "quicksight:DescribeDataSource",
    "quicksight:DescribeDataSourcePermissions",
    "quicksight:PassDataSource",
    "quicksight:UpdateDataSource",
    "quicksight:DeleteDataSource",
    "quicksight:UpdateDataSourcePermissions",
]
DATA_SET_ACTIONS = [
    "quicksight:DescribeDataSet",
    "quicksight:DescribeDataSetPermissions",
    "quicksight:PassDataSet",
    "quicksight:DescribeIngestion",
    "quicksight:ListIngestions",
    "quicksight:UpdateDataSet",
    "quicksight:DeleteDataSet",
    "quicksight:CreateIngestion",
    "quicksight:CancelIngestion",
    "quicksight:UpdateDataSetPermissions",
]
ANALYSIS_ACTIONS = [
    "quicksight:RestoreAnalysis",
    "quicksight:UpdateAnalysisPermissions",
    "quicksight:DeleteAnalysis",
    "quicksight:DescribeAnalysisPermissions",
    "quicksight:QueryAnalysis",
    "quicksight:DescribeAnalysis",
    "quicksight:UpdateAnalysis",
]


def input_columns(view: str) -> list[dict[str, str]]:
    """The dataset's `InputColumns`: the view's declared columns, in order, typed for QuickSight."""
    return [
        {"Name": column.name, "Type": QUICKSIGHT_TYPES[column.type]}
        for column in view_spec(view).columns
    ]


def physical_table(data_source_arn: str, database: str, view: str) -> dict[str, Any]:
    """CloudFormation `PhysicalTableMap` entry: the Athena view as a relational table."""
    return {
        "RelationalTable": {
            "DataSourceArn": data_source_arn,
            "Catalog": DATA_CATALOG,
            "Schema": database,
            "Name": view,
            "InputColumns": input_columns(view),
        }
    }


class QuickSight(Construct):
    """Athena data source, one dataset per view, the overview analysis, service-role access."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LakeConfig,
        storage: LakeStorage,
        catalog: Catalog,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        principal = config.quicksight_principal_arn
        assert principal is not None  # LakeConfig requires it with enable_quicksight
        prefix = config.project_name

        self.service_role_policy = self._service_role_access(config, storage)

        self.data_source_id = f"{prefix}-athena"
        self.data_source = quicksight.CfnDataSource(
            self,
            "DataSource",
            aws_account_id=stack.account,
            data_source_id=self.data_source_id,
            name=f"{prefix} (Athena)",
            type="ATHENA",
            data_source_parameters=quicksight.CfnDataSource.DataSourceParametersProperty(
                athena_parameters=quicksight.CfnDataSource.AthenaParametersProperty(
                    work_group=config.workgroup_name
                )
            ),
            permissions=[
                quicksight.CfnDataSource.ResourcePermissionProperty(
                    principal=principal, actions=DATA_SOURCE_ACTIONS
                )
            ],
        )
        self.data_source.node.add_dependency(catalog.workgroup)
        self.data_source.node.add_dependency(self.service_role_policy)

        self.data_sets: dict[str, quicksight.CfnDataSet] = {}
        for view in mart_views():
            data_set = quicksight.CfnDataSet(
                self,
                f"DataSet-{view}",
                aws_account_id=stack.account,
                data_set_id=f"{prefix}-{view}".replace("_", "-"),
                name=f"{prefix} {view}",
                import_mode="DIRECT_QUERY",
                permissions=[
                    quicksight.CfnDataSet.ResourcePermissionProperty(
                        principal=principal, actions=DATA_SET_ACTIONS
                    )
                ],
            )
            data_set.add_property_override(
                "PhysicalTableMap",
                # Map keys allow only letters, digits and '-'.
                {
                    view.replace("_", "-"): physical_table(
                        self.data_source.attr_arn, config.database_name, view
                    )
                },
            )
            # The views must exist before QuickSight looks at them.
            data_set.node.add_dependency(catalog.views_resource)
            self.data_sets[view] = data_set

        self.analysis_id = f"{prefix}-overview"
        self.analysis = quicksight.CfnAnalysis(
            self,
            "Analysis",
            aws_account_id=stack.account,
            analysis_id=self.analysis_id,
            name=f"{prefix}: group activity",
            permissions=[
                quicksight.CfnAnalysis.ResourcePermissionProperty(
                    principal=principal, actions=ANALYSIS_ACTIONS
                )
            ],
        )
        self.analysis.add_property_override(
            "Definition",
            analysis_definition({view: self.data_sets[view].attr_arn for view in ANALYSIS_VIEWS}),
        )

    def _service_role_access(self, config: LakeConfig, storage: LakeStorage) -> iam.Policy:
        """Let QuickSight's service role query the workgroup and read the lake (and no more)."""
        stack = Stack.of(self)
        role = iam.Role.from_role_name(self, "ServiceRole", config.quicksight_service_role_name)
        return iam.Policy(
            self,
            "LakeAccess",
            roles=[role],
            statements=[
                iam.PolicyStatement(
                    sid="AthenaWorkGroup",
                    actions=[
                        "athena:StartQueryExecution",
                        "athena:GetQueryExecution",
                        "athena:GetQueryResults",
                        "athena:StopQueryExecution",
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
                iam.PolicyStatement(
                    sid="Catalog",
                    actions=[
                        "glue:GetDatabase",
                        "glue:GetTable",
                        "glue:GetTables",
                        "glue:GetPartition",
                        "glue:GetPartitions",
                    ],
                    resources=[
                        stack.format_arn(service="glue", resource="catalog"),
                        stack.format_arn(
                            service="glue", resource="database", resource_name=config.database_name
                        ),
                        stack.format_arn(
                            service="glue",
                            resource="table",
                            resource_name=f"{config.database_name}/*",
                        ),
                    ],
                ),
                iam.PolicyStatement(
                    sid="Buckets",
                    actions=["s3:GetBucketLocation", "s3:ListBucket"],
                    resources=[storage.curated.bucket_arn, storage.athena_results.bucket_arn],
                ),
                iam.PolicyStatement(
                    sid="ReadCurated",
                    actions=["s3:GetObject"],
                    resources=[storage.curated.arn_for_objects(f"{CURATED_PREFIX}/*")],
                ),
                iam.PolicyStatement(
                    sid="QueryResults",
                    actions=["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
                    resources=[
                        storage.athena_results.arn_for_objects(f"{ATHENA_RESULTS_PREFIX}/*")
                    ],
                ),
            ],
        )
