"""Every view over the main hand-built lake (tests/views/conftest.py), in UTC and Sao Paulo.

Expected rows are written by hand from the scenario's comments: e.g. message 4, sent
2024-01-02 01:30 UTC, is on Monday 2024-01-01 at 22h in America/Sao_Paulo (UTC-3).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from views_lakes import Query

pytestmark = pytest.mark.integration

SP = "America/Sao_Paulo"
D = date.fromisoformat


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def approx_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Floats compared with a tolerance, everything else exactly."""
    return [tuple(pytest.approx(v) if isinstance(v, float) else v for v in row) for row in rows]


DAILY_SQL = "select * from daily_activity order by chat_id, day"
TITLE = "Equipe Nova"  # the chat's latest title, shown on every day
GROUP = (100, TITLE, "supergroup")
# The channel's one post: an activity message of the channel (no people, no replies).
CHANNEL_DAY = (300, "Avisos", "channel", D("2024-01-02"), 1, 0, 19.0, 0, 0, 0, 0, 0)


def test_daily_activity_utc(query_main: Query) -> None:
    assert query_main(DAILY_SQL) == approx_rows(
        [
            # m1, m2, m3 (photo); replies m2 and m3.
            (*GROUP, D("2024-01-01"), 3, 3, 43.5, 1, 0, 2, 0, 0),
            # m4 (edited twice, counted once), m6, m7 (sticker); bot m5 apart.
            (*GROUP, D("2024-01-02"), 3, 2, 27.5, 1, 1, 2, 1, 0),
            (*GROUP, D("2024-01-08"), 2, 2, 22.5, 0, 0, 1, 0, 0),
            (*GROUP, D("2024-01-15"), 1, 1, 2.0, 0, 0, 0, 0, 0),
            CHANNEL_DAY,
        ]
    )


def test_daily_activity_sao_paulo(query_main: Query) -> None:
    assert query_main(DAILY_SQL, SP) == approx_rows(
        [
            # m4 moves to Monday evening: 4 messages, its edit counted on that day.
            (*GROUP, D("2024-01-01"), 4, 3, 106 / 3, 1, 1, 2, 0, 0),
            (*GROUP, D("2024-01-02"), 2, 2, 36.0, 1, 0, 2, 1, 0),
            (*GROUP, D("2024-01-08"), 2, 2, 22.5, 0, 0, 1, 0, 0),
            (*GROUP, D("2024-01-15"), 1, 1, 2.0, 0, 0, 0, 0, 0),
            # 10:00 UTC is 07:00 in Sao Paulo: the same day.
            CHANNEL_DAY,
        ]
    )


USER_ACTIVITY = [
    # Ana's latest update (1020, message 4) says "Ana Paula" and has no username.
    (100, 1, "Ana Paula Souza", None, 3, 2, at("2024-01-01 12:00"), at("2024-01-02 10:20"),
     27.0, 3 / 9),
    (100, 2, "Bruno", "bruno", 3, 3, at("2024-01-01 12:05"), at("2024-01-08 15:00"),
     40.0, 3 / 9),
    (100, 3, "Carla", None, 1, 1, at("2024-01-01 13:00"), at("2024-01-01 13:00"), None, 1 / 9),
    (100, 4, "Dani Lima", "dani", 2, 2, at("2024-01-08 15:30"), at("2024-01-15 10:00"),
     7.5, 2 / 9),
]  # fmt: skip


@pytest.mark.parametrize("timezone", ["UTC", SP])
def test_user_activity(query_main: Query, timezone: str) -> None:
    # Sao Paulo moves m4 onto Monday, where Ana already posted: still 2 active days.
    rows = query_main("select * from user_activity order by chat_id, user_id", timezone)
    assert rows == approx_rows(USER_ACTIVITY)


def test_user_daily_activity_utc(query_main: Query) -> None:
    rows = query_main("select * from user_daily_activity order by chat_id, day, user_id")
    assert rows == [
        (100, D("2024-01-01"), 1, "Ana Paula Souza", 1),
        (100, D("2024-01-01"), 2, "Bruno", 1),
        (100, D("2024-01-01"), 3, "Carla", 1),
        (100, D("2024-01-02"), 1, "Ana Paula Souza", 2),
        (100, D("2024-01-02"), 2, "Bruno", 1),
        (100, D("2024-01-08"), 2, "Bruno", 1),
        (100, D("2024-01-08"), 4, "Dani Lima", 1),
        (100, D("2024-01-15"), 4, "Dani Lima", 1),
    ]


