"""Dashboard test helpers: view stand-ins, an HTML reader, a hand-built curated zone.

`views_connection(rows)` returns a DuckDB connection in which each reporting view is a
table (its declared columns, from `athena_views.view_columns`) holding exactly the given
rows: the dashboard only runs `select ... from <view>`, so this tests the dashboard without
the view SQL. The curated zone's Parquet schemas come from the hand-written test contract
(`tests/arrow.py`); its files go where `lake.zones` puts them. Writes only under pytest's
tmp dirs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from athena_views.view_columns import mart_views, view_spec
from lake.zones import table_partition_uri
from tests.arrow import MEMBER_EVENTS_SCHEMA, MESSAGES_SCHEMA

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


# --- Hand-built curated zone (the Glue job's output contract), for the real views. ---------

LAKE_HOUSE, BOOK_CLUB = -1001234567890, -1009876543210
ANN, BEN, CID = 111, 222, 333


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _message(
    chat_id: int,
    message_id: int,
    sent_at: str,
    user: tuple[int, str, str | None],
    *,
    content_type: str = "text",
    text: str | None = None,
    reply_to: int | None = None,
    edited_at: str | None = None,
) -> dict[str, Any]:
    user_id, first_name, username = user
    return {
        "chat_id": chat_id,
        "message_id": message_id,
        "message_thread_id": None,
        "update_id": 500_000 + message_id,
        "sent_at": _utc(sent_at),
        "edited_at": _utc(edited_at) if edited_at else None,
        "edit_count": 1 if edited_at else 0,
        "chat_type": "supergroup" if chat_id == LAKE_HOUSE else "group",
        "chat_title": "Lake House" if chat_id == LAKE_HOUSE else "Book Club",
        "user_id": user_id,
        "user_is_bot": False,
        "user_first_name": first_name,
        "user_last_name": None,
        "user_username": username,
        "user_language_code": "en",
        "sender_chat_id": None,
        "content_type": content_type,
        "text": text,
        "text_length": len(text) if text else 0,
        "word_count": len(text.split()) if text else 0,
        "reply_to_message_id": reply_to,
        "is_forwarded": False,
        "forward_origin_type": None,
        "is_channel_post": False,
        "media_group_id": None,
    }


def _member(
    chat_id: int, user_id: int, event: str, *, occurred_at: str, source: str, update_id: int
) -> dict[str, Any]:
    statuses = {"join": ("left", "member"), "leave": ("member", "left")}[event]
    from_chat_member = source == "chat_member"
    return {
        "chat_id": chat_id,
        "user_id": user_id,
        "event": event,
        "occurred_at": _utc(occurred_at),
        "source": source,
        "update_id": update_id,
        "user_is_bot": False,
        "user_first_name": {ANN: "Ann", BEN: "Ben", CID: "Cid"}[user_id],
        "user_username": None,
        "old_status": statuses[0] if from_chat_member else None,
        "new_status": statuses[1] if from_chat_member else None,
    }


A = (ANN, "Ann", "ann")
B = (BEN, "Ben", None)
C = (CID, "Cid", "cid")

# Two chats, one week apart. UTC times; the comments give Asia/Tokyo (UTC+9) local times.
CURATED_MESSAGES = [
    _message(LAKE_HOUSE, 1, "2024-03-04 08:00:00", A, text="hello lake house"),  # Mon 17:00
    _message(LAKE_HOUSE, 2, "2024-03-04 08:05:00", B, text="hello ann", reply_to=1),  # Mon 17:05
    _message(LAKE_HOUSE, 3, "2024-03-04 23:30:00", A, content_type="photo"),  # Tue 08:30
    _message(
        LAKE_HOUSE,
        4,
        "2024-03-05 10:00:00",
        A,
        content_type="sticker",
        edited_at="2024-03-05 10:01:00",
    ),  # Tue 19:00
    _message(LAKE_HOUSE, 5, "2024-03-11 09:00:00", B, text="lake again", reply_to=4),  # Mon 18:00
    _message(BOOK_CLUB, 1, "2024-03-06 12:00:00", C, text="chapter one"),  # Wed 21:00
]
CURATED_MEMBER_EVENTS = [
    # the same join reported twice (service message and chat_member update): one join
    _member(
        LAKE_HOUSE,
        BEN,
        "join",
        occurred_at="2024-03-04 07:00:00",
        source="new_chat_members",
        update_id=400_001,
    ),
    _member(
        LAKE_HOUSE,
        BEN,
        "join",
        occurred_at="2024-03-04 07:00:00",
        source="chat_member",
        update_id=400_002,
    ),
    _member(
        LAKE_HOUSE,
        CID,
        "leave",
        occurred_at="2024-03-06 12:00:00",
        source="left_chat_member",
        update_id=400_003,
    ),
]


def write_partitioned(
    root: Path, table: str, rows: Sequence[Mapping[str, Any]], schema: pa.Schema, time_column: str
) -> None:
    """Parquet per UTC day under `root/table/dt=YYYY-MM-DD/` as the Glue job writes it."""
    by_day: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_day.setdefault(row[time_column].date().isoformat(), []).append(row)
    for day, day_rows in by_day.items():
        partition = Path(table_partition_uri(str(root), table, day))
        partition.mkdir(parents=True)
        # INT96 timestamps, like the Glue job (spark.sql.parquet.outputTimestampType=INT96).
        pq.write_table(
            pa.Table.from_pylist(list(day_rows), schema=schema),
            partition / "part-00000.snappy.parquet",
            compression="snappy",
            use_deprecated_int96_timestamps=True,
        )


def write_curated_zone(root: Path) -> Path:
    """Write CURATED_MESSAGES and CURATED_MEMBER_EVENTS as a curated zone under `root`."""
    write_partitioned(root, "messages", CURATED_MESSAGES, MESSAGES_SCHEMA, "sent_at")
    write_partitioned(
        root, "member_events", CURATED_MEMBER_EVENTS, MEMBER_EVENTS_SCHEMA, "occurred_at"
    )
    return root


@pytest.fixture(scope="session")
def write_curated() -> Callable[[Path], Path]:
    return write_curated_zone


@pytest.fixture
def curated_zone(tmp_path: Path) -> Path:
    return write_curated_zone(tmp_path / "curated")
