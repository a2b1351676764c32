"""Hand-built curated lakes for the view tests (Parquet files in Hive `dt=` folders).

Writes only where the tests tell it to (pytest's tmp dirs), in the zone layout of
`lake.zones`. The Parquet schemas come from the hand-written test contract
(`tests/contract.py`, through `tests/arrow.py`), not from `athena_views.tables`, so that a
drift between the contract and the production table specs fails a test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from lake.zones import table_partition_uri
from tests.arrow import (
    CHAT_MIGRATIONS_SCHEMA,
    JOIN_REQUESTS_SCHEMA,
    MEMBER_EVENTS_SCHEMA,
    MESSAGES_SCHEMA,
    REACTIONS_SCHEMA,
)

Query = Callable[..., list[tuple[Any, ...]]]
Row = dict[str, Any]
#: A reaction as the reactions table names it: (reaction_type, reaction).
Reaction = tuple[str, str]


def utc(text: str) -> datetime:
    """'2024-01-02 01:30' (or with seconds) as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def message(
    chat_id: int,
    message_id: int,
    update_id: int,
    sent_at: str,
    user_id: int | None,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    username: str | None = None,
    is_bot: bool | None = False,
    text: str | None = None,
    text_length: int = 0,
    content_type: str = "text",
    reply_to: int | None = None,
    edited_at: str | None = None,
    edit_count: int = 0,
    chat_type: str = "supergroup",
    chat_title: str | None = "Equipe",
    is_channel_post: bool = False,
    sender_chat_id: int | None = None,
    sender_type: str | None = None,
    is_automatic_forward: bool = False,
    reply_to_user: int | None = None,
    source: str = "webhook",
) -> Row:
    """One curated messages row; columns not given get the contract's neutral values.

    `sender_type` defaults to what the row says plainly: channel for a channel post,
    unknown without `from`, bot for a bot, else user; anything subtler is given.
    """
    if sender_type is None:
        if is_channel_post:
            sender_type = "channel"
        elif user_id is None:
            sender_type = "unknown"
        else:
            sender_type = "bot" if is_bot else "user"
    return {
        "chat_id": chat_id,
        "message_id": message_id,
        "message_thread_id": None,
        "update_id": update_id,
        "sent_at": utc(sent_at),
        "edited_at": utc(edited_at) if edited_at else None,
        "edit_count": edit_count,
        "chat_type": chat_type,
        "chat_title": chat_title,
        "user_id": user_id,
        "user_is_bot": is_bot if user_id is not None else None,
        "user_first_name": first_name,
        "user_last_name": last_name,
        "user_username": username,
        "user_language_code": "pt-br" if user_id is not None else None,
        "sender_chat_id": sender_chat_id,
        "sender_type": sender_type,
        "is_automatic_forward": is_automatic_forward,
        "content_type": content_type,
        "text": text,
        "text_length": text_length,
        "word_count": len(text.split()) if text else 0,
        "reply_to_message_id": reply_to,
        "reply_to_user_id": reply_to_user,
        "is_forwarded": is_automatic_forward,
        "forward_origin_type": "channel" if is_automatic_forward else None,
        "is_channel_post": is_channel_post,
        "source": source,
        "media_group_id": None,
    }


def member_event(
    chat_id: int,
    user_id: int,
    event: str,
    occurred_at: str,
    source: str,
    *,
    update_id: int,
    is_bot: bool = False,
    first_name: str = "Someone",
    old_status: str | None = None,
    new_status: str | None = None,
    actor: int | None = None,
    invite_link: str | None = None,
    via_join_request: bool = False,
    via_folder_link: bool = False,
) -> Row:
    """One curated member_events row; the actor defaults to the member (a self join/leave).

    Only chat_member rows carry the link and the two flags (false when absent), as the
    Glue job writes them; service-message rows have them null.
    """
    from_chat_member = source == "chat_member"
    return {
        "chat_id": chat_id,
        "user_id": user_id,
        "event": event,
        "occurred_at": utc(occurred_at),
        "source": source,
        "update_id": update_id,
        "user_is_bot": is_bot,
        "user_first_name": first_name,
        "user_username": None,
        "old_status": old_status,
        "new_status": new_status,
        "actor_user_id": user_id if actor is None else actor,
        "invite_link": invite_link,
        "via_join_request": via_join_request if from_chat_member else None,
        "via_chat_folder_invite_link": via_folder_link if from_chat_member else None,
    }


def migration(from_chat_id: int, to_chat_id: int, migrated_at: str, *, update_id: int) -> Row:
    """One curated chat_migrations row: the group `from_chat_id` became `to_chat_id`."""
    return {
        "from_chat_id": from_chat_id,
        "to_chat_id": to_chat_id,
        "migrated_at": utc(migrated_at),
        "update_id": update_id,
    }