def test_user_daily_activity_sao_paulo(query_main: Query) -> None:
    rows = query_main("select * from user_daily_activity order by chat_id, day, user_id", SP)
    assert rows == [
        (100, D("2024-01-01"), 1, "Ana Paula Souza", 2),
        (100, D("2024-01-01"), 2, "Bruno", 1),
        (100, D("2024-01-01"), 3, "Carla", 1),
        (100, D("2024-01-02"), 1, "Ana Paula Souza", 1),
        (100, D("2024-01-02"), 2, "Bruno", 1),
        (100, D("2024-01-08"), 2, "Bruno", 1),
        (100, D("2024-01-08"), 4, "Dani Lima", 1),
        (100, D("2024-01-15"), 4, "Dani Lima", 1),
    ]


WEEKDAY_NAMES = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}


@pytest.mark.parametrize(
    ("timezone", "busy_cells"),
    [
        ("UTC", {(1, 12): 2, (1, 13): 1, (2, 1): 1, (2, 10): 2, (1, 15): 2, (1, 10): 1}),
        # m4: Tuesday 01h UTC -> Monday 22h local; everything else 3 hours earlier.
        (SP, {(1, 9): 2, (1, 10): 1, (1, 22): 1, (2, 7): 2, (1, 12): 2, (1, 7): 1}),
    ],
)
def test_hourly_heatmap(
    query_main: Query, timezone: str, busy_cells: dict[tuple[int, int], int]
) -> None:
    rows = query_main("select * from hourly_heatmap order by chat_id, weekday, hour", timezone)
    # The full 7 x 24 grid for chat 100, and one for the channel 300 (its post: Tuesday
    # 10h UTC, 07h in Sao Paulo); chat 200 has no message.
    channel_cell = (2, 10) if timezone == "UTC" else (2, 7)
    expected = [
        (chat, weekday, WEEKDAY_NAMES[weekday], hour, cells.get((weekday, hour), 0))
        for chat, cells in ((100, busy_cells), (300, {channel_cell: 1}))
        for weekday in range(1, 8)
        for hour in range(24)
    ]
    assert rows == expected


def test_content_type_daily(query_main: Query) -> None:
    sql = "select * from content_type_daily order by chat_id, day, content_type"
    assert query_main(sql) == [
        (100, D("2024-01-01"), "photo", 1),
        (100, D("2024-01-01"), "text", 2),
        (100, D("2024-01-02"), "sticker", 1),
        (100, D("2024-01-02"), "text", 2),
        (100, D("2024-01-08"), "text", 2),
        (100, D("2024-01-15"), "text", 1),
        (300, D("2024-01-02"), "text", 1),
    ]
    assert query_main(sql, SP) == [
        (100, D("2024-01-01"), "photo", 1),
        (100, D("2024-01-01"), "text", 3),
        (100, D("2024-01-02"), "sticker", 1),
        (100, D("2024-01-02"), "text", 1),
        (100, D("2024-01-08"), "text", 2),
        (100, D("2024-01-15"), "text", 1),
        (300, D("2024-01-02"), "text", 1),
    ]


def test_membership_daily(query_main: Query) -> None:
    sql = "select * from membership_daily order by chat_id, day"
    # Carla's double-reported join counts once, the bot's join not at all, the promotion
    # is ignored; chat 200 has member changes and no message at all.
    assert query_main(sql) == [
        (100, D("2024-01-01"), 1, 0, 1),
        (100, D("2024-01-08"), 1, 1, 0),
        (200, D("2024-01-03"), 2, 1, 1),
    ]
    assert query_main(sql, SP) == [
        (100, D("2024-01-01"), 1, 0, 1),
        (100, D("2024-01-08"), 1, 1, 0),
        (200, D("2024-01-02"), 1, 0, 1),
        (200, D("2024-01-03"), 1, 1, 0),
    ]


TOP_WORDS = [
    # Stop words (para, até, see, you, there, que), the link, @ana, /agenda, "ok",
    # laughter, the emoji and the bot's "Lembrete" are gone.
    (100, D("2024-01-01"), "reunião", 3, 1),
    (100, D("2024-01-01"), "amanhã", 2, 2),
    (100, D("2024-01-01"), "bom", 1, 3),
    (100, D("2024-01-01"), "cedo", 1, 4),
    (100, D("2024-01-01"), "combinado", 1, 5),
    (100, D("2024-01-01"), "confirmada", 1, 6),
    (100, D("2024-01-01"), "dia", 1, 7),
    (100, D("2024-01-01"), "hoje", 1, 8),
    (100, D("2024-01-01"), "pessoal", 1, 9),
    (100, D("2024-01-08"), "reunião", 1, 1),
    (100, D("2024-01-08"), "semana", 1, 2),
    (100, D("2024-01-08"), "vem", 1, 3),
    # The channel's own words ("da" is too short).
    (300, D("2024-01-01"), "novidades", 1, 1),
    (300, D("2024-01-01"), "semana", 1, 2),
]


@pytest.mark.parametrize("timezone", ["UTC", SP])
def test_top_words(query_main: Query, timezone: str) -> None:
    rows = query_main("select * from top_words order by chat_id, week_start, word_rank", timezone)
    assert rows == TOP_WORDS


