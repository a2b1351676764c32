"""The bundled Telegram Desktop export: a forum's weeks before the bot joined, and the first
days the webhook sample also has.

    python -m samples.history_export --out samples/history/result.json

Reads `samples/updates.jsonl` (the webhook sample) and rebuilds the sample's world
(`samples.world.World`, seed and sizes of `samples.simulation`); writes one "Export chat
history" JSON of the forum supergroup (the world's first group), as Telegram Desktop writes
it (`samples.history.export_format`), made by its admin in São Paulo at EXPORT_AT:

- HISTORY_DAYS of history before the bot joined (generated here, from the same people,
  topics and content builders, with its own seed): texts and media, replies, topic
  messages, edits, forwards, anonymous admins, members joining and leaving, pins;
- the bot being added (the message right before the webhook sample's first one);
- every message of the forum sent before EXPORT_AT, read from the webhook sample: the same
  ids, the latest version at EXPORT_AT, the bot's own messages (which bots never receive;
  the sample has them inside `callback_query`), and MISSED_EDITS edits the webhook never
  delivered (so the export has a later version of those messages).

Same inputs, same file, byte for byte. Telegram Desktop's date-range export starts at the
first day asked for, so the topics' first messages (months older) are not in it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from samples.bot_api import GROUP_ANONYMOUS_BOT, JsonObj
from samples.cast import INLINE_BOTS, LAKE_BOT, Chat, Person
from samples.content import message_content, pick_kind
from samples.history.export_format import bare, display_name, export_message
from samples.rhythm import LOCAL_UTC_OFFSET_HOURS, hourly_expected
from samples.simulation import (
    DEFAULT_CHATS,
    DEFAULT_DAYS,
    DEFAULT_SEED,
    DEFAULT_START,
    DEFAULT_TARGET_UPDATES,
    DEFAULT_USERS,
)
from samples.world import World

HISTORY_SEED = 2611
HISTORY_DAYS = 28
MESSAGES_PER_DAY = 90  # about the forum's pace in the webhook sample
EXPORT_AFTER_HOURS = 3 * 24 + 12  # the export is made 3.5 days into the webhook sample
BOT_JOIN_BEFORE_S = 60  # the bot is added a minute before the sample's first update
MISSED_EDITS = 3
P_TOPIC, P_REPLY, P_FORWARD, P_EDIT, P_ANON = 0.65, 0.22, 0.03, 0.06, 0.015
EXPORT_TYPE = "private_supergroup"  # the forum has no public username
DEFAULT_UPDATES = Path("samples/updates.jsonl")
DEFAULT_OUT = Path("samples/history/result.json")


def sample_world() -> World:
    """The webhook sample's world before its first update (the same cast and chats)."""
    return World.create(
        seed=DEFAULT_SEED,
        start=date.fromisoformat(DEFAULT_START),
        days=DEFAULT_DAYS,
        chats=DEFAULT_CHATS,
        users=DEFAULT_USERS,
        target=DEFAULT_TARGET_UPDATES,
    )


