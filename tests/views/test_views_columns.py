"""Each view's declared output columns (`views/**/<view>.yml`) against what its SQL returns.

The declarations are what QuickSight, the dashboard and other tests read; here every view
runs on DuckDB (over the main hand-built lake and over an empty one) and must return exactly
its declared columns, in order, with the declared types. The type mapping below is written
by hand: Athena's result type -> what DuckDB, running the same SQL, may return for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from views_lakes import (
    emoji,
    join_request,
    member_event,
    message,
    migration,
    reaction_count_update,
    reaction_update,
    write_lake,
)

from athena_views.local import connect
from athena_views.sql import view_names
from athena_views.view_columns import (
    ViewColumn,
    ViewColumnsError,
    load_columns,
    mart_views,
    view_spec,
    view_specs,
)

pytestmark = pytest.mark.integration

# DuckDB sums and count_if()s into HUGEINT where Athena returns bigint.
DUCKDB_TYPES = {
    "bigint": {"BIGINT", "HUGEINT"},
    "integer": {"INTEGER"},
    "double": {"DOUBLE"},
    "varchar": {"VARCHAR"},
    "date": {"DATE"},
    "timestamp": {"TIMESTAMP"},
    "boolean": {"BOOLEAN"},
}


def engagement_lake(curated: Path) -> Path:
    """A lake in which every view has a row: a migrated group with a reply, reactions of a
    person and anonymous totals, joins by a request and through a link."""
    return write_lake(
        curated,
        [
            message(-1, 1, 1, "2024-02-01 10:00", 7, first_name="Eva", text="oi", text_length=2),
            message(-1, 2, 2, "2024-02-01 11:00", 8, first_name="Rui", text="olá",
                    text_length=3, reply_to=1, reply_to_user=7),
        ],
        [
            member_event(-2, 9, "join", "2024-02-02 11:00", "chat_member", update_id=3,
                         invite_link="amigos"),
            member_event(-2, 10, "join", "2024-02-02 12:00", "chat_member", update_id=5,
                         via_join_request=True),
        ],
        chat_migrations=[migration(-1, -2, "2024-02-01 12:00", update_id=4)],
        reactions=[
            *reaction_update(-1, 1, 6, "2024-02-02 10:30", user=8, new=(emoji("👍"),)),
            *reaction_count_update(-2, 1, 7, "2024-02-02 10:40", {emoji("❤"): 2}),
        ],
        join_requests=[join_request(-2, 10, "2024-02-02 11:30", update_id=8)],
    )  # fmt: skip


@pytest.fixture(scope="module", params=["main", "empty", "engagement"])
def con(
    request: pytest.FixtureRequest, main_lake: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    if request.param == "main":
        curated = main_lake
    elif request.param == "empty":
        curated = tmp_path_factory.mktemp("no-lake")
    else:
        curated = engagement_lake(tmp_path_factory.mktemp("engagement"))
    connection = connect(str(curated), "America/Sao_Paulo")
    yield connection
    connection.close()


def test_the_engagement_lake_gives_every_view_a_row(tmp_path: Path) -> None:
    con = connect(str(engagement_lake(tmp_path)))
    for view in view_names():
        assert con.execute(f"select count(*) from {view}").fetchall() != [(0,)], view


def test_every_view_and_only_views_are_declared() -> None:
    assert list(view_specs()) == view_names()
    assert len(view_names()) == 28


@pytest.mark.parametrize("view", view_names())
def test_declared_columns_are_what_the_view_returns(
    con: duckdb.DuckDBPyConnection, view: str
) -> None:
    described = [(row[0], str(row[1])) for row in con.execute(f"describe {view}").fetchall()]
    declared = view_spec(view).columns
    assert [name for name, _ in described] == [column.name for column in declared]
    for (name, duckdb_type), column in zip(described, declared, strict=True):
        assert duckdb_type in DUCKDB_TYPES[column.type], f"{view}.{name}"


def test_reporting_views_are_the_marts() -> None:
    assert sorted(mart_views()) == [
        "content_type_daily",
        "daily_activity",
        "dau_wau_mau",
        "hourly_heatmap",
        "join_requests_daily",
        "join_sources",
        "membership_daily",
        "message_reactions",
        "reactions_daily",
        "reply_latency",
        "reply_pairs",
        "retention_cohorts",
        "top_inviters",
        "top_words",
        "user_activity",
        "user_daily_activity",
        "user_reactions",
    ]
    assert view_spec("stg_users").layer == "staging"


def test_a_declaration_reads_as_written() -> None:
    spec = view_spec("membership_daily")
    assert spec.column_names == ("chat_id", "day", "joins", "leaves", "net")
    assert spec.columns[4] == ViewColumn("net", "bigint", "joins - leaves")
    assert spec.grain.startswith("one row per chat per local day (chat_id, day)")
    with pytest.raises(ViewColumnsError, match="not a view"):
        view_spec("messages")


VALID = """\
version: 2
models:
  - name: v
    columns:
      - name: chat_id
        data_type: bigint
        description: the chat
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "v.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads(tmp_path: Path) -> None:
    assert load_columns(write(tmp_path, VALID), "v") == (
        ViewColumn("chat_id", "bigint", "the chat"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (VALID.replace("version: 2", "version: 1"), "version: 2"),
        (VALID.replace("name: v", "name: w"), "named 'w', not v"),
        (VALID.replace("bigint", "int64"), "type 'int64'"),
        (VALID.replace("data_type", "type"), "unknown keys"),
        (VALID.replace("description: the chat", "description: ''"), "non-empty string"),
        (VALID.replace("name: chat_id", "name: Chat-Id"), "lowercase SQL name"),
        (VALID + VALID[VALID.index("      - name") :], "duplicate columns"),
        (VALID[: VALID.index("    columns:")], "non-empty 'columns'"),
        ("version: 2\nmodels: []\n", "exactly one model"),
    ],
)
def test_malformed_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ViewColumnsError, match=message):
        load_columns(write(tmp_path, text), "v")


def test_a_view_without_a_column_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ViewColumnsError, match=r"no column file v\.yml"):
        load_columns(tmp_path / "v.yml", "v")
