"""Turn view rows of one chat into Plotly figures plus the rows each chart plots.

Reads: lists of dict rows as returned by `dashboard.queries` (one chat's rows per view).
Writes nothing. Pure functions: the shaping is limited to what a chart needs (filling empty
days or grid cells with zeros, ordering, picking the top N, unit conversion for display);
every count, share and percentile comes from the views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from dashboard.queries import Row, ViewRows

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS = tuple(range(24))
TOP_POSTERS = 10

# The content types of the curated contract, in a fixed order so that a type keeps its
# colour in every chat and every run.
CONTENT_TYPES = (
    "text",
    "photo",
    "video",
    "animation",
    "audio",
    "voice",
    "video_note",
    "document",
    "sticker",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "story",
    "other",
)
PALETTE = (
    "#4C78A8",
    "#F58518",
    "#54A24B",
    "#E45756",
    "#72B7B2",
    "#EECA3B",
    "#B279A2",
    "#FF9DA6",
    "#9D755D",
    "#BAB0AC",
    "#2F4B7C",
    "#A05195",
    "#665191",
    "#D45087",
    "#FFA600",
    "#7F7F7F",
)
CONTENT_TYPE_COLOURS = dict(zip(CONTENT_TYPES, PALETTE, strict=True))
BLUE, ORANGE, GREEN, RED, GREY = "#4C78A8", "#F58518", "#54A24B", "#E45756", "#555555"
SEQUENTIAL = "Blues"
DAY_MS = 86_400_000
# Bars on a date axis are one day wide (less a gap) whatever the spacing of the days that
# have data: plotly would otherwise widen them to the smallest gap between two bars.
DAY_BAR_MS = int(DAY_MS * 0.8)
SHORT_SPAN_DAYS = 7
SMALL_COUNT = 5


@dataclass(frozen=True)
class Chart:
    """One chart of a chat: its figure (None when there is nothing to plot) and its data.

    `columns`/`rows` are exactly the values the figure plots (what `--csv` writes).
    """

    key: str
    title: str
    note: str
    figure: go.Figure | None
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    empty_message: str = "No data in this period."
    wide: bool = False


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _iso(value: Any) -> str:
    return _as_date(value).isoformat()


def _days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _int(value: Any) -> int:
    return 0 if value is None else int(value)


def day_axis(days: Sequence[str]) -> dict[str, Any]:
    """A date x axis for daily values: half a day of room on each side of the first and
    last day (bars are a day wide), and one tick per day when the span is short (plotly
    would otherwise label hours)."""
    first, last = _as_date(min(days)), _as_date(max(days))
    axis: dict[str, Any] = {
        "type": "date",
        "range": [
            dt.datetime.combine(first, dt.time()) - dt.timedelta(hours=12),
            dt.datetime.combine(last, dt.time()) + dt.timedelta(hours=12),
        ],
    }
    if (last - first).days <= SHORT_SPAN_DAYS:
        axis.update(dtick=DAY_MS, tick0=first.isoformat())
    return axis


def count_axis(title: str, values: Sequence[float | None]) -> dict[str, Any]:
    """An axis of counts: starts at zero, and no 0.5 ticks when the counts are small."""
    axis: dict[str, Any] = {"title": {"text": title}, "rangemode": "tozero"}
    if max((abs(v) for v in values if v is not None), default=0) <= SMALL_COUNT:
        axis.update(tickmode="linear", tick0=0, dtick=1)
    return axis


def base_layout(**overrides: Any) -> dict[str, Any]:
    """Layout shared by every figure: compact margins, legend on top, autosized."""
    layout: dict[str, Any] = {
        "autosize": True,
        "margin": {"l": 56, "r": 24, "t": 36, "b": 44},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "hoverlabel": {"namelength": -1},
    }
    layout.update(overrides)
    return layout


def _figure(traces: Sequence[Any], **layout: Any) -> go.Figure:
    # template "none": the page applies one shared template in JS instead of embedding a
    # copy of it in every figure.
    return go.Figure(data=list(traces), layout=base_layout(template="none", **layout))


def messages_per_day(rows: Sequence[Row]) -> Chart:
    """Bars of messages per day and a line of active users, from `daily_activity`.

    Days without messages inside the chat's range are plotted as zeros.
    """
    columns = ("day", "messages", "active_users")
    by_day = {_as_date(row["day"]): row for row in rows}
    title = "Messages per day"
    note = "Messages sent each day (bars) and users who posted that day (line)."
    if not by_day:
        return Chart("messages_per_day", title, note, None, columns, wide=True)
    days = _days_between(min(by_day), max(by_day))
    data = [
        (
            day.isoformat(),
            _int(by_day[day]["messages"]) if day in by_day else 0,
            _int(by_day[day]["active_users"]) if day in by_day else 0,
        )
        for day in days
    ]
    x = [d for d, _, _ in data]
    figure = _figure(
        [
            go.Bar(
                x=x,
                y=[m for _, m, _ in data],
                name="Messages",
                marker_color=BLUE,
                width=DAY_BAR_MS,
            ),
            go.Scatter(
                x=x,
                y=[u for _, _, u in data],
                name="Active users",
                yaxis="y2",
                mode="lines+markers",
                line={"color": ORANGE, "width": 2},
                marker={"size": 5},
            ),
        ],
        hovermode="x unified",
        xaxis=day_axis(x),
        yaxis=count_axis("messages", [m for _, m, _ in data]),
        yaxis2={
            # its own ticks, not the primary axis' grid (plotly.js 3+ syncs by default)
            "tickmode": "auto",
            **count_axis("active users", [u for _, _, u in data]),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
    )
    return Chart("messages_per_day", title, note, figure, columns, data, wide=True)


def _poster_label(row: Row) -> str:
    name = row.get("display_name") or ""
    username = row.get("user_username")
    if username:
        name = f"{name} (@{username})" if name else f"@{username}"
    if not name:
        name = "no sender" if row.get("user_id") is None else f"user {row['user_id']}"
    return str(name)


def _unique(labels: Sequence[str], ids: Sequence[Any]) -> list[str]:
    # Plotly merges equal category labels into one bar: two users called "Alex" must not.
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [
        f"{label} [{user_id}]" if seen[label] > 1 else label
        for label, user_id in zip(labels, ids, strict=True)
    ]


def top_posters(rows: Sequence[Row], limit: int = TOP_POSTERS) -> Chart:
    """The `limit` users with the most messages, from `user_activity`, with their share."""
    columns = ("rank", "user_id", "name", "messages", "share_of_chat_messages")
    title = f"Top {limit} posters"
    note = "Messages per user; the label is the user's share of all messages of the chat."
    ranked = sorted(rows, key=lambda r: (-_int(r["messages"]), r["user_id"] is None, r["user_id"]))
    ranked = ranked[:limit]
    if not ranked:
        return Chart("top_posters", title, note, None, columns)
    names = _unique([_poster_label(r) for r in ranked], [r["user_id"] for r in ranked])
    data = [
        (rank, row["user_id"], name, _int(row["messages"]), _num(row["share_of_chat_messages"]))
        for rank, (row, name) in enumerate(zip(ranked, names, strict=True), start=1)
    ]
    shares = [share for *_, share in data]
    figure = _figure(
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


def hourly_heatmap(rows: Sequence[Row], timezone: str) -> Chart:
    """Messages by weekday (rows, Monday first) and hour (columns), from `hourly_heatmap`."""
    columns = ("weekday", "weekday_name", "hour", "messages")
    title = f"Activity by weekday and hour ({timezone})"
    note = f"Messages per hour of the day and day of the week, in {timezone}."
    if not rows:
        return Chart("hourly_heatmap", title, note, None, columns)
    grid = [[0 for _ in HOURS] for _ in WEEKDAY_NAMES]
    names = list(WEEKDAY_NAMES)
    for row in rows:
        weekday, hour = int(row["weekday"]), int(row["hour"])
        grid[weekday - 1][hour] = _int(row["messages"])
        if row.get("weekday_name"):
            names[weekday - 1] = str(row["weekday_name"])
    data = [
        (weekday, names[weekday - 1], hour, grid[weekday - 1][hour])
        for weekday in range(1, 8)
        for hour in HOURS
    ]
    figure = _figure(
        [
            go.Heatmap(
                z=grid,
                x=list(HOURS),
                y=names,
                colorscale=SEQUENTIAL,
                colorbar={
                    "title": {"text": "messages"},
                    "thickness": 12,
                    **({"dtick": 1} if max(map(max, grid)) <= SMALL_COUNT else {}),
                },
                hovertemplate="%{y} %{x}:00–%{x}:59<br>%{z} messages<extra></extra>",
                xgap=1,
                ygap=1,
            )
        ],
        xaxis={
            "title": {"text": f"hour ({timezone})"},
            "tickmode": "array",
            "tickvals": list(HOURS[::2]),
            "ticktext": [f"{h:02d}" for h in HOURS[::2]],
        },
        yaxis={"autorange": "reversed"},
    )
    return Chart("hourly_heatmap", title, note, figure, columns, data)


def content_type_mix(rows: Sequence[Row]) -> Chart:
    """Stacked messages per day by content type, from `content_type_daily`."""
    columns = ("day", "content_type", "messages")
    title = "Content types over time"
    note = "Messages per day by kind (text, photo, sticker, ...); switch to shares above."
    if not rows:
        return Chart("content_type_mix", title, note, None, columns)
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(str(row["content_type"]), {})[_iso(row["day"])] = _int(row["messages"])
    days = sorted({day for per_day in counts.values() for day in per_day})
    # Most frequent type first (at the bottom of the stack); the fixed order breaks ties.
    order = sorted(
        counts,
        key=lambda t: (
            -sum(counts[t].values()),
            CONTENT_TYPES.index(t) if t in CONTENT_TYPES else len(CONTENT_TYPES),
            t,
        ),
    )
    data = [(day, kind, counts[kind][day]) for day in days for kind in order if day in counts[kind]]
    totals = [sum(counts[kind].get(day, 0) for kind in order) for day in days]
    dtick = count_axis("messages", totals).get("dtick")
    traces = [
        go.Bar(
            x=days,
            y=[counts[kind].get(day, 0) for day in days],
            name=kind,
            width=DAY_BAR_MS,
            marker_color=CONTENT_TYPE_COLOURS.get(kind, GREY),
        )
        for kind in order
    ]
    figure = _figure(
        traces,
        barmode="stack",
        hovermode="x unified",
        xaxis=day_axis(days),
        yaxis=count_axis("messages", totals),
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
        margin={"l": 56, "r": 8, "t": 44, "b": 44},
        updatemenus=[
            {
                "type": "buttons",
                "direction": "right",
                "x": 0,
                "xanchor": "left",
                "y": 1.02,
                "yanchor": "bottom",
                "pad": {"t": 0, "b": 0, "l": 0, "r": 0},
                "showactive": True,
                "buttons": [
                    {
                        "label": "Count",
                        "method": "relayout",
                        "args": [
                            {"barnorm": "", "yaxis.title.text": "messages", "yaxis.dtick": dtick}
                        ],
                    },
                    {
                        "label": "Share",
                        "method": "relayout",
                        "args": [
                            {
                                "barnorm": "percent",
                                "yaxis.title.text": "% of messages",
                                "yaxis.dtick": None,
                            }
                        ],
                    },
                ],
            }
        ],
    )
    return Chart("content_type_mix", title, note, figure, columns, data)


def zero_aligned_ranges(
    first: Sequence[float], second: Sequence[float], pad: float = 0.08
) -> tuple[list[float], list[float]]:
    """Ranges for two overlaid y axes that put both zero lines at the same height."""

    def extent(values: Sequence[float]) -> tuple[float, float]:
        low, high = min([0.0, *values]), max([0.0, *values])
        return -low, (high if low or high else 1.0)

    extents = [extent(first), extent(second)]
    # Share of the plot below zero: the larger one wins and the other axis is stretched to
    # match; capped so that an axis with positive values keeps room above zero.
    below = max(neg / (neg + pos) for neg, pos in extents)
    if any(pos > 0 for _, pos in extents):
        below = min(below, 0.9)
    ranges = []
    for data_neg, data_pos in extents:
        neg, pos = data_neg, data_pos
        if below < 1:
            neg = max(data_neg, below * data_pos / (1 - below))
            if below > 0:
                pos = max(data_pos, neg * (1 - below) / below)
        span = (neg + pos) * pad
        ranges.append([-neg - span, pos + span])
    return ranges[0], ranges[1]


def membership(rows: Sequence[Row]) -> Chart:
    """Joins (up), leaves (down) per day and the running net growth, from `membership_daily`."""
    columns = ("day", "joins", "leaves", "net", "cumulative_net")
    title = "Joins, leaves and net growth"
    note = "Members who joined (up) and left (down) each day; the line adds up the net change."
    ordered = sorted(rows, key=lambda r: _as_date(r["day"]))
    if not ordered:
        return Chart(
            "membership", title, note, None, columns, empty_message="No joins or leaves seen."
        )
    data: list[tuple[Any, ...]] = []
    running = 0
    for row in ordered:
        running += _int(row["net"])
        data.append(
            (_iso(row["day"]), _int(row["joins"]), _int(row["leaves"]), _int(row["net"]), running)
        )
    x = [d[0] for d in data]
    bars_range, line_range = zero_aligned_ranges(
        [float(v) for d in data for v in (d[1], -d[2])], [float(d[4]) for d in data]
    )
    figure = _figure(
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


def top_words(rows: Sequence[Row]) -> Chart:
    """The most used words of each week, from `top_words`; a menu picks the week.

    One bar trace per week; the latest week is shown first.
    """
    columns = ("week_start", "position", "word", "occurrences", "word_rank")
    title = "Top words by week"
    note = "Most used words of the week (as the top_words view counts them); pick a week."
    weeks: dict[str, list[Row]] = {}
    for row in rows:
        weeks.setdefault(_iso(row["week_start"]), []).append(row)
    if not weeks:
        return Chart("top_words", title, note, None, columns, empty_message="No words yet.")
    data: list[tuple[Any, ...]] = []
    traces = []
    axis_for_week = {}
    ordered_weeks = sorted(weeks)
    latest = ordered_weeks[-1]
    for week in ordered_weeks:
        ranked = sorted(weeks[week], key=lambda r: (_int(r["word_rank"]), str(r["word"])))
        # Positions, not ranks, on the axis: tied ranks would put two bars on one row.
        positions = list(range(1, len(ranked) + 1))
        words = [str(r["word"]) for r in ranked]
        data.extend(
            (week, pos, str(r["word"]), _int(r["occurrences"]), _int(r["word_rank"]))
            for pos, r in zip(positions, ranked, strict=True)
        )
        axis_for_week[week] = {"tickvals": positions, "ticktext": words}
        traces.append(
            go.Bar(
                x=[_int(r["occurrences"]) for r in ranked],
                y=positions,
                orientation="h",
                name=f"week of {week}",
                marker_color=BLUE,
                visible=week == latest,
                customdata=words,
                hovertemplate="%{customdata}: %{x}<extra></extra>",
            )
        )
    buttons = [
        {
            "label": f"week of {week}",
            "method": "update",
            "args": [
                {"visible": [w == week for w in ordered_weeks]},
                {
                    "yaxis.tickvals": axis_for_week[week]["tickvals"],
                    "yaxis.ticktext": axis_for_week[week]["ticktext"],
                },
            ],
        }
        for week in reversed(ordered_weeks)
    ]
    figure = _figure(
        traces,
        showlegend=False,
        margin={"l": 8, "r": 24, "t": 48, "b": 44},
        xaxis=count_axis("occurrences", [d[3] for d in data]),
        yaxis={
            "autorange": "reversed",
            "automargin": True,
            "tickmode": "array",
            **axis_for_week[latest],
        },
        updatemenus=[
            {
                "buttons": buttons,
                "direction": "down",
                "x": 0,
                "xanchor": "left",
                "y": 1.02,
                "yanchor": "bottom",
                "pad": {"t": 0, "b": 0, "l": 0, "r": 0},
                "showactive": True,
                "active": 0,
            }
        ],
    )
    return Chart("top_words", title, note, figure, columns, data)


def _latency_unit(max_seconds: float) -> tuple[str, float]:
    if max_seconds < 120:
        return "seconds", 1.0
    if max_seconds < 2 * 3600:
        return "minutes", 60.0
    return "hours", 3600.0


def reply_latency(rows: Sequence[Row]) -> Chart:
    """Median and 90th percentile reply time per day, from `reply_latency`."""
    columns = ("day", "replies", "median_latency_seconds", "p90_latency_seconds")
    title = "Reply latency"
    note = "Time between a message and the replies to it: median and 90th percentile per day."
    ordered = sorted(rows, key=lambda r: _as_date(r["day"]))
    if not ordered:
        return Chart(
            "reply_latency", title, note, None, columns, empty_message="No replies in this period."
        )
    data = [
        (
            _iso(r["day"]),
            _int(r["replies"]),
            _num(r["median_latency_seconds"]),
            _num(r["p90_latency_seconds"]),
        )
        for r in ordered
    ]
    observed = [v for d in data for v in d[2:] if v is not None]
    unit, divisor = _latency_unit(max(observed, default=0.0))
    x = [d[0] for d in data]
    replies = [d[1] for d in data]

    def scaled(values: list[float | None]) -> list[float | None]:
        return [None if v is None else round(v / divisor, 2) for v in values]

    figure = _figure(
        [
            go.Scatter(
                x=x,
                y=scaled([d[2] for d in data]),
                name="Median",
                mode="lines+markers",
                line={"color": BLUE, "width": 2},
                customdata=replies,
                hovertemplate=f"median %{{y}} {unit} (%{{customdata}} replies)<extra></extra>",
            ),
            go.Scatter(
                x=x,
                y=scaled([d[3] for d in data]),
                name="90th percentile",
                mode="lines+markers",
                line={"color": ORANGE, "width": 2, "dash": "dot"},
                hovertemplate=f"p90 %{{y}} {unit}<extra></extra>",
            ),
        ],
        hovermode="x unified",
        xaxis=day_axis(x),
        yaxis={"title": {"text": unit}, "rangemode": "tozero"},
    )
    return Chart("reply_latency", title, note, figure, columns, data)


def retention_cohorts(rows: Sequence[Row]) -> Chart:
    """Share of each weekly cohort still posting N weeks later, from `retention_cohorts`.

    Cells the view has no row for stay blank.
    """
    columns = ("cohort_week", "week_offset", "cohort_users", "active_users", "retention")
    title = "Retention by weekly cohort"
    note = "Users grouped by the week of their first message: share who posted again N weeks later."
    ordered = sorted(rows, key=lambda r: (_as_date(r["cohort_week"]), int(r["week_offset"])))
    if not ordered:
        return Chart("retention_cohorts", title, note, None, columns)
    data = [
        (
            _iso(r["cohort_week"]),
            int(r["week_offset"]),
            _int(r["cohort_users"]),
            _int(r["active_users"]),
            _num(r["retention"]),
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
    figure = _figure(
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


def dau_wau_mau(rows: Sequence[Row]) -> Chart:
    """Daily, weekly (7-day) and monthly (30-day) active users, from `dau_wau_mau`."""
    columns = ("day", "dau", "wau", "mau")
    title = "Daily, weekly and monthly active users"
    note = "Users who posted that day (DAU), in the last 7 days (WAU) and in the last 30 (MAU)."
    ordered = sorted(rows, key=lambda r: _as_date(r["day"]))
    if not ordered:
        return Chart("dau_wau_mau", title, note, None, columns)
    data = [(_iso(r["day"]), _int(r["dau"]), _int(r["wau"]), _int(r["mau"])) for r in ordered]
    x = [d[0] for d in data]
    figure = _figure(
        [
            go.Scatter(
                x=x,
                y=[d[index] for d in data],
                name=name,
                mode="lines",
                line={"color": colour, "width": 2},
            )
            for index, name, colour in ((1, "DAU", BLUE), (2, "WAU", ORANGE), (3, "MAU", GREEN))
        ],
        hovermode="x unified",
        xaxis=day_axis(x),
        yaxis=count_axis("users", [v for d in data for v in d[1:]]),
    )
    return Chart("dau_wau_mau", title, note, figure, columns, data)


def chat_charts(views: ViewRows, timezone: str) -> list[Chart]:
    """Every chart of one chat, in page order (`views` already restricted to that chat)."""
    return [
        messages_per_day(views.daily_activity),
        dau_wau_mau(views.dau_wau_mau),
        top_posters(views.user_activity),
        hourly_heatmap(views.hourly_heatmap, timezone),
        content_type_mix(views.content_type_daily),
        membership(views.membership_daily),
        reply_latency(views.reply_latency),
        top_words(views.top_words),
        retention_cohorts(views.retention_cohorts),
    ]
