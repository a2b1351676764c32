"""QuickSight variant: data source on the workgroup, a dataset per view, the analysis.

The datasets' columns come from the views' declarations (athena_views.view_columns, checked
against the SQL in tests/views/test_views_columns.py); the expected columns here are
written by hand.
"""

from __future__ import annotations

from typing import Any

import pytest
from infra_helpers import QUICKSIGHT_USER, Synth, get_att

from infra.components.quicksight import input_columns
from infra.components.quicksight_analysis import column_ref

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
        "message_reactions",
        "user_reactions",
        "reactions_daily",
        "join_sources",
        "top_inviters",
        "reply_pairs",
        "join_requests_daily",
    }
    assert tables["join_sources"]["InputColumns"] == [
        {"Name": "chat_id", "Type": "INTEGER"},
        {"Name": "day", "Type": "DATETIME"},
        {"Name": "join_source", "Type": "STRING"},
        {"Name": "joins", "Type": "INTEGER"},
    ]
    assert tables["reply_pairs"]["InputColumns"] == [
        {"Name": "chat_id", "Type": "INTEGER"},
        {"Name": "user_id", "Type": "INTEGER"},
        {"Name": "display_name", "Type": "STRING"},
        {"Name": "replied_to_user_id", "Type": "INTEGER"},
        {"Name": "replied_to_display_name", "Type": "STRING"},
        {"Name": "replied_to_is_person", "Type": "BOOLEAN"},
        {"Name": "replies", "Type": "INTEGER"},
    ]
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
    overview, engagement = definition["Sheets"]
    assert (overview["Name"], engagement["Name"]) == ("Overview", "Engagement")
    charts = {
        sheet["SheetId"]: [
            (kind, body["VisualId"]) for visual in sheet["Visuals"] for kind, body in visual.items()
        ]
        for sheet in definition["Sheets"]
    }
    assert charts == {
        "overview": [
            ("LineChartVisual", "messages-per-day"),  # messages + active users per day
            ("BarChartVisual", "top-posters"),
            ("HeatMapVisual", "hour-weekday"),
            ("BarChartVisual", "content-mix"),  # content types per day
            ("LineChartVisual", "membership"),  # joins / leaves / net
            ("LineChartVisual", "dau-wau-mau"),
        ],
        "engagement": [
            ("LineChartVisual", "reactions-per-day"),
            ("TableVisual", "most-reacted"),
            ("BarChartVisual", "join-sources"),  # stacked by join source
            ("BarChartVisual", "top-inviters"),
            ("HeatMapVisual", "reply-matrix"),  # who replies to whom
            ("BarChartVisual", "reactions-received"),
            ("LineChartVisual", "join-requests"),
        ],
    }
    declared = {d["Identifier"] for d in definition["DataSetIdentifierDeclarations"]}
    used = set()
    for sheet in definition["Sheets"]:
        for visual in sheet["Visuals"]:
            used |= _dataset_identifiers(next(iter(visual.values())))
    # Every dataset a chart uses is declared, and no declaration is left unused.
    assert used == declared
    assert {
        "daily_activity", "reactions_daily", "message_reactions", "join_sources",
        "top_inviters", "reply_pairs", "user_reactions", "join_requests_daily",
    } <= used  # fmt: skip
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
