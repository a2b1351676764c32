"""View numbers: every Athena view run locally (DuckDB) over a curated zone, plus EXPLAIN.

    python -m bench.views_bench --curated DIR [--repeats 3] [--timezone UTC]

Reads `{curated}/messages` and `{curated}/member_events` through
`athena_views.local.connect`; writes nothing. Prints one JSON document: rows and median
seconds per view (each fully fetched as an Arrow table: columnar, the way BI clients read
results; Python tuples would add the client's per-cell object cost), the totals for the
required views and for all, and the EXPLAIN lines of a `dt`-filtered and an unfiltered
scan of `messages` (partition pruning shows as "Scanning Files: 1/N").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

import duckdb

from athena_views.local import connect
from athena_views.sql import load_views

REQUIRED_VIEWS = (
    "daily_activity",
    "user_activity",
    "user_daily_activity",
    "hourly_heatmap",
    "content_type_daily",
    "membership_daily",
)
STAGING_PREFIX = "stg_"
PLAN_MARKERS = (
    "File Filters",
    "Scanning Files",
    "Total Files Read",
    "Row Groups Scanned",
    "Data Read",
)


def plan_lines(plan: str) -> list[str]:
    """The scan-related lines of a DuckDB plan, box-drawing characters stripped."""
    lines = []
    for raw in plan.splitlines():
        text = raw.strip(" │╭╮╰╯─┴┬")
        if any(marker in text for marker in PLAN_MARKERS):
            lines.append(" ".join(text.split()))
    return lines


def fetch_times(con: duckdb.DuckDBPyConnection, view: str, repeats: int) -> tuple[int, list[float]]:
    """(rows, seconds of each run): the view fully fetched `repeats` times as Arrow."""
    rows, times = 0, []
    for _ in range(repeats):
        started = time.perf_counter()
        rows = con.sql(f"select * from {view}").to_arrow_table().num_rows
        times.append(time.perf_counter() - started)
    return rows, times


def run(curated: str, repeats: int, timezone: str) -> dict[str, Any]:
    started = time.perf_counter()
    con = connect(curated, timezone)
    connect_s = time.perf_counter() - started
    names = [name for name, _ in load_views(timezone) if not name.startswith(STAGING_PREFIX)]
    counts = con.execute("select count(*), count(distinct dt) from messages").fetchall()[0]
    members = con.execute("select count(*) from member_events").fetchall()[0]
    views: dict[str, dict[str, Any]] = {}
    for name in names:
        rows, times = fetch_times(con, name, repeats)
        views[name] = {"rows": rows, "median_s": statistics.median(times), "first_s": times[0]}
    first_day = con.execute("select min(dt) from messages").fetchall()[0]
    day = first_day[0].isoformat() if first_day and first_day[0] else "2026-11-02"
    probe = "select count(*), sum(text_length) from messages"
    filtered_sql = f"{probe} where dt = date '{day}'"
    explain: dict[str, Any] = {}
    for label, sql in (("filtered", filtered_sql), ("unfiltered", probe)):
        plan = con.execute(f"explain {sql}").fetchall()[0][1]
        analyzed = con.execute(f"explain analyze {sql}").fetchall()[0][1]
        explain[label] = {"query": sql, "plan": plan_lines(plan + "\n" + analyzed)}
    required = [v for v in REQUIRED_VIEWS if v in views]
    materialized = _materialized_required(curated, repeats, timezone, required)
    return {
        "messages": counts[0] if counts else 0,
        "partitions": counts[1] if counts else 0,
        "member_events": members[0] if members else 0,
        "connect_s": connect_s,
        "views": views,
        "required_total_s": sum(views[v]["median_s"] for v in required),
        "required_first_total_s": sum(views[v]["first_s"] for v in required),
        "all_total_s": sum(v["median_s"] for v in views.values()),
        "missing_required": [v for v in REQUIRED_VIEWS if v not in views],
        "explain": explain,
        **materialized,
    }


def _materialized_required(
    curated: str, repeats: int, timezone: str, required: list[str]
) -> dict[str, float]:
    """The dashboard's path: staging views materialized once, then the required views."""
    started = time.perf_counter()
    con = connect(curated, timezone, materialize_staging=True)
    connect_s = time.perf_counter() - started
    total = 0.0
    for name in required:
        total += statistics.median(fetch_times(con, name, repeats)[1])
    return {"materialized_connect_s": connect_s, "materialized_required_total_s": total}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.views_bench")
    parser.add_argument("--curated", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timezone", default="UTC")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.curated, args.repeats, args.timezone), default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
