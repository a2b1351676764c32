"""Build the dashboard: views -> charts per chat -> `index.html` (+ `csv/<chart>.csv`).

Reads: the analytics views through a connection (see `dashboard.queries`).
Writes: `{out_dir}/index.html` and, with `csv=True`, `{out_dir}/csv/<chart>.csv` (one file per
chart, every chat's rows, with `chat_id` and `chat_title` first).
"""

from __future__ import annotations

import csv as csvlib
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dashboard.charts import CHANNEL, all_chart_keys, chat_charts
from dashboard.page import ChatReport, render_page
from dashboard.queries import Connection, Row, ViewRows, load_view_rows
from lake.uri import local_path

DEFAULT_TITLE = "Telegram chat analytics"
INDEX = "index.html"
CSV_DIR = "csv"
PRIVATE = "private"
NO_MESSAGES = (
    "No messages yet: the curated zone holds no messages, so there is nothing to chart. "
    "Ingest some updates and run the Glue job, then build the dashboard again."
)


def _days(rows: Sequence[Row]) -> list[dt.date]:
    return [
        value.date() if isinstance(value, dt.datetime) else value
        for value in (row["day"] for row in rows)
        if isinstance(value, dt.date)
    ]


def _chat_title(chat_id: int, views: ViewRows) -> str:
    # Titles change when a group is renamed: the latest day's title is the current name.
    titled = [row for row in views.daily_activity if row.get("chat_title")]
    if titled:
        latest = max(titled, key=lambda row: row["day"])
        return str(latest["chat_title"])
    # Private chats have no title; their id is the user's id (groups' ids are negative).
    named = [
        row["display_name"]
        for row in views.user_activity
        if row.get("display_name") and row["user_id"] == chat_id
    ]
    if chat_id > 0 and named:
        return f"{named[0]} (private chat)"
    return f"Chat {chat_id}"


def _chat_type(chat_id: int, views: ViewRows) -> str | None:
    """The chat's latest type (daily_activity carries it on every day); a chat known only
    from member changes has none, unless its id is a user's (positive): a private chat."""
    types = [row["chat_type"] for row in views.daily_activity if row.get("chat_type")]
    if types:
        return str(types[-1])
    return PRIVATE if chat_id > 0 else None


def _total(rows: Sequence[Row], column: str) -> int:
    return sum(int(row[column] or 0) for row in rows)


def _kpis(views: ViewRows, chat_type: str | None) -> list[tuple[str, str]]:
    """The summary figures of a chat, each summed from a view (`messages` counts activity
    messages, `people who posted` the people of user_activity, `replies` the activity
    messages that reply). A channel has posts, not people: no "people who posted"."""
    active_days = sum(1 for row in views.daily_activity if (row["messages"] or 0) > 0)
    if chat_type == CHANNEL:
        return [
            ("posts", f"{_total(views.daily_activity, 'messages'):,}"),
            ("days with posts", f"{active_days:,}"),
            ("reactions now", f"{_total(views.message_reactions, 'total_reactions'):,}"),
            ("joined", f"{_total(views.membership_daily, 'joins'):,}"),
            ("left", f"{_total(views.membership_daily, 'leaves'):,}"),
        ]
    return [
        ("messages", f"{_total(views.daily_activity, 'messages'):,}"),
        ("people who posted", f"{len(views.user_activity):,}"),
        ("days with messages", f"{active_days:,}"),
        ("replies", f"{_total(views.daily_activity, 'replies'):,}"),
        ("joined", f"{_total(views.membership_daily, 'joins'):,}"),
        ("left", f"{_total(views.membership_daily, 'leaves'):,}"),
    ]


def chat_reports(
    views: ViewRows, timezone: str, *, include_private: bool = False
) -> list[ChatReport]:
    """One report per chat seen in the views, busiest chat first.

    Private chats with the bot are left out unless `include_private`: they are the bot's
    conversations with single people, not the groups the dashboard is about.
    """
    chat_ids = {row["chat_id"] for row in views.daily_activity} | {
        row["chat_id"] for row in views.membership_daily
    }
    reports = []
    messages: dict[int, int] = {}
    for chat_id in chat_ids:
        chat = views.for_chat(chat_id)
        chat_type = _chat_type(chat_id, chat)
        if chat_type == PRIVATE and not include_private:
            continue
        messages[chat_id] = _total(chat.daily_activity, "messages")
        days = _days(chat.daily_activity) + _days(chat.membership_daily)
        reports.append(
            ChatReport(
                chat_id=chat_id,
                title=_chat_title(chat_id, chat),
                chat_type=chat_type,
                first_day=min(days, default=None),
                last_day=max(days, default=None),
                messages=messages[chat_id],
                kpis=_kpis(chat, chat_type),
                charts=chat_charts(chat, timezone, chat_type),
            )
        )
    return sorted(reports, key=lambda r: (-messages[r.chat_id], r.title, r.chat_id))


def write_csvs(folder: Path, chats: Sequence[ChatReport]) -> list[Path]:
    """One CSV per chart with every chat's rows (header only when no chat has data)."""
    folder.mkdir(parents=True, exist_ok=True)
    by_key: dict[str, tuple[tuple[str, ...], list[list[Any]]]] = {}
    for chat in chats:
        for chart in chat.charts:
            _, rows = by_key.setdefault(chart.key, (chart.columns, []))
            rows.extend([chat.chat_id, chat.title, *row] for row in chart.rows)
    if not by_key:
        by_key = {chart.key: (chart.columns, []) for chart in all_chart_keys()}
    written = []
    for key, (columns, rows) in by_key.items():
        path = folder / f"{key}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csvlib.writer(handle)
            writer.writerow(["chat_id", "chat_title", *columns])
            writer.writerows(rows)
        written.append(path)
    return written


def build_dashboard(
    con: Connection,
    out_dir: str | Path,
    *,
    timezone: str = "UTC",
    csv: bool = False,
    title: str = DEFAULT_TITLE,
    include_private: bool = False,
) -> Path:
    """Write the dashboard of every chat in the views to `{out_dir}/index.html`.

    Private chats with the bot are left out unless `include_private`.

    `out_dir` is a local folder: a plain path or a `file://` URI (anything else raises
    `lake.uri.UriError`). `con` must expose the views (e.g.
    `athena_views.local.connect(curated_uri, timezone)`);
    `timezone` must be the one the views were rendered with: the page states it.
    Returns the path of `index.html`.
    """
    views = load_view_rows(con)
    chats = (
        chat_reports(views, timezone, include_private=include_private)
        if views.daily_activity
        else []
    )
    days = [day for chat in chats for day in (chat.first_day, chat.last_day) if day]
    page = render_page(
        title=title,
        timezone=timezone,
        chats=chats,
        first_day=min(days, default=None),
        last_day=max(days, default=None),
        generated_at=dt.datetime.now(dt.UTC),
        empty_message=None if chats else NO_MESSAGES,
    )
    out = local_path(str(out_dir))
    out.mkdir(parents=True, exist_ok=True)
    index = out / INDEX
    index.write_text(page, encoding="utf-8")
    if csv:
        write_csvs(out / CSV_DIR, chats)
    return index
