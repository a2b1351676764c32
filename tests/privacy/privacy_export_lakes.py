"""A hand-built curated lake for the access-export tests: one person, Ana, and two others.

Writes Parquet files in Hive `dt=` folders where the tests say (pytest's tmp dirs), paths
from `lake.zones`, schemas from the hand-written test contract (`tests/contract.py`), never
from production code. Pseudonyms are computed here from the documented formula (first 15
hex digits of SHA-256 of "key:id"), not with `lake.privacy.pseudonym`.

The scenario (people's ids are long so that a scan of the export text cannot mistake them):
- Ana (ANA) writes in the supergroup EQUIPE twice (one a reply to herself), once in the old
  basic group OLD_GROUP (migrated to EQUIPE), and in her private chat with the bot; she
  joins EQUIPE and adds Carla to it; she leaves VIZINHOS; she reacts to Bruno's message;
  she asks to join CLUBE.
- Bruno (BRUNO) replies to Ana, reacts to her message, and writes elsewhere; EQUIPE's
  title changes in his last message. An anonymous total counts reactions on her message.
- Carla (CARLA) forwards Ana's message and reacts to Bruno's.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from lake.zones import table_partition_uri
from tests.arrow import pyarrow_schema
from tests.contract import TABLE_COLUMNS

Row = dict[str, Any]

ANA = 7010001
BRUNO = 7020002
CARLA = 7030003
EQUIPE = -1005000000001
OLD_GROUP = -400000001
VIZINHOS = -1006000000001
CLUBE = -1007000000001

ANA_TEXT = "Oi pessoal, a senha do wifi é girassol"
ANA_SELF_REPLY = "corrigindo: girassol123"
ANA_OLD_TEXT = "primeira mensagem no grupo antigo"
ANA_PRIVATE_TEXT = "/start"
BRUNO_REPLY = "Bruno responde algo particular"
BRUNO_OTHER = "Bruno fala de outra coisa"
VIZINHOS_TEXT = "Bruno avisa os vizinhos"

#: The time column that decides each table's `dt` partition (UTC date).
TIME_COLUMNS = {
    "messages": "sent_at",
    "member_events": "occurred_at",
    "chat_migrations": "migrated_at",
    "reactions": "reacted_at",
    "join_requests": "requested_at",
}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def hand_pseudonym(key: str, person_id: int) -> int:
    """The documented pseudonym: SHA-256("key:id"), first 15 hex digits, as an integer."""
    return int(hashlib.sha256(f"{key}:{person_id}".encode()).hexdigest()[:15], 16)


def message(
    chat_id: int,
    message_id: int,
    update_id: int,
    sent_at: str,
    user_id: int,
    *,
    text: str | None,
    name: tuple[str, str | None, str | None] = ("Someone", None, None),
    chat_type: str = "supergroup",
    chat_title: str | None = "Equipe",
    reply_to: tuple[int, int] | None = None,
    forward_from: int | None = None,
) -> Row:
    """One messages row; `reply_to` = (message_id, user_id), `name` = (first, last, user)."""
    first_name, last_name, username = name
    return {
        "chat_id": chat_id,
        "message_id": message_id,
        "message_thread_id": None,
        "update_id": update_id,
        "sent_at": utc(sent_at),
        "edited_at": None,
        "edit_count": 0,
        "chat_type": chat_type,
        "chat_title": chat_title,
        "user_id": user_id,
        "user_is_bot": False,
        "user_first_name": first_name,
        "user_last_name": last_name,
        "user_username": username,
        "user_language_code": "pt-br",
        "sender_chat_id": None,
        "sender_type": "user",
        "is_automatic_forward": False,
        "content_type": "text",
        "text": text,
        "text_length": len(text or ""),
        "word_count": len((text or "").split()),
        "reply_to_message_id": reply_to[0] if reply_to else None,
        "reply_to_user_id": reply_to[1] if reply_to else None,
        "is_forwarded": forward_from is not None,
        "forward_origin_type": "user" if forward_from is not None else None,
        "forward_from_user_id": forward_from,
        "is_channel_post": False,
        "source": "webhook",
        "media_group_id": None,
    }


def member_event(
    chat_id: int,
    user_id: int,
    event: str,
    occurred_at: str,
    *,
    update_id: int,
    actor: int,
    first_name: str,
    new_status: str,
) -> Row:
    return {
        "chat_id": chat_id,
        "user_id": user_id,
        "event": event,
        "occurred_at": utc(occurred_at),
        "source": "chat_member",
        "update_id": update_id,
        "user_is_bot": False,
        "user_first_name": first_name,
        "user_username": None,
        "old_status": "left" if event == "join" else "member",
        "new_status": new_status,
        "actor_user_id": actor,
        "invite_link": None,
        "via_join_request": False,
        "via_chat_folder_invite_link": False,
    }


def reaction(
    chat_id: int,
    message_id: int,
    update_id: int,
    reacted_at: str,
    *,
    actor: int | None,
    emoji: str,
    total_count: int | None = None,
) -> Row:
    """A set emoji (message_reaction), or an anonymous total (message_reaction_count)."""
    counted = total_count is not None
    return {
        "chat_id": chat_id,
        "message_id": message_id,
        "update_id": update_id,
        "reacted_at": utc(reacted_at),
        "update_type": "message_reaction_count" if counted else "message_reaction",
        "actor_user_id": actor,
        "actor_chat_id": None,
        "reaction_type": "emoji",
        "reaction": emoji,
        "was_set": None if counted else False,
        "is_set": None if counted else True,
        "total_count": total_count,
    }


ANA_NAME = ("Ana", "Souza", "ana_souza")
BRUNO_NAME = ("Bruno", None, "bruno")
CARLA_NAME = ("Carla", None, None)


def scenario() -> dict[str, list[Row]]:
    """Every table's rows, people by their plain ids."""
    return {
        "messages": [
            message(EQUIPE, 1, 5001, "2024-03-01 10:00", ANA, text=ANA_TEXT, name=ANA_NAME),
            message(EQUIPE, 2, 5002, "2024-03-01 10:05", BRUNO, text=BRUNO_REPLY,
                    name=BRUNO_NAME, reply_to=(1, ANA)),
            message(EQUIPE, 3, 5003, "2024-03-01 11:00", CARLA, text=ANA_TEXT,
                    name=CARLA_NAME, forward_from=ANA),
            message(EQUIPE, 4, 5004, "2024-03-02 09:00", ANA, text=ANA_SELF_REPLY,
                    name=ANA_NAME, reply_to=(1, ANA)),
            message(EQUIPE, 5, 5005, "2024-03-05 12:00", BRUNO, text=BRUNO_OTHER,
                    name=BRUNO_NAME, chat_title="Equipe Nova"),
            message(OLD_GROUP, 7, 4001, "2024-02-01 08:00", ANA, text=ANA_OLD_TEXT,
                    name=ANA_NAME, chat_type="group", chat_title="Equipe (antiga)"),
            message(ANA, 10, 5010, "2024-03-03 20:00", ANA, text=ANA_PRIVATE_TEXT,
                    name=ANA_NAME, chat_type="private", chat_title=None),
            message(VIZINHOS, 20, 5020, "2024-03-04 07:00", BRUNO, text=VIZINHOS_TEXT,
                    name=BRUNO_NAME, chat_title="Vizinhos"),
        ],
        "member_events": [
            member_event(EQUIPE, ANA, "join", "2024-02-20 09:00", update_id=3001, actor=ANA,
                         first_name="Ana", new_status="member"),
            member_event(EQUIPE, CARLA, "join", "2024-02-21 09:00", update_id=3002, actor=ANA,
                         first_name="Carla", new_status="member"),
            member_event(VIZINHOS, BRUNO, "join", "2024-02-22 09:00", update_id=3003,
                         actor=BRUNO, first_name="Bruno", new_status="member"),
            member_event(VIZINHOS, ANA, "leave", "2024-03-10 18:00", update_id=3004, actor=ANA,
                         first_name="Ana", new_status="left"),
        ],
        "chat_migrations": [
            {"from_chat_id": OLD_GROUP, "to_chat_id": EQUIPE,
             "migrated_at": utc("2024-02-10 00:00"), "update_id": 4100},
        ],
        "reactions": [
            reaction(EQUIPE, 2, 6001, "2024-03-01 10:06", actor=ANA, emoji="👍"),
            reaction(EQUIPE, 1, 6002, "2024-03-01 10:07", actor=BRUNO, emoji="❤"),
            reaction(EQUIPE, 1, 6003, "2024-03-01 10:08", actor=None, emoji="❤", total_count=3),
            reaction(EQUIPE, 5, 6004, "2024-03-05 12:01", actor=CARLA, emoji="🔥"),
        ],
        "join_requests": [
            {"chat_id": CLUBE, "user_id": ANA, "requested_at": utc("2024-03-06 15:00"),
             "update_id": 7001, "invite_link": "amigos"},
            {"chat_id": CLUBE, "user_id": BRUNO, "requested_at": utc("2024-03-06 16:00"),
             "update_id": 7002, "invite_link": "amigos"},
        ],
    }  # fmt: skip


