"""The erasure check on a lake built from the bundled sample.

The sample goes into a raw zone the way the webhook stores it (`.json` objects) for its first
days and as gzip NDJSON batches after, with a few broken lines that the Glue job quarantines;
the real Glue job builds the curated zone. Then two people of the sample are forgotten:

- Michael Turner (7397125524, `@michael_turner`): replies a lot and is replied to, is
  mentioned by username, is forwarded, writes to a channel's direct messages;
- Daniel O'Neill (233833463, no username): reacts, joined through an invite link, is
  mentioned with a `text_mention`.

The first erasure run is made to crash part-way (while it deletes raw objects); a second
run finishes it. Then every byte of raw, quarantine and curated (Parquet read back as
values) and every view is searched for their ids, names, usernames and texts of theirs,
and every other person's counts are compared with the counts before. A third run is a
no-op. Expectations come from reading the sample with plain `json`, never from the code
under test.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from erasure_builders import KEY, LAST_WEBHOOK_DAY, sample_deliveries, write_gzip_lines

from glue_jobs.erasure.config import ErasureConfig
from glue_jobs.erasure.job import run as forget
from glue_jobs.erasure.stores import LocalRawStore
from lake.privacy import pseudonym, request_hash
from samples.writers import write_raw

pytestmark = pytest.mark.spark

MICHAEL, DANIEL = 7397125524, 233833463
PEOPLE = (MICHAEL, DANIEL)
USERNAMES = ("michael_turner",)
#: Their names as the lake spells them (`first_name`, `last_name` side by side).
NAME_PAIRS = (("Michael", "Turner"), ("Daniel", "O'Neill"))
#: Texts that only they wrote in the sample (the same words appear in nobody else's
#: message): gone from their messages and from every copy in a reply to them.
THEIR_TEXTS = (
    "Thanks @lucas_araujo, that fixed it 🙏",
    "I'd use COPY ... PARTITION_BY for that (editado)",
    "Tem vaga para palestrar no próximo meetup?",
    "Prod is on fire again 🔥 lol ✏️",
)
ANA = 504285457  # the groups' admin: replies to both, mentions Daniel
START, END = "2026-11-01", "2026-11-20"


class CrashingStore(LocalRawStore):
    """Raw files on disk, but the process dies at the third deletion."""

    def __init__(self, raw_uri: str) -> None:
        super().__init__(raw_uri)
        self.deletions = 0

    def delete(self, uri: str) -> int:
        self.deletions += 1
        if self.deletions == 3:
            raise RuntimeError("simulated crash")
        return super().delete(uri)


@dataclass
class Erased:
    root: Path
    before: dict[str, Counter[int]]
    quarantined_before: int
    crash: dict[str, Any]
    audit: dict[str, Any]
    rerun: dict[str, Any]
    digest_before_rerun: dict[str, str]


def build_raw(raw: Path) -> None:
    deliveries = list(sample_deliveries())
    write_raw([d for d in deliveries if d[0].day <= LAST_WEBHOOK_DAY], raw)
    write_raw([d for d in deliveries if d[0].day > LAST_WEBHOOK_DAY], raw, ndjson_gz=True)
    # Broken lines the Glue job quarantines: two of Michael's, one of Daniel's, two nobody's.
    day = raw / "dt=2026-11-05"
    (day / "broken-1.json").write_text(
        '{"update_id": 900000001, "message": {"message_id": 5, "from": {"id": 7397125524, '
        '"is_bot": false, "first_name": "Michael", "last_name": "Turner", "username": '
        '"michael_turner"}, "date": 1793700000, "text": "no chat here"}}',
        "utf-8",
    )
    (day / "broken-2.json").write_text(
        '{"update_id": 900000002, "message": {"text": "ping @michael_turner about the', "utf-8"
    )
    (day / "broken-3.json").write_text("not json, nobody's", "utf-8")
    write_gzip_lines(
        raw / "dt=2026-11-13" / "extra.jsonl.gz",
        ['{"update_id": 900000004, "message_reaction": {"user": {"id": 233833463, "first', "{}"],
    )


def curated_counts(curated: Path) -> dict[str, Counter[int]]:
    """Per-person counts of the curated tables (plain pyarrow, not the code under test)."""
    messages = pq.read_table(curated / "messages", columns=["user_id"]).column(0).to_pylist()
    reactions = pq.read_table(curated / "reactions", columns=["actor_user_id", "update_id"])
    given = {
        (actor, update)
        for actor, update in zip(*(column.to_pylist() for column in reactions.columns), strict=True)
        if actor is not None
    }
    members = pq.read_table(curated / "member_events", columns=["user_id"]).column(0).to_pylist()
    requests = pq.read_table(curated / "join_requests", columns=["user_id"]).column(0).to_pylist()
    return {
        "messages": Counter(user for user in messages if user is not None),
        "reactions_given": Counter(actor for actor, _ in given),
        "member_events": Counter(members),
        "join_requests": Counter(requests),
    }


def quarantine_records(quarantine: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in sorted(quarantine.rglob("*.json"))
        if not path.name.startswith((".", "_"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


def data_digest(root: Path) -> dict[str, str]:
    """{path: sha256} of the zones' data files (the erasure's own records left out)."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not {"_privacy", "_runs", "_staging"} & set(path.parts)
    }


