"""Read the dashboard's data from the analytics views, and nothing else.

Reads: the views of the views contract (`daily_activity`, `user_activity`, `hourly_heatmap`,
`content_type_daily`, `membership_daily`, `top_words`, `reply_latency`, `retention_cohorts`,
`dau_wau_mau`, `reactions_daily`, `message_reactions`, `join_sources`, `top_inviters`,
`reply_pairs`) through a DB-API style connection (DuckDB locally via
`athena_views.local.connect`), each with the columns its declaration lists
(`athena_views.view_columns`). Writes nothing.

Only plain `select <columns> from <view>` queries run here: every number on the dashboard is
computed by the same SQL that Athena and QuickSight use. Python only reshapes rows for charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from athena_views.view_columns import view_spec

Row = dict[str, Any]

# Top words per chat and week shown in the chart; the view ranks, we only cut.
TOP_WORDS_PER_WEEK = 10

# What follows `select <declared columns> from <view>`: the rows' order (charts and CSVs
# keep it) and, for top_words, the cut.
VIEW_CLAUSES: Mapping[str, str] = {
    "daily_activity": "order by chat_id, day",
    "user_activity": "order by chat_id, messages desc, user_id",
    "hourly_heatmap": "order by chat_id, weekday, hour",
    "content_type_daily": "order by chat_id, day, content_type",
    "membership_daily": "order by chat_id, day",
    "top_words": (
        f"where word_rank <= {TOP_WORDS_PER_WEEK} order by chat_id, week_start, word_rank, word"
    ),
    "reply_latency": "order by chat_id, day",
    "retention_cohorts": "order by chat_id, cohort_week, week_offset",
    "dau_wau_mau": "order by chat_id, day",
    "reactions_daily": "order by chat_id, day",
    "message_reactions": ("order by chat_id, total_reactions desc, message_chat_id, message_id"),
    "join_sources": "order by chat_id, day, join_source",
    "top_inviters": "order by chat_id, members desc, inviter_name, inviter_type",
    "reply_pairs": "order by chat_id, user_id, replied_to_user_id",
}


def view_query(view: str) -> str:
    """`select <the view's declared columns> from <view> <its clauses>`."""
    columns = ", ".join(view_spec(view).column_names)
    return f"select {columns} from {view} {VIEW_CLAUSES[view]}"


VIEW_QUERIES: Mapping[str, str] = {view: view_query(view) for view in VIEW_CLAUSES}


class Cursor(Protocol):
    description: Any

    def fetchall(self) -> list[tuple[Any, ...]]: ...


class Connection(Protocol):
    """The part of a DB-API connection (DuckDB's, for example) that the dashboard uses."""

    def execute(self, query: str) -> Any: ...


@dataclass(frozen=True)
class ViewRows:
    """The rows of every view the dashboard reads, one list of dict rows per view."""

    daily_activity: list[Row]
    user_activity: list[Row]
    hourly_heatmap: list[Row]
    content_type_daily: list[Row]
    membership_daily: list[Row]
    top_words: list[Row]
    reply_latency: list[Row]
    retention_cohorts: list[Row]
    dau_wau_mau: list[Row]
    reactions_daily: list[Row]
    message_reactions: list[Row]
    join_sources: list[Row]
    top_inviters: list[Row]
    reply_pairs: list[Row]

    @classmethod
    def empty(cls) -> ViewRows:
        return cls(**{name: [] for name in VIEW_QUERIES})

    def for_chat(self, chat_id: int) -> ViewRows:
        """The same views restricted to one chat (every view has a chat_id column)."""
        return ViewRows(
            **{
                name: [row for row in getattr(self, name) if row["chat_id"] == chat_id]
                for name in VIEW_QUERIES
            }
        )


def fetch_rows(con: Connection, query: str) -> list[Row]:
    """Run one query and return its rows as dicts keyed by column name."""
    cursor = con.execute(query)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def load_view_rows(con: Connection) -> ViewRows:
    """Read every view the dashboard charts."""
    return ViewRows(**{name: fetch_rows(con, query) for name, query in VIEW_QUERIES.items()})
