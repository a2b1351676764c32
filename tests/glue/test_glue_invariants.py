"""Property tests of the job's invariants (docs/contracts.md) over generated raw histories.

I1 conservation, I2 idempotence, I3 order independence of arrival days, I4 rebuild equals
incremental, I5 raw is read-only. Each example runs the real job five times over a raw tree
written in a tmp dir, so examples are few; the histories are built to hit the hard cases
(edits before or without their original, ties on edit_date, redeliveries across days and
inside batch files, member events, ignored types, broken lines).
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from glue_builders import (
    BOB,
    GROUP,
    OTHER_GROUP,
    Lake,
    Update,
    chat_member,
    edit,
    message,
    run_job,
    tree_digest,
    write_raw,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyspark.sql import SparkSession

pytestmark = pytest.mark.spark

DAYS = ("2024-03-01", "2024-03-02", "2024-03-03")
EDIT_TIMES = ("2024-03-02 20:00:00", "2024-03-03 20:00:00", "2024-03-03 21:00:00")
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

# {arrival day: (single-update files, NDJSON lines)}
RawHistory = dict[str, tuple[list[Update | str], list[Update | str]]]


@st.composite
def raw_histories(draw: st.DrawFn) -> RawHistory:
    """Updates of a few messages and members, each delivered on one or two arrival days."""
    update_ids = itertools.count(1)
    updates: list[Update | str] = []
    for message_id in range(1, draw(st.integers(1, 4)) + 1):
        chat = draw(st.sampled_from([GROUP, OTHER_GROUP]))
        sent = f"{DAYS[draw(st.integers(0, 1))]} 1{message_id}:00:00"
        if draw(st.booleans()):
            updates.append(message(next(update_ids), message_id, sent, chat=chat, text="orig"))
        for number in range(draw(st.integers(0, 2))):
            edited = draw(st.sampled_from(EDIT_TIMES))  # equal edit dates happen
            updates.append(
                edit(next(update_ids), message_id, sent, edited, chat=chat, text=f"edit {number}")
            )
    for _ in range(draw(st.integers(0, 2))):
        old, new = draw(st.permutations([{"status": "left"}, {"status": "member"}]))
        updates.append(
            chat_member(next(update_ids), f"{draw(st.sampled_from(DAYS))} 08:00:00", BOB, old, new)
        )
    if draw(st.booleans()):
        updates.append(message(next(update_ids), 90, f"{DAYS[0]} 07:00:00", new_chat_members=[BOB]))
    if draw(st.booleans()):
        updates.append({"update_id": next(update_ids), "poll": {"id": "1", "question": "?"}})
    if draw(st.booleans()):
        updates.append('{"update_id": ')

    history: RawHistory = {day: ([], []) for day in DAYS}
    for update in updates:
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=2))
        for copy, day in enumerate(days):
            files, lines = history[day]
            # A second copy on the same day cannot reuse the file key: it goes in a batch file.
            in_batch = draw(st.booleans()) or isinstance(update, str) or (copy and days[0] == day)
            (lines if in_batch else files).append(update)
    return history


def write_history(raw: Path, history: RawHistory) -> int:
    """Write the raw tree; return the number of raw lines it holds."""
    for day, (files, lines) in history.items():
        write_raw(raw, day, files, ndjson={"batch.jsonl": lines} if lines else None)
    return sum(len(files) + len(lines) for files, lines in history.values())


def snapshot(spark: SparkSession, curated: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of both tables, all columns, sorted."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for table in ("messages", "member_events"):
        folder = curated / table
        frame = spark.read.parquet(str(folder)) if folder.exists() else None
        tables[table] = sorted(
            (tuple(row) for row in frame.collect()) if frame is not None else [], key=repr
        )
    return tables


def quarantine(root: Path) -> list[tuple[str, str, str]]:
    return sorted(
        (folder.name, record["reason"], record["raw"])
        for folder in root.glob("dt=*")
        for part in folder.glob("*.json")
        for record in map(json.loads, part.read_text("utf-8").splitlines())
    )


def assert_conserved(summary: dict[str, Any]) -> None:
    """I1: every line read is exactly one outcome."""
    counts = summary["counts"]
    outcomes = sum(counts[key] for key in COUNT_KEYS) + sum(counts["ignored"].values())
    assert counts["lines_read"] == outcomes, counts


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(history=raw_histories(), order=st.permutations(range(len(DAYS))))
def test_any_arrival_order_and_reruns_give_the_rows_of_one_rebuild(
    spark: SparkSession,
    tmp_path_factory: pytest.TempPathFactory,
    history: RawHistory,
    order: list[int],
) -> None:
    root = tmp_path_factory.mktemp("invariants")
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
    assert rebuild["counts"]["lines_read"] == lines
    assert_conserved(rebuild)

    daily: dict[str, int] = defaultdict(int)
    for index in order:  # I3: arrival days processed in any order
        summary = run_job(spark, lake("incremental"), start_date=DAYS[index])
        assert_conserved(summary)
        daily["lines_read"] += summary["counts"]["lines_read"]
    assert daily["lines_read"] == lines

    expected = snapshot(spark, root / "rebuild" / "curated")
    assert snapshot(spark, root / "incremental" / "curated") == expected  # I3 + I4
    assert quarantine(root / "incremental" / "quarantine") == quarantine(
        root / "rebuild" / "quarantine"
    )

    again = run_job(spark, lake("incremental"), start_date=DAYS[0], end_date=DAYS[-1])
    assert_conserved(again)
    assert again["counts"]["new_rows"] == 0
    assert again["counts"]["edits_merged"] == 0
    assert again["counts"]["member_event_updates"] == 0
    assert snapshot(spark, root / "incremental" / "curated") == expected  # I2

    assert tree_digest(raw) == raw_digest  # I5
