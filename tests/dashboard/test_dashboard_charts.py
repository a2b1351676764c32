"""Chart shaping from hand-built view rows: what each figure plots, checked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import charts
from dashboard.queries import ViewRows

D = dt.date


def test_messages_per_day_fills_days_without_messages_with_zero() -> None:
    rows = [
        {"chat_id": 1, "chat_title": "g", "day": D(2024, 3, 1), "messages": 5, "active_users": 2},
        {"chat_id": 1, "chat_title": "g", "day": D(2024, 3, 4), "messages": 1, "active_users": 1},
    ]
    chart = charts.messages_per_day(rows)
    assert chart.rows == [
        ("2024-03-01", 5, 2),
        ("2024-03-02", 0, 0),
        ("2024-03-03", 0, 0),
        ("2024-03-04", 1, 1),
    ]
    assert chart.figure is not None
    bars, line = chart.figure.data
    assert bars.type == "bar" and line.type == "scatter"
    assert list(bars.x) == ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"]
    assert list(bars.y) == [5, 0, 0, 1]
    assert list(line.y) == [2, 0, 0, 1]
    assert line.yaxis == "y2"


def test_every_chart_is_empty_without_rows() -> None:
    result = charts.chat_charts(ViewRows.empty(), "UTC")
    assert [c.key for c in result] == [
        "messages_per_day",
        "dau_wau_mau",
        "top_posters",
        "hourly_heatmap",
        "content_type_mix",
        "reply_matrix",
        "reply_latency",
        "reactions_per_day",
        "most_reacted",
        "membership",
        "join_sources",
        "top_inviters",
        "top_words",
        "retention_cohorts",
    ]
    assert all(c.figure is None and c.rows == [] for c in result)
    channel = charts.chat_charts(ViewRows.empty(), "UTC", "channel")
    assert [c.key for c in channel] == [
        "posts_per_day",
        "hourly_heatmap",
        "content_type_mix",
        "reactions_per_day",
        "most_reacted",
        "top_words",
    ]
    assert all(c.figure is None and c.rows == [] for c in channel)


def _user(user_id: int | None, name: str | None, username: str | None, messages: int, share: float):
    return {
        "chat_id": 1,
        "user_id": user_id,
        "display_name": name,
        "user_username": username,
        "messages": messages,
        "share_of_chat_messages": share,
    }


def test_top_posters_orders_by_messages_cuts_at_limit_and_keeps_namesakes_apart() -> None:
    rows = [
        _user(11, "Alex", None, 3, 0.15),
        _user(12, "Alex", None, 8, 0.40),
        _user(13, "Bea", "bea", 6, 0.30),
        _user(None, None, None, 2, 0.10),
        _user(14, None, None, 1, 0.05),
    ]
    chart = charts.top_posters(rows, limit=4)
    assert chart.rows == [
        (1, 12, "Alex [12]", 8, 0.40),
        (2, 13, "Bea (@bea)", 6, 0.30),
        (3, 11, "Alex [11]", 3, 0.15),
        (4, None, "no sender", 2, 0.10),
    ]
    assert chart.figure is not None
    (bar,) = chart.figure.data
    assert list(bar.x) == [8, 6, 3, 2]
    assert list(bar.y) == ["Alex [12]", "Bea (@bea)", "Alex [11]", "no sender"]
    assert list(bar.text) == ["40.0%", "30.0%", "15.0%", "10.0%"]


def test_hourly_heatmap_is_a_full_week_by_day_grid_monday_first() -> None:
    rows = [
        {"chat_id": 1, "weekday": 1, "weekday_name": "Mon", "hour": 0, "messages": 4},
        {"chat_id": 1, "weekday": 7, "weekday_name": "Sun", "hour": 23, "messages": 2},
        {"chat_id": 1, "weekday": 3, "weekday_name": "Wed", "hour": 12, "messages": 9},
    ]
    chart = charts.hourly_heatmap(rows, "Asia/Tokyo")
    assert "Asia/Tokyo" in chart.title
    assert chart.figure is not None
    (heat,) = chart.figure.data
    z = [list(r) for r in heat.z]
    assert len(z) == 7 and all(len(r) == 24 for r in z)
    assert z[0][0] == 4 and z[6][23] == 2 and z[2][12] == 9
    assert sum(map(sum, z)) == 15
    assert list(heat.y) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert len(chart.rows) == 168
    assert (3, "Wed", 12, 9) in chart.rows and (3, "Wed", 13, 0) in chart.rows


def test_content_type_mix_stacks_one_trace_per_type_most_frequent_first() -> None:
    rows = [
        {"chat_id": 1, "day": D(2024, 3, 1), "content_type": "photo", "messages": 2},
        {"chat_id": 1, "day": D(2024, 3, 1), "content_type": "text", "messages": 5},
        {"chat_id": 1, "day": D(2024, 3, 2), "content_type": "sticker", "messages": 1},
        {"chat_id": 1, "day": D(2024, 3, 2), "content_type": "text", "messages": 3},
    ]
    chart = charts.content_type_mix(rows)
    assert chart.figure is not None
    assert chart.figure.layout.barmode == "stack"
    traces = {t.name: list(t.y) for t in chart.figure.data}
    assert [t.name for t in chart.figure.data] == ["text", "photo", "sticker"]
    assert traces == {"text": [5, 3], "photo": [2, 0], "sticker": [0, 1]}
    assert list(chart.figure.data[0].x) == ["2024-03-01", "2024-03-02"]
    assert chart.rows == [
        ("2024-03-01", "text", 5),
        ("2024-03-01", "photo", 2),
        ("2024-03-02", "text", 3),
        ("2024-03-02", "sticker", 1),
    ]


def test_membership_plots_leaves_downwards_and_a_running_net() -> None:
    rows = [
        {"chat_id": 1, "day": D(2024, 3, 3), "joins": 0, "leaves": 2, "net": -2},
        {"chat_id": 1, "day": D(2024, 3, 1), "joins": 3, "leaves": 1, "net": 2},
        {"chat_id": 1, "day": D(2024, 3, 2), "joins": 1, "leaves": 0, "net": 1},
    ]
    chart = charts.membership(rows)
    assert chart.rows == [
        ("2024-03-01", 3, 1, 2, 2),
        ("2024-03-02", 1, 0, 1, 3),
        ("2024-03-03", 0, 2, -2, 1),
    ]
    assert chart.figure is not None
    joins, leaves, net = chart.figure.data
    assert list(joins.y) == [3, 1, 0]
    assert list(leaves.y) == [-1, 0, -2]
    assert list(net.y) == [2, 3, 1]
    assert chart.figure.layout.barmode == "relative"


@pytest.mark.parametrize(
    ("first", "second", "expected_first", "expected_second"),
    [
        # bars from -2 to 3, line from -4 to 3: 4/7 of both axes below zero
        ([3.0, -2.0], [3.0, -4.0], [-4.0, 3.0], [-4.0, 3.0]),
        # line all positive: bars keep their -1..2, line stretched to -10..20
        ([2.0, -1.0], [10.0, 20.0], [-1.0, 2.0], [-10.0, 20.0]),
        # nothing below zero anywhere
        ([0.0, 0.0], [5.0], [0.0, 1.0], [0.0, 5.0]),
    ],
)
def test_zero_aligned_ranges_put_both_zeros_at_the_same_height(
    first: list[float],
    second: list[float],
    expected_first: list[float],
    expected_second: list[float],
) -> None:
    got_first, got_second = charts.zero_aligned_ranges(first, second, pad=0.0)
    assert got_first == pytest.approx(expected_first)
    assert got_second == pytest.approx(expected_second)


def test_top_words_one_trace_per_week_latest_visible_with_its_words_on_the_axis() -> None:
    def word(week: dt.date, text: str, occurrences: int, rank: int) -> dict[str, object]:
        return {
            "chat_id": 1,
            "week_start": week,
            "word": text,
            "occurrences": occurrences,
            "word_rank": rank,
        }

    rows = [
        word(D(2024, 3, 4), "lake", 7, 1),
        word(D(2024, 3, 4), "glue", 3, 2),
        word(D(2024, 2, 26), "tea", 4, 1),
        # a tie: both get rank 1 from the view, they need two rows on the axis
        word(D(2024, 2, 26), "cake", 4, 1),
    ]
    chart = charts.top_words(rows)
    assert chart.figure is not None
    older, latest = chart.figure.data
    assert (older.visible, latest.visible) == (False, True)
    assert list(latest.x) == [7, 3] and list(latest.customdata) == ["lake", "glue"]
    assert list(older.x) == [4, 4] and list(older.customdata) == ["cake", "tea"]
    assert list(older.y) == [1, 2]
    assert list(chart.figure.layout.yaxis.ticktext) == ["lake", "glue"]
    menu = chart.figure.layout.updatemenus[0]
    assert [b.label for b in menu.buttons] == ["week of 2024-03-04", "week of 2024-02-26"]
    assert menu.buttons[1].args[0] == {"visible": [True, False]}
    assert menu.buttons[1].args[1]["yaxis.ticktext"] == ["cake", "tea"]


@pytest.mark.parametrize(
    ("p90_seconds", "unit", "plotted_p90"),
    [(90.0, "seconds", 90.0), (1800.0, "minutes", 30.0), (10800.0, "hours", 3.0)],
)
def test_reply_latency_picks_a_readable_unit(
    p90_seconds: float, unit: str, plotted_p90: float
) -> None:
    rows = [
        {
            "chat_id": 1,
            "day": D(2024, 3, 1),
            "replies": 4,
            "median_latency_seconds": 30.0,
            "p90_latency_seconds": p90_seconds,
        },
        {
            "chat_id": 1,
            "day": D(2024, 3, 2),
            "replies": 0,
            "median_latency_seconds": None,
            "p90_latency_seconds": None,
        },
    ]
    chart = charts.reply_latency(rows)
    assert chart.figure is not None
    median, p90 = chart.figure.data
    assert chart.figure.layout.yaxis.title.text == unit
    assert list(p90.y) == [plotted_p90, None]
    assert median.y[1] is None
    # the CSV keeps the view's seconds
    assert chart.rows[0] == ("2024-03-01", 4, 30.0, p90_seconds)


def test_retention_cohorts_grid_in_percent_with_blank_cells_where_the_view_has_none() -> None:
    rows = [
        {"chat_id": 1, "cohort_week": D(2024, 3, 4), "week_offset": 0, "cohort_users": 2,
         "active_users": 2, "retention": 1.0},
        {"chat_id": 1, "cohort_week": D(2024, 2, 26), "week_offset": 0, "cohort_users": 4,
         "active_users": 4, "retention": 1.0},
        {"chat_id": 1, "cohort_week": D(2024, 2, 26), "week_offset": 1, "cohort_users": 4,
         "active_users": 1, "retention": 0.25},
    ]  # fmt: skip
    chart = charts.retention_cohorts(rows)
    assert chart.figure is not None
    (heat,) = chart.figure.data
    assert list(heat.y) == ["2024-02-26 (4 users)", "2024-03-04 (2 users)"]
    assert list(heat.x) == ["week 0", "week 1"]
    assert [list(r) for r in heat.z] == [[100.0, 25.0], [100.0, None]]
    assert [list(r) for r in heat.text] == [["100%", "25%"], ["100%", ""]]


def test_dau_wau_mau_three_lines() -> None:
    rows = [
        {"chat_id": 1, "day": D(2024, 3, 2), "dau": 1, "wau": 3, "mau": 3},
        {"chat_id": 1, "day": D(2024, 3, 1), "dau": 2, "wau": 2, "mau": 2},
    ]
    chart = charts.dau_wau_mau(rows)
    assert chart.figure is not None
    assert {t.name: list(t.y) for t in chart.figure.data} == {
        "DAU": [2, 1],
        "WAU": [2, 3],
        "MAU": [2, 3],
    }
    assert list(chart.figure.data[0].x) == ["2024-03-01", "2024-03-02"]


def test_day_axis_pads_half_a_day_and_ticks_daily_on_short_spans() -> None:
    short = charts.day_axis(["2024-03-03", "2024-03-01"])
    assert short["range"] == [dt.datetime(2024, 2, 29, 12), dt.datetime(2024, 3, 3, 12)]
    assert short["dtick"] == 86_400_000 and short["tick0"] == "2024-03-01"
    long = charts.day_axis(["2024-03-01", "2024-03-20"])
    assert "dtick" not in long


def test_count_axis_uses_whole_ticks_for_small_counts() -> None:
    assert charts.count_axis("n", [0, 3, None])["dtick"] == 1
    assert charts.count_axis("n", [-5, 2])["dtick"] == 1
    assert "dtick" not in charts.count_axis("n", [0, 6])