@pytest.fixture(scope="module")
def erased(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Erased:
    from glue_jobs.config import JobConfig  # noqa: PLC0415
    from glue_jobs.job import run as etl  # noqa: PLC0415

    root = tmp_path_factory.mktemp("sample-lake")
    build_raw(root / "raw")
    zones = {
        "raw_uri": str(root / "raw"),
        "curated_uri": str(root / "curated"),
        "quarantine_uri": str(root / "quarantine"),
    }
    etl(spark, JobConfig(**zones, start_date=START, end_date=END))
    before = curated_counts(root / "curated")
    quarantined_before = len(quarantine_records(root / "quarantine"))
    (root / "privacy.key").write_text(KEY + "\n", "utf-8")
    config = ErasureConfig(**zones, privacy_key_uri=str(root / "privacy.key"), user_ids=PEOPLE)

    with pytest.raises(RuntimeError, match="simulated crash"):
        forget(spark, config, raw_store=CrashingStore(zones["raw_uri"]))
    crash = {
        "audits": [
            json.loads(path.read_text("utf-8"))
            for path in (root / "curated" / "_privacy" / "audit").glob("*.json")
        ],
        "register": json.loads((root / "curated" / "_privacy" / "forgotten.json").read_text()),
    }
    audit = forget(spark, config)
    digest = data_digest(root)
    rerun = forget(
        spark,
        ErasureConfig(
            **zones, privacy_key_uri=str(root / "privacy.key"), user_ids=(*PEOPLE, 123456789)
        ),
    )
    return Erased(root, before, quarantined_before, crash, audit, rerun, digest)


# --- what the test lake holds before -------------------------------------------------------------


def test_before_the_erasure_the_lake_holds_them(erased: Erased) -> None:
    assert erased.before["messages"][MICHAEL] == 91
    assert erased.before["messages"][DANIEL] == 25
    assert erased.before["reactions_given"][MICHAEL] == 11
    assert erased.before["reactions_given"][DANIEL] == 7
    assert erased.before["member_events"][DANIEL] == 2
    assert erased.quarantined_before == 5


# --- the crash and the resumed run ----------------------------------------------------------------


def test_a_crash_leaves_a_started_audit_record_and_the_register(erased: Erased) -> None:
    (started,) = erased.crash["audits"]
    assert started["status"] == "started"
    assert started["finished_at"] is None
    registered = {entry["pseudonym"] for entry in erased.crash["register"]["people"]}
    assert registered == {pseudonym(KEY, MICHAEL), pseudonym(KEY, DANIEL)}


def test_the_rerun_completes_and_audits_without_ids(erased: Erased) -> None:
    audit = erased.audit
    assert audit["status"] == "completed"
    assert audit["request_hash"] == request_hash(KEY, list(PEOPLE))
    assert audit["people"] == {"requested": 2, "found": 2, "already_forgotten": 0, "unknown": 0}
    # The crashed run had already erased quarantine and curated: the rerun found them done.
    assert audit["quarantine"]["records_removed"] == 0
    assert audit["curated"]["rows_removed"] == {}
    assert audit["raw"]["objects_deleted"] > 0
    text = json.dumps(audit)
    for value in (*map(str, PEOPLE), *USERNAMES, "Turner", "O'Neill"):
        assert value not in text
    # The audit record on disk is the one returned, completed.
    (path,) = (erased.root / "curated" / "_privacy" / "audit").glob(f"{audit['erasure_id']}.json")
    assert json.loads(path.read_text("utf-8")) == audit


# --- no trace of them anywhere -------------------------------------------------------------

ID_PATTERN = re.compile(r"(?<![0-9])(?:7397125524|233833463)(?![0-9])")


def traces(text: str) -> list[str]:
    """What in a text still points at them."""
    found = ID_PATTERN.findall(text)
    found += [name for name in USERNAMES if name in text.lower()]
    found += [phrase for phrase in THEIR_TEXTS if phrase in text]
    found += [
        f"{first} {last}"
        for first, last in NAME_PAIRS
        if f'"first_name":"{first}","last_name":"{last}"' in text or f"{first} {last}" in text
    ]
    return found


def file_texts(zone: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(zone.rglob("*")):
        if path.is_file() and not path.name.endswith(".parquet"):
            data = path.read_bytes()
            if path.name.endswith(".gz"):
                data = gzip.decompress(data)
            texts[str(path.relative_to(zone))] = data.decode("utf-8", errors="replace")
    return texts


def test_no_byte_of_raw_holds_them(erased: Erased) -> None:
    found = {name: traces(text) for name, text in file_texts(erased.root / "raw").items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_no_quarantine_record_holds_them(erased: Erased) -> None:
    found = {name: traces(text) for name, text in file_texts(erased.root / "quarantine").items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
    records = quarantine_records(erased.root / "quarantine")
    assert sorted(record["raw"] for record in records) == ["not json, nobody's", "{}"]


def test_no_value_of_curated_holds_them(erased: Erased) -> None:
    curated = erased.root / "curated"
    pseudonyms = {pseudonym(KEY, person) for person in PEOPLE}
    for path in sorted(curated.rglob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            values = [
                item
                for value in row.values()
                for item in (value if isinstance(value, list) else [value])
            ]
            assert not set(values) & {*PEOPLE, *pseudonyms}, (path, row)
            assert (row.get("user_first_name"), row.get("user_last_name")) not in NAME_PAIRS
            assert traces(" | ".join(map(str, values))) == [], (path, row)
    found = {name: traces(text) for name, text in file_texts(curated).items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_no_view_holds_them(erased: Erased) -> None:
    from athena_views.local import connect  # noqa: PLC0415
    from athena_views.sql import view_names  # noqa: PLC0415

    con = connect(str(erased.root / "curated"), timezone="UTC")
    try:
        for view in view_names():
            cursor = con.execute(f"select * from {view}")
            rows = cursor.fetchall()
            text = "\n".join(" | ".join(map(str, row)) for row in rows)
            assert traces(text) == [], view
    finally:
        con.close()


# --- everybody else is unchanged ------------------------------------------------------------------


def test_everybody_elses_counts_are_unchanged(erased: Erased) -> None:
    after = curated_counts(erased.root / "curated")
    for name, counts in erased.before.items():
        expected = {person: n for person, n in counts.items() if person not in PEOPLE}
        assert dict(after[name]) == expected, name
    assert after["messages"][ANA] == 450


def test_replies_mentions_and_forwards_of_them_stay_as_other_peoples_messages(
    erased: Erased,
) -> None:
    rows = pq.read_table(erased.root / "curated" / "messages").to_pylist()
    by_update = {row["update_id"]: row for row in rows}
    # Mentions by username are masked, same length.
    assert by_update[553465436]["text"] == "Já atualizei a planilha, confere lá @**************"
    assert by_update[553466780]["text"] == "Happy birthday @**************! 🎉🎂"
    # A text_mention keeps the sender's words (a first name is no link to anybody).
    assert by_update[553466330]["text"] == "Happy birthday Daniel! 🎉🎂"
    # A forward of Michael's text message: the forwarder's row, without his words.
    forward = by_update[553465214]
    assert (forward["user_id"], forward["text"], forward["text_length"]) == (7678774174, "", 0)
    assert (forward["forward_origin_type"], forward["forward_from_user_id"]) == (
        "hidden_user",
        None,
    )
    # Replies to them: still replies, to nobody.
    replies = [
        row for row in rows if row["reply_to_user_id"] is None and row["reply_to_message_id"]
    ]
    assert len(replies) >= 25


# --- a rerun is a no-op, an unknown id erases nothing ---------------------------------------


def test_a_rerun_changes_nothing_and_says_so(erased: Erased) -> None:
    rerun = erased.rerun
    assert rerun["status"] == "completed"
    assert rerun["people"] == {"requested": 3, "found": 0, "already_forgotten": 2, "unknown": 1}
    assert rerun["register"] == {"added": 0}
    assert rerun["curated"]["rows_removed"] == {}
    assert rerun["quarantine"]["records_removed"] == 0
    assert rerun["raw"]["objects_rewritten"] == rerun["raw"]["objects_deleted"] == 0
    assert data_digest(erased.root) == erased.digest_before_rerun
    register = json.loads((erased.root / "curated" / "_privacy" / "forgotten.json").read_text())
    assert {entry["pseudonym"] for entry in register["people"]} == {
        pseudonym(KEY, MICHAEL),
        pseudonym(KEY, DANIEL),
    }


# --- raw and curated agree ------------------------------------------------------------------------

TABLE_KEYS = {
    "messages": ("chat_id", "message_id"),
    "member_events": ("update_id", "user_id", "source"),
    "reactions": ("update_id", "reaction_type", "reaction"),
    "join_requests": ("update_id",),
    "chat_migrations": ("from_chat_id", "to_chat_id"),
}


def test_a_rebuild_from_the_erased_raw_zone_gives_the_erased_curated_zone(
    spark: Any, erased: Erased
) -> None:
    """The raw rules and the curated rules erase the same things in the same way: a backfill
    after the erasure brings nothing of them back and changes nobody else's rows."""
    from glue_jobs.config import JobConfig  # noqa: PLC0415
    from glue_jobs.job import run as etl  # noqa: PLC0415

    rebuilt = erased.root / "rebuilt"
    etl(
        spark,
        JobConfig(
            raw_uri=str(erased.root / "raw"),
            curated_uri=str(rebuilt / "curated"),
            quarantine_uri=str(rebuilt / "quarantine"),
            start_date=START,
            end_date=END,
        ),
    )
    for table, key in TABLE_KEYS.items():
        erased_rows = pq.read_table(erased.root / "curated" / table).to_pylist()
        rebuilt_rows = pq.read_table(rebuilt / "curated" / table).to_pylist()

        def keyed(rows: list[dict[str, Any]], key: tuple[str, ...] = key) -> dict[Any, Any]:
            return {tuple(row[name] for name in key): row for row in rows}

        assert keyed(rebuilt_rows) == keyed(erased_rows), table
    assert quarantine_records(rebuilt / "quarantine") != []
    assert sorted(record["raw"] for record in quarantine_records(rebuilt / "quarantine")) == [
        "not json, nobody's",
        "{}",
    ]
