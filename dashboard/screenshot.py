"""`python -m dashboard.screenshot`: a PNG of a dashboard page, taken by headless Chromium.

Reads: a written dashboard (`index.html`, opened as a `file://` URL; Chromium with a fresh,
temporary profile). Writes: the PNG (e.g. `docs/dashboard.png`, the README screenshot).

    python -m dashboard.screenshot --page .lake/dashboard/index.html --out docs/dashboard.png

Needs Chromium (Debian package `chromium`, or `--chromium PATH` / env CHROMIUM).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

DEFAULT_SIZE = (1400, 2400)
TIMEOUT_SECONDS = 120
# Chromium headless reports a device without hover, so Plotly would pin every chart's
# toolbar on; a laptop with a mouse (what the screenshot shows) hides them until hover.
HOVER_DEVICE = (
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,"
    "primaryPointerType=4,availablePointerTypes=4"
)


def find_chromium(explicit: str | None = None) -> str:
    found = (
        explicit
        or os.environ.get("CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not found:
        raise FileNotFoundError(
            "Chromium not found: install it (Debian/Ubuntu: apt-get install -y chromium) "
            "or pass --chromium / set CHROMIUM"
        )
    return found


def chromium_command(chromium: str, profile: Path, size: tuple[int, int]) -> list[str]:
    """Headless Chromium, isolated and quiet: fresh profile, no network chatter, no GPU."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        # Let the page's scripts, timers and promises settle before the capture.
        "--virtual-time-budget=15000",
        f"--window-size={size[0]},{size[1]}",
    ]


def take_screenshot(
    page: Path, out: Path, *, size: tuple[int, int] = DEFAULT_SIZE, chromium: str | None = None
) -> Path:
    """Capture `page` at `size` (CSS pixels) into the PNG `out`; return `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dashboard-chromium-") as profile:
        command = [
            *chromium_command(find_chromium(chromium), Path(profile), size),
            HOVER_DEVICE,
            f"--screenshot={out.resolve()}",
            page.resolve().as_uri(),
        ]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    if result.returncode != 0 or not out.is_file():
        raise RuntimeError(f"chromium failed ({result.returncode}): {result.stderr[-2000:]}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.screenshot", description=__doc__)
    parser.add_argument("--page", type=Path, required=True, help="the dashboard's index.html")
    parser.add_argument("--out", type=Path, required=True, help="PNG to write")
    parser.add_argument("--width", type=int, default=DEFAULT_SIZE[0])
    parser.add_argument("--height", type=int, default=DEFAULT_SIZE[1])
    parser.add_argument("--chromium", help="Chromium binary (default: env CHROMIUM, PATH)")
    args = parser.parse_args(argv)
    out = take_screenshot(
        args.page, args.out, size=(args.width, args.height), chromium=args.chromium
    )
    print(f"Screenshot written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
