"""Property tests of the job's invariants (docs/contracts.md) over generated raw histories.

I1 conservation, I2 idempotence, I3 order independence of arrival days, I4 rebuild equals
incremental, I5 raw is read-only, for every curated table. Each example runs the real job
five times (a rebuild, the three arrival days one by one in a drawn order, a rerun of the
whole window) over a raw tree written in a tmp dir, and compares every row of every table,
value for value (read with pyarrow), and every quarantine record. The histories are built
to hit the hard cases: edits before or without their original, ties on edit_date,
redeliveries across days and inside batch files (plain and gzip), member events, a
person's reactions set, changed and removed, join requests, both reports of a chat
migration, service messages, messages without a usable id, ignored types, broken lines.
Besides comparing the runs with each other, the rows' keys are checked against what the
history holds, worked out here with plain Python.

Examples are derandomized (the same ones at every run): a few in `make test`, many more in
`make chaos` (the `slow_chaos` test below). Reads and writes only pytest's tmp dirs.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from glue_builders import (
    ALICE,
    BOB,
    GROUP,
    HEART,
    OTHER_GROUP,
    THUMBS,
    Lake,
    Rows,
    Update,
    chat_member,
    curated_rows,
    edit,
    join_request,
    message,
    migration_pair,
    quarantine_records,
    reaction,
    run_job,
    tree_digest,
    write_raw,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyspark.sql import SparkSession

pytestmark = pytest.mark.spark

DAYS = ("2024-03-01", "2024-03-02", "2024-03-03")
EDIT_TIMES = ("2024-03-02 20:00:00", "2024-03-03 20:00:00", "2024-03-03 21:00:00")
#: A person's reactions on one message, one state after another (consecutive ones differ).
REACTION_STATES: tuple[list[dict[str, str]], ...] = ([], [THUMBS], [HEART], [THUMBS, HEART])
COUNT_KEYS = (
    "new_rows",
    "duplicates",
    "edits_merged",
    "member_event_updates",
    "reaction_updates",
    "join_request_updates",
    "quarantined",
    "forgotten",
)
FOLDED_KEYS = (
    "new_rows",
    "edits_merged",
    "member_event_updates",
    "reaction_updates",
    "join_request_updates",
)

# An example runs the job five times: 20-30 s on an idle 2-core machine, a minute or two
# on a busy one. `make test` runs RICH_HISTORY and FAST_EXAMPLES generated histories;
# `make chaos` runs MANY_EXAMPLES other ones too.
FAST_EXAMPLES = 3
MANY_EXAMPLES = 40
SETTINGS = settings(
    max_examples=FAST_EXAMPLES,
    derandomize=True,  # the same examples at every run: a failure is reproducible
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# {arrival day: (single-update files, NDJSON lines, whether the batch file is gzipped)}
RawHistory = dict[str, tuple[list[Update | str], list[Update | str], bool]]


def _at(draw: st.DrawFn, time: str) -> str:
    return f"{DAYS[draw(st.integers(0, len(DAYS) - 1))]} {time}"


def _message_updates(draw: st.DrawFn, ids: itertools.count[int]) -> list[Update]:
    """A few messages: each with or without its original, and up to two edits (at least
    one when there is no original)."""
    updates: list[Update] = []
    for message_id in range(1, draw(st.integers(1, 4)) + 1):
        chat = draw(st.sampled_from([GROUP, OTHER_GROUP]))
        sent = f"{DAYS[draw(st.integers(0, 1))]} 1{message_id}:00:00"
        has_original = draw(st.booleans())
        if has_original:
            updates.append(message(next(ids), message_id, sent, chat=chat, text="orig"))
        for number in range(draw(st.integers(0 if has_original else 1, 2))):
            edited = draw(st.sampled_from(EDIT_TIMES))  # equal edit dates happen
            updates.append(
                edit(next(ids), message_id, sent, edited, chat=chat, text=f"edit {number}")
            )
    return updates


def _reaction_updates(draw: st.DrawFn, ids: itertools.count[int]) -> list[Update]:
    """A person's reactions on message 1, set, changed and (sometimes) all removed."""
    updates: list[Update] = []
    for user in draw(st.lists(st.sampled_from([ALICE, BOB]), max_size=2, unique_by=str)):
        states = draw(st.lists(st.sampled_from(REACTION_STATES), min_size=1, max_size=3))
        if draw(st.booleans()):
            states.append([])  # everything removed
        old: list[dict[str, str]] = []
        for step, new in enumerate(states):
            if new == old:
                continue  # Telegram reports changes only
            at = _at(draw, f"09:0{step}:00")
            updates.append(reaction(next(ids), 1, at, old, new, user=user))
            old = new
    return updates


