"""Every update of the bundled sample is a valid Bot API 10.0 Update, field for field.

Each line goes through python-telegram-bot 22.8 (Bot API 10.0): `Update.de_json` must accept
it, no object may keep an unknown field (`api_kwargs` stays empty everywhere), and
serialising the object again must give back every field with the same value. Reads the
committed `samples/updates.jsonl`; writes nothing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, TelegramObject, Update

pytestmark = pytest.mark.unit

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "updates.jsonl"
# python-telegram-bot writes these Message flags even when Telegram leaves them out (they
# default to false); Telegram itself omits an empty list, python-telegram-bot drops one.
PTB_DEFAULT_FALSE = {
    "group_chat_created",
    "supergroup_chat_created",
    "channel_chat_created",
    "delete_chat_photo",
}
# Slots every TelegramObject has that hold no Bot API field.
INTERNAL_SLOTS = {"_bot", "_frozen", "_id_attrs", "api_kwargs"}


def unknown_fields(obj: object, path: str = "") -> list[str]:
    """Every `api_kwargs` entry (a field the class does not know) in the object tree."""
    found: list[str] = []
    if isinstance(obj, TelegramObject):
        found += [f"{path}/{key}" for key in obj.api_kwargs]
        for cls in type(obj).__mro__:
            for name in getattr(cls, "__slots__", ()):
                if name not in INTERNAL_SLOTS:
                    found += unknown_fields(getattr(obj, name, None), f"{path}/{name}")
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            found += unknown_fields(item, path + "[]")
    return found


def differences(sent: Any, back: Any, path: str = "") -> list[str]:
    """Where the re-serialised update differs from what Telegram sent."""
    if isinstance(sent, dict) and isinstance(back, dict):
        out: list[str] = []
        for key in sorted(sent.keys() | back.keys()):
            where = f"{path}/{key}"
            if key not in back:
                if sent[key] != []:
                    out.append(f"{where}: lost")
            elif key not in sent:
                if not (key in PTB_DEFAULT_FALSE and back[key] is False):
                    out.append(f"{where}: added {back[key]!r}")
            else:
                out += differences(sent[key], back[key], where)
        return out
    if isinstance(sent, list) and isinstance(back, list) and len(sent) == len(back):
        return [
            d
            for i, (a, b) in enumerate(zip(sent, back, strict=True))
            for d in differences(a, b, f"{path}[{i}]")
        ]
    if sent != back or type(sent) is not type(back):
        return [f"{path}: {sent!r} became {back!r}"]
    return []


def test_differences_and_unknown_fields_catch_a_wrong_shape():
    bot = Bot("123456:offline-token")
    chat = {"id": -100123, "title": "g", "type": "supergroup", "colour": "red"}
    wrong = {"update_id": 1, "message": {"message_id": 5, "date": 1790000000, "chat": chat}}
    update = Update.de_json(copy.deepcopy(wrong), bot)
    assert unknown_fields(update) == ["/message/chat/colour"]
    assert differences({"a": 1, "b": [1]}, {"a": "1"}) == ["/a: 1 became '1'", "/b: lost"]
    assert differences({"a": []}, {"delete_chat_photo": False}) == []


def test_every_update_round_trips_through_python_telegram_bot():
    bot = Bot("123456:offline-token")  # never contacts Telegram: only used for de_json
    problems: list[str] = []
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        sent = json.loads(line)
        try:
            update = Update.de_json(copy.deepcopy(sent), bot)
        except (TypeError, ValueError, KeyError) as error:
            problems.append(f"line {number}: rejected: {error}")
            continue
        problems += [f"line {number}: unknown field {p}" for p in unknown_fields(update)]
        back = json.loads(update.to_json())
        problems += [f"line {number}: {d}" for d in differences(sent, back)]
    assert len(lines) > 2500
    assert problems == []
