"""Comment threads: members of the discussion group comment on the channel's posts.

A comment replies to the post's automatic forward (or to an earlier comment of the same
thread) and carries `message_thread_id` = the automatic forward's id, as Telegram sends
comments. Now and then the channel answers a comment, posting as the channel
(`from` = Channel_Bot, `sender_chat` = the channel: not an automatic forward). The
automatic forward and the comments get reactions like any group message. Reads and writes
nothing.
"""

from __future__ import annotations

from samples import media
from samples.bot_api import CHANNEL_BOT, JsonObj, as_reply_target
from samples.cast import Chat
from samples.entities import render_static
from samples.scenarios import reactions
from samples.texts import CHANNEL_REPLIES, COMMENT_TEXTS
from samples.world import World

MEAN_COMMENTS = 2.0  # per post
P_REPLY_TO_COMMENT = 0.3
P_CHANNEL_ANSWERS = 0.2  # after a comment: the channel replies to it, as the channel
P_STICKER = 0.12
P_FORWARD_REACTED = 0.5  # of automatic forwards: people react to the copy in the group


def schedule_thread(world: World, group: Chat, root: JsonObj, t: float) -> None:
    """Comments on `root` (an automatic forward posted at t) over the next hours."""
    rng = world.rng
    if rng.random() < P_FORWARD_REACTED:
        reactions.schedule_reactions(world, group, root, t, None)
    thread: list[JsonObj] = [root]
    for _ in range(int(rng.expovariate(1 / MEAN_COMMENTS))):

        def comment(at: float) -> None:
            if not group.members:
                return
            target = thread[0]
            if len(thread) > 1 and world.rng.random() < P_REPLY_TO_COMMENT:
                target = world.rng.choice(thread[1:])
            person = group.pick_member(world.rng)
            msg = reply_in_thread(root, target, person.obj, group, at)
            if world.rng.random() < P_STICKER:
                msg["sticker"] = media.sticker(world.rng)
            else:
                with_text(msg, world.rng.choice(COMMENT_TEXTS))
            world.emit(at, "message", msg)
            group.remember(None, msg)
            thread.append(msg)
            if world.rng.random() < reactions.P_REACTED:
                reactions.schedule_reactions(world, group, msg, at, person)
            if world.rng.random() < P_CHANNEL_ANSWERS:
                later = at + 120 + world.rng.expovariate(1 / 1800)
                world.schedule(later, lambda when: channel_answer(world, group, root, msg, when))

        world.schedule(t + 60 + rng.expovariate(1 / 5400), comment)


def reply_in_thread(
    root: JsonObj,
    target: JsonObj,
    sender: JsonObj,
    group: Chat,
    t: float,
    *,
    sender_chat: JsonObj | None = None,
) -> JsonObj:
    """The envelope of a comment: in root's thread, replying to target."""
    msg: JsonObj = {
        "message_id": group.take_id(),
        "message_thread_id": root["message_id"],
        "from": sender,
    }
    if sender_chat is not None:
        msg["sender_chat"] = sender_chat
    msg["chat"] = group.obj
    msg["date"] = int(t)
    msg["reply_to_message"] = as_reply_target(target)
    return msg


def with_text(msg: JsonObj, template: str) -> None:
    text, entities = render_static(template)
    msg["text"] = text
    if entities:
        msg["entities"] = entities


def channel_answer(world: World, group: Chat, root: JsonObj, target: JsonObj, t: float) -> None:
    """The channel's admin answers a comment, posting as the channel."""
    msg = reply_in_thread(root, target, CHANNEL_BOT, group, t, sender_chat=world.channel.obj)
    with_text(msg, world.rng.choice(CHANNEL_REPLIES))
    world.emit(t, "message", msg)
    group.remember(None, msg)
