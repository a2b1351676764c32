"""Forum topics: the admin opens a new topic in the forum group during the window.

The topic's `forum_topic_created` service message takes the next message id, which is also
the topic's `message_thread_id`; later messages may land in it. Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import topic_root
from samples.cast import Topic
from samples.world import World

NEW_TOPIC = ("Eventos 2026", 9367192)  # name, icon color


def plan(world: World) -> None:
    """Schedule the new topic (only when the first group is a forum)."""
    forum = world.groups[0]
    if forum.kind != "forum":
        return
    name, color = NEW_TOPIC

    def new_topic(t: float) -> None:
        assert forum.admin is not None
        tid = forum.take_id()
        root = topic_root(tid, forum.admin.obj, forum.obj, t, name=name, color=color)
        world.emit(t, "message", root)
        forum.topics.append(Topic(tid, root))

    world.schedule(world.start_ts + world.span * 0.1 + 3600 * 14, new_topic)
