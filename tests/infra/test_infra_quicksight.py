"""QuickSight variant: data source on the workgroup, a dataset per view, the analysis.

The datasets' columns come from the views' declarations (athena_views.view_columns, checked
against the SQL in tests/views/test_views_columns.py); the expected columns here are
written by hand.
"""

from __future__ import annotations

from typing import Any

import pytest
from infra_helpers import QUICKSIGHT_USER, Synth, get_att

from infra.components.quicksight import column_ref, input_columns

pytestmark = pytest.mark.infra


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
    assert tables["user_activity"]["InputColumns"] == [
        {"Name": "chat_id", "Type": "INTEGER"},
        {"Name": "user_id", "Type": "INTEGER"},
        {"Name": "display_name", "Type": "STRING"},
        {"Name": "user_username", "Type": "STRING"},
        {"Name": "messages", "Type": "INTEGER"},
        {"Name": "active_days", "Type": "INTEGER"},
        {"Name": "first_message_at", "Type": "DATETIME"},
        {"Name": "last_message_at", "Type": "DATETIME"},
        {"Name": "avg_text_length", "Type": "DECIMAL"},
        {"Name": "share_of_chat_messages", "Type": "DECIMAL"},
    ]


def test_every_dataset_column_has_a_quicksight_type() -> None:
    # Latencies are whole seconds in Athena (approx_percentile of a bigint).
    assert input_columns("reply_latency")[3:] == [
        {"Name": "median_latency_seconds", "Type": "INTEGER"},
        {"Name": "p90_latency_seconds", "Type": "INTEGER"},
    ]
    assert input_columns("hourly_heatmap")[1] == {"Name": "weekday", "Type": "INTEGER"}


def test_a_chart_of_an_undeclared_column_fails_at_synth() -> None:
    assert column_ref("membership_daily", "net") == {
        "DataSetIdentifier": "membership_daily",
        "ColumnName": "net",
    }
    with pytest.raises(ValueError, match="declares no column 'messages'"):
        column_ref("membership_daily", "messages")


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
