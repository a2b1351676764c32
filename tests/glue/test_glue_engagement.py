"""Engagement in the Glue job: reactions, who brought members in, join requests.

chispa tests on updates written by hand from the Bot API docs (`MessageReactionUpdated`,
`MessageReactionCountUpdated`, `ReactionType*`, `ChatMemberUpdated`, `ChatInviteLink`,
`ChatJoinRequest`), with hand-written expectations. Reads and writes nothing outside
Spark's memory.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

import pytest
from chispa import assert_df_equality
from glue_builders import ALICE, BOB, CHANNEL, GROUP, Update, chat_member, epoch, message, utc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812

from glue_jobs.join_requests import join_request_rows
from glue_jobs.keyed import merge_keyed
from glue_jobs.member_events import member_event_rows
from glue_jobs.reactions import reaction_rows
from glue_jobs.updates import classify_updates, flatten_updates, parse_updates, with_update_type
from lake.tables import REACTIONS as REACTIONS_SPEC
from tests.contract import JOIN_REQUESTS_COLUMNS, PARTITION_COLUMN, REACTIONS_COLUMNS, ddl_schema

pytestmark = pytest.mark.spark

SOURCE = "file:/lake/raw/dt=2024-03-01/batch.jsonl"
DAY = date(2024, 3, 1)
THUMBS = {"type": "emoji", "emoji": "👍"}
HEART = {"type": "emoji", "emoji": "❤"}
DUCK = {"type": "custom_emoji", "custom_emoji_id": "5368324170671202286"}
PAID = {"type": "paid"}
REACTION_ROWS = (*REACTIONS_COLUMNS, PARTITION_COLUMN)
REACTIONS_SCHEMA = ddl_schema(*REACTION_ROWS)


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


def reacted(
    update_id: int,
    at: str,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    *,
    user: dict[str, Any] | None = ALICE,
    actor_chat: dict[str, Any] | None = None,
    message_id: int = 10,
) -> Update:
    """A `message_reaction` Update."""
    body: dict[str, Any] = {"chat": GROUP, "message_id": message_id}
    if user is not None:
        body["user"] = user
    if actor_chat is not None:
        body["actor_chat"] = actor_chat
    body.update({"date": epoch(at), "old_reaction": old, "new_reaction": new})
    return {"update_id": update_id, "message_reaction": body}


def counted(update_id: int, at: str, totals: list[tuple[dict[str, Any], int]]) -> Update:
    """A `message_reaction_count` Update on a channel post."""
    return {
        "update_id": update_id,
        "message_reaction_count": {
            "chat": CHANNEL,
            "message_id": 7,
            "date": epoch(at),
            "reactions": [{"type": kind, "total_count": n} for kind, n in totals],
        },
    }


def _row(update_id: int, at: str, **values: Any) -> tuple[Any, ...]:
    cells = {
        "chat_id": GROUP["id"], "message_id": 10, "update_id": update_id,
        "reacted_at": utc(at), "update_type": "message_reaction", "actor_user_id": ALICE["id"],
        "dt": DAY, **values,
    }  # fmt: skip
    return tuple(cells.get(name) for name, _ in REACTION_ROWS)


def test_reaction_rows_name_every_reaction_set_or_removed(spark: SparkSession) -> None:
    updates = [
        reacted(1, "2024-03-01 10:00:00", [], [THUMBS]),
        reacted(2, "2024-03-01 10:01:00", [THUMBS], [HEART, DUCK]),  # a change
        reacted(3, "2024-03-01 10:02:00", [HEART, DUCK], []),  # everything removed
        reacted(4, "2024-03-01 10:03:00", [], [PAID], user=BOB),
        reacted(5, "2024-03-01 10:04:00", [], [THUMBS], user=None, actor_chat=GROUP),
        counted(6, "2024-03-01 10:05:00", [(THUMBS, 12), (PAID, 3)]),
        counted(7, "2024-03-01 10:06:00", []),  # no totals left
    ]
    channel = {"chat_id": CHANNEL["id"], "message_id": 7, "actor_user_id": None,
               "update_type": "message_reaction_count"}  # fmt: skip
    expected = spark.createDataFrame(
        [
            _row(1, "2024-03-01 10:00:00", reaction_type="emoji", reaction="👍",
                 was_set=False, is_set=True),
            _row(2, "2024-03-01 10:01:00", reaction_type="emoji", reaction="👍",
                 was_set=True, is_set=False),
            _row(2, "2024-03-01 10:01:00", reaction_type="emoji", reaction="❤",
                 was_set=False, is_set=True),
            _row(2, "2024-03-01 10:01:00", reaction_type="custom_emoji",
                 reaction="5368324170671202286", was_set=False, is_set=True),
            _row(3, "2024-03-01 10:02:00", reaction_type="emoji", reaction="❤",
                 was_set=True, is_set=False),
            _row(3, "2024-03-01 10:02:00", reaction_type="custom_emoji",
                 reaction="5368324170671202286", was_set=True, is_set=False),
            _row(4, "2024-03-01 10:03:00", actor_user_id=BOB["id"], reaction_type="paid",
                 reaction="paid", was_set=False, is_set=True),
            _row(5, "2024-03-01 10:04:00", actor_user_id=None, actor_chat_id=GROUP["id"],
                 reaction_type="emoji", reaction="👍", was_set=False, is_set=True),
            _row(6, "2024-03-01 10:05:00", **channel, reaction_type="emoji", reaction="👍",
                 total_count=12),
            _row(6, "2024-03-01 10:05:00", **channel, reaction_type="paid", reaction="paid",
                 total_count=3),
            _row(7, "2024-03-01 10:06:00", **channel),
        ],
        REACTIONS_SCHEMA,
    )  # fmt: skip
    rows = flat(spark, *updates).transform(reaction_rows).drop("is_first_of_update")
    assert_equal(rows, expected)


def test_reaction_updates_that_cannot_be_attributed_are_quarantined(spark: SparkSession) -> None:
    nobody = reacted(1, "2024-03-01 10:00:00", [], [THUMBS], user=None)
    no_message = reacted(2, "2024-03-01 10:00:00", [], [THUMBS])
    del no_message["message_reaction"]["message_id"]
    no_chat = counted(3, "2024-03-01 10:00:00", [(THUMBS, 1)])
    del no_chat["message_reaction_count"]["chat"]
    # a reaction on a message the lake never saw is kept (the message may predate the bot)
    unseen = reacted(4, "2024-03-01 10:00:00", [], [THUMBS], message_id=999999)
    actual = flat(spark, nobody, no_message, no_chat, unseen).select(
        "update_id", "kind", "detail", "target"
    )
    expected = spark.createDataFrame(
        [
            (1, "quarantined", "reaction_missing_fields", None),
            (2, "quarantined", "reaction_missing_fields", None),
            (3, "quarantined", "reaction_missing_fields", None),
            (4, "reaction", None, "reactions"),
        ],
        "update_id bigint, kind string, detail string, target string",
    )
    assert_equal(actual, expected)


def _fold(spark: SparkSession, batches: list[list[Update]]) -> list[tuple[Any, ...]]:
    """Fold batches of updates one after the other (one run each); the resulting rows."""
    table = spark.createDataFrame([], REACTIONS_SCHEMA)
    for batch in batches:
        incoming = flat(spark, *batch).transform(reaction_rows)
        table = merge_keyed(REACTIONS_SPEC, table, incoming).drop("new_updates", "refolded_updates")
        table = spark.createDataFrame(table.collect(), REACTIONS_SCHEMA)
    return sorted(
        (tuple(row) for row in table.collect()), key=lambda row: json.dumps(row, default=str)
    )


def test_reaction_fold_deduplicates_and_counts_updates_once(spark: SparkSession) -> None:
    first = reacted(1, "2024-03-01 10:00:00", [], [THUMBS, HEART])
    change = reacted(2, "2024-03-01 10:01:00", [THUMBS, HEART], [HEART])
    existing = spark.createDataFrame([], REACTIONS_SCHEMA)
    incoming = flat(spark, first, change, first, change).transform(reaction_rows)
    merged = merge_keyed(REACTIONS_SPEC, existing, incoming)
    counts = merged.agg(F.sum("new_updates"), F.sum("refolded_updates"), F.count("*")).first()
    assert tuple(counts or ()) == (2, 0, 4)  # two updates; 2 + 2 rows, duplicates folded
    again = merge_keyed(
        REACTIONS_SPEC, merged.drop("new_updates", "refolded_updates"), incoming
    ).agg(F.sum("new_updates"), F.sum("refolded_updates"), F.count("*"))
    assert tuple(again.first() or ()) == (0, 2, 4)


HISTORY: list[Update] = [
    reacted(1, "2024-03-01 10:00:00", [], [THUMBS]),
    reacted(2, "2024-03-01 10:01:00", [THUMBS], [HEART, DUCK]),
    reacted(3, "2024-03-01 10:02:00", [HEART, DUCK], []),
    reacted(4, "2024-03-01 10:03:00", [], [PAID], user=BOB),
    reacted(5, "2024-03-01 10:04:00", [], [THUMBS], user=None, actor_chat=GROUP),
    counted(6, "2024-03-01 10:05:00", [(THUMBS, 12)]),
    counted(7, "2024-03-01 10:06:00", [(THUMBS, 13), (PAID, 1)]),
]


def _current(rows: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], list[str]]:
    """Each actor's current reactions: the `is_set` rows of their latest update."""
    names = [name for name, _ in REACTION_ROWS]
    latest: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    by_update: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        cells = dict(zip(names, row, strict=True))
        by_update.setdefault(cells["update_id"], []).append(cells)
        actor = (cells["message_id"], cells["actor_user_id"], cells["actor_chat_id"])
        stamp = (cells["reacted_at"], cells["update_id"])
        latest[actor] = max(latest.get(actor, stamp), stamp)
    return {
        actor: sorted(str(cells["reaction"]) for cells in by_update[stamp[1]] if cells["is_set"])
        for actor, stamp in latest.items()
    }


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    order=st.permutations(range(len(HISTORY))),
    cuts=st.lists(st.integers(min_value=1, max_value=len(HISTORY) - 1), max_size=2),
    redelivered=st.lists(st.integers(min_value=0, max_value=len(HISTORY) - 1), max_size=2),
)
def test_reaction_updates_in_any_order_give_the_same_current_reactions(
    spark: SparkSession, order: list[int], cuts: list[int], redelivered: list[int]
) -> None:
    arrivals = [HISTORY[i] for i in order] + [HISTORY[i] for i in redelivered]
    bounds = [0, *sorted(set(cuts)), len(arrivals)]
    batches = [arrivals[a:b] for a, b in itertools.pairwise(bounds) if a < b]
    current = _current(_fold(spark, batches))
    assert current == {
        (10, ALICE["id"], None): [],  # thumbs up, changed to heart + duck, then all removed
        (10, BOB["id"], None): ["paid"],
        (10, None, GROUP["id"]): ["👍"],
        (7, None, None): [],  # the channel's anonymous totals carry no is_set rows
    }


