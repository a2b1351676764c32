"""Dashboard test helpers: view stand-ins, an HTML reader, a hand-built curated zone.

`views_connection(rows)` returns a DuckDB connection in which each reporting view is a
table (its declared columns, from `athena_views.view_columns`) holding exactly the given
rows: the dashboard only runs `select ... from <view>`, so this tests the dashboard without
the view SQL. The curated zone (`dashboard_lake.py`) is written with the view tests'
builders. Writes only under pytest's tmp dirs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dashboard_lake import write_curated_zone

from athena_views.local import connect
from athena_views.view_columns import mart_views, view_spec
from dashboard import build_dashboard

# The stand-in views: every reporting view with its declared columns and types (the
# dashboard's queries, not the view declarations, are under test here).
VIEW_COLUMNS: dict[str, list[tuple[str, str]]] = {
    view: [(column.name, column.type) for column in view_spec(view).columns]
    for view in mart_views()
}

ViewsConnection = Callable[[Mapping[str, Sequence[Mapping[str, Any]]]], Any]


@pytest.fixture
def views_connection() -> Iterator[ViewsConnection]:
    opened: list[Any] = []

    def make(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> Any:
        unknown = set(rows) - set(VIEW_COLUMNS)
        assert not unknown, f"not a view of the contract: {unknown}"
        con = duckdb.connect()
        opened.append(con)
        for view, columns in VIEW_COLUMNS.items():
            con.execute(
                f"create table {view} ({', '.join(f'{name} {kind}' for name, kind in columns)})"
            )
            names = [name for name, _ in columns]
            for row in rows.get(view, []):
                con.execute(
                    f"insert into {view} values ({', '.join('?' for _ in names)})",
                    [row.get(name) for name in names],
                )
        return con

    yield make
    for con in opened:
        con.close()


class PageReader(HTMLParser):
    """Collects what the tests look at: figure JSON blocks, ids, selects, script tags."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, dict[str, Any]] = {}
        self.ids: dict[str, dict[str, str | None]] = {}
        self.options: list[tuple[str, str]] = []
        self.script_srcs: list[str] = []
        self.link_hrefs: list[str] = []
        self.text: list[str] = []
        self._figure_for: str | None = None
        self._option: str | None = None
        self._in_script = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[str(attributes["id"])] = attributes
        if tag == "script":
            self._in_script = True
            if attributes.get("src"):
                self.script_srcs.append(str(attributes["src"]))
            self._figure_for = attributes.get("data-figure-for")
            self._buffer = []
        if tag == "link" and attributes.get("href"):
            self.link_hrefs.append(str(attributes["href"]))
        if tag == "option":
            self._option = str(attributes.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            if self._figure_for:
                self.figures[self._figure_for] = json.loads("".join(self._buffer))
            self._in_script = False
            self._figure_for = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._buffer.append(data)
            return
        if self._option is not None:
            self.options.append((self._option, data))
            self._option = None
        self.text.append(data)

    @property
    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


@pytest.fixture(scope="session")
def parse_page() -> Callable[[str], PageReader]:
    return read_page


@pytest.fixture(scope="session")
def write_curated() -> Callable[[Path], Path]:
    return write_curated_zone


@pytest.fixture
def curated_zone(tmp_path: Path) -> Path:
    return write_curated_zone(tmp_path / "curated")


TOKYO = "Asia/Tokyo"


@pytest.fixture(scope="session")
def tokyo_page(tmp_path_factory: pytest.TempPathFactory) -> PageReader:
    """The page of the hand-built curated zone in Asia/Tokyo, built once (tests only read it)."""
    root = tmp_path_factory.mktemp("tokyo")
    con = connect(str(write_curated_zone(root / "curated")), timezone=TOKYO)
    try:
        index = build_dashboard(con, root / "dashboard", timezone=TOKYO)
    finally:
        con.close()
    return read_page(index.read_text("utf-8"))
