"""The written page and CSVs, built from hand-written view rows (no view SQL involved)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import plotly.offline
import pytest

from dashboard import build_dashboard
from dashboard.__main__ import parse_args

D = dt.date
NASTY_TITLE = "Tea & </script><b>cakes"

TWO_CHATS: dict[str, list[dict[str, Any]]] = {
    "daily_activity": [
        {"chat_id": -200, "chat_title": NASTY_TITLE, "day": D(2024, 3, 5), "messages": 1,
         "active_users": 1},
        {"chat_id": -100, "chat_title": "Old name", "day": D(2024, 3, 1), "messages": 3,
         "active_users": 2},
        {"chat_id": -100, "chat_title": "Lakers", "day": D(2024, 3, 2), "messages": 2,
         "active_users": 1},
    ],
    "user_activity": [
        {"chat_id": -100, "user_id": 7, "display_name": "Ann", "user_username": "ann",
         "messages": 4, "share_of_chat_messages": 0.8},
        {"chat_id": -100, "user_id": 8, "display_name": "Ben", "user_username": None,
         "messages": 1, "share_of_chat_messages": 0.2},
    ],
    "membership_daily": [
        {"chat_id": -100, "day": D(2024, 3, 1), "joins": 2, "leaves": 0, "net": 2},
        {"chat_id": -100, "day": D(2024, 3, 2), "joins": 0, "leaves": 1, "net": -1},
    ],
    "hourly_heatmap": [
        {"chat_id": -100, "weekday": 5, "weekday_name": "Fri", "hour": 9, "messages": 3},
        {"chat_id": -100, "weekday": 6, "weekday_name": "Sat", "hour": 10, "messages": 2},
        {"chat_id": -200, "weekday": 2, "weekday_name": "Tue", "hour": 8, "messages": 1},
    ],
}  # fmt: skip


def test_page_embeds_plotly_once_fetches_nothing_and_carries_the_figures(
    tmp_path: Path, views_connection: Any, parse_page: Any
) -> None:
    index = build_dashboard(views_connection(TWO_CHATS), tmp_path / "out", timezone="Europe/Berlin")
    assert index == tmp_path / "out" / "index.html"
    html = index.read_text("utf-8")
    page = parse_page(html)

    # Plotly.js inline exactly once; no script or stylesheet from anywhere else.
    assert html.count(plotly.offline.get_plotlyjs()[:120]) == 1
    assert page.script_srcs == []
    assert page.link_hrefs == ["data:,"]
    assert "default-src 'none'" in html

    # Busiest chat first; the selector names both chats (the latest title of a renamed chat).
    assert page.options == [
        ("chat-n100", "Lakers · 5 messages"),
        ("chat-n200", f"{NASTY_TITLE} · 1 message"),
    ]
    assert (
        "hidden" not in page.ids["section-chat-n100"] and "hidden" in page.ids["section-chat-n200"]
    )

    busy = page.figures["chat-n100-messages_per_day"]["data"]
    assert busy[0]["x"] == ["2024-03-01", "2024-03-02"]
    assert busy[0]["y"] == [3, 2]
    assert busy[1]["y"] == [2, 1]
    quiet = page.figures["chat-n200-messages_per_day"]["data"]
    assert (quiet[0]["x"], quiet[0]["y"]) == (["2024-03-05"], [1])
    posters = page.figures["chat-n100-top_posters"]["data"][0]
    assert posters["y"] == ["Ann (@ann)", "Ben"] and posters["x"] == [4, 1]
    joins, leaves, net = page.figures["chat-n100-membership"]["data"]
    assert (joins["y"], leaves["y"], net["y"]) == ([2, 0], [0, -1], [2, 1])
    heat = page.figures["chat-n100-hourly_heatmap"]["data"][0]
    assert heat["z"][4][9] == 3 and heat["z"][5][10] == 2 and sum(map(sum, heat["z"])) == 5
    # no user rows, no replies for the quiet chat: a note instead of an empty chart
    assert "chat-n200-top_posters" not in page.figures
    assert "chat-n200-reply_latency" not in page.figures
    assert "No replies in this period." in page.visible_text

    text = page.visible_text
    assert "2024-03-01 to 2024-03-05" in text
    assert "Europe/Berlin" in text
    assert "Activity by weekday and hour (Europe/Berlin)" in text
    # the chat title is text, never markup
    assert "Tea &amp; &lt;/script&gt;&lt;b&gt;cakes" in html


def test_one_chat_has_no_selector(tmp_path: Path, views_connection: Any, parse_page: Any) -> None:
    rows = {"daily_activity": [r for r in TWO_CHATS["daily_activity"] if r["chat_id"] == -200]}
    page = parse_page(build_dashboard(views_connection(rows), tmp_path).read_text("utf-8"))
    assert "chat-select" not in page.ids
    assert page.options == []
    assert "chat-n200-messages_per_day" in page.figures
    assert "hidden" not in page.ids["section-chat-n200"]


def test_private_chat_is_named_after_its_user(
    tmp_path: Path, views_connection: Any, parse_page: Any
) -> None:
    rows = {
        "daily_activity": [
            {"chat_id": 42, "chat_title": None, "day": D(2024, 3, 1), "messages": 2,
             "active_users": 1},
            {"chat_id": -300, "chat_title": None, "day": D(2024, 3, 1), "messages": 1,
             "active_users": 1},
        ],
        "user_activity": [
            {"chat_id": 42, "user_id": 42, "display_name": "Dora", "user_username": None,
             "messages": 2, "share_of_chat_messages": 1.0},
        ],
    }  # fmt: skip
    index = build_dashboard(views_connection(rows), tmp_path / "all", include_private=True)
    page = parse_page(index.read_text("utf-8"))
    assert page.options == [
        ("chat-42", "Dora (private chat) · 2 messages"),
        ("chat-n300", "Chat -300 · 1 message"),
    ]
    # By default the bot's private chats are left out: one chat, no selector.
    page = parse_page(
        build_dashboard(views_connection(rows), tmp_path / "groups").read_text("utf-8")
    )
    assert page.options == []
    assert "section-chat-n300" in page.ids and "section-chat-42" not in page.ids


def test_a_channel_is_named_so_in_the_selector_and_gets_its_own_page(
    tmp_path: Path, views_connection: Any, parse_page: Any
) -> None:
    rows = {
        "daily_activity": [
            {"chat_id": -100, "chat_title": "News", "chat_type": "channel", "day": D(2024, 3, 1),
             "messages": 4, "active_users": 0},
            {"chat_id": -200, "chat_title": "Talk", "chat_type": "supergroup",
             "day": D(2024, 3, 1), "messages": 1, "active_users": 1},
            {"chat_id": 7, "chat_title": None, "chat_type": "private", "day": D(2024, 3, 1),
             "messages": 9, "active_users": 1},
        ],
    }  # fmt: skip
    page = parse_page(build_dashboard(views_connection(rows), tmp_path).read_text("utf-8"))
    assert page.options == [
        ("chat-n100", "News · 4 posts (channel)"),
        ("chat-n200", "Talk · 1 message"),
    ]
    assert list(page.figures) == ["chat-n100-posts_per_day", "chat-n200-messages_per_day"]
    assert page.figures["chat-n100-posts_per_day"]["data"][0]["y"] == [4]
    assert "2 chats" in page.visible_text  # the private chat is not one of them


def test_csv_has_every_chart_for_every_chat(tmp_path: Path, views_connection: Any) -> None:
    build_dashboard(views_connection(TWO_CHATS), tmp_path, csv=True)
    folder = tmp_path / "csv"
    assert sorted(p.name for p in folder.iterdir()) == [
        "content_type_mix.csv",
        "dau_wau_mau.csv",
        "hourly_heatmap.csv",
        "join_sources.csv",
        "membership.csv",
        "messages_per_day.csv",
        "most_reacted.csv",
        "reactions_per_day.csv",
        "reply_latency.csv",
        "reply_matrix.csv",
        "retention_cohorts.csv",
        "top_inviters.csv",
        "top_posters.csv",
        "top_words.csv",
    ]
    with (folder / "messages_per_day.csv").open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            ["chat_id", "chat_title", "day", "messages", "active_users"],
            ["-100", "Lakers", "2024-03-01", "3", "2"],
            ["-100", "Lakers", "2024-03-02", "2", "1"],
            ["-200", NASTY_TITLE, "2024-03-05", "1", "1"],
        ]
    with (folder / "membership.csv").open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle))[1:] == [
            ["-100", "Lakers", "2024-03-01", "2", "0", "2", "2"],
            ["-100", "Lakers", "2024-03-02", "0", "1", "-1", "1"],
        ]
    with (folder / "reply_latency.csv").open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            ["chat_id", "chat_title", "day", "replies", "median_latency_seconds",
             "p90_latency_seconds"],
        ]  # fmt: skip


def test_no_messages_gives_a_page_that_says_so(
    tmp_path: Path, views_connection: Any, parse_page: Any
) -> None:
    # Member events alone are not enough to chart a chat: the page says there are no messages.
    rows = {"membership_daily": TWO_CHATS["membership_daily"]}
    index = build_dashboard(views_connection(rows), tmp_path, csv=True)
    html = index.read_text("utf-8")
    page = parse_page(html)
    assert "No messages yet" in page.visible_text
    assert page.figures == {}
    assert "empty-page" in page.ids and "render-status" in page.ids
    assert plotly.offline.get_plotlyjs()[:120] not in html
    with (tmp_path / "csv" / "messages_per_day.csv").open(encoding="utf-8") as handle:
        assert handle.read().splitlines() == ["chat_id,chat_title,day,messages,active_users"]
    # A channel's own charts get their (empty) file too.
    with (tmp_path / "csv" / "posts_per_day.csv").open(encoding="utf-8") as handle:
        assert handle.read().splitlines() == ["chat_id,chat_title,day,posts"]


def test_out_dir_accepts_a_file_uri(tmp_path: Path, views_connection: Any) -> None:
    index = build_dashboard(views_connection({}), (tmp_path / "a b").as_uri())
    assert index == tmp_path / "a b" / "index.html" and index.is_file()


def test_relative_out_dir_is_under_the_working_directory(
    tmp_path: Path, views_connection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    index = build_dashboard(views_connection({}), "rel/dir")
    assert index == tmp_path / "rel" / "dir" / "index.html" and index.is_file()


def test_out_dir_must_be_local(views_connection: Any) -> None:
    with pytest.raises(ValueError, match="not a local path"):
        build_dashboard(views_connection({}), "s3://bucket/dashboard")


def test_cli_rejects_an_unknown_timezone(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--curated-uri", "c", "--out", "o", "--timezone", "Mars/Olympus_Mons"])
    assert "unknown IANA timezone" in capsys.readouterr().err
    args = parse_args(["--curated-uri", "c", "--out", "o", "--csv", "--timezone", "Asia/Tokyo"])
    assert (args.curated_uri, args.out, args.csv, args.timezone) == ("c", "o", True, "Asia/Tokyo")