# --- who brought members in -------------------------------------------------------------------

NAMED_LINK = {
    "invite_link": "https://t.me/+AbCdEf123",
    "creator": ALICE,
    "creates_join_request": False,
    "is_primary": False,
    "is_revoked": False,
    "name": "Meetup flyer",
}
PRIMARY_LINK = {**NAMED_LINK, "invite_link": "https://t.me/+Primary", "is_primary": True}
del PRIMARY_LINK["name"]


def test_member_events_keep_the_actor_and_the_way_in(spark: SparkSession) -> None:
    at = "2024-03-01 09:00:00"
    left, member = {"status": "left"}, {"status": "member"}

    def joined(update_id: int, actor: dict[str, Any], **fields: Any) -> Update:
        update = chat_member(update_id, at, BOB, left, member, actor=actor)
        update["chat_member"].update(fields)
        return update

    updates = [
        joined(1, BOB, invite_link=NAMED_LINK),
        joined(2, BOB, invite_link=PRIMARY_LINK),
        joined(3, ALICE, via_join_request=True),
        joined(4, BOB, via_chat_folder_invite_link=True),
        joined(5, ALICE),  # added by Alice
        message(6, 60, at, new_chat_members=[BOB]),  # the service message of that add
    ]
    actual = (
        flat(spark, *updates)
        .transform(member_event_rows)
        .select(
            "update_id",
            "source",
            "actor_user_id",
            "invite_link",
            "via_join_request",
            "via_chat_folder_invite_link",
        )
    )
    expected = spark.createDataFrame(
        [
            (1, "chat_member", BOB["id"], "Meetup flyer", False, False),
            (2, "chat_member", BOB["id"], "https://t.me/+Primary", False, False),
            (3, "chat_member", ALICE["id"], None, True, False),
            (4, "chat_member", BOB["id"], None, False, True),
            (5, "chat_member", ALICE["id"], None, False, False),
            (6, "new_chat_members", ALICE["id"], None, None, None),
        ],
        "update_id bigint, source string, actor_user_id bigint, invite_link string, "
        "via_join_request boolean, via_chat_folder_invite_link boolean",
    )
    assert_equal(actual, expected)


