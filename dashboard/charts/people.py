"""Charts of who takes part: top posters, joins and leaves, where members come from, who
invites them, weekly retention cohorts.

Reads: one chat's rows of `user_activity`, `membership_daily`, `join_sources`,
`top_inviters` and `retention_cohorts` (dict rows from `dashboard.queries`). Writes nothing.
Shaping is limited to what a chart needs (top N, order, running totals, a cohort grid);
the numbers come from the views.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard.charts.shaping import as_count, as_date, as_float, iso_day
from dashboard.charts.style import (
    BLUE,
    DAY_BAR_MS,
    GREEN,
    GREY,
    ORANGE,
    PURPLE,
    RED,
    SEQUENTIAL,
    Chart,
    count_axis,
    day_axis,
    make_figure,
    unique_labels,
    zero_aligned_ranges,
)
from dashboard.queries import Row

TOP_POSTERS = 10
TOP_INVITERS = 10
# The view's join sources, in the order the view applies them, with what the legend says.
JOIN_SOURCES: dict[str, tuple[str, str]] = {
    "join_request": ("approved request", PURPLE),
    "folder_link": ("folder link", ORANGE),
    "invite_link": ("invite link", BLUE),
    "added": ("added by a member", GREEN),
    "self": ("joined on their own", GREY),
}


def _poster_label(row: Row) -> str:
    name = row.get("display_name") or ""
    username = row.get("user_username")
    if username:
        name = f"{name} (@{username})" if name else f"@{username}"
    if not name:
        name = "no sender" if row.get("user_id") is None else f"user {row['user_id']}"
    return str(name)


def top_posters(rows: Sequence[Row], limit: int = TOP_POSTERS) -> Chart:
    """The `limit` users with the most messages, from `user_activity`, with their share."""
    columns = ("rank", "user_id", "name", "messages", "share_of_chat_messages")
    title = f"Top {limit} posters"
    note = "Messages per person; the label is their share of all people's messages in the chat."
    ranked = sorted(
        rows, key=lambda r: (-as_count(r["messages"]), r["user_id"] is None, r["user_id"])
    )
    ranked = ranked[:limit]
    if not ranked:
        return Chart("top_posters", title, note, None, columns)
    names = unique_labels([_poster_label(r) for r in ranked], [r["user_id"] for r in ranked])
    data = [
        (
            rank,
            row["user_id"],
            name,
            as_count(row["messages"]),
            as_float(row["share_of_chat_messages"]),
        )
        for rank, (row, name) in enumerate(zip(ranked, names, strict=True), start=1)
    ]
    shares = [share for *_, share in data]
    figure = make_figure(
        [
            go.Bar(
                x=[messages for _, _, _, messages, _ in data],
                y=names,
                orientation="h",
                marker_color=BLUE,
                text=["" if s is None else f"{s:.1%}" for s in shares],
                textposition="auto",
                customdata=shares,
                hovertemplate="%{y}<br>%{x} messages (%{customdata:.1%})<extra></extra>",
                name="Messages",
            )
        ],
        showlegend=False,
        margin={"l": 8, "r": 24, "t": 36, "b": 44},
        xaxis=count_axis("messages", [d[3] for d in data]),
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return Chart("top_posters", title, note, figure, columns, data)


def membership(rows: Sequence[Row]) -> Chart:
    """Joins (up), leaves (down) per day and the running net growth, from `membership_daily`."""
    columns = ("day", "joins", "leaves", "net", "cumulative_net")
    title = "Joins, leaves and net growth"
    note = "Members who joined (up) and left (down) each day; the line adds up the net change."
    ordered = sorted(rows, key=lambda r: as_date(r["day"]))
    if not ordered:
        return Chart(
            "membership", title, note, None, columns, empty_message="No joins or leaves seen."
        )
    data: list[tuple[Any, ...]] = []
    running = 0
    for row in ordered:
        running += as_count(row["net"])
        data.append(
            (
                iso_day(row["day"]),
                as_count(row["joins"]),
                as_count(row["leaves"]),
                as_count(row["net"]),
                running,
            )
        )
    x = [d[0] for d in data]
    bars_range, line_range = zero_aligned_ranges(
        [float(v) for d in data for v in (d[1], -d[2])], [float(d[4]) for d in data]
    )
    figure = make_figure(
        [
            go.Bar(x=x, y=[d[1] for d in data], name="Joins", marker_color=GREEN, width=DAY_BAR_MS),
            go.Bar(x=x, y=[-d[2] for d in data], name="Leaves", marker_color=RED, width=DAY_BAR_MS),
            go.Scatter(
                x=x,
                y=[d[4] for d in data],
                name="Net growth (running)",
                mode="lines+markers",
                line={"color": GREY, "width": 2},
                yaxis="y2",
            ),
        ],
        barmode="relative",
        hovermode="x unified",
        xaxis=day_axis(x),
        yaxis={
            **count_axis("members per day", [v for d in data for v in (d[1], d[2])]),
            "rangemode": "normal",
            "zeroline": True,
            "range": bars_range,
        },
        yaxis2={
            "tickmode": "auto",
            **count_axis("net since first day", [d[4] for d in data]),
            "rangemode": "normal",
            "overlaying": "y",
            "range": line_range,
            "zeroline": True,
            "side": "right",
            "showgrid": False,
        },
    )
    return Chart("membership", title, note, figure, columns, data)


def retention_cohorts(rows: Sequence[Row]) -> Chart:
    """Share of each weekly cohort still posting N weeks later, from `retention_cohorts`.

    Cells the view has no row for stay blank.
    """
    columns = ("cohort_week", "week_offset", "cohort_users", "active_users", "retention")
    title = "Retention by weekly cohort"
    note = "Users grouped by the week of their first message: share who posted again N weeks later."
    ordered = sorted(rows, key=lambda r: (as_date(r["cohort_week"]), int(r["week_offset"])))
    if not ordered:
        return Chart("retention_cohorts", title, note, None, columns)
    data = [
        (
            iso_day(r["cohort_week"]),
            int(r["week_offset"]),
            as_count(r["cohort_users"]),
            as_count(r["active_users"]),
            as_float(r["retention"]),
        )
        for r in ordered
    ]
    cohorts = sorted({d[0] for d in data})
    offsets = list(range(max(d[1] for d in data) + 1))
    sizes = {d[0]: d[2] for d in data}
    cells = {(d[0], d[1]): d for d in data}
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    active: list[list[int | None]] = []
    for cohort in cohorts:
        z_row: list[float | None] = []
        text_row: list[str] = []
        active_row: list[int | None] = []
        for offset in offsets:
            cell = cells.get((cohort, offset))
            retention = None if cell is None else cell[4]
            z_row.append(None if retention is None else round(retention * 100, 1))
            text_row.append("" if retention is None else f"{retention:.0%}")
            active_row.append(None if cell is None else cell[3])
        z.append(z_row)
        text.append(text_row)
        active.append(active_row)
    labels = [f"{cohort} ({sizes[cohort]} users)" for cohort in cohorts]
    figure = make_figure(
        [
            go.Heatmap(
                z=z,
                x=[f"week {o}" for o in offsets],
                y=labels,
                text=text,
                texttemplate="%{text}",
                customdata=active,
                colorscale=SEQUENTIAL,
                zmin=0,
                zmax=100,
                colorbar={"title": {"text": "%"}, "thickness": 12},
                hovertemplate=(
                    "cohort %{y}<br>%{x}: %{z}% (%{customdata} users active)<extra></extra>"
                ),
                xgap=1,
                ygap=1,
            )
        ],
        margin={"l": 8, "r": 24, "t": 36, "b": 44},
        xaxis={"side": "bottom"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
    )
    return Chart("retention_cohorts", title, note, figure, columns, data)


def join_source_mix(rows: Sequence[Row]) -> Chart:
    """Joins per day stacked by where the members came from, from `join_sources`."""
    columns = ("day", "join_source", "joins")
    title = "Where new members come from"
    note = (
        "People who joined each day: by an approved request, a folder link, an invite link, "
        "added by a member, or on their own."
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        day = as_date(row["day"]).isoformat()
        counts.setdefault(str(row["join_source"]), {})[day] = as_count(row["joins"])
    if not counts:
        return Chart("join_sources", title, note, None, columns, empty_message="No joins seen.")
    days = sorted({day for per_day in counts.values() for day in per_day})
    order = [s for s in JOIN_SOURCES if s in counts] + sorted(set(counts) - set(JOIN_SOURCES))
    data = [
        (day, source, counts[source][day])
        for day in days
        for source in order
        if day in counts[source]
    ]
    totals = [sum(counts[s].get(day, 0) for s in order) for day in days]
    figure = make_figure(
        [
            go.Bar(
                x=days,
                y=[counts[source].get(day, 0) for day in days],
                name=JOIN_SOURCES.get(source, (source, GREY))[0],
                marker_color=JOIN_SOURCES.get(source, (source, GREY))[1],
                width=DAY_BAR_MS,
            )
            for source in order
        ],
        barmode="stack",
        hovermode="x unified",
        xaxis=day_axis(days),
        yaxis=count_axis("people who joined", totals),
    )
    return Chart("join_sources", title, note, figure, columns, data)


def top_inviters(rows: Sequence[Row], limit: int = TOP_INVITERS) -> Chart:
    """People who added members and invite links members joined through, from `top_inviters`."""
    columns = ("rank", "inviter_type", "inviter_user_id", "invite_link", "inviter", "members")
    title = f"Top {limit} inviters"
    note = (
        "Members each person added, and members each invite link brought (Telegram does not "
        "tell who created a link: name links after who shares them)."
    )
    ranked = sorted(
        rows,
        key=lambda r: (
            -as_count(r["members"]),
            str(r.get("inviter_name") or ""),
            r["inviter_type"],
        ),
    )[:limit]
    if not ranked:
        return Chart("top_inviters", title, note, None, columns, empty_message="No one invited.")
    labels = unique_labels(
        [
            f"🔗 {row.get('inviter_name')}"
            if row["inviter_type"] == "invite_link"
            else str(row.get("inviter_name") or f"user {row['inviter_user_id']}")
            for row in ranked
        ],
        [row.get("inviter_user_id") or row.get("invite_link") for row in ranked],
    )
    data = [
        (
            rank,
            row["inviter_type"],
            row.get("inviter_user_id"),
            row.get("invite_link"),
            label,
            as_count(row["members"]),
        )
        for rank, (row, label) in enumerate(zip(ranked, labels, strict=True), start=1)
    ]
    figure = make_figure(
        [
            go.Bar(
                x=[d[5] for d in data],
                y=[d[4] for d in data],
                orientation="h",
                marker_color=[BLUE if d[1] == "invite_link" else GREEN for d in data],
                hovertemplate="%{y}<br>%{x} members<extra></extra>",
                name="Members",
            )
        ],
        showlegend=False,
        margin={"l": 8, "r": 24, "t": 36, "b": 44},
        xaxis=count_axis("members brought in", [d[5] for d in data]),
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return Chart("top_inviters", title, note, figure, columns, data)
