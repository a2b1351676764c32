"""Render the dashboard's single self-contained HTML page.

Reads: the package's `template.html` and `page.css`, the Plotly.js bundle shipped with the
`plotly` Python package. Writes nothing (returns the page as a string).

The page embeds Plotly.js once, every figure as a JSON `<script type="application/json">`
block (so tests can read back exactly what is plotted), and a few lines of vanilla JS that
draw the figures and switch between chats. Nothing is fetched at view time.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from importlib import resources
from string import Template
from typing import Any

import plotly.io as pio
import plotly.offline

from dashboard.charts import Chart

# Layout template applied in the browser to every figure (embedded once, not per figure).
PLOTLY_TEMPLATE = "plotly_white"
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'


@dataclass(frozen=True)
class ChatReport:
    """Everything the page shows for one chat."""

    chat_id: int
    title: str
    #: private, group, supergroup or channel; None when no message says.
    chat_type: str | None
    first_day: dt.date | None
    last_day: dt.date | None
    messages: int
    kpis: list[tuple[str, str]]
    charts: list[Chart]

    @property
    def anchor(self) -> str:
        # Group chat ids are negative; "chat-n100123" is a plain, CSS-selector-safe HTML id.
        sign = "n" if self.chat_id < 0 else ""
        return f"chat-{sign}{abs(self.chat_id)}"


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element (no `</script>`, `<!--` or `&` tricks)."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _template_json() -> str:
    template = pio.templates[PLOTLY_TEMPLATE].to_plotly_json()
    font = template.setdefault("layout", {}).setdefault("font", {})
    font.update(family=FONT_FAMILY, size=12)
    return script_json(json.dumps(template, separators=(",", ":")))


def _date_range(first: dt.date | None, last: dt.date | None) -> str:
    if first is None or last is None:
        return "no dates"
    if first == last:
        return f"<strong>{first.isoformat()}</strong>"
    return f"<strong>{first.isoformat()}</strong> to <strong>{last.isoformat()}</strong>"


def _figure_id(chat: ChatReport, chart: Chart) -> str:
    return f"{chat.anchor}-{chart.key}"


def _render_chart(chat: ChatReport, chart: Chart) -> str:
    wide = " wide" if chart.wide else ""
    if chart.figure is None:
        inner = f'<div class="chart-empty">{html.escape(chart.empty_message)}</div>'
    else:
        inner = (
            f'<div class="chart" id="{_figure_id(chat, chart)}" '
            f'data-chart="{chart.key}" role="img" aria-label="{html.escape(chart.title)}"></div>'
        )
    return (
        f'<article class="card{wide}" data-card="{chart.key}">'
        f"<h3>{html.escape(chart.title)}</h3>"
        f'<p class="card-note">{html.escape(chart.note)}</p>{inner}</article>'
    )


def _render_chat(chat: ChatReport, *, hidden: bool) -> str:
    kpis = "".join(
        f'<div class="kpi"><span class="kpi-value">{html.escape(value)}</span>'
        f'<span class="kpi-label">{html.escape(label)}</span></div>'
        for label, value in chat.kpis
    )
    cards = "\n".join(_render_chart(chat, chart) for chart in chat.charts)
    return (
        f'<section class="chat" id="section-{chat.anchor}" data-anchor="{chat.anchor}" '
        f'data-chat-id="{chat.chat_id}" data-chat-type="{html.escape(chat.chat_type or "")}"'
        f"{' hidden' if hidden else ''}>\n"
        f'<div class="chat-head"><h2>{html.escape(chat.title)}</h2>'
        f'<p class="meta">{html.escape(chat.chat_type or "chat")} · chat id {chat.chat_id} · '
        f"{_date_range(chat.first_day, chat.last_day)}</p></div>\n"
        f'<div class="kpis">{kpis}</div>\n<div class="grid">\n{cards}\n</div>\n</section>'
    )


def _count_label(chat: ChatReport) -> str:
    """'12 messages', or '12 posts (channel)' for a channel."""
    if chat.chat_type == "channel":
        return f"{chat.messages:,} post{'' if chat.messages == 1 else 's'} (channel)"
    return f"{chat.messages:,} message{'' if chat.messages == 1 else 's'}"


def _render_picker(chats: list[ChatReport]) -> str:
    if len(chats) < 2:
        return ""
    options = "".join(
        f'<option value="{chat.anchor}">{html.escape(chat.title)} · {_count_label(chat)}</option>'
        for chat in chats
    )
    return (
        '<div class="chat-picker"><label for="chat-select">Chat '
        f"({len(chats)} chats)</label>"
        f'<select id="chat-select">{options}</select></div>'
    )


def _figure_scripts(chats: list[ChatReport]) -> str:
    blocks = []
    for chat in chats:
        for chart in chat.charts:
            if chart.figure is None:
                continue
            blocks.append(
                f'<script type="application/json" data-figure-for="{_figure_id(chat, chart)}">'
                f"{script_json(chart.figure.to_json())}</script>"
            )
    return "\n".join(blocks)


def render_page(
    *,
    title: str,
    timezone: str,
    chats: list[ChatReport],
    first_day: dt.date | None,
    last_day: dt.date | None,
    generated_at: dt.datetime,
    empty_message: str | None = None,
) -> str:
    """The whole page. With `empty_message` (or no chats) it shows that message, no charts."""
    package = resources.files("dashboard")
    template = Template(package.joinpath("template.html").read_text(encoding="utf-8"))
    css = package.joinpath("page.css").read_text(encoding="utf-8")
    has_figures = any(chart.figure is not None for chat in chats for chart in chat.charts)
    if empty_message is not None or not chats:
        body = (
            '<div class="empty-page" id="empty-page">'
            f"{html.escape(empty_message or 'No chats found.')}</div>"
        )
        chats = []
        has_figures = False
    else:
        body = "\n".join(_render_chat(chat, hidden=index > 0) for index, chat in enumerate(chats))
    meta = (
        f"Data from {_date_range(first_day, last_day)} · days and hours in "
        f"<strong>{html.escape(timezone)}</strong> · {len(chats)} "
        f"chat{'s' if len(chats) != 1 else ''}"
    )
    footer = (
        "Built from the Athena views of the curated zone (the same SQL QuickSight uses) "
        f"on {generated_at.strftime('%Y-%m-%d %H:%M UTC')}. Works offline."
    )
    # Plotly.js goes in once, inline, and only when there is something to draw.
    plotly_js = f"<script>{plotly.offline.get_plotlyjs()}</script>" if has_figures else ""
    return template.substitute(
        title=html.escape(title),
        css=css,
        plotly_js=plotly_js,
        meta=meta,
        chat_picker=_render_picker(chats),
        body=body,
        footer=footer,
        plotly_template=_template_json(),
        figures=_figure_scripts(chats),
    )
