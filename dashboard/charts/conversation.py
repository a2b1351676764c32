"""Charts of what a chat says and who answers whom: content types over time, top words,
reply latency, the reply matrix.

Reads: one chat's rows of `content_type_daily`, `top_words`, `reply_latency` and
`reply_pairs` (dict rows from `dashboard.queries`). Writes nothing. Shaping is limited to
what a chart needs (order, one trace per week, a readable time unit, the top N people);
the numbers come from the views.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard.charts.shaping import as_count, as_date, as_float, iso_day
from dashboard.charts.style import (
    BLUE,
    CONTENT_TYPE_COLOURS,
    CONTENT_TYPES,
    DAY_BAR_MS,
    GREY,
    ORANGE,
    SEQUENTIAL,
    SMALL_COUNT,
    Chart,
    count_axis,
    day_axis,
    make_figure,
    unique_labels,
)
from dashboard.queries import Row

# People in the reply matrix: the most engaged, so that the grid stays readable.
MATRIX_PEOPLE = 12


def content_type_mix(rows: Sequence[Row], *, posts: bool = False) -> Chart:
    """Stacked messages per day by content type, from `content_type_daily`; `posts` words it
    for a channel."""
    columns = ("day", "content_type", "messages")
    title = "Content types over time"
    unit = "posts" if posts else "messages"
    note = (
        f"{unit.capitalize()} per day by kind (text, photo, sticker, ...); switch to shares above."
    )
    if not rows:
        return Chart("content_type_mix", title, note, None, columns)
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(str(row["content_type"]), {})[iso_day(row["day"])] = as_count(
            row["messages"]
        )
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
    dtick = count_axis(unit, totals).get("dtick")
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
    figure = make_figure(
        traces,
        barmode="stack",
        hovermode="x unified",
        xaxis=day_axis(days),
        yaxis=count_axis(unit, totals),
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
                        "args": [{"barnorm": "", "yaxis.title.text": unit, "yaxis.dtick": dtick}],
                    },
                    {
                        "label": "Share",
                        "method": "relayout",
                        "args": [
                            {
                                "barnorm": "percent",
                                "yaxis.title.text": f"% of {unit}",
                                "yaxis.dtick": None,
                            }
                        ],
                    },
                ],
            }
        ],
    )
    return Chart("content_type_mix", title, note, figure, columns, data)


def top_words(rows: Sequence[Row]) -> Chart:
    """The most used words of each week, from `top_words`; a menu picks the week.

    One bar trace per week; the latest week is shown first.
    """
    columns = ("week_start", "position", "word", "occurrences", "word_rank")
    title = "Top words by week"
    note = "Most used words of the week (as the top_words view counts them); pick a week."
    weeks: dict[str, list[Row]] = {}
    for row in rows:
        weeks.setdefault(iso_day(row["week_start"]), []).append(row)
    if not weeks:
        return Chart("top_words", title, note, None, columns, empty_message="No words yet.")
    data: list[tuple[Any, ...]] = []
    traces = []
    axis_for_week = {}
    ordered_weeks = sorted(weeks)
    latest = ordered_weeks[-1]
    for week in ordered_weeks:
        ranked = sorted(weeks[week], key=lambda r: (as_count(r["word_rank"]), str(r["word"])))
        # Positions, not ranks, on the axis: tied ranks would put two bars on one row.
        positions = list(range(1, len(ranked) + 1))
        words = [str(r["word"]) for r in ranked]
        data.extend(
            (week, pos, str(r["word"]), as_count(r["occurrences"]), as_count(r["word_rank"]))
            for pos, r in zip(positions, ranked, strict=True)
        )
        axis_for_week[week] = {"tickvals": positions, "ticktext": words}
        traces.append(
            go.Bar(
                x=[as_count(r["occurrences"]) for r in ranked],
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
    figure = make_figure(
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
    ordered = sorted(rows, key=lambda r: as_date(r["day"]))
    if not ordered:
        return Chart(
            "reply_latency", title, note, None, columns, empty_message="No replies in this period."
        )
    data = [
        (
            iso_day(r["day"]),
            as_count(r["replies"]),
            as_float(r["median_latency_seconds"]),
            as_float(r["p90_latency_seconds"]),
        )
        for r in ordered
    ]
    observed = [v for d in data for v in d[2:] if v is not None]
    unit, divisor = _latency_unit(max(observed, default=0.0))
    x = [d[0] for d in data]
    replies = [d[1] for d in data]

    def scaled(values: list[float | None]) -> list[float | None]:
        return [None if v is None else round(v / divisor, 2) for v in values]

    figure = make_figure(
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


def reply_matrix(rows: Sequence[Row], limit: int = MATRIX_PEOPLE) -> Chart:
    """Who replies to whom among people, from `reply_pairs`: a matrix of reply counts.

    Replies to bots and to Telegram's stand-in accounts (automatic forwards, anonymous
    admins) are left out; the `limit` people with the most replies sent and received make
    the rows (repliers) and columns (replied to), in the same order.
    """
    columns = (
        "user_id",
        "display_name",
        "replied_to_user_id",
        "replied_to_display_name",
        "replies",
    )
    title = "Who replies to whom"
    note = "Replies between people: a row is who replied, a column whom they replied to."
    people_rows = [row for row in rows if row.get("replied_to_is_person") is not False]
    engagement: dict[int, int] = {}
    names: dict[int, str] = {}
    for row in people_rows:
        replies = as_count(row["replies"])
        for user, name in (
            (row["user_id"], row.get("display_name")),
            (row["replied_to_user_id"], row.get("replied_to_display_name")),
        ):
            engagement[user] = engagement.get(user, 0) + replies
            names.setdefault(user, str(name or f"user {user}"))
    people = sorted(engagement, key=lambda user: (-engagement[user], names[user], user))[:limit]
    if not people:
        return Chart(
            "reply_matrix", title, note, None, columns, empty_message="No replies between people."
        )
    index = {user: position for position, user in enumerate(people)}
    grid = [[0 for _ in people] for _ in people]
    data = []

    def position(row: Row) -> tuple[int, int]:
        return index.get(row["user_id"], limit), index.get(row["replied_to_user_id"], limit)

    for row in sorted(people_rows, key=position):
        replier, replied_to = row["user_id"], row["replied_to_user_id"]
        if replier in index and replied_to in index:
            grid[index[replier]][index[replied_to]] = as_count(row["replies"])
            data.append(
                (replier, names[replier], replied_to, names[replied_to], as_count(row["replies"]))
            )
    labels = unique_labels([names[user] for user in people], people)
    figure = make_figure(
        [
            go.Heatmap(
                z=grid,
                x=labels,
                y=labels,
                colorscale=SEQUENTIAL,
                text=[[str(v) if v else "" for v in line] for line in grid],
                texttemplate="%{text}",
                colorbar={
                    "title": {"text": "replies"},
                    "thickness": 12,
                    **({"dtick": 1} if max(map(max, grid)) <= SMALL_COUNT else {}),
                },
                hovertemplate="%{y} replied to %{x}: %{z}<extra></extra>",
                xgap=1,
                ygap=1,
            )
        ],
        margin={"l": 8, "r": 24, "t": 36, "b": 8},
        xaxis={
            "side": "top",
            "automargin": True,
            "tickangle": -30,
            "title": {"text": "replied to"},
        },
        yaxis={"autorange": "reversed", "automargin": True, "title": {"text": "replier"}},
    )
    return Chart("reply_matrix", title, note, figure, columns, data)
