"""Canonical chats: a migrated group's history is reported under its supergroup's id.

The basic group -10 "Clube" became the supergroup -10010 "Clube do Livro" at the end of
2024-05-02; Telegram reported it twice, once on each side of midnight (two dt partitions).
Both chats numbered their messages from 1, so (chat, message 1) exists twice. A made-up
chain -20 -> -30 -> -40 shows chains are followed to their end; -70 <-> -80 is a cycle and
-90 -> -90 a self-loop, which are not followed. Expectations counted by hand (UTC days).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import duckdb
import pytest
from views_lakes import (
    emoji,
    join_request,
    member_event,
    message,
    migration,
    reaction_update,
    write_lake,
)

from athena_views.local import connect

pytestmark = pytest.mark.integration

D = date.fromisoformat
OLD, NEW = -10, -10010
ANA, BRUNO, CARLA, DANI, EVA = 1, 2, 3, 4, 5


NAMES = {ANA: "Ana", BRUNO: "Bruno", CARLA: "Carla", EVA: "Eva"}


def text_message(chat: tuple[int, str, str], message_id: int, sent_at: str, user_id: int,
                 text: str, **fields: Any) -> dict[str, Any]:  # fmt: skip
    """A text message in `chat` = (id, title, type); update ids grow with the chat's id."""
    chat_id, title, chat_type = chat
    return message(
        chat_id, message_id, abs(chat_id) * 10 + message_id, sent_at, user_id,
        first_name=NAMES[user_id], text=text, text_length=len(text), chat_title=title,
        chat_type=chat_type, **fields,
    )  # fmt: skip


CLUBE, CLUBE_DO_LIVRO = (OLD, "Clube", "group"), (NEW, "Clube do Livro", "supergroup")
MESSAGES = [
    text_message(CLUBE, 1, "2024-05-01 10:00", ANA, "oi"),
    # Bruno answers the old group's message 1, 23 hours later.
    text_message(CLUBE, 2, "2024-05-02 09:00", BRUNO, "olá", reply_to=1, reply_to_user=ANA),
    # The supergroup's own message 1 (Carla), answered by Ana an hour later.
    text_message(CLUBE_DO_LIVRO, 1, "2024-05-03 10:00", CARLA, "primeira"),
    text_message(CLUBE_DO_LIVRO, 2, "2024-05-03 11:00", ANA, "bem-vinda", reply_to=1,
                 reply_to_user=CARLA),
    # The chain -20 -> -30 -> -40.
    text_message((-20, "Começo", "group"), 1, "2024-05-01 12:00", EVA, "a"),
    text_message((-40, "Fim", "supergroup"), 1, "2024-05-04 12:00", EVA, "b"),
    # The cycle and the self-loop keep their ids.
    text_message((-70, "Setenta", "group"), 1, "2024-05-01 12:00", EVA, "c"),
    text_message((-80, "Oitenta", "supergroup"), 1, "2024-05-02 12:00", EVA, "d"),
    text_message((-90, "Noventa", "supergroup"), 1, "2024-05-02 12:00", EVA, "e"),
]  # fmt: skip

MIGRATIONS = [
    # One migration, reported on both sides of midnight: the earliest report is kept.
    migration(OLD, NEW, "2024-05-02 23:59:59", update_id=150),
    migration(OLD, NEW, "2024-05-03 00:00:01", update_id=151),
    migration(-20, -30, "2024-05-02 00:00", update_id=160),
    migration(-30, -40, "2024-05-03 00:00", update_id=161),
    migration(-70, -80, "2024-05-02 00:00", update_id=170),
    migration(-80, -70, "2024-05-03 00:00", update_id=171),
    migration(-90, -90, "2024-05-03 00:00", update_id=180),
]

MEMBER_EVENTS = [
    # Ana adds Carla to the old group; Dani joins the supergroup through a named link.
    member_event(OLD, CARLA, "join", "2024-05-02 08:00", "new_chat_members", update_id=110,
                 first_name="Carla", actor=ANA),
    member_event(NEW, DANI, "join", "2024-05-03 12:00", "chat_member", update_id=210,
                 first_name="Dani", old_status="left", new_status="member",
                 invite_link="Convite"),
    # Eva asked to join the old group and was let into the supergroup after the upgrade.
    member_event(NEW, EVA, "join", "2024-05-03 09:00", "chat_member", update_id=211,
                 first_name="Eva", old_status="left", new_status="member", actor=ANA,
                 via_join_request=True),
]  # fmt: skip

