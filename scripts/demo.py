"""The whole pipeline on a laptop, end to end, with no AWS account.

Reads `samples/updates.jsonl` (one Telegram Update per line, in delivery order) and writes
`{lake}/raw`, `{lake}/curated`, `{lake}/quarantine`, `{lake}/logs` and `{lake}/dashboard`:

1. replays every update over real HTTP through the local webhook server, which calls the
   real Lambda handler (secret header checked, raw stored byte for byte by arrival day);
2. imports `samples/history/result.json`, a Telegram Desktop export of the forum group
   that starts weeks before the bot joined and overlaps what the webhook saw
   (`history_import`, into the raw zone as `.jsonl.gz`);
3. runs the real Glue entry script with `spark-submit` over the arrival window;
4. prints, from the Athena views run on DuckDB, each group's days and top posters, the
   busiest group's reactions, join sources, inviters and reply pairs, and each channel's
   posts (a section without rows is named in one line, never printed empty);
5. writes the HTML dashboard.
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
from history_import.importer import ImportOptions, run_import
from ingest_lambda.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLE = REPO_ROOT / "samples" / "updates.jsonl"
DEFAULT_HISTORY = REPO_ROOT / "samples" / "history" / "result.json"
ENTRY_SCRIPT = REPO_ROOT / "glue_jobs" / "telegram_etl.py"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LAKE_ZONES = ("raw", "curated", "quarantine", "logs", "dashboard")
TOP_USERS = 10
TOP_ROWS = 10
# A custom emoji's id is no picture, and a paid reaction has no emoji: name them.
SHOWN_REACTION = (
    "case top_reaction_type when 'custom_emoji' then 'custom emoji' "
    "when 'paid' then '⭐ paid' else top_reaction end as top_reaction"
)


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
    print(f"     new message rows:            {counts.get('new_rows', 0)}")
    print(f"     duplicate deliveries:        {counts.get('duplicates', 0)}")
    print(f"     edits merged:                {counts.get('edits_merged', 0)}")
    print(f"     member-event updates:        {counts.get('member_event_updates', 0)}")
    print(f"     reaction updates:            {counts.get('reaction_updates', 0)}")
    print(f"     join requests:               {counts.get('join_request_updates', 0)}")
    print(
        f"     ignored (by type):           {sum(ignored.values())} "
        + ", ".join(f"{k}={v}" for k, v in sorted(ignored.items()))
    )
    print(f"     quarantined:                 {counts['quarantined']}")
    rows = summary.get("rows_written", {})
    print("   rows written: " + ", ".join(f"{table}={count}" for table, count in rows.items()))


def _cell(value: Any) -> Any:
    # A message snippet may hold line breaks: one line per row in a text table.
    return " ".join(value.split()) if isinstance(value, str) else value


def print_section(con: Any, heading: str, sql: str, params: list[Any]) -> bool:
    """Print one query as a table under `heading`; a query with no rows prints one line
    saying so instead of an empty table. Returns whether there were rows."""
    cursor = con.execute(sql, params)
    columns = [column[0] for column in cursor.description]
    rows = [tuple(_cell(value) for value in row) for row in cursor.fetchall()]
    if not rows:
        print(f"\n-- {heading}: no rows, skipped")
        return False
    _step(heading)
    print(format_table(columns, rows))
    return True


def demo_chats(con: Any) -> list[tuple[int, str, str, int]]:
    """(chat_id, title, type, activity messages) of every chat, busiest first (daily_activity
    carries each chat's latest title and type on every day)."""
    rows: list[tuple[int, str, str, int]] = con.execute(
        "select chat_id, max_by(chat_title, day) as chat_title, "
        "max_by(chat_type, day) as chat_type, sum(messages) as messages "
        "from daily_activity group by chat_id order by messages desc, chat_id"
    ).fetchall()
    return rows


def print_group(con: Any, chat_id: int, title: str, timezone: str) -> None:
    print_section(
        con,
        f"daily_activity: {title} ({chat_id}), days in {timezone}",
        "select day, messages, active_users, round(avg_text_length, 1) as avg_text_length, "
        "media_messages, edited_messages, replies, bot_messages, channel_posts "
        "from daily_activity where chat_id = ? order by day",
        [chat_id],
    )
    print_section(
        con,
        f"user_activity: top {TOP_USERS} posters in {title}",
        "select display_name, user_username, messages, active_days, "
        "round(share_of_chat_messages, 3) as share_of_chat_messages, "
        "round(avg_text_length, 1) as avg_text_length "
        "from user_activity where chat_id = ? order by messages desc, user_id limit ?",
        [chat_id, TOP_USERS],
    )


# The engagement views printed for the busiest group: (heading, SQL for one chat).
ENGAGEMENT_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        f"message_reactions: the {TOP_ROWS} most-reacted messages",
        "select author_name, left(text_snippet, 40) as text_snippet, total_reactions, "
        f"reacting_users, anonymous_reactions, {SHOWN_REACTION} from message_reactions "
        f"where chat_id = ? order by total_reactions desc, message_id limit {TOP_ROWS}",
    ),
    (
        "reactions_daily: reactions per day",
        "select day, reactions_added, reactions_removed, reacting_users, anonymous_change, "
        f"{SHOWN_REACTION} from reactions_daily where chat_id = ? order by day",
    ),
    (
        f"user_reactions: top {TOP_ROWS} by reactions received",
        "select display_name, reactions_given, reactions_received from user_reactions "
        f"where chat_id = ? order by reactions_received desc, reactions_given desc, user_id "
        f"limit {TOP_ROWS}",
    ),
    (
        "join_sources: where new members came from",
        "select day, join_source, joins from join_sources where chat_id = ? "
        "order by day, join_source",
    ),
    (
        f"top_inviters: top {TOP_ROWS}",
        "select inviter_type, inviter_name, members from top_inviters where chat_id = ? "
        f"order by members desc, inviter_name limit {TOP_ROWS}",
    ),
    (
        f"reply_pairs: the {TOP_ROWS} busiest reply pairs",
        "select display_name, replied_to_display_name, replied_to_is_person, replies "
        "from reply_pairs where chat_id = ? "
        f"order by replies desc, user_id, replied_to_user_id limit {TOP_ROWS}",
    ),
    (
        "join_requests_daily: requests and approvals",
        "select day, requests, approved, median_approval_seconds from join_requests_daily "
        "where chat_id = ? order by day",
    ),
)


