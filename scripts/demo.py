"""The whole pipeline on a laptop, end to end, with no AWS account.

Reads `samples/updates.jsonl` (one Telegram Update per line, in delivery order) and writes
`{lake}/raw`, `{lake}/curated`, `{lake}/quarantine`, `{lake}/logs` and `{lake}/dashboard`:

1. replays every update over real HTTP through the local webhook server, which calls the
   real Lambda handler (secret header checked, raw stored byte for byte by arrival day);
2. runs the real Glue entry script with `spark-submit` over the arrival window;
3. prints the per-day and per-user analytics from the Athena views, run on DuckDB;
4. writes the HTML dashboard.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from athena_views.__main__ import format_table
from athena_views.local import connect
from dashboard import build_dashboard
from devtools.local_server import serve
from ingest_lambda.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLE = REPO_ROOT / "samples" / "updates.jsonl"
ENTRY_SCRIPT = REPO_ROOT / "glue_jobs" / "telegram_etl.py"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LAKE_ZONES = ("raw", "curated", "quarantine", "logs", "dashboard")
TOP_USERS = 10
MAX_CHATS = 3


def _step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def _today() -> date:
    return datetime.now(UTC).date()


def read_sample(path: Path) -> Iterator[bytes]:
    with path.open("rb") as lines:
        for line in lines:
            body = line.rstrip(b"\r\n")
            if body:
                yield body


def replay(sample: Path, raw_uri: str, log_path: Path) -> tuple[Counter[int], str]:
    """POST every sample update to the local webhook server; return status counts.

    Also sends two requests an attacker or a broken client would send, to show that the
    webhook turns them away without storing anything.
    """

    secret = secrets.token_urlsafe(24)
    settings = Settings.from_env({"RAW_URI": raw_uri, "WEBHOOK_SECRET": secret})
    log_stream = log_path.open("w", encoding="utf-8")
    server = serve("127.0.0.1", 0, settings, log_stream=log_stream)
    host, port = server.server_address[:2]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    statuses: Counter[int] = Counter()
    try:
        conn = http.client.HTTPConnection(str(host), int(port), timeout=30)
        headers = {"Content-Type": "application/json", SECRET_HEADER: secret}
        for body in read_sample(sample):
            conn.request("POST", "/", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            statuses[response.status] += 1
        rejected = {
            "wrong secret": (b'{"update_id": 1}', {**headers, SECRET_HEADER: "wrong"}),
            "not JSON": (b"{not json", headers),
        }
        for label, (body, request_headers) in rejected.items():
            conn.request("POST", "/", body=body, headers=request_headers)
            response = conn.getresponse()
            response.read()
            print(f"   rejected on purpose ({label}): HTTP {response.status}")
        conn.close()
    finally:
        server.shutdown()
        server.server_close()
        log_stream.close()
    return statuses, secret


def run_glue_job(lake: Path, start: date, end: date) -> dict[str, Any]:
    """Run the Glue entry script under spark-submit; return the run summary it wrote."""
    spark_submit = Path(sys.executable).parent / "spark-submit"
    curated = lake / "curated"
    command = [
        str(spark_submit),
        "--master",
        "local[2]",
        "--driver-memory",
        "2g",
        "--conf",
        "spark.ui.enabled=false",
        str(ENTRY_SCRIPT),
        "--JOB_NAME",
        "telegram-lake-demo",
        "--raw_uri",
        (lake / "raw").as_uri(),
        "--curated_uri",
        curated.as_uri(),
        "--quarantine_uri",
        (lake / "quarantine").as_uri(),
        "--start_date",
        start.isoformat(),
        "--end_date",
        end.isoformat(),
    ]
    log_path = lake / "logs" / "glue_job.log"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    print(
        "   $ spark-submit glue_jobs/telegram_etl.py --raw_uri ... "
        f"--start_date {start} --end_date {end}"
    )
    with log_path.open("wb") as log:
        result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=env, check=False)
    if result.returncode != 0:
        tail = log_path.read_text("utf-8", errors="replace").splitlines()[-40:]
        print("\n".join(tail), file=sys.stderr)
        raise SystemExit(f"the Glue job failed (exit {result.returncode}); full log: {log_path}")
    runs = sorted((curated / "_runs").glob("*.json"), key=lambda p: p.stat().st_mtime)
    if not runs:
        raise SystemExit(f"the Glue job wrote no run summary under {curated / '_runs'}")
    summary: dict[str, Any] = json.loads(runs[-1].read_text("utf-8"))
    return summary


def print_summary(statuses: Counter[int], summary: dict[str, Any]) -> None:
    counts = summary["counts"]
    ignored = counts.get("ignored", {})
    print(
        f"   updates stored by the webhook: {statuses.get(200, 0)} "
        f"(other statuses: {dict((k, v) for k, v in statuses.items() if k != 200) or 'none'})"
    )
    print(f"   raw lines read by the job:     {counts['lines_read']}")
    print(f"     new message rows:            {counts['new_rows']}")
    print(f"     duplicate deliveries:        {counts['duplicates']}")
    print(f"     edits merged:                {counts['edits_merged']}")
    print(f"     member-event updates:        {counts['member_event_updates']}")
    print(
        f"     ignored (by type):           {sum(ignored.values())} "
        + ", ".join(f"{k}={v}" for k, v in sorted(ignored.items()))
    )
    print(f"     quarantined:                 {counts['quarantined']}")
    rows = summary.get("rows_written", {})
    print(
        f"   rows written: messages={rows.get('messages')}, "
        f"member_events={rows.get('member_events')}"
    )


def _print_query(con: Any, sql: str, params: list[Any]) -> None:
    cursor = con.execute(sql, params)
    columns = [column[0] for column in cursor.description]
    print(format_table(columns, cursor.fetchall()))


def print_views(con: Any, timezone: str) -> None:
    chats = con.execute(
        "select chat_id, max(chat_title) as chat_title, count(*) as messages "
        "from messages where chat_type <> 'private' "
        "group by chat_id order by messages desc limit ?",
        [MAX_CHATS],
    ).fetchall()
    for chat_id, title, _ in chats:
        _step(f"daily_activity: {title} ({chat_id}), days in {timezone}")
        _print_query(
            con,
            "select day, messages, active_users, avg_text_length, media_messages, "
            "edited_messages, replies, bot_messages from daily_activity "
            "where chat_id = ? order by day",
            [chat_id],
        )
        _step(f"user_activity: top {TOP_USERS} posters in {title}")
        _print_query(
            con,
            "select display_name, user_username, messages, active_days, "
            "round(share_of_chat_messages, 3) as share_of_chat_messages, avg_text_length "
            "from user_activity where chat_id = ? order by messages desc, user_id limit ?",
            [chat_id, TOP_USERS],
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lake", type=Path, default=Path(".lake"), help="local lake folder")
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    parser.add_argument("--timezone", default="UTC", help="IANA timezone of the views")
    args = parser.parse_args(argv)

    lake: Path = args.lake.resolve()
    started = time.monotonic()
    _step(f"Fresh local lake in {lake}")
    for zone in LAKE_ZONES:
        shutil.rmtree(lake / zone, ignore_errors=True)
        (lake / zone).mkdir(parents=True, exist_ok=True)

    _step(f"1/4 Replaying {args.sample.name} through the webhook (local HTTP server -> handler)")
    first_day = _today()
    statuses, _ = replay(args.sample, (lake / "raw").as_uri(), lake / "logs" / "webhook.log")
    last_day = _today()
    stored = sum(1 for _ in (lake / "raw").rglob("*.json"))
    print(
        f"   {statuses.get(200, 0)} deliveries accepted, {stored} raw objects "
        f"under raw/dt={first_day}/ (a redelivery overwrites its own key)"
    )

    _step("2/4 Running the Glue job with spark-submit (flatten, dedup, edits, compaction)")
    summary = run_glue_job(lake, first_day, last_day)
    print_summary(statuses, summary)

    _step("3/4 Athena views on DuckDB")
    # Staging views computed once: every mart and every chart reads them.
    con = connect((lake / "curated").as_uri(), timezone=args.timezone, materialize_staging=True)
    try:
        print_views(con, args.timezone)
        _step("4/4 Dashboard")
        page = build_dashboard(con, lake / "dashboard", timezone=args.timezone, csv=True)
    finally:
        con.close()
    print(f"   open {page.as_uri()}  (chart data as CSV in {page.parent / 'csv'})")
    print(f"\nDone in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