def _other_updates(draw: st.DrawFn, ids: itertools.count[int]) -> list[Update | str]:
    updates: list[Update | str] = []
    for _ in range(draw(st.integers(0, 2))):
        old, new = draw(st.permutations([{"status": "left"}, {"status": "member"}]))
        updates.append(chat_member(next(ids), _at(draw, "08:00:00"), BOB, old, new))
    if draw(st.booleans()):
        updates.append(message(next(ids), 90, f"{DAYS[0]} 07:00:00", new_chat_members=[BOB]))
    for user in draw(st.lists(st.sampled_from([ALICE, BOB]), max_size=2)):
        link = draw(st.sampled_from([None, "Site form"]))
        updates.append(join_request(next(ids), _at(draw, "06:00:00"), user, link_name=link))
    if draw(st.booleans()):
        updates.extend(migration_pair(next(ids), _at(draw, "12:00:00")))
        next(ids)  # the pair took two ids
    if draw(st.booleans()):
        updates.append(message(next(ids), 91, _at(draw, "07:30:00"), new_chat_title="Lake"))
    if draw(st.booleans()):
        updates.append(message(next(ids), 0, _at(draw, "07:40:00"), text="no usable id"))
    if draw(st.booleans()):
        updates.append({"update_id": next(ids), "poll": {"id": "1", "question": "?"}})
    if draw(st.booleans()):
        updates.append('{"update_id": ')
    return updates


@st.composite
def raw_histories(draw: st.DrawFn) -> RawHistory:
    """Updates of every kind the job handles, each delivered on one or two arrival days."""
    ids = itertools.count(1)
    updates: list[Update | str] = [
        *_message_updates(draw, ids),
        *_reaction_updates(draw, ids),
        *_other_updates(draw, ids),
    ]
    history: RawHistory = {day: ([], [], draw(st.booleans())) for day in DAYS}
    for update in updates:
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=2))
        for copy, day in enumerate(days):
            files, lines, _ = history[day]
            # A second copy on the same day cannot reuse the file key: it goes in a batch file.
            in_batch = draw(st.booleans()) or isinstance(update, str) or (copy and days[0] == day)
            (lines if in_batch else files).append(update)
    return history


def _rich_history() -> RawHistory:
    """Every hard case at once, delivered by hand: `make test`'s first example."""
    d1, d2, d3 = DAYS
    left, member = {"status": "left"}, {"status": "member"}
    original = message(1, 1, f"{d1} 11:00:00", text="orig")
    early_edit = edit(2, 2, f"{d1} 12:00:00", f"{d2} 20:00:00", text="before its original")
    late_original = message(3, 2, f"{d1} 12:00:00", text="orig")
    tie_a = edit(4, 1, f"{d1} 11:00:00", f"{d3} 20:00:00", text="tie a")
    tie_b = edit(5, 1, f"{d1} 11:00:00", f"{d3} 20:00:00", text="tie b")  # same edit_date
    orphan = edit(6, 3, f"{d2} 13:00:00", f"{d3} 21:00:00", chat=OTHER_GROUP, text="alone")
    thumbs = reaction(7, 1, f"{d1} 09:00:00", [], [THUMBS])
    both = reaction(8, 1, f"{d2} 09:01:00", [THUMBS], [THUMBS, HEART])  # one kept
    removed = reaction(9, 1, f"{d3} 09:02:00", [THUMBS, HEART], [])
    bobs = reaction(10, 1, f"{d2} 09:03:00", [], [HEART], user=BOB)
    request = join_request(11, f"{d1} 06:00:00", BOB, link_name="Site form")
    direct = join_request(12, f"{d2} 06:00:00", ALICE)
    to, from_ = migration_pair(13, f"{d1} 12:00:00")  # update ids 13 and 14
    joined = chat_member(15, f"{d2} 08:00:00", BOB, left, member)
    gone = chat_member(16, f"{d3} 08:00:00", BOB, member, left)
    added = message(17, 90, f"{d1} 07:00:00", new_chat_members=[BOB])
    title = message(18, 91, f"{d2} 07:30:00", new_chat_title="Lake")
    no_id = message(19, 0, f"{d1} 07:40:00", text="no usable id")
    poll = {"update_id": 20, "poll": {"id": "1", "question": "?"}}
    broken = '{"update_id": '
    return {
        d1: (
            [original, early_edit, thumbs, request, to, added, no_id],
            [original, broken, poll],  # a redelivery within the day
            False,
        ),
        d2: (
            [both, bobs, direct, joined, title, orphan, original],
            [from_, tie_a, request, broken],
            True,
        ),
        d3: ([late_original, tie_b, removed, gone], [tie_a, thumbs], False),
    }


RICH_HISTORY = _rich_history()


def write_history(raw: Path, history: RawHistory) -> list[Update | str]:
    """Write the raw tree; return every raw line it holds."""
    every: list[Update | str] = []
    for day, (files, lines, gzipped) in history.items():
        batch = "batch.jsonl.gz" if gzipped else "batch.jsonl"
        write_raw(raw, day, files, ndjson={batch: lines} if lines else None)
        every += files + lines
    return every


