"""The QuickSight analysis: its sheets and charts, as CloudFormation `Definition` JSON.

Reads the views' declared columns (`athena_views.view_columns`) at synth time: every chart
refers to view columns through `column_ref`, which refuses a column the view does not
declare (QuickSight would only fail on deploy). Writes nothing; `infra.components.quicksight`
puts the definition on its `AWS::QuickSight::Analysis`.

Two sheets: "Overview" (activity, posters, hours, content, members, active users) and
"Engagement" (reactions, most-reacted messages, join sources, inviters, who replies to whom,
join requests). Each chart's dataset is one reporting view; the datasets it uses are
listed in `ANALYSIS_VIEWS`.
"""

from __future__ import annotations

from typing import Any

from athena_views.view_columns import view_spec

TOP_POSTERS = 15
TOP_INVITERS = 10
TOP_MESSAGES = 10
TOP_REPLIERS = 15


def column_ref(view: str, name: str) -> dict[str, str]:
    """A chart's reference to a view column; refused at synth if the view does not declare it
    (QuickSight would only fail on deploy)."""
    if name not in view_spec(view).column_names:
        raise ValueError(f"view {view} declares no column {name!r}")
    return {"DataSetIdentifier": view, "ColumnName": name}


def _title(text: str) -> dict[str, Any]:
    return {"Visibility": "VISIBLE", "FormatText": {"PlainText": text}}


def _sum(field_id: str, view: str, name: str) -> dict[str, Any]:
    return {
        "NumericalMeasureField": {
            "FieldId": field_id,
            "Column": column_ref(view, name),
            "AggregationFunction": {"SimpleNumericalAggregation": "SUM"},
        }
    }


def _day(field_id: str, view: str, name: str = "day") -> dict[str, Any]:
    return {
        "DateDimensionField": {
            "FieldId": field_id,
            "Column": column_ref(view, name),
            "DateGranularity": "DAY",
        }
    }


def _category(field_id: str, view: str, name: str) -> dict[str, Any]:
    return {"CategoricalDimensionField": {"FieldId": field_id, "Column": column_ref(view, name)}}


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


def _top_bars(
    visual_id: str, title: str, view: str, *, category: str, measure: str, limit: int
) -> dict[str, Any]:
    """Horizontal bars of the `limit` largest `measure` per `category`, largest first."""
    return {
        "BarChartVisual": {
            "VisualId": visual_id,
            "Title": _title(title),
            "ChartConfiguration": {
                "FieldWells": {
                    "BarChartAggregatedFieldWells": {
                        "Category": [_category(f"{visual_id}.{category}", view, category)],
                        "Values": [_sum(f"{visual_id}.{measure}", view, measure)],
                    }
                },
                "Orientation": "HORIZONTAL",
                "SortConfiguration": {
                    "CategorySort": [
                        {"FieldSort": {"FieldId": f"{visual_id}.{measure}", "Direction": "DESC"}}
                    ],
                    "CategoryItemsLimit": {"ItemsLimit": limit, "OtherCategories": "EXCLUDE"},
                },
            },
        }
    }


def _stacked_days(
    visual_id: str, title: str, view: str, *, measure: str, colour: str
) -> dict[str, Any]:
    """Vertical bars per day of `measure`, stacked by the category `colour`."""
    return {
        "BarChartVisual": {
            "VisualId": visual_id,
            "Title": _title(title),
            "ChartConfiguration": {
                "FieldWells": {
                    "BarChartAggregatedFieldWells": {
                        "Category": [_day(f"{visual_id}.day", view)],
                        "Values": [_sum(f"{visual_id}.{measure}", view, measure)],
                        "Colors": [_category(f"{visual_id}.{colour}", view, colour)],
                    }
                },
                "Orientation": "VERTICAL",
                "BarsArrangement": "STACKED",
            },
        }
    }


def _heatmap(
    visual_id: str,
    title: str,
    view: str,
    *,
    rows: dict[str, Any],
    columns: dict[str, Any],
    measure: str,
    sort: dict[str, Any] | None = None,
) -> dict[str, Any]:
    configuration: dict[str, Any] = {
        "FieldWells": {
            "HeatMapAggregatedFieldWells": {
                "Rows": [rows],
                "Columns": [columns],
                "Values": [_sum(f"{visual_id}.{measure}", view, measure)],
            }
        }
    }
    if sort:
        configuration["SortConfiguration"] = sort
    return {
        "HeatMapVisual": {
            "VisualId": visual_id,
            "Title": _title(title),
            "ChartConfiguration": configuration,
        }
    }


def _hour_weekday() -> dict[str, Any]:
    view = "hourly_heatmap"
    return _heatmap(
        "hour-weekday",
        "Messages by weekday and hour",
        view,
        rows=_category("hour-weekday.weekday", view, "weekday_name"),
        columns={
            "NumericalDimensionField": {
                "FieldId": "hour-weekday.hour",
                "Column": column_ref(view, "hour"),
            }
        },
        measure="messages",
        sort={
            # Monday first: order the weekday names by their ISO number.
            "HeatMapRowSort": [
                {
                    "ColumnSort": {
                        "SortBy": column_ref(view, "weekday"),
                        "Direction": "ASC",
                        "AggregationFunction": {
                            "NumericalAggregationFunction": {"SimpleNumericalAggregation": "MIN"}
                        },
                    }
                }
            ],
            "HeatMapColumnSort": [
                {"FieldSort": {"FieldId": "hour-weekday.hour", "Direction": "ASC"}}
            ],
        },
    )