def emoji(value: str) -> Reaction:
    return ("emoji", value)


def custom_emoji(custom_emoji_id: str) -> Reaction:
    return ("custom_emoji", custom_emoji_id)


PAID: Reaction = ("paid", "paid")


def reaction_update(
    chat_id: int,
    message_id: int,
    update_id: int,
    reacted_at: str,
    *,
    user: int | None = None,
    actor_chat: int | None = None,
    old: tuple[Reaction, ...] = (),
    new: tuple[Reaction, ...] = (),
) -> list[Row]:
    """The reactions rows of one message_reaction update (the table's documented shape):
    one per reaction in old_reaction or new_reaction, with was_set / is_set; one row with
    a null reaction when the update names none."""
    named = list(dict.fromkeys((*old, *new)))
    changes: list[tuple[str | None, str | None, bool | None, bool | None]] = [
        (kind, value, (kind, value) in old, (kind, value) in new) for kind, value in named
    ] or [(None, None, None, None)]
    return [
        {
            "chat_id": chat_id,
            "message_id": message_id,
            "update_id": update_id,
            "reacted_at": utc(reacted_at),
            "update_type": "message_reaction",
            "actor_user_id": user,
            "actor_chat_id": actor_chat,
            "reaction_type": kind,
            "reaction": value,
            "was_set": was_set,
            "is_set": is_set,
            "total_count": None,
        }
        for kind, value, was_set, is_set in changes
    ]


def reaction_count_update(
    chat_id: int, message_id: int, update_id: int, reacted_at: str, totals: dict[Reaction, int]
) -> list[Row]:
    """The reactions rows of one message_reaction_count update: one per reaction with its
    total_count; one row with a null reaction when no reaction is left."""
    counted: list[tuple[str | None, str | None, int | None]] = [
        (kind, value, count) for (kind, value), count in totals.items()
    ] or [(None, None, None)]
    return [
        {
            "chat_id": chat_id,
            "message_id": message_id,
            "update_id": update_id,
            "reacted_at": utc(reacted_at),
            "update_type": "message_reaction_count",
            "actor_user_id": None,
            "actor_chat_id": None,
            "reaction_type": kind,
            "reaction": value,
            "was_set": None,
            "is_set": None,
            "total_count": count,
        }
        for kind, value, count in counted
    ]


def join_request(
    chat_id: int, user_id: int, requested_at: str, *, update_id: int, invite_link: str | None = None
) -> Row:
    """One curated join_requests row."""
    return {
        "chat_id": chat_id,
        "user_id": user_id,
        "requested_at": utc(requested_at),
        "update_id": update_id,
        "invite_link": invite_link,
    }


def write_table(
    curated: Path,
    table: str,
    rows: list[Row],
    schema: pa.Schema,
    time_column: str,
    *,
    int96: bool = False,
) -> None:
    """Write rows as `{curated}/{table}/dt=YYYY-MM-DD/part-00000.parquet`, dt = UTC date.

    `int96=True` stores timestamps the way Spark does by default (INT96), otherwise as
    TIMESTAMP_MICROS adjusted to UTC: the local runner must read both as UTC.
    """
    by_day: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_day[row[time_column].date().isoformat()].append(row)
    for day, day_rows in by_day.items():
        folder = Path(table_partition_uri(str(curated), table, day))
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(
            pa.Table.from_pylist(day_rows, schema=schema),
            folder / "part-00000.snappy.parquet",
            compression="snappy",
            use_deprecated_int96_timestamps=int96,
        )
    # Spark leaves these next to the data; the runner must ignore them.
    (curated / table).mkdir(parents=True, exist_ok=True)
    (curated / table / "_SUCCESS").write_text("", encoding="utf-8")


def write_lake(
    curated: Path,
    messages: list[Row] | None,
    member_events: list[Row] | None,
    *,
    chat_migrations: list[Row] | None = None,
    reactions: list[Row] | None = None,
    join_requests: list[Row] | None = None,
) -> Path:
    """A curated zone with the given rows (None: the table's folder does not exist)."""
    curated.mkdir(parents=True, exist_ok=True)
    if messages is not None:
        write_table(curated, "messages", messages, MESSAGES_SCHEMA, "sent_at")
    if member_events is not None:
        write_table(
            curated, "member_events", member_events, MEMBER_EVENTS_SCHEMA, "occurred_at", int96=True
        )
    if chat_migrations is not None:
        write_table(
            curated, "chat_migrations", chat_migrations, CHAT_MIGRATIONS_SCHEMA, "migrated_at"
        )
    if reactions is not None:
        write_table(curated, "reactions", reactions, REACTIONS_SCHEMA, "reacted_at", int96=True)
    if join_requests is not None:
        write_table(curated, "join_requests", join_requests, JOIN_REQUESTS_SCHEMA, "requested_at")
    return curated


