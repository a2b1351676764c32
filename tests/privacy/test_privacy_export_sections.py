"""The access export over a hand-built lake: every section, nothing of anyone else, pseudonyms.

Expected rows are written out by hand from the scenario in privacy_export_lakes.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from privacy_export_lakes import (
    ANA,
    ANA_OLD_TEXT,
    ANA_PRIVATE_TEXT,
    ANA_SELF_REPLY,
    ANA_TEXT,
    BRUNO,
    BRUNO_OTHER,
    BRUNO_REPLY,
    CARLA,
    CLUBE,
    EQUIPE,
    OLD_GROUP,
    VIZINHOS,
    VIZINHOS_TEXT,
    hand_pseudonym,
    pseudonymous,
    scenario,
    write_lake,
)

from privacy_tools.export import ExportError, export_user, is_empty
from tests.contract import MESSAGES_COLUMNS, PARTITION_COLUMN

pytestmark = pytest.mark.integration

KEY = "0123456789abcdef" * 4
SECTION_NAMES = [
    "messages",
    "member_events",
    "member_events_you_performed",
    "reactions_given",
    "reactions_received",
    "join_requests",
    "chats",
    "replies_to_you",
    "forwards_of_your_messages",
]
GENERATED_AT = datetime(2024, 4, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def plain_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lake(tmp_path_factory.mktemp("plain") / "curated", scenario())


@pytest.fixture(scope="module")
def ana(plain_lake: Path) -> dict[str, Any]:
    return export_user(str(plain_lake), ANA, generated_at=GENERATED_AT)


def keys_of(rows: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(row[column] for column in columns) for row in rows]


def test_header_explains_every_section_and_counts_its_rows(
    ana: dict[str, Any], plain_lake: Path
) -> None:
    header = ana["export"]
    assert list(ana) == ["export", *SECTION_NAMES]
    assert header["generated_at"] == "2024-04-01T12:00:00Z"
    assert header["curated_uri"] == str(plain_lake)
    assert header["person"] == {
        "user_id": ANA,
        "pseudonym": None,
        "looked_up_as": [ANA],
        "found_as": [ANA],
    }
    assert list(header["sections"]) == SECTION_NAMES
    counts = {name: section["rows"] for name, section in header["sections"].items()}
    assert counts == {
        "messages": 4,
        "member_events": 2,
        "member_events_you_performed": 1,
        "reactions_given": 1,
        "reactions_received": 2,
        "join_requests": 1,
        "chats": 5,
        "replies_to_you": 1,
        "forwards_of_your_messages": 1,
    }
    for section in header["sections"].values():
        assert len(section["about"]) > 20
    assert "raw zone" in header["covers"]


def test_her_messages_with_every_column_and_text(ana: dict[str, Any]) -> None:
    rows = ana["messages"]
    # Oldest first; her private chat with the bot (chat id = her id) is hers too.
    assert keys_of(rows, "chat_id", "message_id", "text") == [
        (OLD_GROUP, 7, ANA_OLD_TEXT),
        (EQUIPE, 1, ANA_TEXT),
        (EQUIPE, 4, ANA_SELF_REPLY),
        (ANA, 10, ANA_PRIVATE_TEXT),
    ]
    expected_columns = [name for name, _ in MESSAGES_COLUMNS] + [PARTITION_COLUMN[0]]
    for row in rows:
        assert list(row) == expected_columns
    first = rows[1]
    assert first["sent_at"] == "2024-03-01T10:00:00Z"
    assert first["dt"] == "2024-03-01"
    assert (first["user_first_name"], first["user_last_name"], first["user_username"]) == (
        "Ana",
        "Souza",
        "ana_souza",
    )
    assert rows[2]["reply_to_user_id"] == ANA


def test_membership_changes_about_her_and_by_her(ana: dict[str, Any]) -> None:
    assert keys_of(ana["member_events"], "chat_id", "user_id", "event", "update_id") == [
        (EQUIPE, ANA, "join", 3001),
        (VIZINHOS, ANA, "leave", 3004),
    ]
    (added,) = ana["member_events_you_performed"]
    # She added Carla: the change is listed, Carla is not.
    assert added == {
        "chat_id": EQUIPE,
        "event": "join",
        "occurred_at": "2024-02-21T09:00:00Z",
        "source": "chat_member",
        "update_id": 3002,
        "old_status": "left",
        "new_status": "member",
        "invite_link": None,
        "via_join_request": False,
        "via_chat_folder_invite_link": False,
        "dt": "2024-02-21",
    }


def test_reactions_given_whole_and_received_without_who(ana: dict[str, Any]) -> None:
    (given,) = ana["reactions_given"]
    assert (given["chat_id"], given["message_id"], given["actor_user_id"]) == (EQUIPE, 2, ANA)
    assert (given["reaction"], given["is_set"]) == ("👍", True)
    received = ana["reactions_received"]
    assert keys_of(received, "message_id", "update_type", "reaction", "total_count") == [
        (1, "message_reaction", "❤", None),
        (1, "message_reaction_count", "❤", 3),
    ]
    for row in received:
        assert "actor_user_id" not in row
        assert "actor_chat_id" not in row


def test_join_requests(ana: dict[str, Any]) -> None:
    assert ana["join_requests"] == [
        {
            "chat_id": CLUBE,
            "user_id": ANA,
            "requested_at": "2024-03-06T15:00:00Z",
            "update_id": 7001,
            "invite_link": "amigos",
            "dt": "2024-03-06",
        }
    ]


def test_chats_with_latest_title_and_first_and_last_appearance(ana: dict[str, Any]) -> None:
    assert ana["chats"] == [
        {
            "chat_id": OLD_GROUP,
            "chat_type": "group",
            "chat_title": "Equipe (antiga)",
            "first_seen_at": "2024-02-01T08:00:00Z",
            "last_seen_at": "2024-02-01T08:00:00Z",
            "migrated_to_chat_id": EQUIPE,
        },
        {
            # Joined on Feb 20, last wrote on Mar 2; Bruno's later message renamed it.
            "chat_id": EQUIPE,
            "chat_type": "supergroup",
            "chat_title": "Equipe Nova",
            "first_seen_at": "2024-02-20T09:00:00Z",
            "last_seen_at": "2024-03-02T09:00:00Z",
            "migrated_to_chat_id": None,
        },
        {
            "chat_id": ANA,
            "chat_type": "private",
            "chat_title": None,
            "first_seen_at": "2024-03-03T20:00:00Z",
            "last_seen_at": "2024-03-03T20:00:00Z",
            "migrated_to_chat_id": None,
        },
        {
            # Known only from her join request: no message tells its type or title.
            "chat_id": CLUBE,
            "chat_type": None,
            "chat_title": None,
            "first_seen_at": "2024-03-06T15:00:00Z",
            "last_seen_at": "2024-03-06T15:00:00Z",
            "migrated_to_chat_id": None,
        },
        {
            "chat_id": VIZINHOS,
            "chat_type": "supergroup",
            "chat_title": "Vizinhos",
            "first_seen_at": "2024-03-10T18:00:00Z",
            "last_seen_at": "2024-03-10T18:00:00Z",
            "migrated_to_chat_id": None,
        },
    ]


def test_replies_and_forwards_by_others_as_ids_only(ana: dict[str, Any]) -> None:
    # Her reply to herself is among her messages, not here.
    assert ana["replies_to_you"] == [
        {
            "chat_id": EQUIPE,
            "message_id": 2,
            "reply_to_message_id": 1,
            "sent_at": "2024-03-01T10:05:00Z",
            "dt": "2024-03-01",
        }
    ]
    assert ana["forwards_of_your_messages"] == [
        {
            "chat_id": EQUIPE,
            "message_id": 3,
            "forward_origin_type": "user",
            "sent_at": "2024-03-01T11:00:00Z",
            "dt": "2024-03-01",
        }
    ]


def test_nothing_of_anyone_else(ana: dict[str, Any]) -> None:
    text = json.dumps(ana, ensure_ascii=False)
    for other in (str(BRUNO), str(CARLA), "Bruno", "Carla", "bruno"):
        assert other not in text
    for their_text in (BRUNO_REPLY, BRUNO_OTHER, VIZINHOS_TEXT):
        assert their_text not in text
    # Carla's forward copies Ana's text: only Ana's own message carries it.
    assert text.count(ANA_TEXT) == 1


def test_another_person_gets_their_own_rows_only(plain_lake: Path) -> None:
    bruno = export_user(str(plain_lake), BRUNO)
    assert keys_of(bruno["messages"], "chat_id", "message_id") == [
        (EQUIPE, 2),
        (VIZINHOS, 20),
        (EQUIPE, 5),
    ]
    assert bruno["replies_to_you"] == []
    assert keys_of(bruno["reactions_received"], "message_id", "reaction") == [
        (2, "👍"),
        (5, "🔥"),
    ]
    # His reply names whom it answers (a column of his own message); nothing else of Ana's.
    assert bruno["messages"][0]["reply_to_user_id"] == ANA
    bruno["messages"][0]["reply_to_user_id"] = None
    text = json.dumps(bruno, ensure_ascii=False)
    assert str(ANA) not in text
    for her_text in (ANA_TEXT, ANA_SELF_REPLY, ANA_OLD_TEXT, "Ana", "ana_souza"):
        assert her_text not in text


def test_an_unknown_person_gets_an_empty_export(plain_lake: Path) -> None:
    nobody = export_user(str(plain_lake), 999)
    assert is_empty(nobody)
    assert nobody["export"]["person"]["found_as"] == []
    assert all(section["rows"] == 0 for section in nobody["export"]["sections"].values())


def test_pseudonymous_lake_is_found_through_the_key(tmp_path: Path) -> None:
    lake = write_lake(tmp_path / "curated", pseudonymous(scenario(), KEY))
    ana_pseudonym = hand_pseudonym(KEY, ANA)

    without_key = export_user(str(lake), ANA)
    assert is_empty(without_key)

    ana = export_user(str(lake), ANA, key=KEY)
    person = ana["export"]["person"]
    assert person["pseudonym"] == ana_pseudonym
    assert person["looked_up_as"] == [ANA, ana_pseudonym]
    assert person["found_as"] == [ana_pseudonym]
    # Same rows as in plain mode, under the pseudonym, without names.
    assert keys_of(ana["messages"], "chat_id", "message_id", "user_id", "user_first_name") == [
        (OLD_GROUP, 7, ana_pseudonym, None),
        (EQUIPE, 1, ana_pseudonym, None),
        (EQUIPE, 4, ana_pseudonym, None),
        (ana_pseudonym, 10, ana_pseudonym, None),
    ]
    counts = {name: section["rows"] for name, section in ana["export"]["sections"].items()}
    assert counts == {
        "messages": 4,
        "member_events": 2,
        "member_events_you_performed": 1,
        "reactions_given": 1,
        "reactions_received": 2,
        "join_requests": 1,
        "chats": 5,
        "replies_to_you": 1,
        "forwards_of_your_messages": 1,
    }
    text = json.dumps(ana)
    for other in (BRUNO, CARLA):
        assert str(hand_pseudonym(KEY, other)) not in text


def test_a_lake_switched_to_pseudonymous_mode_is_searched_under_both_ids(
    tmp_path: Path,
) -> None:
    lake = write_lake(tmp_path / "curated", scenario())
    write_lake(lake, pseudonymous(scenario(), KEY))
    ana = export_user(str(lake), ANA, key=KEY)
    assert ana["export"]["person"]["found_as"] == sorted([ANA, hand_pseudonym(KEY, ANA)])
    assert len(ana["messages"]) == 8


def test_tables_not_written_yet_read_as_empty(tmp_path: Path) -> None:
    tables = scenario()
    lake = write_lake(tmp_path / "curated", {"messages": tables["messages"]})
    ana = export_user(str(lake), ANA)
    assert len(ana["messages"]) == 4
    assert ana["reactions_given"] == []
    assert ana["join_requests"] == []


@pytest.mark.parametrize("user_id", [0, -1005000000001])
def test_an_id_that_is_not_a_persons_is_refused(plain_lake: Path, user_id: int) -> None:
    with pytest.raises(ExportError, match="positive integer"):
        export_user(str(plain_lake), user_id)


def test_a_missing_curated_zone_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no curated zone"):
        export_user(str(tmp_path / "nowhere"), ANA)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ExportError, match="table folders"):
        export_user((tmp_path / "empty").as_uri(), ANA)