def _reply_matrix() -> dict[str, Any]:
    view = "reply_pairs"
    return _heatmap(
        "reply-matrix",
        "Who replies to whom (replies)",
        view,
        rows=_category("reply-matrix.from", view, "display_name"),
        columns=_category("reply-matrix.to", view, "replied_to_display_name"),
        measure="replies",
        sort={
            "HeatMapRowItemsLimitConfiguration": {
                "ItemsLimit": TOP_REPLIERS,
                "OtherCategories": "EXCLUDE",
            },
            "HeatMapColumnItemsLimitConfiguration": {
                "ItemsLimit": TOP_REPLIERS,
                "OtherCategories": "EXCLUDE",
            },
        },
    )


def _most_reacted_messages() -> dict[str, Any]:
    view = "message_reactions"
    return {
        "TableVisual": {
            "VisualId": "most-reacted",
            "Title": _title("Most-reacted messages"),
            "ChartConfiguration": {
                "FieldWells": {
                    "TableAggregatedFieldWells": {
                        "GroupBy": [
                            _category("most-reacted.author", view, "author_name"),
                            _category("most-reacted.text", view, "text_snippet"),
                            _category("most-reacted.top", view, "top_reaction"),
                        ],
                        "Values": [_sum("most-reacted.total", view, "total_reactions")],
                    }
                },
                "SortConfiguration": {
                    "RowSort": [
                        {"FieldSort": {"FieldId": "most-reacted.total", "Direction": "DESC"}}
                    ],
                    "PaginationConfiguration": {"PageSize": TOP_MESSAGES, "PageNumber": 1},
                },
            },
        }
    }


def overview_visuals() -> list[dict[str, Any]]:
    return [
        _line_chart(
            "messages-per-day",
            "Messages and active users per day",
            "daily_activity",
            ["messages", "active_users"],
        ),
        _top_bars(
            "top-posters",
            f"Top {TOP_POSTERS} posters (messages)",
            "user_activity",
            category="display_name",
            measure="messages",
            limit=TOP_POSTERS,
        ),
        _hour_weekday(),
        _stacked_days(
            "content-mix",
            "Content types per day",
            "content_type_daily",
            measure="messages",
            colour="content_type",
        ),
        _line_chart(
            "membership", "Joins, leaves and net growth", "membership_daily",
            ["joins", "leaves", "net"],
        ),
        _line_chart("dau-wau-mau", "Daily / weekly / monthly active users", "dau_wau_mau",
                    ["dau", "wau", "mau"]),
    ]  # fmt: skip


def engagement_visuals() -> list[dict[str, Any]]:
    return [
        _line_chart(
            "reactions-per-day",
            "Reactions added and removed per day",
            "reactions_daily",
            ["reactions_added", "reactions_removed", "anonymous_change"],
        ),
        _most_reacted_messages(),
        _stacked_days(
            "join-sources", "Joins by source", "join_sources", measure="joins", colour="join_source"
        ),
        _top_bars(
            "top-inviters",
            f"Top {TOP_INVITERS} inviters (people and invite links)",
            "top_inviters",
            category="inviter_name",
            measure="members",
            limit=TOP_INVITERS,
        ),
        _reply_matrix(),
        _top_bars(
            "reactions-received",
            f"Top {TOP_POSTERS} by reactions received",
            "user_reactions",
            category="display_name",
            measure="reactions_received",
            limit=TOP_POSTERS,
        ),
        _line_chart(
            "join-requests",
            "Join requests and approvals per day",
            "join_requests_daily",
            ["requests", "approved"],
        ),
    ]


def used_views(node: Any) -> list[str]:
    """The views (dataset identifiers) a definition fragment refers to, in first-use order."""
    found: dict[str, None] = {}
    if isinstance(node, dict):
        if "DataSetIdentifier" in node:
            found[node["DataSetIdentifier"]] = None
        for value in node.values():
            found.update(dict.fromkeys(used_views(value)))
    elif isinstance(node, list):
        for item in node:
            found.update(dict.fromkeys(used_views(item)))
    return list(found)


#: The views the analysis charts, in first-use order: each needs a dataset declaration.
ANALYSIS_VIEWS: tuple[str, ...] = tuple(used_views([*overview_visuals(), *engagement_visuals()]))


def analysis_definition(data_set_arns: dict[str, str]) -> dict[str, Any]:
    """The analysis `Definition`: the overview sheet and the engagement sheet."""
    return {
        "DataSetIdentifierDeclarations": [
            {"Identifier": view, "DataSetArn": arn} for view, arn in data_set_arns.items()
        ],
        "Sheets": [
            {"SheetId": "overview", "Name": "Overview", "Visuals": overview_visuals()},
            {"SheetId": "engagement", "Name": "Engagement", "Visuals": engagement_visuals()},
        ],
    }
