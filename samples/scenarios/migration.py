"""A basic group upgraded to a supergroup mid-window: the chat changes its id.

Telegram sends two service messages at the same moment: in the old basic group (`type`
group, id `-<n>`) a message from the person who upgraded it with `migrate_to_chat_id` = the
new id, and in the new supergroup (id `-100...`) its first message, from GroupAnonymousBot
with `sender_chat` = the supergroup, carrying `migrate_from_chat_id` = the old id. The same
people go on talking in the supergroup (message ids start again); nothing more happens to
the old group's messages. Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import GROUP_ANONYMOUS_BOT, JsonObj, service_message
from samples.cast import Chat
from samples.world import World

UPGRADE_AT = 0.4  # of the window
UPGRADE_HOUR_OFFSET = 3600 * 7  # moved into the evening (São Paulo time)


def upgrade(world: World, group: Chat, t: float) -> None:
    """group (a basic group) becomes a supergroup at t."""
    rng = world.rng
    old = group.obj
    new_id = -1_000_000_000_000 - rng.randrange(2_400_000_000, 3_400_000_000)
    new: JsonObj = {"id": new_id, "title": old["title"], "type": "supergroup"}
    who = (group.owner or group.admin or group.members[0]).obj
    fields = {"migrate_to_chat_id": new_id}
    world.emit(t, "message", service_message(group.take_id(), who, old, t, fields))
    group.obj = new
    group.kind = "supergroup"
    group.next_message_id = 0
    group.recent.clear()
    group.chat_instance = str(rng.randrange(-(2**63), 2**63))
    first: JsonObj = {
        "message_id": group.take_id(),
        "from": GROUP_ANONYMOUS_BOT,
        "sender_chat": new,
        "chat": new,
        "date": int(t),
        "migrate_from_chat_id": old["id"],
    }
    world.emit(t, "message", first)


def plan(world: World) -> None:
    """Schedule the upgrade of the first basic group (when there is one)."""
    group = next((g for g in world.groups if g.obj["type"] == "group"), None)
    if group is None:
        return
    when = world.start_ts + world.span * UPGRADE_AT + UPGRADE_HOUR_OFFSET
    world.schedule(when, lambda t: upgrade(world, group, t))