def expected_keys(lines: list[Update | str]) -> dict[str, set[tuple[Any, ...]]]:
    """The keys each table must hold, from the raw lines alone (the contract's rules)."""
    keys: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for update in lines:
        if isinstance(update, str):
            continue
        body = update.get("message") or update.get("edited_message")
        if body is not None:
            if "new_chat_members" in body:
                keys["member_events"] |= {
                    (update["update_id"], member["id"], "new_chat_members")
                    for member in body["new_chat_members"]
                }
            elif "migrate_to_chat_id" in body:
                keys["chat_migrations"].add((body["chat"]["id"], body["migrate_to_chat_id"]))
            elif "migrate_from_chat_id" in body:
                keys["chat_migrations"].add((body["migrate_from_chat_id"], body["chat"]["id"]))
            elif "text" in body and body["message_id"] > 0:
                keys["messages"].add((body["chat"]["id"], body["message_id"]))
        elif "chat_member" in update:
            user = update["chat_member"]["new_chat_member"]["user"]["id"]
            keys["member_events"].add((update["update_id"], user, "chat_member"))
        elif "message_reaction" in update:
            body = update["message_reaction"]
            old = {kind["emoji"] for kind in body["old_reaction"]}
            new = {kind["emoji"] for kind in body["new_reaction"]}
            keys["reactions"] |= {
                (update["update_id"], emoji, emoji in old, emoji in new) for emoji in old | new
            } or {(update["update_id"], None, None, None)}
        elif "chat_join_request" in update:
            keys["join_requests"].add((update["update_id"],))
    return keys


KEY_COLUMNS = {
    "messages": ("chat_id", "message_id"),
    "member_events": ("update_id", "user_id", "source"),
    "chat_migrations": ("from_chat_id", "to_chat_id"),
    "reactions": ("update_id", "reaction", "was_set", "is_set"),
    "join_requests": ("update_id",),
}


def keys_of(tables: dict[str, Rows]) -> dict[str, list[tuple[Any, ...]]]:
    """The key of every row of every non-empty table (a key twice is a duplicated row)."""
    return {
        table: sorted(
            (tuple(dict(row)[name] for name in KEY_COLUMNS[table]) for row in rows), key=repr
        )
        for table, rows in tables.items()
        if rows
    }


def assert_conserved(summary: dict[str, Any]) -> None:
    """I1: every line read is exactly one outcome."""
    counts = summary["counts"]
    outcomes = sum(counts[key] for key in COUNT_KEYS) + sum(counts["ignored"].values())
    assert counts["lines_read"] == outcomes, counts


def check_invariants(
    spark: SparkSession, root: Path, history: RawHistory, order: list[int]
) -> None:
    raw = root / "raw"
    lines = write_history(raw, history)
    raw_digest = tree_digest(raw)

    def lake(name: str) -> Lake:
        return {
            "raw_uri": str(raw),
            "curated_uri": str(root / name / "curated"),
            "quarantine_uri": str(root / name / "quarantine"),
        }

    rebuild = run_job(spark, lake("rebuild"), start_date=DAYS[0], end_date=DAYS[-1])
    assert rebuild["counts"]["lines_read"] == len(lines)
    assert_conserved(rebuild)
    expected = curated_rows(root / "rebuild" / "curated")
    # one row per key the history holds, and no other
    assert keys_of(expected) == {
        table: sorted(keys, key=repr) for table, keys in expected_keys(lines).items()
    }

    lines_read = 0
    for index in order:  # I3: arrival days processed in any order
        summary = run_job(spark, lake("incremental"), start_date=DAYS[index])
        assert_conserved(summary)
        lines_read += summary["counts"]["lines_read"]
    assert lines_read == len(lines)

    assert curated_rows(root / "incremental" / "curated") == expected  # I3 + I4
    rebuilt_quarantine = quarantine_records(root / "rebuild" / "quarantine")
    assert quarantine_records(root / "incremental" / "quarantine") == rebuilt_quarantine

    again = run_job(spark, lake("incremental"), start_date=DAYS[0], end_date=DAYS[-1])
    assert_conserved(again)
    assert {key: again["counts"][key] for key in FOLDED_KEYS} == dict.fromkeys(FOLDED_KEYS, 0)
    assert curated_rows(root / "incremental" / "curated") == expected  # I2
    assert quarantine_records(root / "incremental" / "quarantine") == rebuilt_quarantine

    assert tree_digest(raw) == raw_digest  # I5


@SETTINGS
@given(history=raw_histories(), order=st.permutations(range(len(DAYS))))
@example(history=RICH_HISTORY, order=[2, 0, 1])
def test_any_arrival_order_and_reruns_give_the_rows_of_one_rebuild(
    spark: SparkSession,
    tmp_path_factory: pytest.TempPathFactory,
    history: RawHistory,
    order: list[int],
) -> None:
    check_invariants(spark, tmp_path_factory.mktemp("invariants"), history, order)


@pytest.mark.chaos
@pytest.mark.slow_chaos
@pytest.mark.timeout(3600)
@settings(SETTINGS, max_examples=MANY_EXAMPLES)
@given(history=raw_histories(), order=st.permutations(range(len(DAYS))))
def test_many_histories_keep_every_invariant(
    spark: SparkSession,
    tmp_path_factory: pytest.TempPathFactory,
    history: RawHistory,
    order: list[int],
) -> None:
    check_invariants(spark, tmp_path_factory.mktemp("invariants"), history, order)
