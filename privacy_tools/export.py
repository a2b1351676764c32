"""The access export: everything the curated zone holds about one person, as one document.

Reads the curated Parquet tables under `curated_uri` with DuckDB (typed by
`athena_views.local.create_tables`, so a table without files reads as empty); writes
nothing (the CLI writes the document). In pseudonymous mode the tables hold
`lake.privacy.pseudonym(key, id)` instead of the id: given the key, rows stored under
either form are found (a lake switched from plain to pseudonymous holds both).

A person's rows are those where a person column (`lake.privacy.PERSON_ID_COLUMNS`) holds
them, and everything in their private chat with the bot (a private chat's id is its
person's id, `lake.privacy.CHAT_ID_COLUMNS`). Other people's rows that only point at the
person (replies to them, forwards of their messages, reactions on their messages) are
listed by ids, without the other person's id, name or text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from athena_views.local import create_tables
from lake.privacy import CHAT_ID_COLUMNS, PERSON_ID_COLUMNS, pseudonym
from lake.tables import TABLES
from lake.uri import FILE_SCHEME, local_path, uri_scheme

TITLE = "telegram-lake access export"
#: File mode of a written export: readable and writable by its owner only.
OWNER_ONLY = 0o600
# The subject's ids as stored: a one-column temporary table the section queries read.
_SUBJECT = "(select id from subject)"
_THEIR_PRIVATE_CHAT = f"(chat_id > 0 and chat_id in {_SUBJECT})"
_NOT_THEM = "coalesce({column} not in " + _SUBJECT + ", true)"

COVERS = (
    "This export reads the curated tables (messages, member_events, reactions, "
    "join_requests; chat_migrations names no person). They are built from the raw zone, "
    "which keeps each update as Telegram delivered it: the same messages and events, in "
    "Telegram's format. Lines the pipeline could not read (the quarantine zone) are not in "
    "this export. Times are UTC. In pseudonymous mode people's ids are keyed pseudonyms and "
    "names are not stored."
)


@dataclass(frozen=True)
class Section:
    """One part of the export: what it holds (for the header) and the query that fills it."""

    name: str
    about: str
    sql: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "messages",
        "Your messages, every stored column with the text (the latest version of each), and "
        "every message of your private chat with the bot.",
        f"""
        select * from messages
        where user_id in {_SUBJECT} or {_THEIR_PRIVATE_CHAT}
        order by sent_at, chat_id, message_id
        """,
    ),
    Section(
        "member_events",
        "Changes of your membership: joins, leaves, promotions and other status changes "
        "(who performed them is actor_user_id).",
        f"""
        select * from member_events
        where user_id in {_SUBJECT} or {_THEIR_PRIVATE_CHAT}
        order by occurred_at, chat_id, update_id
        """,
    ),
    Section(
        "member_events_you_performed",
        "Membership changes you made to other members (adding, removing, promoting them): "
        "the change only, without the other member's id or name.",
        f"""
        select chat_id, event, occurred_at, source, update_id, old_status, new_status,
            invite_link, via_join_request, via_chat_folder_invite_link, dt
        from member_events
        where actor_user_id in {_SUBJECT}
            and {_NOT_THEM.format(column="user_id")} and not {_THEIR_PRIVATE_CHAT}
        order by occurred_at, chat_id, update_id
        """,
    ),
    Section(
        "reactions_given",
        "Reactions you set or removed on messages (old_reaction -> new_reaction, one row per "
        "reaction named).",
        f"""
        select * from reactions
        where actor_user_id in {_SUBJECT} or {_THEIR_PRIVATE_CHAT}
        order by reacted_at, update_id, reaction_type, reaction
        """,
    ),
    Section(
        "reactions_received",
        "Reactions other people set or removed on your messages, and anonymous reaction "
        "totals on them: the reaction only, without who reacted.",
        f"""
        select r.chat_id, r.message_id, r.update_id, r.reacted_at, r.update_type,
            r.reaction_type, r.reaction, r.was_set, r.is_set, r.total_count, r.dt
        from reactions as r
        inner join (
            select distinct chat_id, message_id from messages where user_id in {_SUBJECT}
        ) as theirs on r.chat_id = theirs.chat_id and r.message_id = theirs.message_id
        where {_NOT_THEM.format(column="r.actor_user_id")}
            and not (r.chat_id > 0 and r.chat_id in {_SUBJECT})
        order by r.reacted_at, r.update_id, r.reaction_type, r.reaction
        """,
    ),
    Section(
        "join_requests",
        "Your requests to join chats that need an admin's approval.",
        f"""
        select * from join_requests
        where user_id in {_SUBJECT}
        order by requested_at, update_id
        """,
    ),
    Section(
        "chats",
        "Every chat you appear in (by a message, a membership change, a reaction or a join "
        "request): its id, type and latest known title, and when you first and last appear "
        "there. migrated_to_chat_id: the supergroup a group was upgraded to.",
        f"""
        with appearances as (
            select chat_id, sent_at as seen_at from messages
            where user_id in {_SUBJECT} or {_THEIR_PRIVATE_CHAT}
            union all
            select chat_id, occurred_at from member_events
            where user_id in {_SUBJECT} or actor_user_id in {_SUBJECT} or {_THEIR_PRIVATE_CHAT}
            union all
            select chat_id, reacted_at from reactions
            where actor_user_id in {_SUBJECT} or {_THEIR_PRIVATE_CHAT}
            union all
            select chat_id, requested_at from join_requests where user_id in {_SUBJECT}
        ),
        seen as (
            select chat_id, min(seen_at) as first_seen_at, max(seen_at) as last_seen_at
            from appearances group by chat_id
        ),
        described as (
            select
                chat_id,
                max_by(chat_type, (sent_at, message_id)) filter (where chat_type is not null)
                    as chat_type,
                max_by(chat_title, (sent_at, message_id)) filter (where chat_title is not null)
                    as chat_title
            from messages
            where chat_id in (select chat_id from seen)
            group by chat_id
        ),
        migrated as (
            select from_chat_id, max(to_chat_id) as to_chat_id
            from chat_migrations group by from_chat_id
        )
        select seen.chat_id, described.chat_type, described.chat_title, seen.first_seen_at,
            seen.last_seen_at, migrated.to_chat_id as migrated_to_chat_id
        from seen
        left join described on seen.chat_id = described.chat_id
        left join migrated on seen.chat_id = migrated.from_chat_id
        order by seen.first_seen_at, seen.chat_id
        """,
    ),
    Section(
        "replies_to_you",
        "Other people's messages that reply to one of yours: ids and time only, not their "
        "text or who wrote them.",
        f"""
        select chat_id, message_id, reply_to_message_id, sent_at, dt from messages
        where reply_to_user_id in {_SUBJECT}
            and {_NOT_THEM.format(column="user_id")} and not {_THEIR_PRIVATE_CHAT}
        order by sent_at, chat_id, message_id
        """,
    ),
    Section(
        "forwards_of_your_messages",
        "Messages in which someone else forwarded a message of yours: ids and time only, not "
        "the text or who forwarded it.",
        f"""
        select chat_id, message_id, forward_origin_type, sent_at, dt from messages
        where forward_from_user_id in {_SUBJECT}
            and {_NOT_THEM.format(column="user_id")} and not {_THEIR_PRIVATE_CHAT}
        order by sent_at, chat_id, message_id
        """,
    ),
)

#: Every column that can hold a stored form of a person's id, per table (for `found_as`).
_ID_COLUMNS: dict[str, tuple[str, ...]] = {
    table: PERSON_ID_COLUMNS[table] + CHAT_ID_COLUMNS.get(table, ())
    for table in PERSON_ID_COLUMNS
    if PERSON_ID_COLUMNS[table]
}


class ExportError(ValueError):
    """The export cannot be made: no curated zone there, or an id that is not a person's."""


