"""The dashboard in headless Chromium: every chart draws, no page errors, a screenshot.

Built from the hand-built curated zone through the real views (`athena_views.local`).
Chromium runs with its own flags only (`dashboard.screenshot.chromium_command`; no driver
dependency): `--dump-dom` returns the DOM after the page's scripts ran, and the page itself
collects every script error, failed resource, offline-policy (CSP) violation and
`console.error` into `#page-errors` and sets `#render-status[data-state=ok]` once all
charts are drawn without one.

Needs the Debian package `chromium` (or env CHROMIUM=/path/to/chrome). Without it the tests
skip locally and FAIL when the env var CI is set.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from athena_views.local import connect
from dashboard import build_dashboard
from dashboard.screenshot import chromium_command, take_screenshot

pytestmark = pytest.mark.browser

SCREEN = (1400, 2400)
CHROMIUM_TIMEOUT_SECONDS = 120
ARTIFACTS = Path(".lake") / "test-artifacts"
# Lake House, the busiest chat, comes first; Lake News is a channel; Book Club is the
# section the page is opened on.
FIRST_CHAT, CHANNEL_CHAT, SECOND_CHAT = (
    "chat-n1001234567890",
    "chat-n1005555555555",
    "chat-n1009876543210",
)


def chromium_binary() -> str:
    found = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if found:
        return found
    message = (
        "Chromium is needed for the dashboard browser tests: `apt-get install -y chromium` "
        "(Debian/Ubuntu) or set CHROMIUM=/path/to/chromium."
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but Chromium is missing. {message}")
    pytest.skip(message)


def run_chromium(binary: str, workdir: Path, url: str, *args: str) -> str:
    """Run headless Chromium once on `url` with a fresh profile; return its stdout."""
    profile = workdir / f"profile-{uuid.uuid4().hex}"
    command = [*chromium_command(binary, profile, SCREEN), *args, url]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_SECONDS, check=False
    )
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def page(
    tmp_path_factory: pytest.TempPathFactory, write_curated: Callable[[Path], Path]
) -> dict[str, Any]:
    binary = chromium_binary()
    root = tmp_path_factory.mktemp("browser")
    curated = write_curated(root / "curated")
    con = connect(str(curated), timezone="Asia/Tokyo")
    try:
        index = build_dashboard(con, root / "dashboard", timezone="Asia/Tokyo")
    finally:
        con.close()
    return {"index": index, "root": root, "binary": binary}


def drawn_traces(dom: str, chart_id: str) -> tuple[int, int]:
    """(main-svg elements, drawn traces) inside one chart's card of the rendered DOM."""
    start = dom.index(f'id="{chart_id}"')
    card = dom[start : dom.index("</article>", start)]
    svgs = len(re.findall(r'class="main-svg"', card))
    # Plotly draws one <g class="trace ..."> per bar/scatter trace, one <g class="hm"> per
    # heatmap (with its <image>).
    traces = len(re.findall(r'class="trace (?:bars|scatter)', card))
    heatmaps = len(re.findall(r'class="hm"', card)) if "<image" in card else 0
    return svgs, traces + heatmaps


def expected_figures(source: str, parse: Any) -> dict[str, int]:
    """Chart id -> number of visible traces, from the figure JSON the page carries."""
    figures = parse(source).figures
    return {
        chart_id: sum(1 for trace in figure["data"] if trace.get("visible", True) is not False)
        for chart_id, figure in figures.items()
    }


def test_every_chart_renders_without_page_errors(page: dict[str, Any], parse_page: Any) -> None:
    index: Path = page["index"]
    source = index.read_text("utf-8")
    expected = expected_figures(source, parse_page)
    # The curated fixture feeds all fourteen charts of the group and the channel's six
    # (reactions, most-reacted messages, join sources, inviters and the reply matrix
    # included).
    assert len([c for c in expected if c.startswith(FIRST_CHAT)]) == 14
    assert len([c for c in expected if c.startswith(CHANNEL_CHAT)]) == 6
    assert "hidden" in parse_page(source).ids[f"section-{SECOND_CHAT}"]

    # Opened on the second chat (the fragment drives the chat selector): every chart of
    # every chat is drawn all the same, hidden or not.
    url = f"{index.as_uri()}#{SECOND_CHAT}"
    dom = run_chromium(page["binary"], page["root"], url, "--dump-dom")
    rendered = parse_page(dom)

    errors = re.search(r'<pre id="page-errors">(.*?)</pre>', dom, re.S)
    assert errors is not None, "the page's error box is missing"
    assert errors.group(1).strip() == "", errors.group(1)
    status = rendered.ids["render-status"]
    assert status.get("data-state") == "ok"
    assert status.get("data-charts") == str(len(expected))
    for chart_id, traces in expected.items():
        svgs, drawn = drawn_traces(dom, chart_id)
        assert svgs >= 1, f"{chart_id}: no plot drawn"
        assert drawn == traces, f"{chart_id}: {drawn} traces drawn, {traces} in the figure"
    assert "hidden" in rendered.ids[f"section-{FIRST_CHAT}"]
    assert "hidden" not in rendered.ids[f"section-{SECOND_CHAT}"]


def test_screenshot_is_saved_as_an_artifact(page: dict[str, Any], repo_root: Path) -> None:
    shot = take_screenshot(page["index"], page["root"] / "dashboard.png", chromium=page["binary"])
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == SCREEN
    # A blank page compresses to a few kilobytes; fourteen drawn charts do not.
    assert len(data) > 50_000
    artifacts = repo_root / ARTIFACTS
    artifacts.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, artifacts / "dashboard.png")


def test_the_error_collector_reports_errors(
    tmp_path: Path, views_connection: Any, parse_page: Any
) -> None:
    """Guards the guard: a page error must show up, or an empty #page-errors proves nothing."""
    binary = chromium_binary()
    # The no-messages page: same head (error collector, offline policy), no Plotly.js.
    index = build_dashboard(views_connection({}), tmp_path / "site")
    broken = index.read_text("utf-8").replace(
        "</body>",
        '<img src="https://cdn.example.invalid/pixel.png" alt="">'
        '<script>console.error("boom"); undefinedFunction();</script></body>',
    )
    index.write_text(broken, "utf-8")
    dom = run_chromium(binary, tmp_path, index.as_uri(), "--dump-dom")
    errors = re.search(r'<pre id="page-errors">(.*?)</pre>', dom, re.S)
    assert errors is not None
    reported = errors.group(1)
    assert "console.error: boom" in reported
    assert "undefinedFunction" in reported
    assert "blocked by the page's offline policy: https://cdn.example.invalid/pixel.png" in reported
    assert parse_page(dom).ids["render-status"].get("data-state") == "error"
