"""Charts of reactions: reactions per day and the most-reacted messages.

Reads: one chat's rows of `reactions_daily` and `message_reactions` (dict rows from
`dashboard.queries`). Writes nothing. Shaping is limited to what a chart needs (zeros for
empty days, order, the top N, labels); every count comes from the views.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard.charts.shaping import as_count, as_date, days_between
from dashboard.charts.style import (
    BLUE,
    DAY_BAR_MS,
    GREEN,
    GREY,
    ORANGE,
    RED,
    Chart,
    count_axis,
    day_axis,
    make_figure,
    zero_aligned_ranges,
)
from dashboard.queries import Row

TOP_MESSAGES = 10
SNIPPET_CHARS = 48


def reaction_label(reaction_type: Any, reaction: Any) -> str:
    """How a reaction reads on a chart: the emoji itself; custom emoji and paid reactions
    by name (a custom emoji id is no picture)."""
    if reaction is None:
        return ""
    if reaction_type == "custom_emoji":
        return "custom emoji"
    if reaction_type == "paid":
        return "⭐ paid"
    return str(reaction)


def reactions_per_day(rows: Sequence[Row]) -> Chart:
    """Reactions added (up) and removed (down) per day, the net change of anonymous totals,
    and the people reacting, from `reactions_daily`. Days without updates are zeros."""
    columns = (
        "day",
        "reactions_added",
        "reactions_removed",
        "anonymous_change",
        "reacting_users",
        "top_reaction",
    )
    title = "Reactions per day"
    note = (
        "Reactions set (up) and taken away (down) each day; anonymous totals (channels) as "
        "their net change; the line counts the people who reacted."
    )
    by_day = {as_date(row["day"]): row for row in rows}
    if not by_day:
        return Chart("reactions_per_day", title, note, None, columns, empty_message="No reactions.")
    data = []
    for day in days_between(min(by_day), max(by_day)):
        row = by_day.get(day, {})
        data.append(
            (
                day.isoformat(),
                as_count(row.get("reactions_added")),
                as_count(row.get("reactions_removed")),
                as_count(row.get("anonymous_change")),
                as_count(row.get("reacting_users")),
                reaction_label(row.get("top_reaction_type"), row.get("top_reaction")),
            )
        )
    x = [d[0] for d in data]
    tops = [d[5] for d in data]
    traces: list[Any] = []
    # A channel's reactions are anonymous: no one adds or removes, only totals change.
    if any(d[1] or d[2] for d in data) or not any(d[3] for d in data):
        traces += [
            go.Bar(
                x=x,
                y=[d[1] for d in data],
                name="Added",
                marker_color=GREEN,
                width=DAY_BAR_MS,
                customdata=tops,
                hovertemplate="%{y} added (most: %{customdata})<extra></extra>",
            ),
            go.Bar(
                x=x,
                y=[-d[2] for d in data],
                name="Removed",
                marker_color=RED,
                width=DAY_BAR_MS,
                hovertemplate="%{y} removed<extra></extra>",
            ),
        ]
    if any(d[3] for d in data):
        traces.append(
            go.Bar(
                x=x,
                y=[d[3] for d in data],
                name="Anonymous (net)",
                marker_color=ORANGE,
                width=DAY_BAR_MS,
                hovertemplate="%{y} anonymous (net)<extra></extra>",
            )
        )
    # Each day's stacked extent above and below zero (bars of one day stack).
    extents = [float(v) for d in data for v in (d[1] + max(d[3], 0), -d[2] + min(d[3], 0))]
    yaxis: dict[str, Any] = {
        **count_axis("reactions", [v for d in data for v in (d[1], d[2], d[3])]),
        "rangemode": "normal",
        "zeroline": True,
    }
    layout: dict[str, Any] = {}
    if any(d[4] for d in data):
        traces.append(
            go.Scatter(
                x=x,
                y=[d[4] for d in data],
                name="People reacting",
                yaxis="y2",
                mode="lines+markers",
                line={"color": GREY, "width": 2},
            )
        )
        # Both zero lines at one height: the people line must not read as negative.
        bars_range, people_range = zero_aligned_ranges(extents, [float(d[4]) for d in data])
        yaxis["range"] = bars_range
        layout["yaxis2"] = {
            "tickmode": "auto",
            **count_axis("people", [d[4] for d in data]),
            "rangemode": "normal",
            "range": people_range,
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        }
    figure = make_figure(
        traces,
        barmode="relative",
        hovermode="x unified",
        xaxis=day_axis(x),
        yaxis=yaxis,
        **layout,
    )
    return Chart("reactions_per_day", title, note, figure, columns, data, wide=True)


def _snippet(row: Row) -> str:
    text = row.get("text_snippet")
    if text:
        flat = " ".join(str(text).split())
        return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"
    if row.get("content_type"):
        return f"[{row['content_type']}]"
    return "(a message the lake does not have)"


def most_reacted_messages(
    rows: Sequence[Row], limit: int = TOP_MESSAGES, *, posts: bool = False
) -> Chart:
    """The `limit` messages with the most current reactions, from `message_reactions`:
    a snippet of each, its author (not for a channel's `posts`: the channel wrote them all),
    the count and the top reaction."""
    columns = (
        "rank",
        "message_id",
        "author",
        "snippet",
        "total_reactions",
        "reacting_users",
        "anonymous_reactions",
        "top_reaction",
    )
    title = f"Most-reacted {'posts' if posts else 'messages'} (top {limit})"
    note = (
        "Current reactions on each message, people's and anonymous; the label is the top reaction."
    )
    ranked = sorted(
        rows,
        key=lambda r: (-as_count(r["total_reactions"]), r["message_chat_id"], r["message_id"]),
    )[:limit]
    if not ranked:
        return Chart("most_reacted", title, note, None, columns, empty_message="No reactions.")
    data = [
        (
            rank,
            row["message_id"],
            str(row.get("author_name") or "unknown author"),
            _snippet(row),
            as_count(row["total_reactions"]),
            as_count(row["reacting_users"]),
            as_count(row["anonymous_reactions"]),
            reaction_label(row.get("top_reaction_type"), row.get("top_reaction")),
        )
        for rank, row in enumerate(ranked, start=1)
    ]
    labels = [f"{d[0]}. {d[3]}" if posts else f"{d[0]}. {d[2]}: {d[3]}" for d in data]
    figure = make_figure(
        [
            go.Bar(
                x=[d[4] for d in data],
                y=labels,
                orientation="h",
                marker_color=BLUE,
                text=[d[7] for d in data],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}<br>%{x} reactions<extra></extra>",
                name="Reactions",
            )
        ],
        showlegend=False,
        margin={"l": 8, "r": 40, "t": 36, "b": 44},
        xaxis=count_axis("reactions", [d[4] for d in data]),
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return Chart("most_reacted", title, note, figure, columns, data, wide=True)
