"""Command line of the history importer.

    python -m history_import EXPORT_JSON --raw_uri URI [--chat ID_OR_NAME] [--timezone ZONE]
        [--curated_uri URI] [--bot_first_seen ISO|none] [--migrated_from_chat_id ID]
        [--dry_run] [--report_json PATH] [--no_progress]

Reads the export (and the lake, see `history_import.importer`); writes the import into the
raw zone, the progress bar to stderr (on a terminal) and the report to stdout. Exit status:
0 imported (or nothing new), 2 refused (not an export, `--timezone` needed, `--chat` not
found, bad arguments; nothing written), 1 any other failure (nothing committed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from history_import.errors import ImportRefusedError
from history_import.importer import ImportOptions, run_import
from history_import.progress import ProgressBar

EXIT_REFUSED = 2


def parse_args(argv: Sequence[str] | None = None) -> tuple[ImportOptions, argparse.Namespace]:
    parser = argparse.ArgumentParser(
        prog="python -m history_import",
        description="Import a Telegram Desktop chat export (result.json) into the raw zone.",
    )
    parser.add_argument("export", type=Path, help="result.json of 'Export chat history'")
    parser.add_argument("--raw_uri", required=True, help="raw zone: s3://bucket/prefix or a path")
    parser.add_argument("--chat", help="one chat of a full-account export: its id or name")
    parser.add_argument(
        "--timezone",
        help="IANA zone of the computer that made an export older than Telegram Desktop 4.0",
    )
    parser.add_argument(
        "--curated_uri", help="curated zone, to find the bot's first message in a basic group"
    )
    parser.add_argument(
        "--bot_first_seen",
        help="basic groups and private chats: when the bot saw its first message there "
        "(ISO 8601 with zone), or 'none'; default: looked up in the lake",
    )
    parser.add_argument(
        "--migrated_from_chat_id",
        type=int,
        help="a supergroup upgraded from a basic group: that group's Bot API id, to import "
        "its history too",
    )
    parser.add_argument("--dry_run", action="store_true", help="map and report, write nothing")
    parser.add_argument("--report_json", type=Path, help="also write the report as JSON here")
    parser.add_argument("--no_progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    options = ImportOptions(
        export=args.export,
        raw_uri=args.raw_uri,
        chat=args.chat,
        timezone=args.timezone,
        curated_uri=args.curated_uri,
        bot_first_seen=args.bot_first_seen,
        migrated_from_chat_id=args.migrated_from_chat_id,
        dry_run=args.dry_run,
    )
    return options, args


def main(argv: Sequence[str] | None = None) -> int:
    options, args = parse_args(argv)
    progress = ProgressBar(0, enabled=False if args.no_progress else None)
    try:
        report = run_import(options, progress=progress)
    except ImportRefusedError as error:
        progress.close()
        print(f"history_import: {error}", file=sys.stderr)
        return EXIT_REFUSED
    print(report.render())
    if args.report_json is not None:
        args.report_json.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