def stored_ids(user_id: int, key: str | None) -> list[int]:
    """The forms a person's id may be stored under: the id, and its pseudonym with a key."""
    if user_id <= 0:
        raise ExportError(f"a person's Telegram id is a positive integer, got {user_id}")
    return [user_id] if key is None else [user_id, pseudonym(key, user_id)]


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # DuckDB returns the UTC wall time (the session's TimeZone is UTC).
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    return value


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description or []]
    return [
        {name: _json_value(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def _found_as(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Which of the subject's stored forms occur anywhere in the tables."""
    present = " union all ".join(
        f"select {column} as id from {table} where {column} in {_SUBJECT}"
        for table, columns in _ID_COLUMNS.items()
        for column in columns
    )
    found = con.execute(f"select distinct id from ({present}) order by id").fetchall()
    return [int(row[0]) for row in found]


def check_curated(curated_uri: str) -> None:
    """Refuse a local curated zone that does not exist (a typo would export nothing)."""
    if uri_scheme(curated_uri) != FILE_SCHEME:
        return
    path = local_path(curated_uri)
    if not path.is_dir():
        raise ExportError(f"no curated zone at {curated_uri} (no such folder)")
    if not any((path / name).is_dir() for name in TABLES):
        raise ExportError(
            f"no curated zone at {curated_uri}: none of its table folders "
            f"({', '.join(TABLES)}) is there"
        )


def export_user(
    curated_uri: str,
    user_id: int,
    *,
    key: str | None = None,
    generated_at: datetime | None = None,
) -> dict[str, Any]:
    """The access export of one person (a JSON-ready dict): a header, then each section."""
    ids = stored_ids(user_id, key)
    check_curated(curated_uri)
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        create_tables(con, curated_uri)
        con.execute("create temporary table subject (id bigint)")
        con.executemany("insert into subject values (?)", [[value] for value in ids])
        sections = {section.name: _rows(con, section.sql) for section in SECTIONS}
        found_as = _found_as(con)
    finally:
        con.close()
    moment = (generated_at or datetime.now(UTC)).astimezone(UTC)
    header = {
        "title": TITLE,
        "generated_at": moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "curated_uri": curated_uri,
        "person": {
            "user_id": user_id,
            # With the key: the person's keyed pseudonym, the id pseudonymous tables hold.
            "pseudonym": ids[1] if len(ids) > 1 else None,
            "looked_up_as": ids,
            "found_as": found_as,
        },
        "covers": COVERS,
        "sections": {
            section.name: {"about": section.about, "rows": len(sections[section.name])}
            for section in SECTIONS
        },
    }
    return {"export": header, **sections}


def is_empty(document: dict[str, Any]) -> bool:
    """The lake holds nothing about the person (every section empty)."""
    return not any(document[section.name] for section in SECTIONS)


def write_document(text: str, out: Path) -> None:
    """Write the export readable by its owner only (it is personal data), atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    partial.replace(out)
