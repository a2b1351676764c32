"""`python -m athena_views`: query (table / csv / limit), views, ddl, errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from views_lakes import message, write_lake

from athena_views.__main__ import format_table, main

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def small_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lake(
        tmp_path_factory.mktemp("cli") / "curated",
        [
            message(1, 1, 1, "2024-01-01 01:30", 7, first_name="Eva", text="olá", text_length=3),
            message(1, 2, 2, "2024-01-01 12:00", 8, first_name="Rui", text="oi", text_length=2),
        ],
        None,
    )


def test_query_prints_an_aligned_table(
    small_lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "query",
            "select chat_id, day, messages, avg_text_length from daily_activity order by day",
            "--curated-uri",
            str(small_lake),
            "--timezone",
            "America/Sao_Paulo",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == (
        "chat_id | day        | messages | avg_text_length\n"
        "--------+------------+----------+----------------\n"
        "      1 | 2023-12-31 |        1 |             3.0\n"
        "      1 | 2024-01-01 |        1 |             2.0\n"
        "(2 rows)\n"
    )


def test_query_csv_and_limit(small_lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "query",
            "select user_id, display_name, first_message_at from user_activity order by user_id",
            "--curated-uri",
            small_lake.as_uri(),
            "--format",
            "csv",
            "--limit",
            "1",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == (
        "user_id,display_name,first_message_at\n7,Eva,2024-01-01 01:30:00\n"
    )


def test_query_error_goes_to_stderr(small_lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "select nope from daily_activity", "--curated-uri", str(small_lake)])
    assert code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nope" in captured.err


def test_invalid_timezone_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "select 1", "--timezone", "UTC'; drop view x; --"])
    assert code == 1
    assert "not an IANA timezone" in capsys.readouterr().err


def test_views_lists_every_view_with_its_grain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["views", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "view,layer,grain"
    by_name = {line.split(",")[0]: line for line in lines[1:]}
    assert len(by_name) == 28  # 11 staging views, 17 marts
    assert by_name["daily_activity"].startswith(
        'daily_activity,marts,"one row per chat per local day (chat_id, day)'
    )


def test_ddl_prints_tables_then_views(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["ddl", "--location-uri", "s3://b/curated", "--projection-start", "2024-01-01"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("create external table if not exists messages (")
    assert "location 's3://b/curated/member_events/'" in out
    assert out.index("create external table if not exists member_events") < out.index(
        "create or replace view stg_messages as"
    )
    assert out.rstrip().endswith(";")


def test_format_table_edge_cases() -> None:
    assert format_table(["a", "b"], []) == "a | b\n--+--\n(0 rows)"
    table = format_table(
        ["n", "name", "at", "ok"],
        [(1, None, datetime(2024, 1, 1, 9, 5), True), (None, "x", date(2024, 1, 2), False)],
    )
    assert table == (
        "n | name | at                  | ok\n"
        "--+------+---------------------+------\n"
        "1 |      | 2024-01-01 09:05:00 | true\n"
        "  | x    | 2024-01-02          | false\n"
        "(2 rows)"
    )


def test_module_entry_point_runs(small_lake: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "athena_views", "query", "select count(*) as n from messages",
         "--curated-uri", str(small_lake), "--format", "csv"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "n\n2\n"


def test_format_table_counts_wide_characters_as_two_columns() -> None:
    assert format_table(["title", "n"], [("Café 🍻", 1), ("Dados", 22)]) == (
        "title   | n\n--------+---\nCafé 🍻 |  1\nDados   | 22\n(2 rows)"
    )
