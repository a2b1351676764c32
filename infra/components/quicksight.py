"""Optional QuickSight layer (config `enable_quicksight`): data source, datasets, analysis.

Creates CloudFormation resources only: an Athena data source on the stack's workgroup, one
DIRECT_QUERY dataset per Athena view (columns below, written from the views contract), an
analysis with the main charts, and an IAM policy on QuickSight's service role so that it can
run queries in the workgroup and read the curated zone. Needs a QuickSight subscription in
the account (Enterprise or Standard) and the principal (user/group ARN) that owns them.

DIRECT_QUERY: the curated data is small and changes once a day, so each chart queries the
views in Athena (a few MB scanned) instead of keeping a SPICE copy that must be refreshed.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_quicksight as quicksight
from constructs import Construct

from infra.components.catalog import DATA_CATALOG, Catalog
from infra.components.storage import LakeStorage
from infra.config import ATHENA_RESULTS_PREFIX, CURATED_PREFIX, LakeConfig

# View name -> [(column, QuickSight input type)], as in the views contract (docs/views.md).
# Athena date/timestamp -> DATETIME, bigint/int -> INTEGER, double -> DECIMAL (latencies are
# whole seconds: approx_percentile of a bigint is a bigint). A test checks these against the
# view SQL run in DuckDB.
VIEW_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "daily_activity": [
        ("chat_id", "INTEGER"),
        ("chat_title", "STRING"),
        ("day", "DATETIME"),
        ("messages", "INTEGER"),
        ("active_users", "INTEGER"),
        ("avg_text_length", "DECIMAL"),
        ("media_messages", "INTEGER"),
        ("edited_messages", "INTEGER"),
        ("replies", "INTEGER"),
        ("bot_messages", "INTEGER"),
    ],
    "user_activity": [
        ("chat_id", "INTEGER"),
        ("user_id", "INTEGER"),
        ("display_name", "STRING"),
        ("user_username", "STRING"),
        ("messages", "INTEGER"),
        ("active_days", "INTEGER"),
        ("first_message_at", "DATETIME"),
        ("last_message_at", "DATETIME"),
        ("avg_text_length", "DECIMAL"),
        ("share_of_chat_messages", "DECIMAL"),
    ],
    "user_daily_activity": [
        ("chat_id", "INTEGER"),
        ("day", "DATETIME"),
        ("user_id", "INTEGER"),
        ("display_name", "STRING"),
        ("messages", "INTEGER"),
    ],
    "hourly_heatmap": [
        ("chat_id", "INTEGER"),
        ("weekday", "INTEGER"),
        ("weekday_name", "STRING"),
        ("hour", "INTEGER"),
        ("messages", "INTEGER"),
    ],
    "content_type_daily": [
        ("chat_id", "INTEGER"),
        ("day", "DATETIME"),
        ("content_type", "STRING"),
        ("messages", "INTEGER"),
    ],
    "membership_daily": [
        ("chat_id", "INTEGER"),
        ("day", "DATETIME"),
        ("joins", "INTEGER"),
        ("leaves", "INTEGER"),
        ("net", "INTEGER"),
    ],
    "top_words": [
        ("chat_id", "INTEGER"),
        ("week_start", "DATETIME"),
        ("word", "STRING"),
        ("occurrences", "INTEGER"),
        ("word_rank", "INTEGER"),
    ],
    "reply_latency": [
        ("chat_id", "INTEGER"),
        ("day", "DATETIME"),
        ("replies", "INTEGER"),
        ("median_latency_seconds", "INTEGER"),
        ("p90_latency_seconds", "INTEGER"),
    ],
    "retention_cohorts": [
        ("chat_id", "INTEGER"),
        ("cohort_week", "DATETIME"),
        ("week_offset", "INTEGER"),
        ("cohort_users", "INTEGER"),
        ("active_users", "INTEGER"),
        ("retention", "DECIMAL"),
    ],
    "dau_wau_mau": [
        ("chat_id", "INTEGER"),
        ("day", "DATETIME"),
        ("dau", "INTEGER"),
        ("wau", "INTEGER"),
        ("mau", "INTEGER"),
    ],
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
TOP_POSTERS = 15


def physical_table(data_source_arn: str, database: str, view: str) -> dict[str, Any]:
    """CloudFormation `PhysicalTableMap` entry: the Athena view as a relational table."""
    return {
        "RelationalTable": {
            "DataSourceArn": data_source_arn,
            "Catalog": DATA_CATALOG,
            "Schema": database,
            "Name": view,
            "InputColumns": [{"Name": name, "Type": kind} for name, kind in VIEW_COLUMNS[view]],
        }
    }


def _column(view: str, name: str) -> dict[str, str]:
    return {"DataSetIdentifier": view, "ColumnName": name}


def _title(text: str) -> dict[str, Any]:
    return {"Visibility": "VISIBLE", "FormatText": {"PlainText": text}}


def _sum(field_id: str, view: str, name: str) -> dict[str, Any]:
    return {
        "NumericalMeasureField": {
            "FieldId": field_id,
            "Column": _column(view, name),
            "AggregationFunction": {"SimpleNumericalAggregation": "SUM"},
        }
    }


def _day(field_id: str, view: str, name: str = "day") -> dict[str, Any]:
    return {
        "DateDimensionField": {
            "FieldId": field_id,
            "Column": _column(view, name),
            "DateGranularity": "DAY",
        }
    }


def _category(field_id: str, view: str, name: str) -> dict[str, Any]:
    return {"CategoricalDimensionField": {"FieldId": field_id, "Column": _column(view, name)}}


def _line_chart(visual_id: str, title: str, view: str, measures: list[str]) -> dict[str, Any]:
    return {
        "LineChartVisual": {
            "VisualId": visual_id,
            "Title": _title(title),
            "ChartConfiguration": {
                "FieldWells": {
                    "LineChartAggregatedFieldWells": {
                        "Category": [_day(f"{visual_id}.day", view)],
                        "Values": [_sum(f"{visual_id}.{m}", view, m) for m in measures],
                    }
                },
                "SortConfiguration": {
                    "CategorySort": [
                        {"FieldSort": {"FieldId": f"{visual_id}.day", "Direction": "ASC"}}
                    ]
                },
            },
        }
    }


def analysis_definition(data_set_arns: dict[str, str]) -> dict[str, Any]:
    """The analysis `Definition`: one sheet with the dashboard's main charts."""
    top_posters = {
        "BarChartVisual": {
            "VisualId": "top-posters",
            "Title": _title(f"Top {TOP_POSTERS} posters (messages)"),
            "ChartConfiguration": {
                "FieldWells": {
                    "BarChartAggregatedFieldWells": {
                        "Category": [
                            _category("top-posters.name", "user_activity", "display_name")
                        ],
                        "Values": [_sum("top-posters.messages", "user_activity", "messages")],
                    }
                },
                "Orientation": "HORIZONTAL",
                "SortConfiguration": {
                    "CategorySort": [
                        {"FieldSort": {"FieldId": "top-posters.messages", "Direction": "DESC"}}
                    ],
                    "CategoryItemsLimit": {
                        "ItemsLimit": TOP_POSTERS,
                        "OtherCategories": "EXCLUDE",
                    },
                },
            },
        }
    }
    heatmap = {
        "HeatMapVisual": {
            "VisualId": "hour-weekday",
            "Title": _title("Messages by weekday and hour"),
            "ChartConfiguration": {
                "FieldWells": {
                    "HeatMapAggregatedFieldWells": {
                        "Rows": [
                            _category("hour-weekday.weekday", "hourly_heatmap", "weekday_name")
                        ],
                        "Columns": [
                            {
                                "NumericalDimensionField": {
                                    "FieldId": "hour-weekday.hour",
                                    "Column": _column("hourly_heatmap", "hour"),
                                }
                            }
                        ],
                        "Values": [_sum("hour-weekday.messages", "hourly_heatmap", "messages")],
                    }
                },
                "SortConfiguration": {
                    # Monday first: order the weekday names by their ISO number.
                    "HeatMapRowSort": [
                        {
                            "ColumnSort": {
                                "SortBy": _column("hourly_heatmap", "weekday"),
                                "Direction": "ASC",
                                "AggregationFunction": {
                                    "NumericalAggregationFunction": {
                                        "SimpleNumericalAggregation": "MIN"
                                    }
                                },
                            }
                        }
                    ],
                    "HeatMapColumnSort": [
                        {"FieldSort": {"FieldId": "hour-weekday.hour", "Direction": "ASC"}}
                    ],
                },
            },
        }
    }
    content_mix = {
        "BarChartVisual": {
            "VisualId": "content-mix",
            "Title": _title("Content types per day"),
            "ChartConfiguration": {
                "FieldWells": {
                    "BarChartAggregatedFieldWells": {
                        "Category": [_day("content-mix.day", "content_type_daily")],
                        "Values": [_sum("content-mix.messages", "content_type_daily", "messages")],
                        "Colors": [
                            _category("content-mix.type", "content_type_daily", "content_type")
                        ],
                    }
                },
                "Orientation": "VERTICAL",
                "BarsArrangement": "STACKED",
            },
        }
    }
    visuals = [
        _line_chart(
            "messages-per-day",
            "Messages and active users per day",
            "daily_activity",
            ["messages", "active_users"],
        ),
        top_posters,
        heatmap,
        content_mix,
        _line_chart(
            "membership", "Joins, leaves and net growth", "membership_daily",
            ["joins", "leaves", "net"],
        ),
        _line_chart("dau-wau-mau", "Daily / weekly / monthly active users", "dau_wau_mau",
                    ["dau", "wau", "mau"]),
    ]  # fmt: skip
    return {
        "DataSetIdentifierDeclarations": [
            {"Identifier": view, "DataSetArn": arn} for view, arn in data_set_arns.items()
        ],
        "Sheets": [{"SheetId": "overview", "Name": "Overview", "Visuals": visuals}],
    }


ANALYSIS_VIEWS = (
    "daily_activity",
    "user_activity",
    "hourly_heatmap",
    "content_type_daily",
    "membership_daily",
    "dau_wau_mau",
)


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
        for view in VIEW_COLUMNS:
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
