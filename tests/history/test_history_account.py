"""Full-account exports (`chats.list`): which chats are imported, `--chat`, channels, and a
supergroup's history from before its upgrade from a basic group.

Writes exports under pytest's tmp dirs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from history_import.errors import ChatNotFoundError, ImportRefusedError
from tests.history.history_helpers import run, write_export, written_updates

T = 1_790_000_000


def msg(i: int, text: str, **extra: Any) -> dict[str, Any]:
    base = {"id": i, "type": "message", "date": "x", "date_unixtime": str(T + i)}
    return base | {"from": "Ana", "from_id": "user42"} | extra | {"text": text}


def chat(name: str | None, kind: str, chat_id: int, texts: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {} if name is None else {"name": name}
    out |= {"type": kind, "id": chat_id}
    return out | {"messages": [msg(i + 1, t) for i, t in enumerate(texts)]}


CHATS = [
    chat("Bruno", "personal_chat", 5551234, ["oi Bruno"]),
    chat("Família", "private_group", 4000000001, ["família 1", "família 2"]),
    chat("Dados BR", "public_supergroup", 1700000001, ["dados 1", "dados 2", "dados 3"]),
    chat("Notícias", "public_channel", 1800000001, ["notícia 1"]),
    chat(None, "saved_messages", 42, ["lembrete"]),
    chat("Estranho", "hologram", 77, ["?"]),
    chat("Dados BR", "private_channel", 1900000001, ["homônimo"]),
]
LEFT = [chat("Antigo", "private_supergroup", 1600000001, ["minha msg"])]


def account_export(path: Path, chats: list[dict[str, Any]] = CHATS) -> Path:
    body = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 42, "first_name": "Ana", "phone_number": "+55"},
        "profile_pictures": [{"date": "2026-01-01T00:00:00", "photo": "p.jpg"}],
        "contacts": {"about": "", "list": [{"first_name": "Bruno", "phone_number": "+55"}]},
        "chats": {"about": "", "list": chats},
        "left_chats": {"about": "", "list": LEFT},
    }
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def chats_of(raw: Path) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for update in written_updates(raw):
        message = update.get("message") or update["channel_post"]
        out.setdefault(message["chat"]["id"], []).append(message["text"])
    return out


def test_a_full_account_export_imports_its_groups_and_channels(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    report = run(account_export(tmp_path / "result.json"), raw, bot_first_seen="none")
    assert chats_of(raw) == {
        -4000000001: ["família 1", "família 2"],
        -1001700000001: ["dados 1", "dados 2", "dados 3"],
        -1001800000001: ["notícia 1"],
        -1001900000001: ["homônimo"],
    }
    statuses = {(c.name, c.export_type): (c.status, c.skip_reason) for c in report.chats}
    assert statuses[("Bruno", "personal_chat")] == ("skipped", "not_selected")
    assert statuses[(None, "saved_messages")] == ("skipped", "not_selected")
    assert statuses[("Estranho", "hologram")] == ("skipped", "bad_chat")
    assert statuses[("Antigo", "private_supergroup")] == ("skipped", "left_chat")
    assert statuses[("Dados BR", "public_supergroup")] == ("imported", None)
    assert report.export_kind == "account"
    assert report.totals()["messages_read"] == 2 + 3 + 1 + 1  # of the imported chats


def test_channel_posts_are_channel_posts(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    news = chat("Notícias", "public_channel", 1800000001, [])
    post = msg(9, "Edição de hoje", author="Ana Souza", from_id="channel1800000001")
    news["messages"] = [post | {"from": "Notícias", "edited_unixtime": str(T + 99)}]
    run(account_export(tmp_path / "result.json", [news]), raw)
    post, edit = written_updates(raw)
    channel = {"id": -1001800000001, "title": "Notícias", "type": "channel"}
    assert post["channel_post"] == {
        "message_id": 9,
        "sender_chat": channel,
        "chat": channel,
        "date": T + 9,
        "author_signature": "Ana Souza",
        "text": "Edição de hoje",
    }
    assert edit["edited_channel_post"]["edit_date"] == T + 99


@pytest.mark.parametrize("selector", ["Família", "família", "4000000001", "-4000000001"])
def test_chat_selects_one_chat_by_name_or_id(tmp_path: Path, selector: str) -> None:
    raw = tmp_path / "raw"
    run(account_export(tmp_path / "r.json"), raw, chat=selector, bot_first_seen="none")
    assert list(chats_of(raw)) == [-4000000001]


def test_chat_can_select_a_private_chat(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    run(account_export(tmp_path / "r.json"), raw, chat="Bruno", bot_first_seen="none")
    assert chats_of(raw) == {5551234: ["oi Bruno"]}


def test_an_ambiguous_or_left_chat_is_refused(tmp_path: Path) -> None:
    export = account_export(tmp_path / "r.json")
    with pytest.raises(ChatNotFoundError, match="matches 2 chats"):
        run(export, tmp_path / "raw", chat="Dados BR")
    with pytest.raises(ImportRefusedError, match="only your own messages"):
        run(export, tmp_path / "raw", chat="Antigo")
    assert not (tmp_path / "raw").exists()


def test_chat_keys_in_any_order(tmp_path: Path) -> None:
    """Telegram Desktop writes name, type, id before messages; other tools may not."""
    raw = tmp_path / "raw"
    swapped = [
        {"messages": c["messages"], **{k: v for k, v in c.items() if k != "messages"}}
        for c in CHATS[1:3]
    ]
    run(account_export(tmp_path / "r.json", swapped), raw, bot_first_seen="none")
    assert chats_of(raw) == {
        -4000000001: ["família 1", "família 2"],
        -1001700000001: ["dados 1", "dados 2", "dados 3"],
    }
    single = {"messages": [msg(1, "só")], "id": 1700000001, "type": "public_supergroup"}
    (tmp_path / "single.json").write_text(json.dumps(single))
    run(tmp_path / "single.json", tmp_path / "raw2")
    assert chats_of(tmp_path / "raw2") == {-1001700000001: ["só"]}


SHIFT = -1_000_000_000  # Telegram Desktop's id shift for a migrated group's messages
UPGRADED = {"name": "Turma", "type": "private_supergroup", "id": 1700000009}
HISTORY = [
    msg(SHIFT + 5, "no grupo"),
    msg(SHIFT + 6, "resposta no grupo", reply_to_message_id=SHIFT + 5),
    {"id": SHIFT + 7, "type": "service", "date_unixtime": str(T + 7), "actor": "Ana",
     "actor_id": "user42", "action": "migrate_to_supergroup"},
    {"id": 1, "type": "service", "date_unixtime": str(T + 8), "actor": "Ana",
     "actor_id": "user42", "action": "migrate_from_group", "title": "Turma"},
    msg(2, "no supergrupo"),
]  # fmt: skip


def test_a_migrated_groups_history_needs_its_chat_id(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    report = run(write_export(tmp_path / "r.json", UPGRADED, HISTORY), raw)
    assert chats_of(raw) == {-1001700000009: ["no supergrupo"]}
    assert dict(report.skipped) == {"migrated_group_history": 3, "migration_chat_unknown": 1}


def test_a_migrated_groups_history_is_imported_with_its_chat_id(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    report = run(
        write_export(tmp_path / "r.json", UPGRADED, HISTORY),
        raw,
        migrated_from_chat_id=-4000000009,
        bot_first_seen="none",
    )
    updates = [u["message"] for u in written_updates(raw)]
    by_id = {(m["chat"]["id"], m["message_id"]): m for m in updates}
    group = {k: m for k, m in by_id.items() if k[0] == -4000000009}
    assert sorted(group) == [
        (-4000000009, 2**32 + 5),
        (-4000000009, 2**32 + 6),
        (-4000000009, 2**32 + 7),
    ]
    assert group[(-4000000009, 2**32 + 6)]["reply_to_message"]["message_id"] == 2**32 + 5
    assert group[(-4000000009, 2**32 + 7)]["migrate_to_chat_id"] == -1001700000009
    assert by_id[(-1001700000009, 1)]["migrate_from_chat_id"] == -4000000009
    assert by_id[(-1001700000009, 2)]["text"] == "no supergrupo"
    assert [c.chat_id for c in report.chats] == [-1001700000009, -4000000009]
    assert (raw / "_imports" / "-4000000009" / "g00001.json").is_file()
    assert (raw / "_imports" / "-1001700000009" / "g00001.json").is_file()