REACTIONS = [
    # Bruno reacts to the old group's message 1 (Ana's) and to the supergroup's (Carla's).
    *reaction_update(OLD, 1, 120, "2024-05-02 10:00", user=BRUNO, new=(emoji("👍"),)),
    *reaction_update(NEW, 1, 220, "2024-05-03 12:00", user=BRUNO, new=(emoji("❤"),)),
]

JOIN_REQUESTS = [join_request(OLD, EVA, "2024-05-02 11:00", update_id=130)]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    curated = write_lake(
        tmp_path_factory.mktemp("migrations"), MESSAGES, MEMBER_EVENTS,
        chat_migrations=MIGRATIONS, reactions=REACTIONS, join_requests=JOIN_REQUESTS,
    )  # fmt: skip
    connection = connect(str(curated))
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    result: list[tuple[Any, ...]] = con.execute(sql).fetchall()
    return result


def test_the_two_reports_of_one_migration_are_two_rows_of_the_table(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert rows(con, f"select count(*) from chat_migrations where from_chat_id = {OLD}") == [(2,)]


def test_chains_are_followed_and_cycles_are_not(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "select * from stg_chat_ids order by chat_id desc") == [
        (OLD, NEW, 1),
        (-20, -40, 2),
        (-30, -40, 1),
    ]


def test_daily_activity_joins_the_old_groups_days(con: duckdb.DuckDBPyConnection) -> None:
    sql = "select chat_id, chat_title, chat_type, day, messages, active_users, replies "
    sql += "from daily_activity order by chat_id, day"
    assert rows(con, sql) == [
        # The supergroup's latest title and type on every day, its group days included.
        (NEW, "Clube do Livro", "supergroup", D("2024-05-01"), 1, 1, 0),
        (NEW, "Clube do Livro", "supergroup", D("2024-05-02"), 1, 1, 1),
        (NEW, "Clube do Livro", "supergroup", D("2024-05-03"), 2, 2, 1),
        (-90, "Noventa", "supergroup", D("2024-05-02"), 1, 1, 0),
        (-80, "Oitenta", "supergroup", D("2024-05-02"), 1, 1, 0),
        (-70, "Setenta", "group", D("2024-05-01"), 1, 1, 0),
        (-40, "Fim", "supergroup", D("2024-05-01"), 1, 1, 0),
        (-40, "Fim", "supergroup", D("2024-05-04"), 1, 1, 0),
    ]


def test_people_views_merge_the_histories(con: duckdb.DuckDBPyConnection) -> None:
    sql = "select user_id, messages, active_days, share_of_chat_messages from user_activity "
    sql += f"where chat_id = {NEW} order by user_id"
    assert rows(con, sql) == [(ANA, 2, 2, 0.5), (BRUNO, 1, 1, 0.25), (CARLA, 1, 1, 0.25)]
    assert rows(con, f"select day, dau, wau from dau_wau_mau where chat_id = {NEW}") == [
        (D("2024-05-01"), 1, 1),
        (D("2024-05-02"), 1, 2),
        (D("2024-05-03"), 2, 3),
        (D("2024-05-04"), 0, 3),
    ]


def test_replies_point_at_the_message_of_their_own_chat_id(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Message 1 exists in both ids: each reply finds its own (a join on the canonical id
    # would give the supergroup's message 1 Bruno's earlier reply, a negative latency).
    assert rows(con, f"select * from reply_latency where chat_id = {NEW} order by day") == [
        (NEW, D("2024-05-01"), 1, 82800, 82800),
        (NEW, D("2024-05-03"), 1, 3600, 3600),
    ]
    assert rows(con, "select user_id, replied_to_user_id, replies from reply_pairs order by 1") == [
        (ANA, CARLA, 1),
        (BRUNO, ANA, 1),
    ]


def test_member_events_reactions_and_requests_use_the_canonical_id(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert rows(con, "select * from membership_daily order by day") == [
        (NEW, D("2024-05-02"), 1, 0, 1),
        (NEW, D("2024-05-03"), 2, 0, 2),
    ]
    assert rows(con, "select * from join_sources order by day, join_source") == [
        (NEW, D("2024-05-02"), "added", 1),
        (NEW, D("2024-05-03"), "invite_link", 1),
        (NEW, D("2024-05-03"), "join_request", 1),
    ]
    sql = "select chat_id, message_chat_id, message_id, author_name, top_reaction "
    sql += "from message_reactions order by message_chat_id desc"
    assert rows(con, sql) == [
        (NEW, OLD, 1, "Ana", "👍"),
        (NEW, NEW, 1, "Carla", "❤"),
    ]
    # Eva's request to the old group, approved in the supergroup 22 hours later.
    assert rows(con, "select * from join_requests_daily") == [
        (NEW, D("2024-05-02"), 1, 1, 79200),
    ]
