"""Hand-built Telegram updates and raw trees for the Glue job tests.

Shapes follow the Telegram Bot API documentation (`Update`, `Message`, `User`, `Chat`,
`ChatMemberUpdated`, `ChatMember*`, `MessageOrigin*`, `MessageReactionUpdated`,
`ReactionType*`, `ChatJoinRequest`): only documented fields, written out by hand. Writes
raw trees only under the folders the tests pass (pytest tmp dirs); reads the curated
Parquet and quarantine JSON a run wrote there (pyarrow and json, no Spark), and runs the
entry script under `spark-submit`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

Update = dict[str, Any]

GROUP = {"id": -1001234567890, "title": "Lake Friends", "type": "supergroup"}
OTHER_GROUP = {"id": -1009876543210, "title": "Second Group", "type": "group"}
CHANNEL = {"id": -1001111111111, "title": "Lake News", "type": "channel"}
ALICE = {
    "id": 111111,
    "is_bot": False,
    "first_name": "Alice",
    "last_name": "Liddell",
    "username": "alice",
    "language_code": "en",
}
BOB = {"id": 222222, "is_bot": False, "first_name": "Bob"}
HELPER_BOT = {"id": 999999, "is_bot": True, "first_name": "Helper", "username": "helper_bot"}
#: A basic group and the supergroup Telegram upgrades it to (a migration pair).
BASIC_GROUP = {"id": -4001, "title": "Trilhas", "type": "group"}
SUPERGROUP = {"id": -1004001, "title": "Trilhas", "type": "supergroup"}
THUMBS = {"type": "emoji", "emoji": "👍"}
HEART = {"type": "emoji", "emoji": "❤"}
#: Every curated table (a hand-written copy of the contract's list, see tests/contract.py).
CURATED_TABLE_NAMES = ("messages", "member_events", "chat_migrations", "reactions", "join_requests")


def epoch(text: str) -> int:
    """'2024-03-01 10:00:00' (UTC) -> Unix seconds, as Telegram sends `date`."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def utc(text: str) -> datetime:
    """'2024-03-01 10:00:00' -> aware UTC datetime, for expected timestamp cells."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def message(
    update_id: int,
    message_id: int,
    sent: str,
    *,
    chat: Mapping[str, Any] = GROUP,
    sender: Mapping[str, Any] | None = ALICE,
    update_type: str = "message",
    edited: str | None = None,
    **fields: Any,
) -> Update:
    """An Update carrying a Message (`message`, `edited_message`, `channel_post`, ...)."""
    body: dict[str, Any] = {"message_id": message_id}
    if sender is not None:
        body["from"] = dict(sender)
    body["chat"] = dict(chat)
    body["date"] = epoch(sent)
    if edited is not None:
        body["edit_date"] = epoch(edited)
    if not fields:
        fields = {"text": f"message {message_id}"}
    body.update(fields)
    return {"update_id": update_id, update_type: body}


def edit(update_id: int, message_id: int, sent: str, edited: str, **fields: Any) -> Update:
    return message(
        update_id, message_id, sent, update_type="edited_message", edited=edited, **fields
    )


def chat_member(
    update_id: int,
    at: str,
    user: Mapping[str, Any],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    chat: Mapping[str, Any] = GROUP,
    actor: Mapping[str, Any] = ALICE,
) -> Update:
    """A `chat_member` Update; `old`/`new` are ChatMember bodies without `user`."""
    return {
        "update_id": update_id,
        "chat_member": {
            "chat": dict(chat),
            "from": dict(actor),
            "date": epoch(at),
            "old_chat_member": {**old, "user": dict(user)},
            "new_chat_member": {**new, "user": dict(user)},
        },
    }


def reaction(
    update_id: int,
    message_id: int,
    at: str,
    old: Iterable[Mapping[str, Any]],
    new: Iterable[Mapping[str, Any]],
    *,
    chat: Mapping[str, Any] = GROUP,
    user: Mapping[str, Any] = ALICE,
) -> Update:
    """A `message_reaction` Update: `user` changed their reactions from `old` to `new`."""
    return {
        "update_id": update_id,
        "message_reaction": {
            "chat": dict(chat),
            "message_id": message_id,
            "user": dict(user),
            "date": epoch(at),
            "old_reaction": [dict(kind) for kind in old],
            "new_reaction": [dict(kind) for kind in new],
        },
    }


def join_request(
    update_id: int,
    at: str,
    user: Mapping[str, Any],
    *,
    chat: Mapping[str, Any] = GROUP,
    link_name: str | None = None,
) -> Update:
    """A `chat_join_request` Update, through a named invite link when `link_name` is given."""
    body: dict[str, Any] = {
        "chat": dict(chat),
        "from": dict(user),
        "user_chat_id": user["id"],
        "date": epoch(at),
    }
    if link_name is not None:
        body["invite_link"] = {
            "invite_link": "https://t.me/+AbCdEf123",
            "creator": ALICE,
            "creates_join_request": True,
            "is_primary": False,
            "is_revoked": False,
            "name": link_name,
        }
    return {"update_id": update_id, "chat_join_request": body}


def migration_pair(first_update_id: int, at: str) -> tuple[Update, Update]:
    """The two service messages of one upgrade of BASIC_GROUP to SUPERGROUP."""
    to = message(first_update_id, 90, at, chat=BASIC_GROUP, migrate_to_chat_id=SUPERGROUP["id"])
    from_ = message(
        first_update_id + 1, 1, at, chat=SUPERGROUP, migrate_from_chat_id=BASIC_GROUP["id"]
    )
    return to, from_


def write_raw(
    raw: Path,
    day: str,
    files: Iterable[Update | str] = (),
    *,
    ndjson: Mapping[str, Iterable[Update | str]] | None = None,
) -> None:
    """Store updates like the webhook does: `dt={day}/{update_id}.json`, bytes as given.

    A str is written verbatim (for broken payloads), named by its position. `ndjson` maps a
    file name (`*.jsonl` or `*.jsonl.gz`) to the lines of a batch file.
    """
    folder = raw / f"dt={day}"
    folder.mkdir(parents=True, exist_ok=True)
    for position, item in enumerate(files):
        if isinstance(item, str):
            (folder / f"broken-{position}.json").write_text(item, "utf-8")
        else:
            (folder / f"{item['update_id']}.json").write_text(json.dumps(item), "utf-8")
    for name, lines in (ndjson or {}).items():
        text = "".join(
            (line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines
        )
        if name.endswith(".gz"):
            (folder / name).write_bytes(gzip.compress(text.encode("utf-8")))
        else:
            (folder / name).write_text(text, "utf-8")


def tree_digest(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under root (for the raw-is-read-only check)."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


class Lake(TypedDict):
    """The zone URIs of a glue_jobs.config.JobConfig."""

    raw_uri: str
    curated_uri: str
    quarantine_uri: str


def lake(tmp: Path) -> Lake:
    """run() URI keywords for a lake under tmp (plain local paths, no scheme)."""
    return {
        "raw_uri": str(tmp / "raw"),
        "curated_uri": str(tmp / "curated"),
        "quarantine_uri": str(tmp / "quarantine"),
    }


def run_job(spark: SparkSession, uris: Lake, **options: Any) -> dict[str, Any]:
    """Run the job (`glue_jobs.job.run`) over a test lake; returns the run summary."""
    from glue_jobs.config import JobConfig  # noqa: PLC0415 (pyspark-free modules import fast)
    from glue_jobs.job import run  # noqa: PLC0415

    return run(spark, JobConfig(**uris, **options))


Rows = list[tuple[tuple[str, Any], ...]]


def table_rows(folder: Path) -> Rows:
    """Every row of a curated table (all its `dt=` folders, every column, dt included),
    read with pyarrow as a reader outside Spark would, in a stable order."""
    if not folder.exists():
        return []
    import pyarrow.parquet as pq  # noqa: PLC0415 (only the tests that read Parquet need it)

    rows = pq.read_table(folder).to_pylist()
    return sorted((tuple(sorted(row.items())) for row in rows), key=repr)


def curated_rows(curated: Path) -> dict[str, Rows]:
    """{table: table_rows} of every curated table."""
    return {name: table_rows(curated / name) for name in CURATED_TABLE_NAMES}


def quarantine_records(quarantine: Path) -> list[tuple[tuple[str, Any], ...]]:
    """Every quarantine record with its arrival folder, every field but `run_id`, sorted."""
    return sorted(
        (("dt", part.parent.name), *sorted((k, v) for k, v in record.items() if k != "run_id"))
        for part in quarantine.glob("dt=*/*.json")
        for record in map(json.loads, part.read_text("utf-8").splitlines())
    )


def submit_job(
    repo_root: Path,
    uris: Lake,
    *job_args: str,
    cwd: Path,
    master: str = "local[2]",
    spark_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run `glue_jobs/telegram_etl.py` under the virtualenv's spark-submit (as the demo and
    `make etl` do) from `cwd`, the project's interpreter as PYSPARK_PYTHON."""
    command = [
        str(Path(sys.executable).parent / "spark-submit"),
        "--master",
        master,
        "--conf",
        "spark.ui.enabled=false",
        *spark_args,
        str(repo_root / "glue_jobs" / "telegram_etl.py"),
        "--JOB_NAME",
        "telegram-lake-test",
        "--raw_uri",
        uris["raw_uri"],
        "--curated_uri",
        uris["curated_uri"],
        "--quarantine_uri",
        uris["quarantine_uri"],
        *job_args,
    ]
    environment = {
        **os.environ,
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        **(env or {}),
    }
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