def webhook_messages(
    path: Path, chat_id: int
) -> tuple[dict[int, JsonObj], dict[int, list[JsonObj]]]:
    """The chat's messages in the webhook sample (first delivery of each, and the bot's own
    inside callback queries) and every delivered edit, by message id."""
    originals: dict[int, JsonObj] = {}
    edits: dict[int, list[JsonObj]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        update = json.loads(line)
        message = update.get("message") or update.get("edited_message")
        if message is None and "callback_query" in update:
            message = update["callback_query"].get("message")
        if not message or message["chat"]["id"] != chat_id:
            continue
        if "edited_message" in update:
            edits.setdefault(message["message_id"], []).append(message)
        else:
            originals.setdefault(message["message_id"], message)
    return originals, edits


def overlap(
    originals: dict[int, JsonObj],
    edits: dict[int, list[JsonObj]],
    export_at: int,
    rng: random.Random,
) -> list[tuple[JsonObj, int | None]]:
    """(latest version at export time, its edit_date) of every message sent before it;
    MISSED_EDITS plain texts get an edit the webhook never delivered."""
    out = []
    for message_id in sorted(originals):
        message = originals[message_id]
        if message["date"] >= export_at:
            continue
        seen = [e for e in edits.get(message_id, []) if e["edit_date"] <= export_at]
        latest = max(seen, key=lambda e: e["edit_date"], default=None)
        out.append((latest or message, latest["edit_date"] if latest else None))
    candidates = [
        i
        for i, (m, edited) in enumerate(out)
        if edited is None
        and m["message_id"] not in edits
        and "text" in m
        and "message_thread_id" not in m
        and "reply_to_message" not in m
        and "sender_chat" not in m
        and not m.get("from", {}).get("is_bot")
        and m["date"] < export_at - 6 * 3600
    ]
    for i in sorted(rng.sample(candidates, MISSED_EDITS)):
        message, _ = out[i]
        edited = {**message, "text": message["text"] + " (corrigido)"}
        out[i] = (edited, message["date"] + rng.randrange(600, 4 * 3600))
    return out


class History:
    """Generates the forum's messages before the bot joined (Bot API shapes, then exported)."""

    def __init__(self, world: World, forum: Chat, rng: random.Random) -> None:
        self.world, self.forum, self.rng = world, forum, rng
        self.events: list[tuple[float, int, JsonObj, int | None]] = []  # t, seq, message, edit
        self.recent: dict[int, list[int]] = {}  # thread -> recent event indexes

    def add(self, t: float, message: JsonObj, edit: int | None = None) -> int:
        message["date"] = int(t)
        self.events.append((t, len(self.events), message, edit))
        return len(self.events) - 1

    def message(self, t: float) -> None:
        rng, forum = self.rng, self.forum
        person = forum.pick_member(rng)
        thread = None
        if rng.random() < P_TOPIC:
            thread = forum.topics[min(int(rng.expovariate(1.0)), len(forum.topics) - 1)]
        key = thread.thread_id if thread else 0
        message: JsonObj = {"message_id": None}
        if rng.random() < P_ANON:
            message |= {"from": GROUP_ANONYMOUS_BOT, "sender_chat": forum.obj}
            user: Person | None = None
        else:
            message["from"], user = person.obj, person
        message["chat"] = forum.obj
        kind = pick_kind(rng.random())
        recent = self.recent.setdefault(key, [])
        if recent and rng.random() < P_REPLY:
            target = recent[-1 - min(int(rng.expovariate(0.5)), len(recent) - 1)]
            message["reply_to_message"] = {"message_id": ("event", target)}
        elif thread is not None:
            message["reply_to_message"] = {"message_id": thread.thread_id}
        if kind != "story" and rng.random() < P_FORWARD:
            other = forum.pick_member(rng, person.id).obj
            message["forward_origin"] = {
                "type": "user",
                "sender_user": other,
                "date": int(t) - 3600,
            }
        if kind == "animation" and rng.random() < 0.3:
            message["via_bot"] = INLINE_BOTS[0]
        message.update(message_content(self.world, kind, user, forum, t))
        edit = (
            int(t) + rng.randrange(30, 1800)
            if "text" in message and rng.random() < P_EDIT
            else None
        )
        recent.append(self.add(t, message, edit))
        del recent[:-40]

    def service(self, t: float, actor: JsonObj, fields: JsonObj) -> None:
        self.add(t, {"message_id": None, "from": actor, "chat": self.forum.obj} | fields)

    def membership(self, start: float, span: float) -> None:
        """Outsiders come and go: two join by link (one leaves), one is added and kicked."""
        rng, forum = self.rng, self.forum
        assert forum.admin is not None
        admin = forum.admin.obj
        outsiders = [p for p in self.world.people if p not in forum.members]
        for i, person in enumerate(outsiders[:3]):
            joined = start + span * (0.1 + 0.25 * i) + rng.random() * 3600
            actor = admin if i == 2 else person.obj
            self.service(joined, actor, {"new_chat_members": [person.obj]})
            if i > 0:
                left = joined + rng.randrange(2, 6) * 86400
                self.service(left, actor, {"left_chat_member": person.obj})

    def pins(self, start: float, span: float) -> None:
        assert self.forum.admin is not None
        for share in (0.3, 0.8):
            t = start + span * share
            earlier = [i for i, e in enumerate(self.events) if e[0] < t and "text" in e[2]]
            target = earlier[-1 - self.rng.randrange(min(20, len(earlier)))]
            pinned = {"pinned_message": {"message_id": ("event", target)}}
            self.service(t, self.forum.admin.obj, pinned)

    def run(self, start: float, end: float) -> list[tuple[JsonObj, int | None]]:
        hours = int((end - start) // 3600)
        expected = hourly_expected(MESSAGES_PER_DAY * HISTORY_DAYS, start, hours, self.forum.week)
        for hour, count in enumerate(expected):
            for offset in sorted(
                self.rng.random() * 3600 for _ in range(int(count + self.rng.random()))
            ):
                self.message(start + hour * 3600 + offset)
        self.membership(start, end - start)
        self.pins(start, end - start)
        return self._numbered()

    def _numbered(self) -> list[tuple[JsonObj, int | None]]:
        """Messages in time order, numbered up to the id before the bot's join."""
        order = sorted(range(len(self.events)), key=lambda i: self.events[i][:2])
        first_id = self.forum.next_message_id - len(order)
        ids = {index: first_id + n for n, index in enumerate(order)}
        out = []
        for index in order:
            _, _, message, edit = self.events[index]
            message["message_id"] = ids[index]
            for key in ("reply_to_message", "pinned_message"):
                ref = message.get(key, {}).get("message_id")
                if isinstance(ref, tuple):
                    message[key] = {"message_id": ids[ref[1]]}
            out.append((message, edit))
        return out


def build_export(updates: Path) -> JsonObj:
    world = sample_world()
    forum = world.groups[0]
    rng = random.Random(HISTORY_SEED)
    world.rng = rng  # the content builders draw from the history's own generator
    bot_join = int(world.start_ts) - BOT_JOIN_BEFORE_S
    # The webhook sample's first message takes next_message_id + 1: the bot's join has
    # next_message_id itself, the history the ids right before it.
    history = History(world, forum, rng).run(bot_join - HISTORY_DAYS * 86400, bot_join)
    assert forum.admin is not None
    join = {"message_id": forum.next_message_id, "from": forum.admin.obj, "chat": forum.obj}
    join |= {"date": bot_join, "new_chat_members": [LAKE_BOT]}
    originals, edits = webhook_messages(updates, forum.obj["id"])
    export_at = int(world.start_ts) + EXPORT_AFTER_HOURS * 3600
    messages = [*history, (join, None), *overlap(originals, edits, export_at, rng)]
    admin_name = display_name(forum.admin.obj)
    return {
        "name": forum.obj["title"],
        "type": EXPORT_TYPE,
        "id": bare(forum.obj["id"]),
        "messages": [
            export_message(
                m, utc_offset_hours=LOCAL_UTC_OFFSET_HOURS, admin_name=admin_name, edit_date=e
            )
            for m, e in messages
        ],
    }


def summary(export: JsonObj, updates: Path) -> str:
    """The facts samples/history/README.md states, recomputed (print them after a change)."""
    messages = export["messages"]
    forum = -(10**12) - export["id"]
    delivered, edits = webhook_messages(updates, forum)
    edit_dates = {i: [e["edit_date"] for e in versions] for i, versions in edits.items()}
    first_seen = min(delivered)
    before = [m for m in messages if m["id"] < first_seen]
    overlap = [m for m in messages if m["id"] >= first_seen]
    edited = {m["id"]: int(m["edited_unixtime"]) for m in overlap if "edited_unixtime" in m}
    same = [i for i, e in edited.items() if e == max(edit_dates.get(i, [0]))]
    later = [i for i, e in edited.items() if e > max(edit_dates.get(i, [0]))]
    only_after = [m["id"] for m in overlap if m["id"] in edits and m["id"] not in edited]
    return (
        f"{len(messages)} messages, ids {messages[0]['id']} .. {messages[-1]['id']}; "
        f"before the webhook sample: {len(before)} (ids {before[0]['id']} .. {before[-1]['id']}, "
        f"the last one the bot's join); overlap: {len(overlap)} (ids {overlap[0]['id']} .. "
        f"{overlap[-1]['id']}); overlap edits: {len(same)} as the webhook's last, later than "
        f"the webhook {later}, edited only after the export {only_after}"
    )


def write(export: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    # Telegram Desktop indents one space per level and writes UTF-8 as is.
    out.write_text(json.dumps(export, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.history_export", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--updates", type=Path, default=DEFAULT_UPDATES, help="the webhook sample")
    args = parser.parse_args(argv)
    export = build_export(args.updates)
    write(export, args.out)
    print(f"wrote {args.out}: {summary(export, args.updates)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