#: Columns that hold a person's id (a private chat's id is its person's), names, per table.
_PERSON_COLUMNS = {
    "messages": ("user_id", "reply_to_user_id", "forward_from_user_id"),
    "member_events": ("user_id", "actor_user_id"),
    "reactions": ("actor_user_id",),
    "join_requests": ("user_id",),
}
_NAME_COLUMNS = {
    "messages": ("user_first_name", "user_last_name", "user_username"),
    "member_events": ("user_first_name", "user_username"),
}


def pseudonymous(tables: dict[str, list[Row]], key: str) -> dict[str, list[Row]]:
    """The rows as pseudonymous mode stores them: ids -> pseudonyms, positive chat ids too
    (private chats), no names."""
    result: dict[str, list[Row]] = {}
    for table, rows in tables.items():
        changed = []
        for original in rows:
            row = dict(original)
            for column in _PERSON_COLUMNS.get(table, ()):
                if row[column] is not None:
                    row[column] = hand_pseudonym(key, row[column])
            if "chat_id" in row and row["chat_id"] > 0:
                row["chat_id"] = hand_pseudonym(key, row["chat_id"])
            for column in _NAME_COLUMNS.get(table, ()):
                row[column] = None
            changed.append(row)
        result[table] = changed
    return result


def write_lake(curated: Path, tables: dict[str, list[Row]]) -> Path:
    """`{curated}/{table}/dt=YYYY-MM-DD/part-*.parquet` for every table given (dt = UTC date)."""
    for table, rows in tables.items():
        schema: pa.Schema = pyarrow_schema(TABLE_COLUMNS[table])
        by_day: dict[date, list[Row]] = defaultdict(list)
        for row in rows:
            by_day[row[TIME_COLUMNS[table]].date()].append(row)
        for day, day_rows in by_day.items():
            folder = Path(table_partition_uri(str(curated), table, day))
            folder.mkdir(parents=True, exist_ok=True)
            # Several writers may add to one partition (a plain and a pseudonymous run).
            index = len(list(folder.glob("part-*.parquet")))
            pq.write_table(
                pa.Table.from_pylist(day_rows, schema=schema),
                folder / f"part-{index:05d}.snappy.parquet",
            )
    return curated
