"""Charts of when a chat is active: messages (or a channel's posts) per day, DAU/WAU/MAU,
weekday x hour.

Reads: one chat's rows of `daily_activity`, `dau_wau_mau` and `hourly_heatmap` (dict rows
from `dashboard.queries`). Writes nothing. Shaping is limited to what a chart needs
(zeros for empty days and grid cells, order); the numbers come from the views.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard.charts.shaping import as_count, as_date, days_between, iso_day
from dashboard.charts.style import (
    BLUE,
    DAY_BAR_MS,
    GREEN,
    ORANGE,
    SEQUENTIAL,
    SMALL_COUNT,
    Chart,
    count_axis,
    day_axis,
    make_figure,
)
from dashboard.queries import Row

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS = tuple(range(24))


def messages_per_day(rows: Sequence[Row]) -> Chart:
    """Bars of messages per day and a line of active users, from `daily_activity`.

    Days without messages inside the chat's range are plotted as zeros.
    """
    columns = ("day", "messages", "active_users")
    by_day = {as_date(row["day"]): row for row in rows}
    title = "Messages per day"
    note = "Messages sent each day (bars) and users who posted that day (line)."
    if not by_day:
        return Chart("messages_per_day", title, note, None, columns, wide=True)
    days = days_between(min(by_day), max(by_day))
    data = [
        (
            day.isoformat(),
            as_count(by_day[day]["messages"]) if day in by_day else 0,
            as_count(by_day[day]["active_users"]) if day in by_day else 0,
        )
        for day in days
    ]
    x = [d for d, _, _ in data]
    figure = make_figure(
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


def posts_per_day(rows: Sequence[Row]) -> Chart:
    """A channel's posts per day, from `daily_activity` (a channel has no active users).

    Days without posts inside the channel's range are plotted as zeros.
    """
    columns = ("day", "posts")
    by_day = {as_date(row["day"]): as_count(row["messages"]) for row in rows}
    title = "Posts per day"
    note = "Posts the channel published each day."
    if not by_day:
        return Chart("posts_per_day", title, note, None, columns, wide=True)
    data = [(day.isoformat(), by_day.get(day, 0)) for day in days_between(min(by_day), max(by_day))]
    x = [d for d, _ in data]
    figure = make_figure(
        [go.Bar(x=x, y=[n for _, n in data], name="Posts", marker_color=BLUE, width=DAY_BAR_MS)],
        hovermode="x unified",
        showlegend=False,
        xaxis=day_axis(x),
        yaxis=count_axis("posts", [n for _, n in data]),
    )
    return Chart("posts_per_day", title, note, figure, columns, data, wide=True)


def dau_wau_mau(rows: Sequence[Row]) -> Chart:
    """Daily, weekly (7-day) and monthly (30-day) active users, from `dau_wau_mau`."""
    columns = ("day", "dau", "wau", "mau")
    title = "Daily, weekly and monthly active users"
    note = "Users who posted that day (DAU), in the last 7 days (WAU) and in the last 30 (MAU)."
    ordered = sorted(rows, key=lambda r: as_date(r["day"]))
    if not ordered:
        return Chart("dau_wau_mau", title, note, None, columns)
    data = [
        (iso_day(r["day"]), as_count(r["dau"]), as_count(r["wau"]), as_count(r["mau"]))
        for r in ordered
    ]
    x = [d[0] for d in data]
    figure = make_figure(
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


def hourly_heatmap(rows: Sequence[Row], timezone: str, *, posts: bool = False) -> Chart:
    """Messages by weekday (rows, Monday first) and hour (columns), from `hourly_heatmap`;
    `posts` words it for a channel."""
    columns = ("weekday", "weekday_name", "hour", "messages")
    what = "Posting" if posts else "Activity"
    title = f"{what} by weekday and hour ({timezone})"
    counted = "Posts" if posts else "Messages"
    note = f"{counted} per hour of the day and day of the week, in {timezone}."
    if not rows:
        return Chart("hourly_heatmap", title, note, None, columns)
    grid = [[0 for _ in HOURS] for _ in WEEKDAY_NAMES]
    names = list(WEEKDAY_NAMES)
    for row in rows:
        weekday, hour = int(row["weekday"]), int(row["hour"])
        grid[weekday - 1][hour] = as_count(row["messages"])
        if row.get("weekday_name"):
            names[weekday - 1] = str(row["weekday_name"])
    data = [
        (weekday, names[weekday - 1], hour, grid[weekday - 1][hour])
        for weekday in range(1, 8)
        for hour in HOURS
    ]
    figure = make_figure(
        [
            go.Heatmap(
                z=grid,
                x=list(HOURS),
                y=names,
                colorscale=SEQUENTIAL,
                colorbar={
                    "title": {"text": counted.lower()},
                    "thickness": 12,
                    **({"dtick": 1} if max(map(max, grid)) <= SMALL_COUNT else {}),
                },
                hovertemplate=(
                    f"%{{y}} %{{x}}:00–%{{x}}:59<br>%{{z}} {counted.lower()}<extra></extra>"
                ),
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
