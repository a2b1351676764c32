"""Edges of the windowed views on small dedicated lakes: top-20 cut, 7/30-day windows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from views_lakes import message, write_lake

from athena_views.local import connect

pytestmark = pytest.mark.integration

D = date.fromisoformat

NATO = (
    "alfa bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november "
    "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee"
)


def test_top_words_keeps_the_20_most_frequent_words_per_week(tmp_path: Path) -> None:
    text = f"Alfa! {NATO}"  # 25 distinct words, "alfa" twice
    curated = write_lake(
        tmp_path / "curated",
        [
            message(
                9, 1, 1, "2024-05-08 12:00", 1, first_name="Eva", text=text, text_length=len(text)
            )
        ],
        None,
    )
    rows = (
        connect(str(curated))
        .execute(
            "select week_start, word, occurrences, word_rank from top_words order by word_rank"
        )
        .fetchall()
    )
    # 2024-05-08 is a Wednesday: its week starts on Monday 2024-05-06.
    expected_words = [
        "alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
        "sierra", "tango",
    ]  # fmt: skip
    assert rows == [
        (D("2024-05-06"), word, 2 if word == "alfa" else 1, rank)
        for rank, word in enumerate(expected_words, start=1)
    ]


def test_dau_wau_mau_window_edges(tmp_path: Path) -> None:
    curated = write_lake(
        tmp_path / "curated",
        [
            message(5, 1, 1, "2024-03-01 12:00", 1, first_name="A", text="x", text_length=1),
            message(5, 2, 2, "2024-03-07 12:00", 2, first_name="B", text="x", text_length=1),
            message(5, 3, 3, "2024-03-31 12:00", 3, first_name="C", text="x", text_length=1),
            # A bot every day would not count.
            message(5, 4, 4, "2024-03-15 12:00", 99, first_name="Bot", is_bot=True),
        ],
        None,
    )
    rows = {
        row[0]: row[1:]
        for row in connect(str(curated))
        .execute("select day, dau, wau, mau from dau_wau_mau where chat_id = 5")
        .fetchall()
    }
    assert len(rows) == 31  # every day of March, with or without messages
    assert rows[D("2024-03-01")] == (1, 1, 1)
    assert rows[D("2024-03-07")] == (1, 2, 2)  # 7-day window Mar 1..7 holds A and B
    assert rows[D("2024-03-08")] == (0, 1, 2)  # Mar 2..8: A dropped out of wau
    assert rows[D("2024-03-13")] == (0, 1, 2)  # Mar 7..13: B still in
    assert rows[D("2024-03-14")] == (0, 0, 2)
    assert rows[D("2024-03-15")] == (0, 0, 2)  # the bot's day
    assert rows[D("2024-03-30")] == (0, 0, 2)  # 30-day window Mar 1..30 holds A and B
    assert rows[D("2024-03-31")] == (1, 1, 2)  # Mar 2..31: A dropped out, C came