# --- The main scenario -----------------------------------------------------------------
# Chat 100 "Equipe" (supergroup, renamed "Equipe Nova" by its last update), users:
#   1 Ana Souza (@ana; her latest update says "Ana Paula", no username), 2 Bruno (@bruno),
#   3 Carla, 4 Dani Lima (@dani), 900 HelperBot (a bot).
# Chat 200: only member changes (service messages), no messages at all.
# Chat 300: a channel with one channel post.
# 2024-01-01 and 2024-01-08 and 2024-01-15 are Mondays. America/Sao_Paulo is UTC-3.
MAIN_MESSAGES = [
    message(100, 1, 1001, "2024-01-01 12:00", 1, first_name="Ana", last_name="Souza",
            username="ana", text="Bom dia pessoal, reunião para hoje!", text_length=35),
    message(100, 2, 1002, "2024-01-01 12:05", 2, first_name="Bruno", username="bruno",
            text="Reunião confirmada https://meet.example.com/abc @ana", text_length=52,
            reply_to=1, reply_to_user=1),
    # A photo without caption that also replies to message 1, after message 2 did.
    message(100, 3, 1003, "2024-01-01 13:00", 3, first_name="Carla", content_type="photo",
            reply_to=1, reply_to_user=1),
    # 01:30 UTC on Tuesday = 22:30 on Monday in Sao Paulo. Edited twice, the next day.
    message(100, 4, 1020, "2024-01-02 01:30", 1, first_name="Ana Paula", last_name="Souza",
            text="reunião amanhã cedo", text_length=19, edited_at="2024-01-02 09:00",
            edit_count=2),
    # The bot answers message 4 first; bots do not count as replies.
    message(100, 5, 1011, "2024-01-02 10:00", 900, first_name="HelperBot",
            username="helper_bot", is_bot=True, text="Lembrete: reunião", text_length=17,
            reply_to=4, reply_to_user=1),
    message(100, 6, 1012, "2024-01-02 10:10", 2, first_name="Bruno", username="bruno",
            text="Combinado, até amanhã, see you there", text_length=36, reply_to=4,
            reply_to_user=1),
    # Ana replies to herself with a sticker: not a reply latency sample.
    message(100, 7, 1013, "2024-01-02 10:20", 1, first_name="Ana", last_name="Souza",
            username="ana", content_type="sticker", reply_to=4, reply_to_user=1),
    message(100, 8, 1030, "2024-01-08 15:00", 2, first_name="Bruno", username="bruno",
            text="/agenda Reunião semana que vem 👍", text_length=32),
    message(100, 9, 1031, "2024-01-08 15:30", 4, first_name="Dani", last_name="Lima",
            username="dani", text="ok kkkkk haha", text_length=13, reply_to=8,
            reply_to_user=2),
    message(100, 10, 1040, "2024-01-15 10:00", 4, first_name="Dani", last_name="Lima",
            username="dani", text="ok", text_length=2, chat_title="Equipe Nova"),
    # A channel's post (no from): an activity message of the channel, in its own chat.
    message(300, 1, 1014, "2024-01-02 10:00", None, chat_type="channel", chat_title="Avisos",
            text="Novidades da semana", text_length=19, is_channel_post=True,
            sender_chat_id=300),
]  # fmt: skip

MAIN_MEMBER_EVENTS = [
    # Carla's join reported twice: service message + chat_member update -> one join.
    member_event(100, 3, "join", "2024-01-01 11:00", "new_chat_members", update_id=990),
    member_event(100, 3, "join", "2024-01-01 11:00", "chat_member", update_id=991,
                 old_status="left", new_status="member"),
    # Bots joining are not counted.
    member_event(100, 900, "join", "2024-01-01 11:05", "new_chat_members", update_id=992,
                 is_bot=True),
    # A promotion is neither a join nor a leave.
    member_event(100, 1, "other", "2024-01-02 12:00", "chat_member", update_id=1015,
                 old_status="member", new_status="administrator"),
    member_event(100, 4, "join", "2024-01-08 14:00", "chat_member", update_id=1029,
                 old_status="left", new_status="member"),
    member_event(100, 3, "leave", "2024-01-08 16:00", "left_chat_member", update_id=1032),
    # Chat 200 has member changes only. 02:00 UTC on Jan 3 is 23:00 on Jan 2 in Sao Paulo.
    member_event(200, 5, "join", "2024-01-03 02:00", "new_chat_members", update_id=1016),
    member_event(200, 6, "join", "2024-01-03 12:00", "new_chat_members", update_id=1017),
    member_event(200, 5, "leave", "2024-01-03 18:00", "left_chat_member", update_id=1018),
]  # fmt: skip
