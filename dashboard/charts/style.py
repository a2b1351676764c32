"""What every dashboard figure shares: the chart record, colours, axes, layout.

Reads and writes nothing. The page applies one Plotly template to every figure in the
browser (`dashboard.page`); the figures built here only carry what differs from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from dashboard.charts.shaping import as_date

# One colour per content type (the curated `content_type` values), fixed so that a type
# keeps its colour in every chat and every run; the order also breaks ties in the stacking.
# A type missing here (one Telegram adds later) is drawn grey, after these.
CONTENT_TYPE_COLOURS: dict[str, str] = {
    "text": "#4C78A8",
    "photo": "#F58518",
    "video": "#54A24B",
    "animation": "#E45756",
    "audio": "#72B7B2",
    "voice": "#EECA3B",
    "video_note": "#B279A2",
    "document": "#FF9DA6",
    "sticker": "#9D755D",
    "location": "#BAB0AC",
    "venue": "#2F4B7C",
    "contact": "#A05195",
    "poll": "#665191",
    "dice": "#D45087",
    "story": "#FFA600",
    "game": "#3CAEA3",
    "paid_media": "#F6C85F",
    "checklist": "#6F4E7C",
    "giveaway": "#CA472F",
    "giveaway_winners": "#0B84A5",
    "invoice": "#9DD866",
    "other": "#7F7F7F",
}
CONTENT_TYPES = tuple(CONTENT_TYPE_COLOURS)
BLUE, ORANGE, GREEN, RED, GREY = "#4C78A8", "#F58518", "#54A24B", "#E45756", "#555555"
PURPLE = "#B279A2"
SEQUENTIAL = "Blues"
DAY_MS = 86_400_000
# Bars on a date axis are one day wide (less a gap) whatever the spacing of the days that
# have data: plotly would otherwise widen them to the smallest gap between two bars.
DAY_BAR_MS = int(DAY_MS * 0.8)
SHORT_SPAN_DAYS = 7
SMALL_COUNT = 5


@dataclass(frozen=True)
class Chart:
    """One chart of a chat: its figure (None when there is nothing to plot) and its data.

    `columns`/`rows` are exactly the values the figure plots (what `--csv` writes).
    """

    key: str
    title: str
    note: str
    figure: go.Figure | None
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    empty_message: str = "No data in this period."
    wide: bool = False


def unique_labels(labels: Sequence[str], ids: Sequence[Any]) -> list[str]:
    """The labels, each repeated one suffixed with its id: plotly merges equal category
    labels into one bar or one matrix row, and two people called "Alex" must not merge."""
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [
        f"{label} [{item}]" if seen[label] > 1 else label
        for label, item in zip(labels, ids, strict=True)
    ]


def day_axis(days: Sequence[str]) -> dict[str, Any]:
    """A date x axis for daily values: half a day of room on each side of the first and
    last day (bars are a day wide), and one tick per day when the span is short (plotly
    would otherwise label hours)."""
    first, last = as_date(min(days)), as_date(max(days))
    axis: dict[str, Any] = {
        "type": "date",
        "range": [
            dt.datetime.combine(first, dt.time()) - dt.timedelta(hours=12),
            dt.datetime.combine(last, dt.time()) + dt.timedelta(hours=12),
        ],
    }
    if (last - first).days <= SHORT_SPAN_DAYS:
        axis.update(dtick=DAY_MS, tick0=first.isoformat())
    return axis


def count_axis(title: str, values: Sequence[float | None]) -> dict[str, Any]:
    """An axis of counts: starts at zero, and no 0.5 ticks when the counts are small."""
    axis: dict[str, Any] = {"title": {"text": title}, "rangemode": "tozero"}
    if max((abs(v) for v in values if v is not None), default=0) <= SMALL_COUNT:
        axis.update(tickmode="linear", tick0=0, dtick=1)
    return axis


def zero_aligned_ranges(
    first: Sequence[float], second: Sequence[float], pad: float = 0.08
) -> tuple[list[float], list[float]]:
    """Ranges for two overlaid y axes that put both zero lines at the same height."""

    def extent(values: Sequence[float]) -> tuple[float, float]:
        low, high = min([0.0, *values]), max([0.0, *values])
        return -low, (high if low or high else 1.0)

    extents = [extent(first), extent(second)]
    # Share of the plot below zero: the larger one wins and the other axis is stretched to
    # match; capped so that an axis with positive values keeps room above zero.
    below = max(neg / (neg + pos) for neg, pos in extents)
    if any(pos > 0 for _, pos in extents):
        below = min(below, 0.9)
    ranges = []
    for data_neg, data_pos in extents:
        neg, pos = data_neg, data_pos
        if below < 1:
            neg = max(data_neg, below * data_pos / (1 - below))
            if below > 0:
                pos = max(data_pos, neg * (1 - below) / below)
        span = (neg + pos) * pad
        ranges.append([-neg - span, pos + span])
    return ranges[0], ranges[1]


def base_layout(**overrides: Any) -> dict[str, Any]:
    """Layout shared by every figure: compact margins, legend on top, autosized."""
    layout: dict[str, Any] = {
        "autosize": True,
        "margin": {"l": 56, "r": 24, "t": 36, "b": 44},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "hoverlabel": {"namelength": -1},
    }
    layout.update(overrides)
    return layout


def make_figure(traces: Sequence[Any], **layout: Any) -> go.Figure:
    # template "none": the page applies one shared template in JS instead of embedding a
    # copy of it in every figure.
    return go.Figure(data=list(traces), layout=base_layout(template="none", **layout))
