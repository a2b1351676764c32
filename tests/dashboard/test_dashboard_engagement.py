"""The hand-built curated zone through the real views: summary figures, the channel's page,
the private chat, and the engagement charts (reactions, join sources, inviters, replies).

Every expected value is counted by hand from `dashboard_lake.py` (Asia/Tokyo days).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
from dashboard_lake import ANN, BOOK_CLUB, LAKE_HOUSE, LAKE_NEWS, write_curated_zone

from athena_views.local import connect
from dashboard.build import chat_reports
from dashboard.queries import ViewRows, load_view_rows

pytestmark = pytest.mark.integration

TOKYO = "Asia/Tokyo"
LAKE, NEWS = "chat-n1001234567890", "chat-n1005555555555"
GROUP_CHARTS = [
    "messages_per_day", "dau_wau_mau", "top_posters", "hourly_heatmap", "content_type_mix",
    "reply_matrix", "reply_latency", "reactions_per_day", "most_reacted", "membership",
    "join_sources", "top_inviters", "top_words", "retention_cohorts",
]  # fmt: skip


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ViewRows]:
    con: duckdb.DuckDBPyConnection = connect(
        str(write_curated_zone(tmp_path_factory.mktemp("lake") / "curated")), TOKYO
    )
    yield load_view_rows(con)
    con.close()


def test_summary_figures(views: ViewRows) -> None:
    kpis = {report.chat_id: report.kpis for report in chat_reports(views, TOKYO)}
    assert kpis == {
        # Ann's and Ben's 5 (not the bot's, not the automatic forward) on 3 local days; two
        # replies; Ben (reported twice), Cid and Dan joined; Cid left.
        LAKE_HOUSE: [("messages", "5"), ("people who posted", "2"), ("days with messages", "3"),
                     ("replies", "2"), ("joined", "3"), ("left", "1")],
        # A channel has posts, not people: 3 posts; totals now 3 + 1 on the first, 5 on the last.
        LAKE_NEWS: [("posts", "3"), ("days with posts", "3"), ("reactions now", "9"),
                    ("joined", "0"), ("left", "0")],
        BOOK_CLUB: [("messages", "1"), ("people who posted", "1"), ("days with messages", "1"),
                    ("replies", "0"), ("joined", "0"), ("left", "0")],
    }  # fmt: skip


def test_private_chats_are_left_out_unless_asked_for(views: ViewRows) -> None:
    reports = chat_reports(views, TOKYO, include_private=True)
    private = next(report for report in reports if report.chat_id == ANN)
    assert (private.title, private.chat_type) == ("Ann (private chat)", "private")
    assert private.kpis[:2] == [("messages", "1"), ("people who posted", "1")]
    assert ANN not in {report.chat_id for report in chat_reports(views, TOKYO)}


def test_page_order_and_kinds_of_charts(tokyo_page: Any) -> None:
    charts = {chat: [key.removeprefix(f"{chat}-") for key in tokyo_page.figures
                     if key.startswith(f"{chat}-")] for chat in (LAKE, NEWS)}  # fmt: skip
    assert charts[LAKE] == GROUP_CHARTS
    # The channel's own page: no active users, posters, replies or members.
    assert charts[NEWS] == [
        "posts_per_day", "hourly_heatmap", "content_type_mix", "reactions_per_day",
        "most_reacted", "top_words",
    ]  # fmt: skip
    assert tokyo_page.ids[f"section-{NEWS}"]["data-chat-type"] == "channel"


def test_the_channels_posts_and_posting_hours(tokyo_page: Any) -> None:
    (bars,) = tokyo_page.figures[f"{NEWS}-posts_per_day"]["data"]
    assert bars["x"] == ["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"]
    assert bars["y"] == [1, 1, 0, 1]
    z = tokyo_page.figures[f"{NEWS}-hourly_heatmap"]["data"][0]["z"]
    # Monday, Tuesday and Thursday at 16:00 in Tokyo.
    assert {(w, h) for w in range(7) for h in range(24) if z[w][h]} == {(0, 16), (1, 16), (3, 16)}
    assert "Posting by weekday and hour (Asia/Tokyo)" in tokyo_page.visible_text


def test_reactions_per_day(tokyo_page: Any) -> None:
    added, removed, people = tokyo_page.figures[f"{LAKE}-reactions_per_day"]["data"]
    assert added["x"] == ["2024-03-04", "2024-03-05", "2024-03-06"]
    assert added["y"] == [2, 1, 0]  # Ben's 👍 and Cid's ❤; Ann's 🔥
    assert removed["y"] == [0, 0, -1]  # Ben takes his 👍 back
    assert people["y"] == [2, 1, 0]
    assert added["customdata"] == ["❤", "🔥", ""]  # the top reaction (❤ ties 👍, sorts first)
    # The channel's reactions are anonymous: only their totals move.
    (anonymous,) = tokyo_page.figures[f"{NEWS}-reactions_per_day"]["data"]
    assert anonymous["name"] == "Anonymous (net)"
    # Post 1: 2, then 4 (+4 that day); post 3: 5.
    assert anonymous["y"] == [4, 0, 0, 5]


def test_most_reacted_messages(tokyo_page: Any) -> None:
    (bars,) = tokyo_page.figures[f"{LAKE}-most_reacted"]["data"]
    # Message 1 keeps Cid's ❤ (Ben took his 👍 back); message 2 has Ann's 🔥.
    assert bars["y"] == ["1. Ann: hello lake house", "2. Ben: hello ann"]
    assert bars["x"] == [1, 1]
    assert bars["text"] == ["❤", "🔥"]
    # The channel wrote every post: no author in the labels.
    (news,) = tokyo_page.figures[f"{NEWS}-most_reacted"]["data"]
    assert news["y"] == ["1. weekend plans", "2. news of the week"]
    assert news["x"] == [5, 4]
    assert "Most-reacted posts (top 10)" in tokyo_page.visible_text


def test_join_sources_and_inviters(tokyo_page: Any) -> None:
    traces = tokyo_page.figures[f"{LAKE}-join_sources"]["data"]
    assert [t["name"] for t in traces] == [
        "invite link",
        "added by a member",
        "joined on their own",
    ]
    assert traces[0]["x"] == ["2024-03-04", "2024-03-05"]
    assert [t["y"] for t in traces] == [[0, 1], [0, 1], [1, 0]]
    (bars,) = tokyo_page.figures[f"{LAKE}-top_inviters"]["data"]
    assert bars["y"] == ["Ann", "🔗 Book fans"]
    assert bars["x"] == [1, 1]


def test_who_replies_to_whom(tokyo_page: Any) -> None:
    (heat,) = tokyo_page.figures[f"{LAKE}-reply_matrix"]["data"]
    assert heat["x"] == ["Ann", "Ben"] and heat["y"] == ["Ann", "Ben"]
    assert heat["z"] == [[0, 0], [2, 0]]  # Ben replied to Ann twice
