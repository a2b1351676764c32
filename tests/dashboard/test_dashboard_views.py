"""Hand-built curated Parquet -> the real views (DuckDB) -> the page: numbers checked by hand.

The curated rows are in `dashboard_lake.py`, with their Asia/Tokyo (UTC+9) local times in
comments; every expected value below is counted from them. `tokyo_page` (conftest.py) is the
page built once in Asia/Tokyo.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from athena_views.local import connect
from dashboard import build_dashboard
from dashboard.__main__ import main

pytestmark = pytest.mark.integration

LAKE, BOOK, NEWS = "chat-n1001234567890", "chat-n1009876543210", "chat-n1005555555555"
WEEK_DAYS = [f"2024-03-{day:02d}" for day in range(4, 12)]


def test_chats_dates_and_timezone(tokyo_page: Any) -> None:
    # Busiest first; Ann's private chat with the bot is left out.
    assert tokyo_page.options == [
        (LAKE, "Lake House · 5 messages"),
        (NEWS, "Lake News · 3 posts (channel)"),
        (BOOK, "Book Club · 1 message"),
    ]
    text = tokyo_page.visible_text
    # 2024-03-04 08:00 UTC is 17:00 in Tokyo; 2024-03-11 09:00 UTC is 18:00.
    assert "Data from 2024-03-04 to 2024-03-11" in text
    assert "days and hours in Asia/Tokyo" in text


def test_messages_per_day_in_local_days(tokyo_page: Any) -> None:
    bars, line = tokyo_page.figures[f"{LAKE}-messages_per_day"]["data"]
    assert bars["x"] == WEEK_DAYS
    # 03-04: messages 1, 2 (Ann, Ben); 03-05: 3 (23:30 UTC on 03-04) and 4 (Ann only); 03-11: 5
    assert bars["y"] == [2, 2, 0, 0, 0, 0, 0, 1]
    assert line["y"] == [2, 1, 0, 0, 0, 0, 0, 1]
    book = tokyo_page.figures[f"{BOOK}-messages_per_day"]["data"][0]
    assert (book["x"], book["y"]) == (["2024-03-06"], [1])


def test_top_posters_and_shares(tokyo_page: Any) -> None:
    bar = tokyo_page.figures[f"{LAKE}-top_posters"]["data"][0]
    assert bar["y"] == ["Ann (@ann)", "Ben"]
    assert bar["x"] == [3, 2]
    assert bar["text"] == ["60.0%", "40.0%"]


def test_heatmap_in_tokyo_hours(tokyo_page: Any) -> None:
    heat = tokyo_page.figures[f"{LAKE}-hourly_heatmap"]["data"][0]
    z = heat["z"]
    cells = {(w, h): z[w][h] for w in range(7) for h in range(24) if z[w][h]}
    # Monday 17:00 (x2), Monday 18:00, Tuesday 08:30, Tuesday 19:00
    assert cells == {(0, 17): 2, (0, 18): 1, (1, 8): 1, (1, 19): 1}
    book = tokyo_page.figures[f"{BOOK}-hourly_heatmap"]["data"][0]["z"]
    assert book[2][21] == 1 and sum(map(sum, book)) == 1


def test_content_types_per_local_day(tokyo_page: Any) -> None:
    traces = tokyo_page.figures[f"{LAKE}-content_type_mix"]["data"]
    assert [t["name"] for t in traces] == ["text", "photo", "sticker"]
    assert traces[0]["x"] == ["2024-03-04", "2024-03-05", "2024-03-11"]
    assert [t["y"] for t in traces] == [[2, 0, 1], [0, 1, 0], [0, 1, 0]]


def test_membership_counts_a_double_reported_join_once(tokyo_page: Any) -> None:
    joins, leaves, net = tokyo_page.figures[f"{LAKE}-membership"]["data"]
    assert joins["x"] == ["2024-03-04", "2024-03-05", "2024-03-06"]
    assert joins["y"] == [1, 2, 0]  # Ben (reported twice); Cid and Dan
    assert leaves["y"] == [0, 0, -1]
    assert net["y"] == [1, 3, 2]
    assert f"{BOOK}-membership" not in tokyo_page.figures


def test_reply_latency_in_hours(tokyo_page: Any) -> None:
    median, p90 = tokyo_page.figures[f"{LAKE}-reply_latency"]["data"]
    # message 1 answered after 300 s; message 4 (03-05 10:00 UTC) on 03-11 09:00: 5 d 23 h
    assert median["x"] == ["2024-03-04", "2024-03-05"]
    assert median["y"] == [0.08, 143.0]
    assert p90["y"] == [0.08, 143.0]
    assert tokyo_page.figures[f"{LAKE}-reply_latency"]["layout"]["yaxis"]["title"]["text"] == (
        "hours"
    )


def test_top_words_latest_week_first(tokyo_page: Any) -> None:
    figure = tokyo_page.figures[f"{LAKE}-top_words"]
    first_week, latest_week = figure["data"]
    assert latest_week["visible"] is True and first_week["visible"] is False
    # "again" is a stop word: only "lake" is left in the week of 03-11
    assert latest_week["customdata"] == ["lake"]
    assert first_week["customdata"][0] == "hello" and first_week["x"][0] == 2
    assert sorted(first_week["customdata"][1:]) == ["ann", "house", "lake"]


def test_retention_and_active_users(tokyo_page: Any) -> None:
    heat = tokyo_page.figures[f"{LAKE}-retention_cohorts"]["data"][0]
    assert heat["y"] == ["2024-03-04 (2 users)"]
    assert heat["z"] == [[100.0, 50.0]]
    dau, wau, mau = tokyo_page.figures[f"{LAKE}-dau_wau_mau"]["data"]
    assert dau["x"] == WEEK_DAYS
    assert dau["y"] == [2, 1, 0, 0, 0, 0, 0, 1]
    assert wau["y"] == [2] * 8
    assert mau["y"] == [2] * 8


def test_cli_writes_page_and_csv(
    curated_zone: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code = main(
        ["--curated-uri", curated_zone.as_uri(), "--out", str(out), "--timezone", "UTC", "--csv"]
    )
    assert code == 0
    assert (out / "index.html").is_file()
    assert "Dashboard written to" in capsys.readouterr().out
    with (out / "csv" / "messages_per_day.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    # In UTC message 3 (23:30) stays on 03-04.
    assert rows[1:4] == [
        ["-1001234567890", "Lake House", "2024-03-04", "3", "2"],
        ["-1001234567890", "Lake House", "2024-03-05", "1", "1"],
        ["-1001234567890", "Lake House", "2024-03-06", "0", "0"],
    ]
    assert rows[-1] == ["-1009876543210", "Book Club", "2024-03-06", "1", "1"]


def test_empty_curated_zone_says_there_are_no_messages(tmp_path: Path, parse_page: Any) -> None:
    (tmp_path / "curated").mkdir()
    con = connect(str(tmp_path / "curated"))
    try:
        index = build_dashboard(con, tmp_path / "out")
    finally:
        con.close()
    page = parse_page(index.read_text("utf-8"))
    assert "No messages yet" in page.visible_text
    assert page.figures == {}