def test_reply_latency(query_main: Query) -> None:
    sql = "select * from reply_latency order by chat_id, day"
    # m1 <- m2 after 300 s (m3 replied later); m4 <- m6 after 8 h 40 min = 31200 s (the
    # bot's earlier reply and Ana's self-reply do not count); m8 <- m9 after 1800 s.
    assert query_main(sql) == [
        (100, D("2024-01-01"), 1, 300, 300),
        (100, D("2024-01-02"), 1, 31200, 31200),
        (100, D("2024-01-08"), 1, 1800, 1800),
    ]
    # In Sao Paulo m1 and m4 share Monday: median = lower middle value, p90 = the top one.
    assert query_main(sql, SP) == [
        (100, D("2024-01-01"), 2, 300, 31200),
        (100, D("2024-01-08"), 1, 1800, 1800),
    ]


@pytest.mark.parametrize("timezone", ["UTC", SP])
def test_retention_cohorts(query_main: Query, timezone: str) -> None:
    rows = query_main(
        "select * from retention_cohorts order by chat_id, cohort_week, week_offset", timezone
    )
    assert rows == approx_rows(
        [
            # Cohort of week 1: Ana, Bruno, Carla. Week 2: Bruno only. Week 3: nobody.
            (100, D("2024-01-01"), 0, 3, 3, 1.0),
            (100, D("2024-01-01"), 1, 3, 1, 1 / 3),
            (100, D("2024-01-01"), 2, 3, 0, 0.0),
            # Cohort of week 2: Dani, back in week 3.
            (100, D("2024-01-08"), 0, 1, 1, 1.0),
            (100, D("2024-01-08"), 1, 1, 1, 1.0),
        ]
    )


DAU_WAU_MAU = [
    (100, D("2024-01-01"), 3, 3, 3),
    (100, D("2024-01-02"), 2, 3, 3),
    (100, D("2024-01-03"), 0, 3, 3),
    (100, D("2024-01-04"), 0, 3, 3),
    (100, D("2024-01-05"), 0, 3, 3),
    (100, D("2024-01-06"), 0, 3, 3),
    (100, D("2024-01-07"), 0, 3, 3),
    # Window Jan 2..8: Ana and Bruno (Jan 2), Bruno and Dani (Jan 8).
    (100, D("2024-01-08"), 2, 3, 4),
    (100, D("2024-01-09"), 0, 2, 4),
    (100, D("2024-01-10"), 0, 2, 4),
    (100, D("2024-01-11"), 0, 2, 4),
    (100, D("2024-01-12"), 0, 2, 4),
    (100, D("2024-01-13"), 0, 2, 4),
    (100, D("2024-01-14"), 0, 2, 4),
    (100, D("2024-01-15"), 1, 1, 4),
]


@pytest.mark.parametrize("timezone", ["UTC", SP])
def test_dau_wau_mau(query_main: Query, timezone: str) -> None:
    rows = query_main("select * from dau_wau_mau order by chat_id, day", timezone)
    assert rows == DAU_WAU_MAU


MESSAGE_VIEWS = (
    "daily_activity",
    "user_activity",
    "user_daily_activity",
    "hourly_heatmap",
    "content_type_daily",
    "top_words",
    "reply_latency",
    "retention_cohorts",
    "dau_wau_mau",
)


def test_a_channel_has_posts_but_no_people_and_a_service_only_chat_no_message_rows(
    query_main: Query,
) -> None:
    for view in MESSAGE_VIEWS:
        assert query_main(f"select count(*) from {view} where chat_id = 200") == [(0,)], view
    channel_rows = {
        view: query_main(f"select count(*) from {view} where chat_id = 300")[0][0]
        for view in MESSAGE_VIEWS
    }
    assert channel_rows == {
        "daily_activity": 1,
        "user_activity": 0,
        "user_daily_activity": 0,
        "hourly_heatmap": 7 * 24,
        "content_type_daily": 1,
        "top_words": 2,
        "reply_latency": 0,
        "retention_cohorts": 0,
        "dau_wau_mau": 0,
    }


def test_staging_local_time_columns(query_main: Query) -> None:
    sql = (
        "select sent_at, dt, sent_at_local, day, hour, weekday, week_start "
        "from stg_messages where chat_id = 100 and message_id = 4"
    )
    assert query_main(sql) == [
        (at("2024-01-02 01:30"), D("2024-01-02"), at("2024-01-02 01:30"), D("2024-01-02"),
         1, 2, D("2024-01-01")),
    ]  # fmt: skip
    assert query_main(sql, SP) == [
        (at("2024-01-02 01:30"), D("2024-01-02"), at("2024-01-01 22:30"), D("2024-01-01"),
         22, 1, D("2024-01-01")),
    ]  # fmt: skip
