"""Command line of the privacy tools.

    python -m privacy_tools export-user --user-id ID [--curated-uri .lake/curated]
        [--privacy-key-uri FILE_OR_secretsmanager:ARN] [--out FILE]

`export-user` reads the curated zone and writes one JSON document with everything it holds
about the person (`privacy_tools.export`) to `--out` (readable by its owner only) or to
stdout; a summary goes to stderr. Bad input (an id that is not a person's, a missing
curated zone, an unreadable key) is an error on stderr with exit status 1, and nothing is
written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from athena_views.local import DEFAULT_CURATED_URI
from lake.privacy import PrivacyKeyError
from privacy_tools.export import SECTIONS, ExportError, export_user, is_empty, write_document
from privacy_tools.keys import read_key


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m privacy_tools", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser(
        "export-user",
        help="everything the lake holds about one person, as one JSON document",
        description="Answer an access request: everything the curated zone holds about one "
        "person (their messages, membership changes, reactions, join requests, the chats "
        "they appear in, ids of replies to them and forwards of their messages).",
    )
    export.add_argument("--user-id", type=int, required=True, help="the person's Telegram id")
    export.add_argument(
        "--curated-uri",
        default=DEFAULT_CURATED_URI,
        help=f"curated zone root: a path or file:// URI (default {DEFAULT_CURATED_URI})",
    )
    export.add_argument(
        "--privacy-key-uri",
        help="the privacy key (a key file, or secretsmanager:ARN): needed when the lake is "
        "pseudonymous, to find the person's pseudonym",
    )
    export.add_argument("--out", type=Path, help="write the document here (default: stdout)")
    return parser


def export_command(args: argparse.Namespace) -> int:
    key = read_key(args.privacy_key_uri) if args.privacy_key_uri else None
    document = export_user(args.curated_uri, args.user_id, key=key)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_document(text, args.out)
    counts = ", ".join(f"{section.name} {len(document[section.name])}" for section in SECTIONS)
    where = args.out if args.out is not None else "stdout"
    print(f"export of user {args.user_id} -> {where}: {counts}", file=sys.stderr)
    if is_empty(document):
        hint = "" if key else " (if the lake is pseudonymous, pass --privacy-key-uri)"
        print(f"the lake holds nothing about user {args.user_id}{hint}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return export_command(args)
    except (ExportError, PrivacyKeyError, duckdb.Error, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
