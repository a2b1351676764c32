"""chispa tests of every Glue transform, on hand-built updates and hand-written expectations.

Reads and writes nothing outside Spark's memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pytest
from chispa import assert_df_equality
from glue_builders import (
    ALICE,
    BOB,
    CHANNEL,
    GROUP,
    HELPER_BOT,
    Update,
    chat_member,
    edit,
    epoch,
    message,
    utc,
)
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812

from glue_jobs.keyed import merge_keyed
from glue_jobs.member_events import member_event_rows
from glue_jobs.messages import merge_messages, message_versions
from glue_jobs.outcomes import outcome_counts
from glue_jobs.updates import (
    classify_updates,
    flatten_updates,
    parse_updates,
    quarantine_records,
    with_update_type,
)
from lake.tables import MEMBER_EVENTS as MEMBER_EVENTS_SPEC
from tests.contract import (
    MEMBER_EVENTS_COLUMNS,
    MESSAGES_BOOKKEEPING_COLUMNS,
    MESSAGES_COLUMNS,
    PARTITION_COLUMN,
    Column,
    ddl_schema,
)

pytestmark = pytest.mark.spark

SOURCE = "file:/lake/raw/dt=2024-03-01/batch.jsonl"
T0 = "2024-03-01 10:00:00"
CAROL = {"id": 333333, "is_bot": False, "first_name": "Carol", "username": "carol"}
ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}

# From the hand-written test contract (never from glue_jobs or lake).
MESSAGE_KEY = ("chat_id", "message_id")
# What the merge computes itself rather than taking from the kept version.
FOLDED = {"sent_at", "edit_count", *(name for name, _ in MESSAGES_BOOKKEEPING_COLUMNS)}
MESSAGES_ROW_COLUMNS = (*MESSAGES_COLUMNS, *MESSAGES_BOOKKEEPING_COLUMNS, PARTITION_COLUMN)
MESSAGES_SCHEMA = ddl_schema(*MESSAGES_ROW_COLUMNS)
# A message version: key, send time, the columns the kept version decides, the edit flags, dt.
VERSION_COLUMNS = (
    *(column for column in MESSAGES_COLUMNS if column[0] in MESSAGE_KEY),
    ("sent_at", "timestamp"),
    *(column for column in MESSAGES_COLUMNS if column[0] not in {*MESSAGE_KEY, *FOLDED}),
    ("is_edit", "boolean"),
    ("is_counted_edit", "boolean"),
    PARTITION_COLUMN,
)
VERSION_SCHEMA = ddl_schema(*VERSION_COLUMNS)
MERGED_MESSAGES_SCHEMA = (
    MESSAGES_SCHEMA
    + ", new_originals int, new_edits int, refolded_updates int, incoming_lines bigint"
)
MEMBER_EVENTS_ROW_COLUMNS = (*MEMBER_EVENTS_COLUMNS, PARTITION_COLUMN)
MEMBER_EVENTS_SCHEMA = ddl_schema(*MEMBER_EVENTS_ROW_COLUMNS)
MEMBER_ROW_COLUMNS = (*MEMBER_EVENTS_ROW_COLUMNS, ("is_first_of_update", "boolean"))


def flat(spark: SparkSession, *items: Update | str) -> DataFrame:
    """Raw lines (dicts are serialised, strings kept verbatim) -> flattened updates."""
    rows = [(SOURCE, item if isinstance(item, str) else json.dumps(item)) for item in items]
    lines = spark.createDataFrame(rows, "source_file string, value string")
    return (
        lines.transform(parse_updates)
        .transform(with_update_type)
        .transform(classify_updates)
        .transform(flatten_updates)
    )


def assert_equal(actual: DataFrame, expected: DataFrame) -> None:
    assert_df_equality(actual, expected, ignore_nullable=True, ignore_row_order=True)


# --- outcomes -----------------------------------------------------------------------------


def test_every_line_gets_exactly_one_outcome(spark: SparkSession) -> None:
    later = "2024-03-01 10:05:00"
    nameless = {"is_bot": False, "first_name": "No Id"}
    updates: list[Update | str] = [
        "{not json",
        "[1, 2]",
        '"just a string"',
        json.dumps({"update_id": "4", "message": {"message_id": 1, "chat": GROUP, "date": 1}}),
        json.dumps({"message": {"message_id": 1, "chat": GROUP, "date": 1, "text": "hi"}}),
        {"update_id": 6, "message": {"message_id": 1, "date": epoch(T0), "text": "no chat"}},
        {
            "update_id": 7,
            "edited_message": {
                "message_id": 1,
                "chat": GROUP,
                "edit_date": epoch(later),
                "text": "no date",
            },
        },
        message(8, 3, T0, new_chat_members=[BOB, nameless]),
        chat_member(9, T0, nameless, {"status": "left"}, {"status": "member"}),
        {
            "update_id": 10,
            "callback_query": {"id": "4382", "from": ALICE, "chat_instance": "-7", "data": "ok"},
        },
        {
            "update_id": 11,
            "message_reaction": {
                "chat": GROUP,
                "message_id": 1,
                "user": ALICE,
                "date": epoch(T0),
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            },
        },
        {"update_id": 12, "guest_message": {"message_id": 1, "text": "from the future"}},
        {"update_id": 13},
        message(14, 4, T0, pinned_message={"message_id": 1, "chat": GROUP, "date": epoch(T0)}),
        message(15, 5, T0, new_chat_title="Renamed"),
        {
            "update_id": 16,
            "my_chat_member": {
                "chat": GROUP,
                "from": ALICE,
                "date": epoch(T0),
                "old_chat_member": {"status": "left", "user": HELPER_BOT},
                "new_chat_member": {"status": "member", "user": HELPER_BOT},
            },
        },
        message(17, 6, T0),
        edit(18, 6, T0, later),
        message(19, 7, T0, chat=CHANNEL, sender=None, update_type="channel_post"),
        message(
            20, 7, T0, chat=CHANNEL, sender=None, update_type="edited_channel_post", edited=later
        ),
        message(21, 8, T0, new_chat_members=[BOB]),
        message(22, 9, T0, sender=BOB, left_chat_member=BOB),
        chat_member(23, T0, BOB, {"status": "left"}, {"status": "member"}),
        message(
            24,
            10,
            T0,
            update_type="business_message",
            chat={"id": 555, "type": "private", "first_name": "Carol"},
        ),
        {"update_id": 25, "message": "oops"},
    ]
    expected = spark.createDataFrame(
        [
            (None, None, "quarantined", "not_json", None, True),
            (None, None, "quarantined", "not_object", None, True),
            (None, None, "quarantined", "not_object", None, True),
            (None, None, "quarantined", "update_id_not_integer", None, True),
            (None, None, "quarantined", "missing_update_id", None, True),
            (6, "message", "quarantined", "message_missing_fields", None, True),
            (7, "edited_message", "quarantined", "message_missing_fields", None, True),
            (8, "message", "quarantined", "member_missing_fields", None, True),
            (9, "chat_member", "quarantined", "member_missing_fields", None, True),
            (10, "callback_query", "ignored", "callback_query", None, False),
            (11, "message_reaction", "reaction", None, "reactions", False),
            (12, "guest_message", "ignored", "guest_message", None, False),
            (13, "empty", "ignored", "empty", None, False),
            (14, "message", "ignored", "service:pinned_message", None, False),
            (15, "message", "ignored", "service:new_chat_title", None, False),
            (16, "my_chat_member", "ignored", "my_chat_member", None, False),
            (17, "message", "message", None, "messages", False),
            (18, "edited_message", "edit", None, "messages", False),
            (19, "channel_post", "message", None, "messages", False),
            (20, "edited_channel_post", "edit", None, "messages", False),
            (21, "message", "member", None, "member_events", False),
            (22, "message", "member", None, "member_events", False),
            (23, "chat_member", "member", None, "member_events", False),
            (24, "business_message", "message", None, "messages", False),
            (25, "message", "quarantined", "message_missing_fields", None, True),
        ],
        "update_id bigint, update_type string, kind string, detail string, target string, "
        "has_raw boolean",
    ).withColumn("arrival_dt", F.lit(date(2024, 3, 1)))
    actual = flat(spark, *updates).select(
        "update_id",
        "update_type",
        "kind",
        "detail",
        "target",
        F.col("raw").isNotNull().alias("has_raw"),
        "arrival_dt",
    )
    assert_equal(actual, expected)


# --- messages -----------------------------------------------------------------------------

PHOTO_SIZE = {"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 90}
DOCUMENT = {"file_id": "BQAD", "file_unique_id": "AgAD", "file_name": "a.pdf"}
CONTENT_CASES: list[tuple[int, dict[str, Any], str, str | None, int, int]] = [
    (1, {"text": "plain words here"}, "text", "plain words here", 16, 3),
    (2, {"photo": [PHOTO_SIZE, PHOTO_SIZE], "caption": "a photo"}, "photo", "a photo", 7, 2),
    (3, {"video": {"file_id": "v", "width": 1, "height": 1, "duration": 3}}, "video", None, 0, 0),
    (
        4,
        {"animation": {"file_id": "g", "duration": 1}, "document": DOCUMENT},
        "animation",
        None,
        0,
        0,
    ),
    (5, {"audio": {"file_id": "a", "duration": 200}}, "audio", None, 0, 0),
    (6, {"voice": {"file_id": "o", "duration": 2}, "caption": "listen"}, "voice", "listen", 6, 1),
    (7, {"video_note": {"file_id": "n", "length": 240, "duration": 5}}, "video_note", None, 0, 0),
    (
        8,
        {"document": DOCUMENT, "caption": "report.pdf attached"},
        "document",
        "report.pdf attached",
        19,
        2,
    ),
    (9, {"sticker": {"file_id": "s", "type": "regular", "emoji": "😀"}}, "sticker", None, 0, 0),
    (10, {"location": {"latitude": 52.52, "longitude": 13.4}}, "location", None, 0, 0),
    (
        11,
        {
            "venue": {
                "location": {"latitude": 52.52, "longitude": 13.4},
                "title": "Cafe",
                "address": "Main St 1",
            },
            "location": {"latitude": 52.52, "longitude": 13.4},
        },
        "venue",
        None,
        0,
        0,
    ),
    (12, {"contact": {"phone_number": "+100", "first_name": "Carol"}}, "contact", None, 0, 0),
    (13, {"poll": {"id": "p", "question": "Lunch?", "options": []}}, "poll", None, 0, 0),
    (14, {"dice": {"emoji": "🎲", "value": 4}}, "dice", None, 0, 0),
    (15, {"story": {"chat": CHANNEL, "id": 7}}, "story", None, 0, 0),
    (16, {"game": {"title": "Game", "description": "d", "photo": []}}, "game", None, 0, 0),
]


TEXT_CASES: dict[int, tuple[str, int, int]] = {
    # message_id: (text, characters, words)
    21: ("  hello   world  ", 17, 2),
    22: ("a\u00a0b", 3, 2),  # a no-break space separates words too
    23: ("👍🏽 ok", 5, 2),  # emoji + skin tone modifier: two code points
    24: ("line1\nline2\ttab", 15, 3),
    25: ("   ", 3, 0),
}


def test_content_type_text_length_and_words_of_every_content_type(spark: SparkSession) -> None:
    updates = [message(100 + mid, mid, T0, **fields) for mid, fields, *_ in CONTENT_CASES]
    updates += [message(200 + mid, mid, T0, text=text) for mid, (text, *_) in TEXT_CASES.items()]
    expected = spark.createDataFrame(
        [(mid, kind, text, length, words) for mid, _, kind, text, length, words in CONTENT_CASES]
        + [(mid, "text", text, length, words) for mid, (text, length, words) in TEXT_CASES.items()],
        "message_id bigint, content_type string, text string, text_length int, word_count int",
    )
    actual = (
        flat(spark, *updates)
        .transform(message_versions)
        .select("message_id", "content_type", "text", "text_length", "word_count")
    )
    assert_equal(actual, expected)


def test_reply_to_a_forum_topic_root_is_not_a_reply(spark: SparkSession) -> None:
    # Bot API: in a forum, a message that replies to nothing still carries
    # reply_to_message = the topic's forum_topic_created message (id = message_thread_id).
    forum = {**GROUP, "is_forum": True}
    topic_root = {
        "message_id": 40,
        "message_thread_id": 40,
        "chat": forum,
        "date": epoch(T0),
        "forum_topic_created": {"name": "Spark", "icon_color": 7322096},
        "is_topic_message": True,
    }
    in_topic = message(
        401,
        41,
        T0,
        chat=forum,
        message_thread_id=40,
        is_topic_message=True,
        reply_to_message=topic_root,
        text="first words in the topic",
    )
    answer = message(
        402,
        42,
        T0,
        chat=forum,
        message_thread_id=40,
        is_topic_message=True,
        reply_to_message={
            "message_id": 41,
            "message_thread_id": 40,
            "chat": forum,
            "date": epoch(T0),
            "is_topic_message": True,
        },
        text="an explicit reply inside the topic",
    )
    # Outside forums a reply starts a thread named after its root: a real reply.
    thread_reply = message(
        403,
        43,
        T0,
        message_thread_id=5,
        reply_to_message={"message_id": 5, "chat": GROUP, "date": epoch(T0)},
        text="a reply in a plain supergroup",
    )
    plain = message(404, 44, T0, text="no reply at all")
    expected = spark.createDataFrame(
        [(41, None), (42, 41), (43, 5), (44, None)],
        "message_id bigint, reply_to_message_id bigint",
    )
    actual = (
        flat(spark, in_topic, answer, thread_reply, plain)
        .transform(message_versions)
        .select("message_id", "reply_to_message_id")
    )
    assert_equal(actual, expected)


def _cells(columns: Sequence[Column], values: dict[str, Any]) -> tuple[Any, ...]:
    """A row of `columns` from the values a test states; unstated columns are null."""
    names = [name for name, _ in columns]
    unknown = set(values) - set(names)
    assert not unknown, f"not a column: {sorted(unknown)}"
    return tuple(values.get(name) for name in names)


def test_message_versions_flatten_every_column(spark: SparkSession) -> None:
    forwarded = message(
        301,
        11,
        T0,
        message_thread_id=77,
        reply_to_message={"message_id": 5, "from": BOB, "chat": GROUP, "date": epoch(T0)},
        forward_origin={"type": "user", "date": epoch(T0), "sender_user": BOB},
        media_group_id="13579",
        text="fwd",
    )
    channel_post = message(
        302,
        12,
        "2024-03-01 23:59:59",
        chat=CHANNEL,
        sender=None,
        update_type="channel_post",
        sender_chat=CHANNEL,
        forward_from_chat={"id": -1002, "title": "Elsewhere", "type": "channel"},
        forward_date=epoch(T0),
        caption="news",
        photo=[PHOTO_SIZE],
    )
    edited_by_bob = edit(
        303, 13, "2024-03-02 00:00:00", "2024-03-05 08:00:00", sender=BOB, text="fixed typo"
    )
    anonymous = message(
        304,
        14,
        T0,
        sender=ANONYMOUS_ADMIN,
        sender_chat=GROUP,
        forward_sender_name="Someone",
        forward_date=epoch(T0),
        text="hidden",
    )
    group = {"chat_id": GROUP["id"], "chat_type": "supergroup", "chat_title": "Lake Friends"}
    alice = {
        "user_id": 111111, "user_is_bot": False, "user_first_name": "Alice",
        "user_last_name": "Liddell", "user_username": "alice", "user_language_code": "en",
    }  # fmt: skip
    plain = {"is_automatic_forward": False, "source": "webhook", "is_edit": False,
             "is_counted_edit": False}  # fmt: skip
    expected = spark.createDataFrame(
        [
            _cells(VERSION_COLUMNS, {
                **group, **alice, **plain, "message_id": 11, "sent_at": utc(T0),
                "message_thread_id": 77, "update_id": 301, "sender_type": "user",
                "content_type": "text", "text": "fwd", "text_length": 3, "word_count": 1,
                "reply_to_message_id": 5, "reply_to_user_id": BOB["id"], "is_forwarded": True,
                "forward_origin_type": "user", "forward_from_user_id": BOB["id"],
                "is_channel_post": False,
                "media_group_id": "13579", "dt": date(2024, 3, 1),
            }),
            _cells(VERSION_COLUMNS, {
                **plain, "chat_id": CHANNEL["id"], "message_id": 12,
                "sent_at": utc("2024-03-01 23:59:59"), "update_id": 302, "chat_type": "channel",
                "chat_title": "Lake News", "sender_chat_id": CHANNEL["id"],
                "sender_type": "channel", "content_type": "photo", "text": "news",
                "text_length": 4, "word_count": 1, "is_forwarded": True,
                "forward_origin_type": "channel", "is_channel_post": True,
                "dt": date(2024, 3, 1),
            }),
            _cells(VERSION_COLUMNS, {
                **group, **plain, "message_id": 13, "sent_at": utc("2024-03-02 00:00:00"),
                "update_id": 303, "edited_at": utc("2024-03-05 08:00:00"), "user_id": 222222,
                "user_is_bot": False, "user_first_name": "Bob", "sender_type": "user",
                "content_type": "text", "text": "fixed typo", "text_length": 10,
                "word_count": 2,
                "is_forwarded": False, "is_channel_post": False, "is_edit": True,
                "is_counted_edit": True, "dt": date(2024, 3, 2),
            }),
            _cells(VERSION_COLUMNS, {
                **group, **plain, "message_id": 14, "sent_at": utc(T0), "update_id": 304,
                "user_id": 1087968824, "user_is_bot": True, "user_first_name": "Group",
                "user_username": "GroupAnonymousBot", "sender_chat_id": GROUP["id"],
                "sender_type": "anonymous_admin", "content_type": "text", "text": "hidden",
                "text_length": 6, "word_count": 1, "is_forwarded": True,
                "forward_origin_type": "hidden_user", "is_channel_post": False,
                "dt": date(2024, 3, 1),
            }),
        ],
        VERSION_SCHEMA,
    )  # fmt: skip
    actual = flat(spark, forwarded, channel_post, edited_by_bob, anonymous).transform(
        message_versions
    )
    assert_equal(actual, expected)


# --- member events ------------------------------------------------------------------------


def test_member_event_rows_for_every_source_and_transition(spark: SparkSession) -> None:
    at = "2024-03-01 09:00:00"
    updates = [
        message(30, 40, at, new_chat_members=[BOB, HELPER_BOT]),
        message(31, 41, at, sender=BOB, left_chat_member=BOB),
        chat_member(32, at, BOB, {"status": "left"}, {"status": "member"}),
        chat_member(33, at, BOB, {"status": "member"}, {"status": "kicked", "until_date": 0}),
        chat_member(
            34, at, BOB, {"status": "member"}, {"status": "administrator", "can_be_edited": False}
        ),
        chat_member(
            35,
            at,
            CAROL,
            {"status": "restricted", "is_member": False, "until_date": 0},
            {"status": "restricted", "is_member": True, "until_date": 0},
        ),
        chat_member(
            36,
            at,
            CAROL,
            {"status": "restricted", "is_member": True, "until_date": 0},
            {"status": "left"},
        ),
        chat_member(37, at, CAROL, {"status": "kicked", "until_date": 0}, {"status": "left"}),
        chat_member(
            38,
            "2024-03-02 00:00:00",
            CAROL,
            {"status": "left"},
            {"status": "creator", "is_anonymous": False},
        ),
        message(39, 42, at),  # not a member event
    ]

    def row(
        user: dict[str, Any],
        event: str,
        source: str,
        update_id: int,
        statuses: tuple[str | None, str | None] = (None, None),
        *,
        first: bool = True,
        when: str = at,
        actor: int = ALICE["id"],
    ) -> tuple[Any, ...]:
        from_chat_member = source == "chat_member"
        return _cells(MEMBER_ROW_COLUMNS, {
            "chat_id": GROUP["id"], "user_id": user["id"], "event": event,
            "occurred_at": utc(when), "source": source, "update_id": update_id,
            "user_is_bot": user["is_bot"], "user_first_name": user["first_name"],
            "user_username": user.get("username"), "old_status": statuses[0],
            "new_status": statuses[1], "actor_user_id": actor,
            "via_join_request": False if from_chat_member else None,
            "via_chat_folder_invite_link": False if from_chat_member else None,
            "dt": date.fromisoformat(when[:10]), "is_first_of_update": first,
        })  # fmt: skip

    expected = spark.createDataFrame(
        [
            row(BOB, "join", "new_chat_members", 30),
            row(HELPER_BOT, "join", "new_chat_members", 30, first=False),
            row(BOB, "leave", "left_chat_member", 31, actor=BOB["id"]),
            row(BOB, "join", "chat_member", 32, ("left", "member")),
            row(BOB, "leave", "chat_member", 33, ("member", "kicked")),
            row(BOB, "other", "chat_member", 34, ("member", "administrator")),
            row(CAROL, "join", "chat_member", 35, ("restricted", "restricted")),
            row(CAROL, "leave", "chat_member", 36, ("restricted", "left")),
            row(CAROL, "other", "chat_member", 37, ("kicked", "left")),
            row(CAROL, "join", "chat_member", 38, ("left", "creator"), when="2024-03-02 00:00:00"),
        ],
        ddl_schema(*MEMBER_ROW_COLUMNS),
    )
    assert_equal(flat(spark, *updates).transform(member_event_rows), expected)


# --- merge with existing partitions ---------------------------------------------------------

DAY = date(2024, 3, 1)
ALICE_IN_GROUP = {
    "chat_id": GROUP["id"], "chat_type": "supergroup", "chat_title": "Lake Friends",
    "user_id": 111111, "user_is_bot": False, "user_first_name": "Alice",
    "user_last_name": "Liddell", "user_username": "alice", "user_language_code": "en",
    "sender_type": "user", "is_automatic_forward": False, "content_type": "text",
    "is_forwarded": False, "is_channel_post": False, "source": "webhook", "sent_at": utc(T0),
    "dt": DAY,
}  # fmt: skip


def _version(
    message_id: int, update_id: int, text: str, *, edited: str | None = None
) -> tuple[Any, ...]:
    """A message version of ALICE in GROUP sent at T0 (edited -> an edit version)."""
    return _cells(VERSION_COLUMNS, {
        **ALICE_IN_GROUP, "message_id": message_id, "update_id": update_id,
        "edited_at": utc(edited) if edited else None, "text": text,
        "text_length": len(text), "word_count": len(text.split()),
        "is_edit": edited is not None, "is_counted_edit": edited is not None,
    })  # fmt: skip


def _row(
    message_id: int,
    update_id: int,
    text: str,
    *,
    edited: str | None,
    edit_ids: list[int],
    edit_dates: list[str] | None = None,
    original: int | None,
    sender: int | None = None,
    counts: tuple[int, int, int, int] | None = None,
) -> tuple[Any, ...]:
    """A messages row (plus the merge's count columns when `counts` is given).

    `edit_dates` defaults to the kept version's edit date alone (one edit), or none;
    `sender` (the update the sender columns come from) to the kept update.
    """
    dates = edit_dates if edit_dates is not None else ([edited] if edited else [])
    row = _cells(MESSAGES_ROW_COLUMNS, {
        **ALICE_IN_GROUP, "message_id": message_id, "update_id": update_id,
        "edited_at": utc(edited) if edited else None, "edit_count": len(dates),
        "text": text, "text_length": len(text), "word_count": len(text.split()),
        "edit_update_ids": edit_ids, "edit_dates": sorted(epoch(when) for when in dates),
        "original_update_id": original,
        "sender_update_id": sender if sender is not None else update_id,
    })  # fmt: skip
    return row + counts if counts is not None else row


def _frame(spark: SparkSession, rows: Iterable[tuple[Any, ...]], schema: str) -> DataFrame:
    return spark.createDataFrame(list(rows), schema)


def test_merge_messages_folds_edits_duplicates_and_existing_rows(spark: SparkSession) -> None:
    existing = _frame(
        spark,
        [
            _row(3, 120, "old", edited=None, edit_ids=[], original=120),
            _row(4, 131, "e1", edited="2024-03-01 10:20:00", edit_ids=[131], original=130),
            _row(5, 140, "untouched", edited=None, edit_ids=[], original=140),
            _row(7, 161, "edit first", edited="2024-03-01 10:50:00", edit_ids=[161], original=None),
        ],
        MESSAGES_SCHEMA,
    )
    incoming = _frame(
        spark,
        [
            # 1: an edit whose original never arrives
            _version(1, 101, "edited only", edited="2024-03-01 10:30:00"),
            # 2: original + two edits (the later edit_date wins over the higher update_id)
            _version(2, 110, "v0"),
            _version(2, 112, "v1", edited="2024-03-01 10:05:00"),
            _version(2, 111, "v2", edited="2024-03-01 10:10:00"),
            _version(2, 112, "v1", edited="2024-03-01 10:05:00"),  # duplicate delivery
            # 3: a late edit of a row only the curated zone has
            _version(3, 125, "late edit", edited="2024-03-02 08:00:00"),
            # 4: a re-run of updates already folded in
            _version(4, 130, "v0"),
            _version(4, 131, "e1", edited="2024-03-01 10:20:00"),
            # 6: two edits with the same edit_date (Telegram repeating one edit): counted
            # once; the higher update_id wins
            _version(6, 150, "tie-a", edited="2024-03-01 10:40:00"),
            _version(6, 151, "tie-b", edited="2024-03-01 10:40:00"),
            # 7: the original arriving after its edit
            _version(7, 160, "orig"),
        ],
        VERSION_SCHEMA,
    )
    expected = _frame(
        spark,
        [
            _row(1, 101, "edited only", edited="2024-03-01 10:30:00", edit_ids=[101],
                 original=None, counts=(0, 1, 0, 1)),
            _row(2, 111, "v2", edited="2024-03-01 10:10:00", edit_ids=[111, 112],
                 edit_dates=["2024-03-01 10:05:00", "2024-03-01 10:10:00"],
                 original=110, sender=112, counts=(1, 2, 0, 4)),
            _row(3, 125, "late edit", edited="2024-03-02 08:00:00", edit_ids=[125],
                 original=120, counts=(0, 1, 0, 1)),
            _row(4, 131, "e1", edited="2024-03-01 10:20:00", edit_ids=[131],
                 original=130, counts=(0, 0, 2, 2)),
            _row(5, 140, "untouched", edited=None, edit_ids=[], original=140,
                 counts=(0, 0, 0, 0)),
            _row(6, 151, "tie-b", edited="2024-03-01 10:40:00", edit_ids=[150, 151],
                 original=None, counts=(0, 2, 0, 2)),
            _row(7, 161, "edit first", edited="2024-03-01 10:50:00", edit_ids=[161],
                 original=160, counts=(1, 0, 0, 1)),
        ],
        MERGED_MESSAGES_SCHEMA,
    )  # fmt: skip
    assert_equal(merge_messages(existing, incoming), expected)


def test_merge_messages_is_idempotent_on_its_own_output(spark: SparkSession) -> None:
    incoming = _frame(
        spark,
        [_version(1, 1, "a"), _version(1, 2, "b", edited="2024-03-01 11:00:00")],
        VERSION_SCHEMA,
    )
    once = merge_messages(_frame(spark, [], MESSAGES_SCHEMA), incoming).drop(
        "new_originals", "new_edits", "refolded_updates", "incoming_lines"
    )
    twice = merge_messages(once, incoming)
    expected = _frame(
        spark,
        [
            _row(1, 2, "b", edited="2024-03-01 11:00:00", edit_ids=[2], original=1,
                 counts=(0, 0, 2, 2)),
        ],
        MERGED_MESSAGES_SCHEMA,
    )  # fmt: skip
    assert_equal(twice, expected)


def test_merge_member_events_deduplicates_and_counts_updates(spark: SparkSession) -> None:
    at = utc("2024-03-01 09:00:00")

    def event(
        update_id: int, user_id: int, name: str, source: str = "new_chat_members"
    ) -> tuple[Any, ...]:
        return _cells(MEMBER_EVENTS_ROW_COLUMNS, {
            "chat_id": GROUP["id"], "user_id": user_id, "event": "join", "occurred_at": at,
            "source": source, "update_id": update_id, "user_is_bot": False,
            "user_first_name": name, "actor_user_id": user_id, "dt": DAY,
        })  # fmt: skip

    existing = _frame(spark, [event(50, 1, "One")], MEMBER_EVENTS_SCHEMA)
    incoming = _frame(
        spark,
        [
            (*event(50, 1, "One"), True),  # already folded by a previous run
            (*event(51, 2, "Two"), True),
            (*event(51, 3, "Three"), False),
            (*event(51, 2, "Two"), True),  # duplicate delivery of update 51
            (*event(52, 2, "Two", "chat_member"), True),
        ],
        MEMBER_EVENTS_SCHEMA + ", is_first_of_update boolean",
    )
    expected = _frame(
        spark,
        [
            (*event(50, 1, "One"), 0, 1),
            (*event(51, 2, "Two"), 1, 0),
            (*event(51, 3, "Three"), 0, 0),
            (*event(52, 2, "Two", "chat_member"), 1, 0),
        ],
        MEMBER_EVENTS_SCHEMA + ", new_updates int, refolded_updates int",
    )
    assert_equal(merge_keyed(MEMBER_EVENTS_SPEC, existing, incoming), expected)


# --- counts and quarantine ------------------------------------------------------------------


def test_outcome_counts_lines_and_distinct_updates(spark: SparkSession) -> None:
    updates = flat(
        spark,
        message(1, 1, T0),
        message(1, 1, T0),  # duplicate
        edit(2, 1, T0, "2024-03-03 00:00:00"),
        message(3, 2, "2024-03-02 12:00:00"),
        {"update_id": 4, "callback_query": {"id": "1", "from": ALICE, "chat_instance": "1"}},
        {"update_id": 4, "callback_query": {"id": "1", "from": ALICE, "chat_instance": "1"}},
        "garbage",
        "",
    )
    expected = spark.createDataFrame(
        [
            # per partition a line touches
            ("partition", "message", None, "messages", date(2024, 3, 1), 2, None),
            ("partition", "edit", None, "messages", date(2024, 3, 1), 1, None),
            ("partition", "message", None, "messages", date(2024, 3, 2), 1, None),
            ("partition", "ignored", "callback_query", None, None, 2, None),
            ("partition", "quarantined", "not_json", None, None, 2, None),
            # per outcome, over the run: lines and distinct update_ids
            ("outcome", "message", None, None, None, 3, 2),
            ("outcome", "edit", None, None, None, 1, 1),
            ("outcome", "ignored", "callback_query", None, None, 2, 1),
            ("outcome", "quarantined", "not_json", None, None, 2, 0),
        ],
        "level string, kind string, detail string, target string, dt date, lines bigint, "
        "updates bigint",
    )
    # SOURCE is a `.jsonl` batch: no `*.json` file was read, so no arrival-day row.
    assert_equal(updates.transform(outcome_counts), expected)


def test_quarantine_records_keep_source_reason_and_raw_text(spark: SparkSession) -> None:
    updates = flat(spark, "{broken", message(1, 1, T0), json.dumps({"update_id": 2.5}))
    expected = spark.createDataFrame(
        [
            (SOURCE, "not_json", "{broken", "run-1", None, date(2024, 3, 1)),
            (
                SOURCE,
                "update_id_not_integer",
                '{"update_id": 2.5}',
                "run-1",
                None,
                date(2024, 3, 1),
            ),
        ],
        "source_file string, reason string, raw string, run_id string, error string, dt date",
    )
    assert_equal(updates.transform(quarantine_records, "run-1"), expected)
