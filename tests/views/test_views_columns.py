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


@pytest.fixture(scope="module", params=["main", "empty"])
def con(
    request: pytest.FixtureRequest, main_lake: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    curated = main_lake if request.param == "main" else tmp_path_factory.mktemp("no-lake")
    connection = connect(str(curated), "America/Sao_Paulo")
    yield connection
    connection.close()


def test_every_view_and_only_views_are_declared() -> None:
    assert list(view_specs()) == view_names()
    assert len(view_names()) == 14


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
    assert mart_views() == [
        "content_type_daily",
        "daily_activity",
        "dau_wau_mau",
        "hourly_heatmap",
        "membership_daily",
        "reply_latency",
        "retention_cohorts",
        "top_words",
        "user_activity",
        "user_daily_activity",
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
