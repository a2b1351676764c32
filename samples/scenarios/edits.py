"""Edited messages: which messages get edited, when, and the `edited_*` updates it makes.

Most edits come within minutes, some hours later, a few days later (`P_LATE_EDIT`); one
edit in seven is followed by another. Each edit builds on the newest version (the text
grows a suffix) and carries `edit_date`. Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import JsonObj
from samples.cast import Chat
from samples.texts import EDIT_SUFFIXES
from samples.world import World

P_EDIT_TEXT = 0.06
P_EDIT_CAPTION = 0.03
P_SECOND_EDIT = 0.15
P_LATE_EDIT = 0.12  # of edits: arrives 1-6 days after the message


def edit_delay(world: World, msg: JsonObj, kind: str) -> float | None:
    """Seconds until msg is first edited, or None if it never is."""
    rng = world.rng
    if "forward_origin" in msg or "from" not in msg:
        return None
    if kind == "text":
        chance = P_EDIT_TEXT
    elif "caption" in msg:
        chance = P_EDIT_CAPTION
    else:
        return None
    if rng.random() >= chance:
        return None
    roll = rng.random()
    if roll < P_LATE_EDIT:
        return 86400 * (1 + rng.random() * 5)
    if roll < 0.25:
        return 600 + rng.random() * 12 * 3600
    return 4 + rng.expovariate(1 / 60)


def schedule_edit(world: World, chat: Chat, msg: JsonObj, when: float, kind: str) -> None:
    """Edit msg's text or caption at `when`, delivered as an update of `kind`."""

    def edit(t: float) -> None:
        if not world.still_open(chat, msg):
            return
        field_name = "text" if "text" in msg else "caption"
        key = (chat.obj["id"], msg["message_id"])
        current = world.latest_versions.get(key, msg)
        edited = dict(current)
        edited["edit_date"] = int(t)
        edited[field_name] = current[field_name] + world.rng.choice(EDIT_SUFFIXES)
        world.latest_versions[key] = edited
        world.emit(t, kind, edited)
        if world.rng.random() < P_SECOND_EDIT:
            world.schedule(t + 5 + world.rng.expovariate(1 / 300), edit)

    world.schedule(when, edit)