def print_engagement(con: Any, chat_id: int, title: str) -> None:
    for heading, sql in ENGAGEMENT_SECTIONS:
        print_section(con, f"{heading} in {title}", sql, [chat_id])


def print_channel(con: Any, chat_id: int, title: str) -> None:
    print_section(
        con,
        f"channel posts: {title} ({chat_id})",
        "select day, messages as posts, round(avg_text_length, 1) as avg_text_length, "
        "media_messages from daily_activity where chat_id = ? order by day",
        [chat_id],
    )
    print_section(
        con,
        f"message_reactions: the {TOP_ROWS} most-reacted posts of {title}",
        "select left(text_snippet, 40) as text_snippet, content_type, total_reactions, "
        f"anonymous_reactions, {SHOWN_REACTION} from message_reactions where chat_id = ? "
        f"order by total_reactions desc, message_id limit {TOP_ROWS}",
        [chat_id],
    )


def print_views(con: Any, timezone: str) -> None:
    """Each group (busiest first): its days and top posters; the busiest group's engagement
    views; each channel's posts. Private chats with the bot are skipped."""
    chats = demo_chats(con)
    groups = [(c, t) for c, t, kind, _ in chats if kind in ("group", "supergroup")]
    for chat_id, title in groups:
        print_group(con, chat_id, title, timezone)
    if groups:
        print_engagement(con, *groups[0])
    for chat_id, title, kind, _ in chats:
        if kind == "channel":
            print_channel(con, chat_id, title)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lake", type=Path, default=Path(".lake"), help="local lake folder")
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    parser.add_argument("--history", type=Path, default=DEFAULT_HISTORY, help="a Desktop export")
    parser.add_argument("--timezone", default="UTC", help="IANA timezone of the views")
    args = parser.parse_args(argv)

    lake: Path = args.lake.resolve()
    started = time.monotonic()
    _step(f"Fresh local lake in {lake}")
    for zone in LAKE_ZONES:
        shutil.rmtree(lake / zone, ignore_errors=True)
        (lake / zone).mkdir(parents=True, exist_ok=True)

    _step(f"1/5 Replaying {args.sample.name} through the webhook (local HTTP server -> handler)")
    first_day = _today()
    statuses, _ = replay(args.sample, (lake / "raw").as_uri(), lake / "logs" / "webhook.log")
    last_day = _today()
    stored = sum(1 for _ in (lake / "raw").rglob("*.json"))
    print(
        f"   {statuses.get(200, 0)} deliveries accepted, {stored} raw objects "
        f"under raw/dt={first_day}/ (a redelivery overwrites its own key)"
    )

    _step(f"2/5 Importing {args.history}: the forum's history from before the bot joined")
    history = run_import(
        ImportOptions(export=args.history, raw_uri=str(lake / "raw"), bot_first_seen="none")
    )
    totals = history.totals()
    print(
        f"   {totals['messages_read']} export messages read, {totals['updates']} updates "
        f"written as {totals['files']} .jsonl.gz file(s); skipped: {dict(history.skipped)}"
    )
    last_day = max(last_day, date.fromisoformat(history.import_day))

    _step("3/5 Running the Glue job with spark-submit (flatten, dedup, edits, compaction)")
    summary = run_glue_job(lake, first_day, last_day)
    print_summary(statuses, summary)

    _step("4/5 Athena views on DuckDB")
    # Staging views computed once: every mart and every chart reads them.
    con = connect((lake / "curated").as_uri(), timezone=args.timezone, materialize_staging=True)
    try:
        print_views(con, args.timezone)
        _step("5/5 Dashboard")
        page = build_dashboard(con, lake / "dashboard", timezone=args.timezone, csv=True)
    finally:
        con.close()
    print(f"   open {page.as_uri()}  (chart data as CSV in {page.parent / 'csv'})")
    print(f"\nDone in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
