"""Turn view rows of one chat into Plotly figures plus the rows each chart plots.

Reads: lists of dict rows as returned by `dashboard.queries` (one chat's rows per view).
Writes nothing. Pure functions: the shaping is limited to what a chart needs (filling empty
days or grid cells with zeros, ordering, picking the top N, unit conversion for display);
every count, share and percentile comes from the views.

- `style`: the `Chart` record, colours, axes and layout every figure shares;
- `shaping`: value conversions (dates, numbers) for the builders;
- `activity`: messages (or posts) per day, DAU/WAU/MAU, weekday x hour;
- `people`: top posters, joins and leaves, join sources, top inviters, retention cohorts;
- `conversation`: content types, top words, reply latency, who replies to whom;
- `reactions`: reactions per day, most-reacted messages.

A group (or a private chat) gets every chart; a channel, which has posts but no people
posting, gets its own page: posts per day, posting hours, content mix, reactions, words.
"""

from __future__ import annotations

from dashboard.charts.activity import dau_wau_mau, hourly_heatmap, messages_per_day, posts_per_day
from dashboard.charts.conversation import content_type_mix, reply_latency, reply_matrix, top_words
from dashboard.charts.people import (
    join_source_mix,
    membership,
    retention_cohorts,
    top_inviters,
    top_posters,
)
from dashboard.charts.reactions import most_reacted_messages, reactions_per_day
from dashboard.charts.style import Chart, count_axis, day_axis, zero_aligned_ranges
from dashboard.queries import ViewRows

CHANNEL = "channel"

__all__ = [
    "CHANNEL",
    "Chart",
    "all_chart_keys",
    "channel_charts",
    "chat_charts",
    "content_type_mix",
    "count_axis",
    "dau_wau_mau",
    "day_axis",
    "group_charts",
    "hourly_heatmap",
    "join_source_mix",
    "membership",
    "messages_per_day",
    "most_reacted_messages",
    "posts_per_day",
    "reactions_per_day",
    "reply_latency",
    "reply_matrix",
    "retention_cohorts",
    "top_inviters",
    "top_posters",
    "top_words",
    "zero_aligned_ranges",
]


def group_charts(views: ViewRows, timezone: str) -> list[Chart]:
    """Every chart of a group or private chat, in page order."""
    return [
        messages_per_day(views.daily_activity),
        dau_wau_mau(views.dau_wau_mau),
        top_posters(views.user_activity),
        hourly_heatmap(views.hourly_heatmap, timezone),
        content_type_mix(views.content_type_daily),
        reply_matrix(views.reply_pairs),
        reply_latency(views.reply_latency),
        reactions_per_day(views.reactions_daily),
        most_reacted_messages(views.message_reactions),
        membership(views.membership_daily),
        join_source_mix(views.join_sources),
        top_inviters(views.top_inviters),
        top_words(views.top_words),
        retention_cohorts(views.retention_cohorts),
    ]


def channel_charts(views: ViewRows, timezone: str) -> list[Chart]:
    """A channel's page: what it posts and how it is received; no people, no replies."""
    return [
        posts_per_day(views.daily_activity),
        hourly_heatmap(views.hourly_heatmap, timezone, posts=True),
        content_type_mix(views.content_type_daily, posts=True),
        reactions_per_day(views.reactions_daily),
        most_reacted_messages(views.message_reactions, posts=True),
        top_words(views.top_words),
    ]


def chat_charts(views: ViewRows, timezone: str, chat_type: str | None = None) -> list[Chart]:
    """Every chart of one chat, in page order (`views` already restricted to that chat)."""
    if chat_type == CHANNEL:
        return channel_charts(views, timezone)
    return group_charts(views, timezone)


def all_chart_keys() -> list[Chart]:
    """One empty chart of every kind a page can show (a group's, then a channel's own)."""
    empty = ViewRows.empty()
    charts = group_charts(empty, "UTC")
    keys = {chart.key for chart in charts}
    return charts + [chart for chart in channel_charts(empty, "UTC") if chart.key not in keys]