def test_join_requests_are_rows_of_their_own(spark: SparkSession) -> None:
    request = {
        "update_id": 1,
        "chat_join_request": {
            "chat": GROUP,
            "from": BOB,
            "user_chat_id": BOB["id"],
            "date": epoch("2024-03-01 08:00:00"),
            "bio": "hiker",
            "invite_link": {**NAMED_LINK, "creates_join_request": True, "name": "Site form"},
        },
    }
    direct = {
        "update_id": 2,
        "chat_join_request": {
            "chat": GROUP,
            "from": ALICE,
            "user_chat_id": ALICE["id"],
            "date": epoch("2024-03-01 08:30:00"),
        },
    }
    broken = {"update_id": 3, "chat_join_request": {"chat": GROUP, "date": 1}}
    updates = flat(spark, request, direct, broken)
    assert [
        (row["update_id"], row["kind"], row["detail"])
        for row in updates.orderBy("update_id").collect()
    ] == [
        (1, "join_request", None),
        (2, "join_request", None),
        (3, "quarantined", "join_request_missing_fields"),
    ]
    expected = spark.createDataFrame(
        [
            (GROUP["id"], BOB["id"], utc("2024-03-01 08:00:00"), 1, "Site form", DAY, True),
            (GROUP["id"], ALICE["id"], utc("2024-03-01 08:30:00"), 2, None, DAY, True),
        ],
        ddl_schema(*JOIN_REQUESTS_COLUMNS, PARTITION_COLUMN, ("is_first_of_update", "boolean")),
    )
    assert_equal(updates.transform(join_request_rows), expected)
