"""Turn view rows of one chat into Plotly figures plus the rows each chart plots.

Reads: lists of dict rows as returned by `dashboard.queries` (one chat's rows per view).
Writes nothing. Pure functions: the shaping is limited to what a chart needs (filling empty
days or grid cells with zeros, ordering, picking the top N, unit conversion for display);
every count, share and percentile comes from the views.

- `style`: the `Chart` record, colours, axes and layout every figure shares;
- `shaping`: value conversions (dates, numbers) for the builders;
- `activity`: messages per day, DAU/WAU/MAU, weekday x hour;
- `people`: top posters, joins and leaves, retention cohorts;
- `conversation`: content types, top words, reply latency.
"""

from __future__ import annotations

from dashboard.charts.activity import dau_wau_mau, hourly_heatmap, messages_per_day
from dashboard.charts.conversation import content_type_mix, reply_latency, top_words
from dashboard.charts.people import membership, retention_cohorts, top_posters
from dashboard.charts.style import Chart, count_axis, day_axis, zero_aligned_ranges
from dashboard.queries import ViewRows

__all__ = [
    "Chart",
    "chat_charts",
    "content_type_mix",
    "count_axis",
    "dau_wau_mau",
    "day_axis",
    "hourly_heatmap",
    "membership",
    "messages_per_day",
    "reply_latency",
    "retention_cohorts",
    "top_posters",
    "top_words",
    "zero_aligned_ranges",
]


def chat_charts(views: ViewRows, timezone: str) -> list[Chart]:
    """Every chart of one chat, in page order (`views` already restricted to that chat)."""
    return [
        messages_per_day(views.daily_activity),
        dau_wau_mau(views.dau_wau_mau),
        top_posters(views.user_activity),
        hourly_heatmap(views.hourly_heatmap, timezone),
        content_type_mix(views.content_type_daily),
        membership(views.membership_daily),
        reply_latency(views.reply_latency),
        top_words(views.top_words),
        retention_cohorts(views.retention_cohorts),
    ]
