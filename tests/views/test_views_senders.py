"""Who counts: activity messages, people, bots, channels, automatic forwards, system senders.

A discussion group (-500 "Trilhas") with every kind of sender on Monday 2024-04-01, its
linked channel (-600 "Dados") posting on three days, and a private chat with the bot (42).
Every expectation is counted by hand from the rows below (UTC days and hours).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import duckdb
import pytest
from views_lakes import Row, message, write_lake

from athena_views.local import connect

pytestmark = pytest.mark.integration

D = date.fromisoformat
GROUP, CHANNEL, PRIVATE = -500, -600, 42
ANA, BRUNO, DORA, HELPER_BOT = 1, 2, 42, 900
# Telegram's stand-in accounts: its service account (automatic forwards, system notices),
# the anonymous group admin and the "post as a channel" sender.
TELEGRAM, ANONYMOUS_ADMIN, CHANNEL_BOT = 777000, 1087968824, 136817688
NEVER_SEEN = 55


def group_message(message_id: int, time: str, user_id: int | None, **fields: Any) -> Row:
    text = fields.pop("text", None)
    return message(
        GROUP, message_id, 5000 + message_id, f"2024-04-01 {time}", user_id,
        chat_title="Trilhas", text=text, text_length=len(text) if text else 0, **fields,
    )  # fmt: skip


def channel_post(message_id: int, sent_at: str, **fields: Any) -> Row:
    text = fields.pop("text", None)
    return message(
        CHANNEL, message_id, 6000 + message_id, sent_at, None, chat_type="channel",
        chat_title="Dados", is_channel_post=True, sender_chat_id=CHANNEL, text=text,
        text_length=len(text) if text else 0, **fields,
    )  # fmt: skip


def private_message(message_id: int, time: str, user_id: int, **fields: Any) -> Row:
    text = fields.pop("text")
    return message(
        PRIVATE, message_id, 7000 + message_id, f"2024-04-01 {time}", user_id,
        chat_type="private", chat_title=None, text=text, text_length=len(text), **fields,
    )  # fmt: skip


MESSAGES = [
    # 1. A person.
    group_message(1, "10:00", ANA, first_name="Ana", text="olá pessoal"),
    # 2. An anonymous admin: from is GroupAnonymousBot (a bot), sender_chat the group.
    group_message(2, "10:05", ANONYMOUS_ADMIN, first_name="Group", username="GroupAnonymousBot",
                  is_bot=True, sender_chat_id=GROUP, sender_type="anonymous_admin",
                  text="Regras do grupo"),
    # 3. A bot.
    group_message(3, "10:10", HELPER_BOT, first_name="Helper", is_bot=True, text="bem-vindos"),
    # 4. The linked channel's post copied into the group: from 777000, not activity.
    group_message(4, "10:15", TELEGRAM, first_name="Telegram", sender_chat_id=CHANNEL,
                  sender_type="auto_forward", is_automatic_forward=True,
                  text="Post novo no canal"),
    # 5. A notice of Telegram's service account.
    group_message(5, "10:20", TELEGRAM, first_name="Telegram", sender_type="system",
                  text="Aviso do sistema"),
    # 6. Someone posting as a channel inside the group.
    group_message(6, "10:25", CHANNEL_BOT, first_name="Channel", is_bot=True,
                  sender_chat_id=-700, sender_type="channel", text="Oi do canal"),
    # 7. A comment on the automatic forward: a photo with a caption.
    group_message(7, "10:30", BRUNO, first_name="Bruno", content_type="photo", text="foto",
                  reply_to=4, reply_to_user=TELEGRAM),
    # 8. A live location: every move sets edited_at, but it was never edited.
    group_message(8, "10:35", ANA, first_name="Ana", content_type="location",
                  edited_at="2024-04-01 10:50"),
    # 9. Edited once, and a reply to Ana (first reply to message 1, after 40 minutes).
    group_message(9, "10:40", BRUNO, first_name="Bruno", text="editado",
                  edited_at="2024-04-01 11:00", edit_count=1, reply_to=1, reply_to_user=ANA),
    # 10. No sender at all.
    group_message(10, "10:45", None, text="?"),
    # 11. Ana answers the anonymous admin (45 minutes after message 2).
    group_message(11, "10:50", ANA, first_name="Ana", text="ok", reply_to=2,
                  reply_to_user=ANONYMOUS_ADMIN),
    # 12. Ana answers herself.
    group_message(12, "10:55", ANA, first_name="Ana", text="aqui", reply_to=8, reply_to_user=ANA),
    # 13. Bruno answers a message the lake never saw, by someone it never saw.
    group_message(13, "11:30", BRUNO, first_name="Bruno", text="concordo", reply_to=9999,
                  reply_to_user=NEVER_SEEN),
    channel_post(1, "2024-04-01 09:00", text="Post novo no canal"),
    channel_post(2, "2024-04-02 12:00", content_type="photo"),
    channel_post(3, "2024-04-03 12:00", text="Mais dados"),
    private_message(1, "08:00", DORA, first_name="Dora", text="/start"),
    private_message(2, "08:01", HELPER_BOT, first_name="Helper", is_bot=True, text="Olá"),
]  # fmt: skip


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(str(write_lake(tmp_path_factory.mktemp("senders"), MESSAGES, None)))
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    result: list[tuple[Any, ...]] = con.execute(sql).fetchall()
    return result


def test_daily_activity_counts_activity_messages_people_bots_and_channel_posts(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert rows(con, "select * from daily_activity order by chat_id, day") == [
        # The channel: every post is an activity message; no people.
        (CHANNEL, "Dados", "channel", D("2024-04-01"), 1, 0, 18.0, 0, 0, 0, 0, 0),
        (CHANNEL, "Dados", "channel", D("2024-04-02"), 1, 0, None, 1, 0, 0, 0, 0),
        (CHANNEL, "Dados", "channel", D("2024-04-03"), 1, 0, 10.0, 0, 0, 0, 0, 0),
        # Activity: 1, 2 (anonymous admin), 7, 8, 9, 11, 12, 13; people: Ana, Bruno. Texts:
        # 11 + 15 + 4 + 7 + 2 + 4 + 8 (the location has none); media: the photo; edited: 9
        # only; replies: 7, 9, 11, 12, 13; bots: 3; channel posts: 4 and 6. Not counted
        # anywhere: 5 (system) and 10 (no sender).
        (GROUP, "Trilhas", "supergroup", D("2024-04-01"), 8, 2, 51 / 7, 1, 1, 5, 1, 2),
        (PRIVATE, None, "private", D("2024-04-01"), 1, 1, 6.0, 0, 0, 0, 1, 0),
    ]


def test_only_people_are_users(con: duckdb.DuckDBPyConnection) -> None:
    sql = (
        "select chat_id, user_id, display_name, messages, active_days, avg_text_length, "
        "share_of_chat_messages from user_activity order by chat_id, user_id"
    )
    # No GroupAnonymousBot, Telegram, Channel_Bot or Helper bot among the posters.
    assert rows(con, sql) == [
        (GROUP, ANA, "Ana", 4, 1, 17 / 3, 4 / 7),  # 1, 8, 11, 12
        (GROUP, BRUNO, "Bruno", 3, 1, 19 / 3, 3 / 7),  # 7, 9, 13
        (PRIVATE, DORA, "Dora", 1, 1, 6.0, 1.0),
    ]
    assert rows(con, "select * from user_daily_activity order by chat_id, user_id") == [
        (GROUP, D("2024-04-01"), ANA, "Ana", 4),
        (GROUP, D("2024-04-01"), BRUNO, "Bruno", 3),
        (PRIVATE, D("2024-04-01"), DORA, "Dora", 1),
    ]


def test_a_channel_gets_its_own_heatmap_and_content_mix(con: duckdb.DuckDBPyConnection) -> None:
    busy = rows(
        con,
        "select chat_id, weekday, hour, messages from hourly_heatmap where messages > 0 "
        "order by chat_id, weekday, hour",
    )
    assert busy == [
        (CHANNEL, 1, 9, 1),
        (CHANNEL, 2, 12, 1),
        (CHANNEL, 3, 12, 1),
        (GROUP, 1, 10, 7),  # Monday 10h: 1, 2, 7, 8, 9, 11, 12
        (GROUP, 1, 11, 1),  # 13
        (PRIVATE, 1, 8, 1),
    ]
    assert rows(con, "select * from content_type_daily order by chat_id, day, content_type") == [
        (CHANNEL, D("2024-04-01"), "text", 1),
        (CHANNEL, D("2024-04-02"), "photo", 1),
        (CHANNEL, D("2024-04-03"), "text", 1),
        (GROUP, D("2024-04-01"), "location", 1),
        (GROUP, D("2024-04-01"), "photo", 1),
        (GROUP, D("2024-04-01"), "text", 6),
        (PRIVATE, D("2024-04-01"), "text", 1),
    ]


def test_active_users_and_cohorts_count_people_only(con: duckdb.DuckDBPyConnection) -> None:
    # The channel has no people: no rows. The calendar ends on the last day a person posted.
    assert rows(con, "select * from dau_wau_mau order by chat_id, day") == [
        (GROUP, D("2024-04-01"), 2, 2, 2),
        (PRIVATE, D("2024-04-01"), 1, 1, 1),
    ]
    assert rows(con, "select * from retention_cohorts order by chat_id") == [
        (GROUP, D("2024-04-01"), 0, 2, 2, 1.0),
        (PRIVATE, D("2024-04-01"), 0, 1, 1, 1.0),
    ]


def test_reply_latency_between_activity_messages_of_different_senders(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # 1 <- 9 after 2400 s; 2 (anonymous admin) <- 11 after 2700 s. Not counted: the reply
    # to the automatic forward (4 is no activity message), Ana's self-reply, the reply to
    # a message outside the lake.
    assert rows(con, "select * from reply_latency") == [
        (GROUP, D("2024-04-01"), 2, 2400, 2700),
    ]


def test_reply_pairs_count_people_replying_to_anyone_named(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "select * from reply_pairs order by user_id, replied_to_user_id") == [
        (GROUP, ANA, "Ana", ANA, "Ana", True, 1),  # a self-reply counts
        (GROUP, ANA, "Ana", ANONYMOUS_ADMIN, "Group", False, 1),
        (GROUP, BRUNO, "Bruno", ANA, "Ana", True, 1),
        (GROUP, BRUNO, "Bruno", NEVER_SEEN, None, None, 1),
        (GROUP, BRUNO, "Bruno", TELEGRAM, "Telegram", False, 1),
    ]


def test_top_words_come_from_activity_messages(con: duckdb.DuckDBPyConnection) -> None:
    words = rows(con, "select chat_id, word from top_words order by chat_id, word")
    group_words = [word for chat, word in words if chat == GROUP]
    # Not from the bot ("bem-vindos"), the automatic forward, the system notice or the
    # post as a channel; "Regras do grupo" (the anonymous admin) counts; "aqui" and "ok"
    # are stop words or too short.
    assert group_words == [
        "concordo", "editado", "foto", "grupo", "olá", "pessoal", "regras",
    ]  # fmt: skip
    # "mais" and "no" are stop words or too short.
    assert [word for chat, word in words if chat == CHANNEL] == ["canal", "dados", "novo", "post"]


def test_stg_users_tells_people_from_stand_in_accounts(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "select user_id, display_name, is_person from stg_users order by user_id") == [
        (ANA, "Ana", True),
        (BRUNO, "Bruno", True),
        (DORA, "Dora", True),
        (HELPER_BOT, "Helper", False),
        (TELEGRAM, "Telegram", False),
        (CHANNEL_BOT, "Channel", False),
        (ANONYMOUS_ADMIN, "Group", False),
    ]
