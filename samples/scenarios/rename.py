"""A group renamed mid-window: a `new_chat_title` service message, then the new title.

Messages sent after the rename carry the new `chat.title`; updates queued before it keep
the old one, as Telegram's do. Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import service_message
from samples.world import World

RENAMED_TITLE = "Trilhas, Café & Cerveja 🍻"


def plan(world: World) -> None:
    """Schedule the rename of the second group (when there is one)."""
    if len(world.groups) < 2:
        return
    renamed = world.groups[1]

    def rename(t: float) -> None:
        assert renamed.admin is not None
        new_obj = dict(renamed.obj)
        new_obj["title"] = RENAMED_TITLE
        # Later messages carry the new title; earlier (queued) ones keep the old object.
        renamed.obj = new_obj
        fields = {"new_chat_title": RENAMED_TITLE}
        msg = service_message(renamed.take_id(), renamed.admin.obj, renamed.obj, t, fields)
        world.emit(t, "message", msg)

    world.schedule(world.start_ts + world.span * 0.45 + 3600 * 20, rename)
