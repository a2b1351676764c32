"""The local DuckDB runner: URIs, empty and partial lakes, typing, pruning, transpilation."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from views_lakes import MAIN_MEMBER_EVENTS, Query, member_event, message, write_lake

from athena_views.local import UnsupportedSqlError, connect, local_path, to_duckdb
from athena_views.sql import InvalidTimezoneError
from lake.zones import table_partition_uri

pytestmark = pytest.mark.integration

D = date.fromisoformat

# The views contract, written by hand: each required view's columns, in order (independent of
# the declarations in athena_views/views/**/*.yml, which test_views_columns.py checks).
CONTRACT_COLUMNS = {
    "daily_activity": [
        "chat_id", "chat_title", "chat_type", "day", "messages", "active_users",
        "avg_text_length", "media_messages", "edited_messages", "replies", "bot_messages",
        "channel_posts",
    ],
    "user_activity": [
        "chat_id", "user_id", "display_name", "user_username", "messages", "active_days",
        "first_message_at", "last_message_at", "avg_text_length", "share_of_chat_messages",
    ],
    "user_daily_activity": ["chat_id", "day", "user_id", "display_name", "messages"],
    "hourly_heatmap": ["chat_id", "weekday", "weekday_name", "hour", "messages"],
    "content_type_daily": ["chat_id", "day", "content_type", "messages"],
    "membership_daily": ["chat_id", "day", "joins", "leaves", "net"],
    "top_words": ["chat_id", "week_start", "word", "occurrences", "word_rank"],
    "reply_latency": [
        "chat_id", "day", "replies", "median_latency_seconds", "p90_latency_seconds",
    ],
    "retention_cohorts": [
        "chat_id", "cohort_week", "week_offset", "cohort_users", "active_users", "retention",
    ],
    "dau_wau_mau": ["chat_id", "day", "dau", "wau", "mau"],
    "message_reactions": [
        "chat_id", "message_chat_id", "message_id", "sent_at", "author_user_id", "author_name",
        "content_type", "text_snippet", "user_reactions", "reacting_users",
        "anonymous_reactions", "total_reactions", "top_reaction_type", "top_reaction",
    ],
    "user_reactions": [
        "chat_id", "user_id", "display_name", "reactions_given", "reactions_received",
    ],
    "reactions_daily": [
        "chat_id", "day", "reactions_added", "reactions_removed", "reacting_users",
        "anonymous_change", "top_reaction_type", "top_reaction",
    ],
    "join_sources": ["chat_id", "day", "join_source", "joins"],
    "top_inviters": [
        "chat_id", "inviter_type", "inviter_user_id", "invite_link", "inviter_name", "members",
        "last_joined_at",
    ],
    "reply_pairs": [
        "chat_id", "user_id", "display_name", "replied_to_user_id", "replied_to_display_name",
        "replied_to_is_person", "replies",
    ],
    "join_requests_daily": [
        "chat_id", "day", "requests", "approved", "median_approval_seconds",
    ],
}  # fmt: skip


def columns_and_rows(
    con: duckdb.DuckDBPyConnection, view: str
) -> tuple[list[str], list[tuple[object, ...]]]:
    cursor = con.execute(f"select * from {view}")
    rows = cursor.fetchall()
    return [column[0] for column in cursor.description], rows


@pytest.mark.parametrize("timezone", ["UTC", "America/Sao_Paulo"])
def test_empty_lake_every_view_exists_with_contract_columns(tmp_path: Path, timezone: str) -> None:
    con = connect(str(tmp_path / "no-lake-yet"), timezone)
    for view, expected_columns in CONTRACT_COLUMNS.items():
        assert columns_and_rows(con, view) == (expected_columns, [])
    assert con.execute("select count(*) from messages").fetchall() == [(0,)]
    for table in ("member_events", "chat_migrations", "reactions", "join_requests"):
        assert con.execute(f"select count(*) from {table}").fetchall() == [(0,)], table


def test_empty_table_folders_read_as_empty_tables(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    Path(table_partition_uri(str(curated), "messages", "2024-01-01")).mkdir(parents=True)
    (curated / "member_events").mkdir(parents=True)
    con = connect(str(curated))
    assert con.execute("select count(*) from daily_activity").fetchall() == [(0,)]
    assert con.execute("describe messages").fetchall()[4][:2] == ("sent_at", "TIMESTAMP")


def test_lake_with_only_service_messages(tmp_path: Path) -> None:
    # No messages table at all: a chat where only joins and leaves happened so far.
    curated = write_lake(
        tmp_path / "curated",
        None,
        [
            member_event(7, 70, "join", "2024-02-01 10:00", "new_chat_members", update_id=1),
            member_event(7, 71, "join", "2024-02-01 11:00", "chat_member", update_id=2),
            member_event(7, 70, "leave", "2024-02-02 10:00", "left_chat_member", update_id=3),
        ],
    )
    con = connect(str(curated))
    assert con.execute("select * from membership_daily order by day").fetchall() == [
        (7, D("2024-02-01"), 2, 0, 2),
        (7, D("2024-02-02"), 0, 1, -1),
    ]
    # Both joins were their own doing (the actor is the member).
    assert con.execute("select * from join_sources order by day").fetchall() == [
        (7, D("2024-02-01"), "self", 2)
    ]
    for view in CONTRACT_COLUMNS:
        if view not in ("membership_daily", "join_sources"):
            assert con.execute(f"select count(*) from {view}").fetchall() == [(0,)], view


def test_plain_path_and_file_uri_read_the_same_lake(main_lake: Path) -> None:
    sql = "select chat_id, day, messages from daily_activity order by day, chat_id"
    by_path = connect(str(main_lake)).execute(sql).fetchall()
    by_uri = connect(main_lake.as_uri()).execute(sql).fetchall()
    assert by_path == by_uri
    assert len(by_path) == 5


def test_local_path() -> None:
    assert local_path("file:///data/lake/curated/") == "/data/lake/curated"
    assert local_path("file://localhost/data/my%20lake") == "/data/my lake"
    assert local_path(".lake/curated/") == ".lake/curated"
    assert local_path("s3://bucket/curated") == "s3://bucket/curated"
    with pytest.raises(ValueError, match="remote host"):
        local_path("file://otherhost/data")


def test_int96_and_utc_adjusted_timestamps_both_read_as_utc(query_main: Query) -> None:
    # member_events were written as INT96 (Spark's default), messages as TIMESTAMP_MICROS.
    assert query_main(
        "select occurred_at, dt from member_events where chat_id = 200 and update_id = 1016"
    ) == [(datetime(2024, 1, 3, 2, 0), D("2024-01-03"))]
    assert query_main("select sent_at from messages where chat_id = 100 and message_id = 4") == [
        (datetime(2024, 1, 2, 1, 30),)
    ]


def test_columns_missing_from_the_files_read_as_typed_nulls(tmp_path: Path) -> None:
    row = message(1, 1, 1, "2024-03-01 10:00", 5, first_name="Eva", text="oi", text_length=2)
    del row["media_group_id"], row["message_thread_id"]
    folder = Path(table_partition_uri(str(tmp_path / "curated"), "messages", "2024-03-01"))
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([row]), folder / "part-0.parquet")
    con = connect(str(tmp_path / "curated"))
    assert con.execute(
        "select message_thread_id, media_group_id, typeof(media_group_id) from messages"
    ).fetchall() == [(None, None, "VARCHAR")]
    assert con.execute("select day, messages from daily_activity").fetchall() == [
        (D("2024-03-01"), 1)
    ]


def test_connect_rejects_an_invalid_timezone(tmp_path: Path) -> None:
    with pytest.raises(InvalidTimezoneError):
        connect(str(tmp_path), "UTC'); drop table messages; --")


# --- partition pruning -----------------------------------------------------------------
# The main lake has messages in 4 dt partitions (Jan 1, 2, 8, 15) and member_events in 4
# (Jan 1, 2, 3, 8).


def explain(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    return "\n".join(row[1] for row in con.execute(f"explain {sql}").fetchall())


@pytest.fixture(scope="module")
def main_con(main_lake: Path) -> duckdb.DuckDBPyConnection:
    return connect(str(main_lake), "America/Sao_Paulo")


def test_dt_filter_on_staging_view_prunes_partitions(main_con: duckdb.DuckDBPyConnection) -> None:
    sql = "select message_id, day from stg_messages where dt = date '2024-01-02'"
    plan = explain(main_con, sql)
    assert "Scanning Files: 1/4" in plan, plan
    assert len(main_con.execute(sql).fetchall()) == 5  # m4..m7 and the channel post

    sql = (
        "select count(*) from stg_messages where dt between date '2024-01-08' and date '2024-01-31'"
    )
    assert "Scanning Files: 2/4" in explain(main_con, sql)

    sql = "select user_id, day from stg_member_events where dt >= date '2024-01-03'"
    assert "Scanning Files: 2/4" in explain(main_con, sql)
    assert len(main_con.execute(sql).fetchall()) == 5  # chat 200's three, Jan 8's two


def test_dt_filter_prunes_while_reading_files(main_con: duckdb.DuckDBPyConnection) -> None:
    plan = "\n".join(
        row[1]
        for row in main_con.execute(
            "explain analyze select message_id from stg_messages where dt = date '2024-01-15'"
        ).fetchall()
    )
    assert re.search(r"Total Files Read: 1\b", plan), plan
    assert "dt=2024-01-15" in plan


def test_unfiltered_query_reads_every_partition(main_con: duckdb.DuckDBPyConnection) -> None:
    plan = explain(main_con, "select message_id from stg_messages")
    assert "Scanning Files" not in plan or "Scanning Files: 4/4" in plan


def test_local_day_recipe_bounds_dt_by_one_day_each_side(
    main_con: duckdb.DuckDBPyConnection,
) -> None:
    # Local (Sao Paulo) Monday Jan 1 holds m1..m3 (dt Jan 1) and m4 (dt Jan 2).
    recipe = (
        "select message_id from stg_messages "
        "where dt between date '2023-12-31' and date '2024-01-02' "
        "and day = date '2024-01-01' order by message_id"
    )
    assert "Scanning Files: 2/4" in explain(main_con, recipe)
    assert main_con.execute(recipe).fetchall() == [(1,), (2,), (3,), (4,)]
    # Filtering dt on the local day alone would lose m4.
    wrong = "select count(*) from stg_messages where dt = date '2024-01-01' and day = dt"
    assert main_con.execute(wrong).fetchall() == [(3,)]


# --- transpilation -----------------------------------------------------------------------


def run_duckdb(athena_sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    rows: list[tuple[object, ...]] = con.execute(to_duckdb(athena_sql)).fetchall()
    return rows


@pytest.mark.parametrize(
    ("utc", "zone", "local"),
    [
        ("2024-01-02 01:30:00", "America/Sao_Paulo", datetime(2024, 1, 1, 22, 30)),
        # Daylight saving time: New York is UTC-4 in July, UTC-5 in January.
        ("2024-07-01 12:00:00", "America/New_York", datetime(2024, 7, 1, 8, 0)),
        ("2024-01-01 12:00:00", "America/New_York", datetime(2024, 1, 1, 7, 0)),
        ("2024-01-01 23:30:00", "Asia/Kolkata", datetime(2024, 1, 2, 5, 0)),
        ("2024-01-01 23:30:00", "UTC", datetime(2024, 1, 1, 23, 30)),
    ],
)
def test_with_timezone_at_time_zone_means_the_same_in_duckdb(
    utc: str, zone: str, local: datetime
) -> None:
    sql = (
        f"select cast(with_timezone(timestamp '{utc}', 'UTC') at time zone '{zone}' "
        "as timestamp) as local_time"
    )
    assert run_duckdb(sql) == [(local,)]


def test_at_time_zone_on_a_zoneless_timestamp_is_refused() -> None:
    # Trino reads the timestamp as UTC (session zone), DuckDB as wall time in the zone.
    with pytest.raises(UnsupportedSqlError, match="with_timezone"):
        to_duckdb("select sent_at at time zone 'America/Sao_Paulo' as t from messages")


def test_approx_percentile_runs_exact_locally() -> None:
    sql = (
        "select approx_percentile(x, 0.5) as p50, approx_percentile(x, 0.9) as p90 "
        "from (values (10), (20), (30), (40)) as t (x)"
    )
    assert "quantile_disc" in to_duckdb(sql).lower()
    assert run_duckdb(sql) == [(20, 40)]


def test_max_by_keeps_a_null_found_at_the_maximum() -> None:
    # Like Trino: the user who removed their username has none now.
    sql = (
        "select max_by(username, update_id) as latest "
        "from (values ('old_name', 1), (null, 2)) as t (username, update_id)"
    )
    assert run_duckdb(sql) == [(None,)]


def test_tables_read_the_main_lake_completely(query_main: Query) -> None:
    assert query_main("select count(*) from messages") == [(11,)]
    assert query_main("select count(*) from member_events") == [(len(MAIN_MEMBER_EVENTS),)]


@pytest.mark.parametrize("timezone", ["UTC", "America/Sao_Paulo"])
def test_materialized_staging_gives_the_same_rows(main_lake: Path, timezone: str) -> None:
    as_views = connect(str(main_lake), timezone)
    as_tables = connect(str(main_lake), timezone, materialize_staging=True)
    kinds = dict(
        as_tables.execute("select table_name, table_type from information_schema.tables").fetchall()
    )
    assert kinds["stg_messages"] == "BASE TABLE"
    assert kinds["daily_activity"] == "VIEW"
    for view in CONTRACT_COLUMNS:
        sql = f"select * from {view} order by all"
        assert as_tables.execute(sql).fetchall() == as_views.execute(sql).fetchall(), view


def test_files_with_different_schemas_are_read_by_name(tmp_path: Path) -> None:
    # An older partition written before media_group_id existed, a newer one with it.
    old = message(1, 1, 1, "2024-03-01 10:00", 5, first_name="Eva", text="oi", text_length=2)
    del old["media_group_id"]
    new = message(1, 2, 2, "2024-03-02 10:00", 5, first_name="Eva", text="oi", text_length=2)
    new["media_group_id"] = "album-1"
    for row, day in ((old, "2024-03-01"), (new, "2024-03-02")):
        folder = Path(table_partition_uri(str(tmp_path / "curated"), "messages", day))
        folder.mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist([row]), folder / "part-0.parquet")
    con = connect(str(tmp_path / "curated"))
    assert con.execute(
        "select message_id, media_group_id, dt from messages order by message_id"
    ).fetchall() == [(1, None, D("2024-03-01")), (2, "album-1", D("2024-03-02"))]
