"""QuickSight variant: data source on the workgroup, a dataset per view, the analysis.

Also checks the hand-written dataset columns against the real view SQL, run by DuckDB on an
empty curated zone (athena_views.local), so the two cannot drift apart silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from infra_helpers import QUICKSIGHT_USER, Synth, get_att

from athena_views.local import connect
from infra.components.quicksight import VIEW_COLUMNS

pytestmark = pytest.mark.infra

# DuckDB type of a view column -> the QuickSight input type a dataset must declare.
DUCKDB_TO_QUICKSIGHT = {
    "BIGINT": "INTEGER",
    "INTEGER": "INTEGER",
    "HUGEINT": "INTEGER",
    "SMALLINT": "INTEGER",
    "TINYINT": "INTEGER",
    "DOUBLE": "DECIMAL",
    "FLOAT": "DECIMAL",
    "VARCHAR": "STRING",
    "DATE": "DATETIME",
    "TIMESTAMP": "DATETIME",
    "BOOLEAN": "BOOLEAN",
}


def test_no_quicksight_by_default(default_synth: Synth) -> None:
    types = {resource["Type"] for resource in default_synth.template["Resources"].values()}
    assert not any(t.startswith("AWS::QuickSight::") for t in types)


def test_data_source_uses_the_workgroup(full_synth: Synth) -> None:
    _, source = full_synth.one("AWS::QuickSight::DataSource")
    props = source["Properties"]
    assert props["Type"] == "ATHENA"
    assert props["DataSourceParameters"] == {"AthenaParameters": {"WorkGroup": "tg-lake-full"}}
    assert props["DataSourceId"] == "tg-lake-full-athena"
    assert props["Permissions"][0]["Principal"] == QUICKSIGHT_USER


def test_one_direct_query_dataset_per_view(full_synth: Synth) -> None:
    source_id, _ = full_synth.one("AWS::QuickSight::DataSource")
    data_sets = full_synth.resources("AWS::QuickSight::DataSet")
    tables: dict[str, dict[str, Any]] = {}
    for resource in data_sets.values():
        props = resource["Properties"]
        assert props["ImportMode"] == "DIRECT_QUERY"
        assert props["Permissions"][0]["Principal"] == QUICKSIGHT_USER
        (table,) = props["PhysicalTableMap"].values()
        relational = table["RelationalTable"]
        assert relational["DataSourceArn"] == get_att(source_id)
        assert relational["Schema"] == "tg_lake_full"
        tables[relational["Name"]] = relational
    assert set(tables) == {
        "daily_activity",
        "user_activity",
        "user_daily_activity",
        "hourly_heatmap",
        "content_type_daily",
        "membership_daily",
        "top_words",
        "reply_latency",
        "retention_cohorts",
        "dau_wau_mau",
    }
    assert tables["membership_daily"]["InputColumns"] == [
        {"Name": "chat_id", "Type": "INTEGER"},
        {"Name": "day", "Type": "DATETIME"},
        {"Name": "joins", "Type": "INTEGER"},
        {"Name": "leaves", "Type": "INTEGER"},
        {"Name": "net", "Type": "INTEGER"},
    ]


def test_analysis_has_the_main_charts(full_synth: Synth) -> None:
    _, analysis = full_synth.one("AWS::QuickSight::Analysis")
    definition = analysis["Properties"]["Definition"]
    (sheet,) = definition["Sheets"]
    kinds = [next(iter(visual)) for visual in sheet["Visuals"]]
    assert kinds == [
        "LineChartVisual",  # messages + active users per day
        "BarChartVisual",  # top posters
        "HeatMapVisual",  # weekday x hour
        "BarChartVisual",  # content types per day
        "LineChartVisual",  # joins / leaves / net
        "LineChartVisual",  # DAU / WAU / MAU
    ]
    declared = {d["Identifier"] for d in definition["DataSetIdentifierDeclarations"]}
    used = set()
    for visual in sheet["Visuals"]:
        body = next(iter(visual.values()))
        used |= _dataset_identifiers(body)
    assert used <= declared
    assert analysis["Properties"]["Permissions"][0]["Principal"] == QUICKSIGHT_USER


def _dataset_identifiers(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["DataSetIdentifier"]} if "DataSetIdentifier" in node else set()
        for value in node.values():
            found |= _dataset_identifiers(value)
        return found
    if isinstance(node, list):
        return set().union(*(_dataset_identifiers(item) for item in node)) if node else set()
    return set()


def test_quicksight_service_role_may_query_the_lake(full_synth: Synth) -> None:
    policies = [
        resource["Properties"]
        for resource in full_synth.resources("AWS::IAM::Policy").values()
        if resource["Properties"].get("Roles") == ["aws-quicksight-service-role-v0"]
    ]
    assert len(policies) == 1
    sids = {statement["Sid"] for statement in policies[0]["PolicyDocument"]["Statement"]}
    assert sids == {"AthenaWorkGroup", "Catalog", "Buckets", "ReadCurated", "QueryResults"}


def test_dataset_columns_match_the_view_sql(tmp_path: Path) -> None:
    con = connect(str(tmp_path))  # no files: every table is empty, the views still resolve
    for view, columns in VIEW_COLUMNS.items():
        described = con.execute(f"describe {view}").fetchall()
        actual = [(row[0], DUCKDB_TO_QUICKSIGHT.get(str(row[1]), str(row[1]))) for row in described]
        assert actual == columns, view
