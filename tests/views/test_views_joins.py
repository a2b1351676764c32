"""Joins: where members come from, who brought them in, join requests and their approval.

One group (-100 "Grupo"), 2024-07-01 .. 07-04 (UTC days). Joins are reported as Telegram
does: a new_chat_members service message (actor = its from), a chat_member update (actor,
invite link, join request and folder link flags), or both. Expectations counted by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import duckdb
import pytest
from views_lakes import join_request, member_event, write_lake

from athena_views.local import connect

pytestmark = pytest.mark.integration

D = date.fromisoformat
GROUP = -100
ANA, BRUNO, CARLA, DANI, EVA, GIL, HUGO, IRIS, JON, KAI = range(1, 11)
HELPER_BOT = 900
NAMES = {ANA: "Ana", BRUNO: "Bruno", CARLA: "Carla", DANI: "Dani", EVA: "Eva", GIL: "Gil",
         HUGO: "Hugo", IRIS: "Iris", JON: "Jon", KAI: "Kai", HELPER_BOT: "Helper"}  # fmt: skip
ANAS_LINK, REQUESTS_LINK, UNNAMED_LINK = "Link da Ana", "Pedidos", "https://t.me/+AbCdEf"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def service(user: int, when: str, update_id: int, *, actor: int | None = None,
            event: str = "join") -> dict[str, Any]:  # fmt: skip
    source = "new_chat_members" if event == "join" else "left_chat_member"
    return member_event(
        GROUP, user, event, f"2024-07-{when}", source, update_id=update_id,
        first_name=NAMES[user], actor=actor, is_bot=user == HELPER_BOT,
    )  # fmt: skip


def chat_member(user: int, when: str, update_id: int, *, event: str = "join",
                **fields: Any) -> dict[str, Any]:  # fmt: skip
    statuses = ("left", "member") if event == "join" else ("member", "left")
    return member_event(
        GROUP, user, event, f"2024-07-{when}", "chat_member", update_id=update_id,
        first_name=NAMES[user], old_status=statuses[0], new_status=statuses[1], **fields,
    )  # fmt: skip


MEMBER_EVENTS = [
    # 07-01. Ana joins on her own (by the public username), reported twice.
    chat_member(ANA, "01 10:00", 1), service(ANA, "01 10:00", 2),
    # Ana adds Bruno, reported twice.
    service(BRUNO, "01 11:00", 3, actor=ANA), chat_member(BRUNO, "01 11:00", 4, actor=ANA),
    # Carla through Ana's named link; the service message knows no link.
    chat_member(CARLA, "01 12:00", 5, invite_link=ANAS_LINK), service(CARLA, "01 12:00", 6),
    # 07-02. Dani's request (07-01 13:00) approved by Ana.
    chat_member(DANI, "02 09:00", 8, actor=ANA, via_join_request=True),
    service(DANI, "02 09:00", 9),
    # Eva through a chat folder link, Gil through an unnamed link, Hugo through Ana's link.
    chat_member(EVA, "02 10:00", 10, via_folder_link=True),
    chat_member(GIL, "02 11:00", 11, invite_link=UNNAMED_LINK),
    chat_member(HUGO, "02 12:00", 12, invite_link=ANAS_LINK),
    # Bruno adds Iris (a service message only) and Ana adds a bot (not counted).
    service(IRIS, "02 13:00", 13, actor=BRUNO),
    service(HELPER_BOT, "02 14:00", 14, actor=ANA),
    # 07-03. Carla leaves.
    service(CARLA, "03 12:00", 19, event="leave"),
    # 07-04. Kai's second request is approved, through the link that asks for approval;
    # Carla comes back through Ana's link; Gil leaves, reported twice.
    chat_member(KAI, "04 10:00", 18, actor=ANA, via_join_request=True, invite_link=REQUESTS_LINK),
    chat_member(CARLA, "04 12:00", 20, invite_link=ANAS_LINK),
    chat_member(GIL, "04 13:00", 21, event="leave"), service(GIL, "04 13:00", 22, event="leave"),
]  # fmt: skip

JOIN_REQUESTS = [
    join_request(GROUP, DANI, "2024-07-01 13:00", update_id=7),
    join_request(GROUP, JON, "2024-07-02 15:00", update_id=15),  # never approved
    join_request(GROUP, KAI, "2024-07-03 09:00", update_id=16, invite_link=REQUESTS_LINK),
    join_request(GROUP, KAI, "2024-07-04 09:00", update_id=17, invite_link=REQUESTS_LINK),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    curated = write_lake(
        tmp_path_factory.mktemp("joins"), None, MEMBER_EVENTS, join_requests=JOIN_REQUESTS
    )
    connection = connect(str(curated))
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    result: list[tuple[Any, ...]] = con.execute(sql).fetchall()
    return result


def test_a_join_reported_twice_keeps_the_chat_member_report(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = "select user_id, source, update_id, join_source from stg_joins order by day, user_id"
    assert rows(con, sql) == [
        (ANA, "chat_member", 1, "self"),
        (BRUNO, "chat_member", 4, "added"),
        (CARLA, "chat_member", 5, "invite_link"),  # not "self", as the service message says
        (DANI, "chat_member", 8, "join_request"),  # approved by Ana: not "added"
        (EVA, "chat_member", 10, "folder_link"),
        (GIL, "chat_member", 11, "invite_link"),
        (HUGO, "chat_member", 12, "invite_link"),
        (IRIS, "new_chat_members", 13, "added"),
        (CARLA, "chat_member", 20, "invite_link"),
        (KAI, "chat_member", 18, "join_request"),  # a link asked for approval: a request
    ]


def test_join_sources_add_up_to_the_days_joins(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "select day, join_source, joins from join_sources order by day, 2") == [
        (D("2024-07-01"), "added", 1),
        (D("2024-07-01"), "invite_link", 1),
        (D("2024-07-01"), "self", 1),
        (D("2024-07-02"), "added", 1),
        (D("2024-07-02"), "folder_link", 1),
        (D("2024-07-02"), "invite_link", 2),
        (D("2024-07-02"), "join_request", 1),
        (D("2024-07-04"), "invite_link", 1),
        (D("2024-07-04"), "join_request", 1),
    ]
    assert rows(con, "select day, joins, leaves, net from membership_daily order by day") == [
        (D("2024-07-01"), 3, 0, 3),
        (D("2024-07-02"), 5, 0, 5),  # the bot is not counted
        (D("2024-07-03"), 0, 1, -1),
        (D("2024-07-04"), 2, 1, 1),  # Gil's leave, reported twice, counts once
    ]


def test_top_inviters_are_people_who_added_members_and_links(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = "select * from top_inviters order by members desc, inviter_name"
    assert rows(con, sql) == [
        # Carla and Hugo (Carla's second join through it counts once).
        (GROUP, "invite_link", None, ANAS_LINK, ANAS_LINK, 2, at("2024-07-04 12:00")),
        # Ana added Bruno (the bot she added is no member counted; approving Dani's
        # request is no invitation).
        (GROUP, "user", ANA, None, "Ana", 1, at("2024-07-01 11:00")),
        (GROUP, "user", BRUNO, None, "Bruno", 1, at("2024-07-02 13:00")),
        (GROUP, "invite_link", None, REQUESTS_LINK, REQUESTS_LINK, 1, at("2024-07-04 10:00")),
        (GROUP, "invite_link", None, UNNAMED_LINK, UNNAMED_LINK, 1, at("2024-07-02 11:00")),
    ]


def test_join_requests_and_their_approval(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "select * from join_requests_daily order by day") == [
        # Dani: approved 20 hours later.
        (GROUP, D("2024-07-01"), 1, 1, 72000),
        (GROUP, D("2024-07-02"), 1, 0, None),  # Jon
        # Kai asked twice; the approval answers the latest request (an hour before it).
        (GROUP, D("2024-07-03"), 1, 0, None),
        (GROUP, D("2024-07-04"), 1, 1, 3600),
    ]


def test_join_days_follow_the_timezone(tmp_path: Any) -> None:
    # 02:00 UTC on 07-02 is 23:00 on 07-01 in Sao Paulo.
    curated = write_lake(tmp_path, None, [chat_member(ANA, "02 02:00", 1)])
    con = connect(str(curated), "America/Sao_Paulo")
    assert rows(con, "select day, join_source, joins from join_sources") == [
        (D("2024-07-01"), "self", 1)
    ]
