"""Fixtures for the view tests: the main hand-built lake and queries over it.

Writes only under pytest's tmp dirs. Builders and the scenario live in views_lakes.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from views_lakes import MAIN_MEMBER_EVENTS, MAIN_MESSAGES, Query, write_lake

from athena_views.local import connect


@pytest.fixture(scope="session")
def main_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lake(
        tmp_path_factory.mktemp("main") / "curated", MAIN_MESSAGES, MAIN_MEMBER_EVENTS
    )


@pytest.fixture(scope="session")
def query_main(main_lake: Path) -> Iterator[Query]:
    """query(sql, timezone="UTC") over the main lake (a file:// URI), one connection per zone."""
    connections: dict[str, duckdb.DuckDBPyConnection] = {}

    def _query(sql: str, timezone: str = "UTC") -> list[tuple[Any, ...]]:
        if timezone not in connections:
            connections[timezone] = connect(main_lake.as_uri(), timezone)
        rows: list[tuple[Any, ...]] = connections[timezone].execute(sql).fetchall()
        return rows

    yield _query
    for con in connections.values():
        con.close()
