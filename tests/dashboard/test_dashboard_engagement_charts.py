"""Engagement chart shaping from hand-built view rows: what each figure plots, by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dashboard import charts

D = dt.date


def test_reactions_per_day_fills_empty_days_and_draws_only_what_there_is() -> None:
    rows = [
        {"chat_id": 1, "day": D(2024, 3, 1), "reactions_added": 3, "reactions_removed": 1,
         "reacting_users": 2, "anonymous_change": 0, "top_reaction_type": "custom_emoji",
         "top_reaction": "5368324170671202286"},
        {"chat_id": 1, "day": D(2024, 3, 3), "reactions_added": 1, "reactions_removed": 0,
         "reacting_users": 1, "anonymous_change": 0, "top_reaction_type": "paid",
         "top_reaction": "paid"},
    ]  # fmt: skip
    chart = charts.reactions_per_day(rows)
    assert chart.rows == [
        ("2024-03-01", 3, 1, 0, 2, "custom emoji"),
        ("2024-03-02", 0, 0, 0, 0, ""),
        ("2024-03-03", 1, 0, 0, 1, "⭐ paid"),
    ]
    assert chart.figure is not None
    # No anonymous totals in this chat: no trace for them.
    assert [t.name for t in chart.figure.data] == ["Added", "Removed", "People reacting"]
    added, removed, people = chart.figure.data
    assert list(added.y) == [3, 0, 1] and list(removed.y) == [-1, 0, 0]
    assert people.yaxis == "y2"
    assert chart.figure.layout.barmode == "relative"
    # Zero at the same height on both axes: bars reach -1..3, people 0..2.
    low, high = chart.figure.layout.yaxis.range
    low2, high2 = chart.figure.layout.yaxis2.range
    assert low < 0 and low2 < 0
    assert -low / (high - low) == pytest.approx(-low2 / (high2 - low2))


def test_reactions_per_day_of_a_channel_has_anonymous_totals_and_no_people() -> None:
    rows = [
        {"chat_id": 1, "day": D(2024, 3, 1), "reactions_added": 0, "reactions_removed": 0,
         "reacting_users": 0, "anonymous_change": -2, "top_reaction_type": None,
         "top_reaction": None},
    ]  # fmt: skip
    chart = charts.reactions_per_day(rows)
    assert chart.figure is not None
    assert [t.name for t in chart.figure.data] == ["Anonymous (net)"]
    assert list(chart.figure.data[0].y) == [-2]
    # A day without any update still draws the people's bars (zeros), never an empty figure.
    quiet = charts.reactions_per_day([{**rows[0], "anonymous_change": 0}])
    assert quiet.figure is not None
    assert [t.name for t in quiet.figure.data] == ["Added", "Removed"]


def _reacted(message_id: int, total: int, **fields: Any) -> dict[str, Any]:
    return {
        "chat_id": -1, "message_chat_id": -1, "message_id": message_id, "sent_at": None,
        "author_user_id": None, "author_name": fields.get("author"),
        "content_type": fields.get("content_type"), "text_snippet": fields.get("text"),
        "user_reactions": total, "reacting_users": total, "anonymous_reactions": 0,
        "total_reactions": total, "top_reaction_type": "emoji", "top_reaction": "👍",
    }  # fmt: skip


def test_most_reacted_messages_ranks_cuts_and_labels() -> None:
    rows = [
        _reacted(5, 2, author="Ann", text="short"),
        _reacted(3, 7, author="Ben", text="a long message " * 10),
        _reacted(9, 2, author="Cid", content_type="photo"),
        _reacted(1, 1),  # a message the lake does not have
    ]
    chart = charts.most_reacted_messages(rows, limit=3)
    assert chart.figure is not None
    (bars,) = chart.figure.data
    # Most reactions first; ties by message id. Snippets fold whitespace and stop at 48.
    assert list(bars.y) == [
        "1. Ben: a long message a long message a long message a…",
        "2. Ann: short",
        "3. Cid: [photo]",
    ]
    assert list(bars.x) == [7, 2, 2]
    unknown = charts.most_reacted_messages([_reacted(1, 1)])
    assert unknown.rows[0][2:4] == ("unknown author", "(a message the lake does not have)")


def test_join_source_mix_stacks_sources_in_the_views_order() -> None:
    rows = [
        {"chat_id": 1, "day": D(2024, 3, 2), "join_source": "self", "joins": 2},
        {"chat_id": 1, "day": D(2024, 3, 1), "join_source": "join_request", "joins": 1},
        {"chat_id": 1, "day": D(2024, 3, 2), "join_source": "invite_link", "joins": 3},
    ]
    chart = charts.join_source_mix(rows)
    assert chart.figure is not None
    assert chart.figure.layout.barmode == "stack"
    assert [t.name for t in chart.figure.data] == [
        "approved request", "invite link", "joined on their own",
    ]  # fmt: skip
    assert [list(t.y) for t in chart.figure.data] == [[1, 0], [0, 3], [0, 2]]
    assert chart.rows == [
        ("2024-03-01", "join_request", 1),
        ("2024-03-02", "invite_link", 3),
        ("2024-03-02", "self", 2),
    ]


def test_top_inviters_tells_links_from_people_and_keeps_namesakes_apart() -> None:
    def inviter(kind: str, user: int | None, link: str | None, name: str, members: int) -> Any:
        return {"chat_id": 1, "inviter_type": kind, "inviter_user_id": user, "invite_link": link,
                "inviter_name": name, "members": members, "last_joined_at": None}  # fmt: skip

    rows = [
        inviter("user", 7, None, "Alex", 2),
        inviter("invite_link", None, "Spring fair", "Spring fair", 5),
        inviter("user", 8, None, "Alex", 2),
    ]
    chart = charts.top_inviters(rows)
    assert chart.figure is not None
    (bars,) = chart.figure.data
    assert list(bars.y) == ["🔗 Spring fair", "Alex [7]", "Alex [8]"]
    assert list(bars.x) == [5, 2, 2]
    assert list(bars.marker.color) == ["#4C78A8", "#54A24B", "#54A24B"]


def _pair(replier: tuple[int, str], replied_to: tuple[int, str | None], person: bool | None,
          replies: int) -> Any:  # fmt: skip
    return {
        "chat_id": 1, "user_id": replier[0], "display_name": replier[1],
        "replied_to_user_id": replied_to[0], "replied_to_display_name": replied_to[1],
        "replied_to_is_person": person, "replies": replies,
    }  # fmt: skip


def test_reply_matrix_of_people_with_self_replies_on_the_diagonal() -> None:
    rows = [
        _pair((1, "Ann"), (2, "Ben"), True, 3),
        _pair((2, "Ben"), (1, "Ann"), True, 1),
        _pair((1, "Ann"), (1, "Ann"), True, 2),  # a self-reply
        _pair((3, "Cid"), (777000, "Telegram"), False, 9),  # comments on automatic forwards
        _pair((3, "Cid"), (55, None), None, 1),  # someone the lake never saw
    ]
    chart = charts.reply_matrix(rows)
    assert chart.figure is not None
    (heat,) = chart.figure.data
    # Ann: 3 + 1 + 2 + 2 (both sides of her self-reply); Ben: 4; Cid and user 55: 1 each.
    assert list(heat.x) == ["Ann", "Ben", "Cid", "user 55"]
    assert [list(line) for line in heat.z] == [
        [2, 3, 0, 0],
        [1, 0, 0, 0],
        [0, 0, 0, 1],
        [0, 0, 0, 0],
    ]
    assert ("3", "Cid", 777000) not in [(str(r[0]), r[1], r[2]) for r in chart.rows]
    top_two = charts.reply_matrix(rows, limit=2)
    assert top_two.figure is not None
    assert list(top_two.figure.data[0].x) == ["Ann", "Ben"]
    assert top_two.rows == [
        (1, "Ann", 1, "Ann", 2),
        (1, "Ann", 2, "Ben", 3),
        (2, "Ben", 1, "Ann", 1),
    ]


def test_posts_per_day_fills_days_and_has_no_active_users() -> None:
    rows = [
        {"chat_id": 1, "chat_title": "News", "chat_type": "channel", "day": D(2024, 3, 1),
         "messages": 2, "active_users": 0},
        {"chat_id": 1, "chat_title": "News", "chat_type": "channel", "day": D(2024, 3, 3),
         "messages": 1, "active_users": 0},
    ]  # fmt: skip
    chart = charts.posts_per_day(rows)
    assert chart.rows == [("2024-03-01", 2), ("2024-03-02", 0), ("2024-03-03", 1)]
    assert chart.figure is not None
    assert [t.type for t in chart.figure.data] == ["bar"]
