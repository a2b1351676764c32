"""Counting chats the way Telegram means them: senders, service messages, ids, edits, migrations.

chispa tests of the transforms on updates shaped exactly as Telegram sends them: built with
python-telegram-bot's objects (`to_json()`) or written by hand from the Bot API docs.
Expectations are written by hand. Reads and writes nothing outside Spark's memory and
pytest's tmp dirs.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from chispa import assert_df_equality
from glue_builders import ALICE, BOB, GROUP, Update, epoch, lake, message, run_job, utc, write_raw
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812
from telegram import (
    Chat,
    Message,
    MessageOriginChannel,
    User,
)
from telegram import Update as PtbUpdate

from glue_jobs.chat_migrations import merge_migrations, migration_rows
from glue_jobs.messages import merge_messages, message_versions
from glue_jobs.updates import classify_updates, flatten_updates, parse_updates, with_update_type
from tests.contract import (
    CHAT_MIGRATIONS_COLUMNS,
    MESSAGES_BOOKKEEPING_COLUMNS,
    MESSAGES_COLUMNS,
    PARTITION_COLUMN,
    ddl_schema,
)

pytestmark = pytest.mark.spark

SOURCE = "file:/lake/raw/dt=2024-03-01/batch.jsonl"
T0 = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)

PTB_GROUP = Chat(id=-1001234567890, type="supergroup", title="Lake Friends")
PTB_CHANNEL = Chat(id=-1001111111111, type="channel", title="Lake News")
PTB_ALICE = User(id=111111, is_bot=False, first_name="Alice", username="alice")
PTB_HELPER_BOT = User(id=999999, is_bot=True, first_name="Helper", username="helper_bot")
# Telegram's own accounts, as the Bot API documents them.
TELEGRAM = User(id=777000, is_bot=False, first_name="Telegram")
GROUP_ANONYMOUS_BOT = User(
    id=1087968824, is_bot=True, first_name="Group", username="GroupAnonymousBot"
)
CHANNEL_BOT = User(id=136817688, is_bot=True, first_name="Channel", username="Channel_Bot")


def ptb(update_id: int, kind: str, body: Message) -> Update:
    """A python-telegram-bot Update as the JSON Telegram sends."""
    document: Update = json.loads(PtbUpdate(update_id, **{kind: body}).to_json())
    return document


def flat(spark: SparkSession, *items: Update | str) -> DataFrame:
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


# --- sender_type: one update per rule, in the contract's order -----------------------------


def test_sender_type_follows_the_ordered_rules(spark: SparkSession) -> None:
    def post(message_id: int, chat: Chat, **fields: Any) -> Message:
        return Message(message_id=message_id, date=T0, chat=chat, text=f"m{message_id}", **fields)

    origin = MessageOriginChannel(date=T0, chat=PTB_CHANNEL, message_id=3)
    updates = [
        # a channel post (no from, sender_chat = the channel)
        ptb(1, "channel_post", post(1, PTB_CHANNEL, sender_chat=PTB_CHANNEL)),
        # the linked channel's post copied into its discussion group
        ptb(
            2,
            "message",
            post(
                2,
                PTB_GROUP,
                from_user=TELEGRAM,
                sender_chat=PTB_CHANNEL,
                is_automatic_forward=True,
                forward_origin=origin,
            ),
        ),
        # an anonymous group admin: sender_chat is the group itself
        ptb(3, "message", post(3, PTB_GROUP, from_user=GROUP_ANONYMOUS_BOT, sender_chat=PTB_GROUP)),
        # a member posting as the channel
        ptb(4, "message", post(4, PTB_GROUP, from_user=CHANNEL_BOT, sender_chat=PTB_CHANNEL)),
        # Telegram's service account without an automatic forward
        ptb(5, "message", post(5, PTB_GROUP, from_user=TELEGRAM)),
        ptb(6, "message", post(6, PTB_GROUP, from_user=PTB_HELPER_BOT)),
        ptb(7, "message", post(7, PTB_GROUP, from_user=PTB_ALICE)),
        # neither from nor sender_chat
        ptb(8, "message", post(8, PTB_GROUP)),
        # the edit of a channel post is still the channel's
        ptb(9, "edited_channel_post", post(1, PTB_CHANNEL, sender_chat=PTB_CHANNEL, edit_date=T0)),
    ]
    expected = spark.createDataFrame(
        [
            (1, 1, "channel", None, False),
            (2, 2, "auto_forward", 777000, True),
            (3, 3, "anonymous_admin", 1087968824, False),
            (4, 4, "channel", 136817688, False),
            (5, 5, "system", 777000, False),
            (6, 6, "bot", 999999, False),
            (7, 7, "user", 111111, False),
            (8, 8, "unknown", None, False),
            (9, 1, "channel", None, False),
        ],
        "update_id bigint, message_id bigint, sender_type string, user_id bigint, "
        "is_automatic_forward boolean",
    )
    actual = flat(spark, *updates).select(
        "update_id", "message_id", "sender_type", "user_id", "is_automatic_forward"
    )
    assert_equal(actual, expected)


# --- service messages by an allow-list of content ------------------------------------------


def test_service_messages_are_named_by_their_first_field_outside_the_envelope(
    spark: SparkSession,
) -> None:
    at = "2024-03-01 10:00:00"
    updates = [
        # Bot API 9.x / 10.0 service messages the job has no list of
        message(1, 1, at, chat_owner_left={"new_owner": ALICE}),
        message(2, 2, at, chat_owner_changed={"new_owner": BOB}),
        message(3, 3, at, poll_option_added={"option": {"text": "Pizza", "voter_count": 0}}),
        message(4, 4, at, poll_option_deleted={"option": {"text": "Sushi", "voter_count": 1}}),
        message(5, 5, at, gift_upgrade_sent={"gift": {"id": "g1"}}),
        message(6, 6, at, suggested_post_approved={"send_date": epoch(at)}),
        message(7, 7, at, managed_bot_created={"bot": {"id": 5, "is_bot": True}}),
        # a kind Telegram adds tomorrow
        message(8, 8, at, hologram_call_started={"duration": 0}),
        # service flags Telegram sends only as `true`; a false one is no field at all
        message(9, 9, at, delete_chat_photo=False, group_chat_created=True),
        # nothing outside the envelope
        message(10, 10, at, reply_markup={"inline_keyboard": []}),
        # still content: the new content fields, and a live photo (with its photo)
        message(11, 11, at, game={"title": "Chess", "description": "d", "photo": []}),
        message(12, 12, at, paid_media={"star_count": 5, "paid_media": []}),
        message(13, 13, at, checklist={"title": "Trip", "tasks": []}),
        message(14, 14, at, giveaway={"chats": [], "winners_selection_date": 1, "winner_count": 1}),
        message(15, 15, at, giveaway_winners={"chat": GROUP, "winner_count": 1, "winners": []}),
        message(16, 16, at, invoice={"title": "T", "currency": "EUR", "total_amount": 100}),
        message(17, 17, at, live_photo={"photo": []}, photo=[{"file_id": "p"}]),
        message(18, 18, at, live_photo={"photo": []}),
        message(19, 19, at, caption="a caption on its own"),
    ]
    expected = spark.createDataFrame(
        [
            (1, "ignored", "service:chat_owner_left", None),
            (2, "ignored", "service:chat_owner_changed", None),
            (3, "ignored", "service:poll_option_added", None),
            (4, "ignored", "service:poll_option_deleted", None),
            (5, "ignored", "service:gift_upgrade_sent", None),
            (6, "ignored", "service:suggested_post_approved", None),
            (7, "ignored", "service:managed_bot_created", None),
            (8, "ignored", "service:hologram_call_started", None),
            (9, "ignored", "service:group_chat_created", None),
            (10, "ignored", "service:unknown", None),
            (11, "message", None, "game"),
            (12, "message", None, "paid_media"),
            (13, "message", None, "checklist"),
            (14, "message", None, "giveaway"),
            (15, "message", None, "giveaway_winners"),
            (16, "message", None, "invoice"),
            (17, "message", None, "photo"),
            (18, "message", None, "photo"),
            (19, "message", None, "other"),
        ],
        "update_id bigint, kind string, detail string, content_type string",
    )
    actual = flat(spark, *updates).select(
        "update_id",
        "kind",
        "detail",
        F.when(F.col("kind") == "message", F.col("content_type")).alias("content_type"),
    )
    assert_equal(actual, expected)


def test_messages_without_a_usable_id_are_never_keyed(spark: SparkSession) -> None:
    ephemeral = message(1, 0, "2024-03-01 10:00:00", text="gone soon")
    missing = message(2, 1, "2024-03-01 10:00:00", text="no id")
    del missing["message"]["message_id"]
    negative = message(3, -4, "2024-03-01 10:00:00", text="negative")
    zero_edit = message(4, 0, "2024-03-01 10:00:00", text="edit", update_type="edited_message")
    no_sender_chat_id = message(5, 5, "2024-03-01 10:00:00", sender_chat={"title": "?"})
    rows = flat(spark, ephemeral, missing, negative, zero_edit, no_sender_chat_id).select(
        "update_id", "kind", "detail", "target"
    )
    expected = spark.createDataFrame(
        [
            (1, "ignored", "message_without_id", None),
            (2, "ignored", "message_without_id", None),
            (3, "ignored", "message_without_id", None),
            (4, "ignored", "message_without_id", None),
            (5, "quarantined", "sender_chat_missing_id", None),
        ],
        "update_id bigint, kind string, detail string, target string",
    )
    assert_equal(rows, expected)


# --- replies, edits and live locations ------------------------------------------------------


def test_reply_to_user_id_is_who_wrote_the_replied_to_message(spark: SparkSession) -> None:
    at = "2024-03-01 10:00:00"
    forum = {**GROUP, "is_forum": True}
    root = {"message_id": 40, "message_thread_id": 40, "chat": forum, "date": epoch(at),
            "from": BOB, "forum_topic_created": {"name": "T", "icon_color": 1}}  # fmt: skip
    updates = [
        message(
            1,
            1,
            at,
            reply_to_message={
                "message_id": 9,
                "from": BOB,
                "chat": GROUP,
                "date": epoch(at),
                "text": "q",
            },
        ),
        message(
            2,
            2,
            at,
            reply_to_message={
                "message_id": 8,
                "from": ALICE,
                "chat": GROUP,
                "date": epoch(at),
                "text": "me",
            },
        ),
        # a reply to a channel's post: no from
        message(
            3,
            3,
            at,
            reply_to_message={
                "message_id": 7,
                "sender_chat": GROUP,
                "chat": GROUP,
                "date": epoch(at),
            },
        ),
        # topic membership, not a reply
        message(
            4,
            41,
            at,
            chat=forum,
            message_thread_id=40,
            is_topic_message=True,
            reply_to_message=root,
        ),
        message(5, 5, at),
    ]
    expected = spark.createDataFrame(
        [(1, 9, BOB["id"]), (2, 8, ALICE["id"]), (3, 7, None), (4, None, None), (5, None, None)],
        "update_id bigint, reply_to_message_id bigint, reply_to_user_id bigint",
    )
    actual = flat(spark, *updates).select("update_id", "reply_to_message_id", "reply_to_user_id")
    assert_equal(actual, expected)


def _fold(spark: SparkSession, *updates: Update) -> DataFrame:
    """Fold updates into an empty `messages` table."""
    existing = spark.createDataFrame(
        [], ddl_schema(*MESSAGES_COLUMNS, *MESSAGES_BOOKKEEPING_COLUMNS, PARTITION_COLUMN)
    )
    return merge_messages(existing, flat(spark, *updates).transform(message_versions))


def test_edit_count_counts_distinct_edit_dates_and_not_live_location_moves(
    spark: SparkSession,
) -> None:
    sent, first, second = "2024-03-01 10:00:00", "2024-03-01 10:05:00", "2024-03-01 10:09:00"
    live = {"latitude": 52.52, "longitude": 13.40, "live_period": 900}
    updates = [
        message(1, 1, sent, text="hello"),
        # Telegram sometimes notifies the same edit twice: two updates, one edit_date
        message(2, 1, sent, text="hello!", update_type="edited_message", edited=first),
        message(3, 1, sent, text="hello!", update_type="edited_message", edited=first),
        message(4, 1, sent, text="hello!!", update_type="edited_message", edited=second),
        message(4, 1, sent, text="hello!!", update_type="edited_message", edited=second),
        # a live location and two moves
        message(10, 2, sent, location=live),
        message(
            11,
            2,
            sent,
            location={**live, "latitude": 52.53},
            update_type="edited_message",
            edited=first,
        ),
        message(
            12,
            2,
            sent,
            location={**live, "latitude": 52.54},
            update_type="edited_message",
            edited=second,
        ),
    ]
    actual = _fold(spark, *updates).select(
        "message_id", "update_id", "edit_count", "edited_at", "edit_update_ids", "text"
    )
    expected = spark.createDataFrame(
        [
            (1, 4, 2, utc(second), [2, 3, 4], "hello!!"),
            # the kept version is the latest position; no edit is counted
            (2, 12, 0, utc(second), [11, 12], None),
        ],
        "message_id bigint, update_id bigint, edit_count int, edited_at timestamp, "
        "edit_update_ids array<bigint>, text string",
    )
    assert_equal(actual, expected)


# --- chat migrations ------------------------------------------------------------------------

BASIC_GROUP = {"id": -4001, "title": "Trilhas", "type": "group"}
SUPERGROUP = {"id": -1004001, "title": "Trilhas", "type": "supergroup"}
MIGRATION_SCHEMA = ddl_schema(*CHAT_MIGRATIONS_COLUMNS, PARTITION_COLUMN)


def _migration_reports(at: str, later: str | None = None) -> tuple[Update, Update]:
    """The two service messages of one upgrade, as Telegram sends them."""
    to = message(20, 90, at, chat=BASIC_GROUP, migrate_to_chat_id=SUPERGROUP["id"])
    from_ = message(21, 1, later or at, chat=SUPERGROUP, migrate_from_chat_id=BASIC_GROUP["id"])
    return to, from_


def test_both_reports_of_a_migration_are_one_row(spark: SparkSession) -> None:
    to, from_ = _migration_reports("2024-03-01 12:00:00")
    late = message(22, 1, "2024-03-01 12:00:05", chat=SUPERGROUP, migrate_from_chat_id=-4001)
    unknown = message(23, 91, "2024-03-02 08:00:00", chat=BASIC_GROUP, migrate_to_chat_id=-1009)
    updates = flat(spark, to, from_, late, to, unknown)
    outcomes = updates.select("update_id", "kind", "detail", "target")
    assert_equal(
        outcomes,
        spark.createDataFrame(
            [
                (20, "ignored", "service:migrate_to_chat_id", "chat_migrations"),
                (21, "ignored", "service:migrate_from_chat_id", "chat_migrations"),
                (22, "ignored", "service:migrate_from_chat_id", "chat_migrations"),
                (20, "ignored", "service:migrate_to_chat_id", "chat_migrations"),
                (23, "ignored", "service:migrate_to_chat_id", "chat_migrations"),
            ],
            "update_id bigint, kind string, detail string, target string",
        ),
    )
    empty = spark.createDataFrame([], MIGRATION_SCHEMA)
    once = merge_migrations(empty, updates.transform(migration_rows))
    expected = spark.createDataFrame(
        [
            (-4001, -1004001, utc("2024-03-01 12:00:00"), 20, date(2024, 3, 1)),
            # a migration to a chat the lake never saw is kept
            (-4001, -1009, utc("2024-03-02 08:00:00"), 23, date(2024, 3, 2)),
        ],
        MIGRATION_SCHEMA,
    )
    assert_equal(once, expected)
    # idempotent: folding the same reports into the result changes nothing
    assert_equal(merge_migrations(once, updates.transform(migration_rows)), expected)


def _chat_rows(spark: SparkSession, root: Path, table: str) -> list[tuple[Any, ...]]:
    frame = spark.read.parquet(str(root / "curated" / table)).drop("edit_update_ids")
    return sorted(tuple(row) for row in frame.collect())


def test_a_migration_across_two_days_gives_the_same_lake_in_either_order(
    spark: SparkSession, tmp_path: Path
) -> None:
    """I3: the reports and the chats' messages arrive on two days, folded in both orders;
    the two reports straddle midnight UTC and are still one row."""
    to, from_ = _migration_reports("2024-03-01 23:59:58", "2024-03-02 00:00:01")
    day_one = [
        message(10, 88, "2024-03-01 20:00:00", chat=BASIC_GROUP, text="before"),
        to,
    ]
    day_two = [
        from_,
        message(11, 2, "2024-03-02 00:10:00", chat=SUPERGROUP, text="after"),
        # a late edit of the basic group's message
        message(
            12,
            88,
            "2024-03-01 20:00:00",
            chat=BASIC_GROUP,
            text="before!",
            update_type="edited_message",
            edited="2024-03-02 00:20:00",
        ),
    ]
    results = {}
    for name, days in {"forward": ("2024-03-01", "2024-03-02"),
                       "backward": ("2024-03-02", "2024-03-01")}.items():  # fmt: skip
        root = tmp_path / name
        write_raw(root / "raw", "2024-03-01", day_one)
        write_raw(root / "raw", "2024-03-02", day_two)
        for day in days:
            run_job(spark, lake(root), start_date=day)
        results[name] = {
            table: _chat_rows(spark, root, table) for table in ("messages", "chat_migrations")
        }
    assert results["forward"] == results["backward"]
    assert results["forward"]["chat_migrations"] == [
        (-4001, -1004001, datetime(2024, 3, 1, 23, 59, 58), 20, date(2024, 3, 1))
    ]
    texts = {row[1]: row for row in results["forward"]["messages"]}
    assert sorted(texts) == [2, 88]


# --- property: unknown service kinds never become human messages ----------------------------

# Field names no Bot API version has used: a kind Telegram might add later.
FIELD_NAMES = st.from_regex(r"[a-z][a-z_]{2,20}", fullmatch=True).map(lambda name: f"future_{name}")
PAYLOADS = st.one_of(
    st.just(True),
    st.integers(min_value=1, max_value=10**6),
    st.dictionaries(st.sampled_from(["id", "title", "count"]), st.integers(1, 9), max_size=3),
)

BASELINE: list[Update] = [
    message(1, 1, "2024-03-01 10:00:00", text="one"),
    message(2, 2, "2024-03-01 10:01:00", sender=BOB, photo=[{"file_id": "p"}]),
    message(
        3,
        1,
        "2024-03-01 10:00:00",
        text="one!",
        update_type="edited_message",
        edited="2024-03-01 10:02:00",
    ),
]


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(services=st.lists(st.tuples(FIELD_NAMES, PAYLOADS), min_size=1, max_size=4))
def test_unknown_service_kinds_never_change_human_counts(
    spark: SparkSession, services: list[tuple[str, Any]]
) -> None:
    noise = [
        message(100 + n, 100 + n, "2024-03-01 11:00:00", **{field: payload})
        for n, (field, payload) in enumerate(services)
    ]
    rows = flat(spark, *BASELINE, *noise)
    kinds = sorted(
        (row["update_id"], row["kind"], row["detail"])
        for row in rows.select("update_id", "kind", "detail").collect()
    )
    assert kinds == sorted(
        [(1, "message", None), (2, "message", None), (3, "edit", None)]
        + [(100 + n, "ignored", f"service:{field}") for n, (field, _) in enumerate(services)]
    )
