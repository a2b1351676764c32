"""Reactions: current reactions per actor, anonymous totals, per-day adds and removals.

Group -100 "Grupo" (people, an anonymous admin reacting as the group, a reaction to a
message the lake never saw) and channel -600 "Canal" (anonymous totals). Each update's
rows are built the way the reactions table documents them. Expectations counted by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import duckdb
import pytest
from views_lakes import (
    PAID,
    custom_emoji,
    emoji,
    member_event,
    message,
    reaction_count_update,
    reaction_update,
    write_lake,
)

from athena_views.local import connect

pytestmark = pytest.mark.integration

D = date.fromisoformat
GROUP, CHANNEL = -100, -600
ANA, BRUNO, CARLA, DANI = 1, 2, 3, 4
ANONYMOUS_ADMIN = 1087968824
THUMBS, HEART, FIRE, PARTY, EYES = (emoji(e) for e in ("👍", "❤", "🔥", "🎉", "👀"))
STAR = custom_emoji("5368324170671202286")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def post(chat_id: int, message_id: int, sent_at: str, user_id: int | None, text: str | None,
         **fields: Any) -> dict[str, Any]:  # fmt: skip
    title = "Grupo" if chat_id == GROUP else "Canal"
    return message(
        chat_id, message_id, 900 + message_id, sent_at, user_id, text=text,
        text_length=len(text) if text else 0, chat_title=title, **fields,
    )  # fmt: skip


MESSAGES = [
    post(GROUP, 10, "2024-06-03 09:00", ANA, "Bom dia a todos", first_name="Ana"),
    post(GROUP, 11, "2024-06-03 09:30", BRUNO, "Foto da trilha", first_name="Bruno",
         content_type="photo"),
    post(GROUP, 12, "2024-06-03 10:00", ANONYMOUS_ADMIN, "Aviso", first_name="Group",
         is_bot=True, sender_chat_id=GROUP, sender_type="anonymous_admin"),
    post(CHANNEL, 5, "2024-06-03 08:00", None, "Novo episódio", chat_type="channel",
         is_channel_post=True, sender_chat_id=CHANNEL),
    post(CHANNEL, 6, "2024-06-04 08:00", None, "Outro", chat_type="channel",
         is_channel_post=True, sender_chat_id=CHANNEL),
]  # fmt: skip

REACTIONS = [
    # Message 10 (Ana's): Bruno 👍, then swaps it for 🔥; Carla sets 👍 ❤ and removes
    # both the next day; the anonymous admin reacts as the group.
    *reaction_update(GROUP, 10, 101, "2024-06-03 10:00", user=BRUNO, new=(THUMBS,)),
    *reaction_update(GROUP, 10, 102, "2024-06-03 10:05", user=CARLA, new=(THUMBS, HEART)),
    *reaction_update(GROUP, 10, 103, "2024-06-03 10:10", user=BRUNO, old=(THUMBS,), new=(FIRE,)),
    *reaction_update(GROUP, 10, 104, "2024-06-04 09:00", user=CARLA, old=(THUMBS, HEART)),
    *reaction_update(GROUP, 10, 108, "2024-06-03 12:00", actor_chat=GROUP, new=(PARTY,)),
    # Message 11 (Bruno's): Ana's 👍 at 10:59 carries the greater update_id but the earlier
    # date; her change to a custom emoji at 11:00 is the latest. Dani's paid reaction.
    *reaction_update(GROUP, 11, 107, "2024-06-03 10:59", user=ANA, new=(THUMBS,)),
    *reaction_update(GROUP, 11, 105, "2024-06-03 11:00", user=ANA, old=(THUMBS,), new=(STAR,)),
    *reaction_update(GROUP, 11, 106, "2024-06-03 11:30", user=DANI, new=(PAID,)),
    # Message 12 (the anonymous admin's) and message 999, which the lake never saw.
    *reaction_update(GROUP, 12, 109, "2024-06-03 12:30", user=BRUNO, new=(THUMBS,)),
    *reaction_update(GROUP, 999, 110, "2024-06-03 13:00", user=BRUNO, new=(EYES,)),
    # The channel's anonymous totals: each update carries every reaction's total.
    *reaction_count_update(CHANNEL, 5, 201, "2024-06-03 08:30", {THUMBS: 3, HEART: 1}),
    *reaction_count_update(CHANNEL, 5, 202, "2024-06-03 09:00", {THUMBS: 5, HEART: 1, FIRE: 2}),
    *reaction_count_update(CHANNEL, 5, 203, "2024-06-04 08:00", {THUMBS: 4}),
    *reaction_count_update(CHANNEL, 6, 204, "2024-06-04 09:00", {HEART: 2}),
    *reaction_count_update(CHANNEL, 6, 205, "2024-06-04 10:00", {}),  # every reaction gone
]  # fmt: skip

# Dani never posted: her name comes from her join.
MEMBER_EVENTS = [
    member_event(GROUP, DANI, "join", "2024-06-01 10:00", "new_chat_members", update_id=50,
                 first_name="Dani"),
]  # fmt: skip


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    curated = write_lake(
        tmp_path_factory.mktemp("reactions"), MESSAGES, MEMBER_EVENTS, reactions=REACTIONS
    )
    connection = connect(str(curated))
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    result: list[tuple[Any, ...]] = con.execute(sql).fetchall()
    return result


def test_current_reactions_are_those_of_each_actors_latest_update(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = "select message_id, actor_id, reaction from stg_current_reactions order by 1, 2"
    assert rows(con, sql) == [
        (10, GROUP, "🎉"),  # the anonymous admin, as the group
        (10, BRUNO, "🔥"),  # Carla removed everything: no row
        (11, ANA, "5368324170671202286"),
        (11, DANI, "paid"),
        (12, BRUNO, "👍"),
        (999, BRUNO, "👀"),
    ]
    # The channel's latest totals: message 6's last update left none.
    assert rows(con, "select message_id, reaction, total_count from stg_anonymous_reactions") == [
        (5, "👍", 4),
    ]


def test_message_reactions(con: duckdb.DuckDBPyConnection) -> None:
    sql = "select * from message_reactions order by chat_id, message_id"
    assert rows(con, sql) == [
        # The channel post: anonymous totals only; its author is the channel.
        (CHANNEL, CHANNEL, 5, at("2024-06-03 08:00"), None, "Canal", "text", "Novo episódio",
         0, 0, 4, 4, "emoji", "👍"),
        # 🔥 and 🎉 tie at one: the smaller text wins.
        (GROUP, GROUP, 10, at("2024-06-03 09:00"), ANA, "Ana", "text", "Bom dia a todos",
         2, 2, 0, 2, "emoji", "🎉"),
        (GROUP, GROUP, 11, at("2024-06-03 09:30"), BRUNO, "Bruno", "photo", "Foto da trilha",
         2, 2, 0, 2, "custom_emoji", "5368324170671202286"),
        # Posted by an anonymous admin: the author is the group.
        (GROUP, GROUP, 12, at("2024-06-03 10:00"), None, "Grupo", "text", "Aviso",
         1, 1, 0, 1, "emoji", "👍"),
        # A message the lake never saw keeps its reactions, without author or text.
        (GROUP, GROUP, 999, None, None, None, None, None, 1, 1, 0, 1, "emoji", "👀"),
    ]  # fmt: skip


def test_text_snippets_are_cut_at_80_characters(tmp_path: Any) -> None:
    long_text = "palavra " * 20  # 160 characters
    curated = write_lake(
        tmp_path, [post(GROUP, 1, "2024-06-03 09:00", ANA, long_text, first_name="Ana")], None,
        reactions=reaction_update(GROUP, 1, 1, "2024-06-03 10:00", user=BRUNO, new=(THUMBS,)),
    )  # fmt: skip
    snippet = connect(str(curated)).execute("select text_snippet from message_reactions")
    assert snippet.fetchall() == [(long_text[:80],)]


def test_user_reactions(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "select * from user_reactions order by chat_id, user_id") == [
        # Given: her custom emoji. Received on message 10: Bruno's 🔥 and the group's 🎉.
        (GROUP, ANA, "Ana", 1, 2),
        # Given: 🔥, 👍 on the admin's post, 👀 on the unknown message. Received on message
        # 11: Ana's custom emoji and Dani's paid reaction.
        (GROUP, BRUNO, "Bruno", 3, 2),
        (GROUP, DANI, "Dani", 1, 0),
        # Carla has nothing left; the anonymous admin and the channel are no people.
    ]


def test_reactions_daily(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "select * from reactions_daily order by chat_id, day") == [
        # Totals of message 5: 4, then 8 (+4); the first update counts in full: +8.
        (CHANNEL, D("2024-06-03"), 0, 0, 0, 8, None, None),
        # Message 5: 8 -> 4 (-4); message 6: 2 (+2), then nothing left (-2).
        (CHANNEL, D("2024-06-04"), 0, 0, 0, -4, None, None),
        # Added: 👍 (101), 👍 ❤ (102), 🔥 (103), 👍 (107), custom (105), paid (106),
        # 🎉 (108), 👍 (109), 👀 (110) = 10; removed: 👍 (103), 👍 (105). Reacting people:
        # Bruno, Carla, Ana, Dani (the group reacting is no person). 👍 added 4 times.
        (GROUP, D("2024-06-03"), 10, 2, 4, 0, "emoji", "👍"),
        # Carla removes 👍 and ❤.
        (GROUP, D("2024-06-04"), 0, 2, 0, 0, None, None),
    ]


def test_a_dt_filter_on_stg_reactions_prunes_partitions(con: duckdb.DuckDBPyConnection) -> None:
    # The reactions are in two dt partitions (06-03 and 06-04).
    sql = "select count(*) from stg_reactions where dt = date '2024-06-04'"
    plan = "\n".join(row[1] for row in con.execute(f"explain {sql}").fetchall())
    assert "Scanning Files: 1/2" in plan, plan
    # 104: Carla's two removals; 203, 204, 205: one row each.
    assert rows(con, sql) == [(5,)]
