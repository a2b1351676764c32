"""Ordinary group messages: who speaks, in which topic, what, replying to whom.

One call makes one message of a group (or an album of photos, or a bot command), and
schedules what follows from it: edits, a live location's moves, reactions, a poll's new
options, a checklist's ticks. Senders are members by activity, sometimes (in supergroups)
an anonymous admin (GroupAnonymousBot with `sender_chat` = the group) or, in the
discussion group, someone posting as the channel (Channel_Bot). Topic messages that are
not replies carry `reply_to_message` = the topic's creation message, as Telegram sends
them; in the discussion group a reply to a post's automatic forward or to a comment joins
that post's comment thread (`message_thread_id`). Reads and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from samples.bot_api import (
    CHANNEL_BOT,
    GROUP_ANONYMOUS_BOT,
    JsonObj,
    as_reply_target,
    message_envelope,
)
from samples.cast import INLINE_BOTS, Chat, Person, Topic
from samples.content import VIA_BOTS, message_content, pick_kind
from samples.media import photo_sizes
from samples.scenarios import checklists, commands, edits, live_location, polls, reactions
from samples.scenarios.forwards import P_FORWARD, forward_origin
from samples.world import World

P_TOPIC_GENERAL = 0.35  # of forum messages: in the General topic (no thread id)
P_ANON_ADMIN = 0.015
P_AS_CHANNEL = 0.006
P_REPLY = 0.22
P_VIA_BOT = 0.3  # of animations: sent through an inline bot
P_ALBUM = 0.15  # of photos: part of a media group
P_RETRIED_ORIGINAL = 0.25  # of quick edits: first delivery failed, retried after the edit
ADMIN_SIGNATURES = (None, "Admin", "Moderação")
# Kinds that never come as a forward here (a story has its own origin; the others are the
# sender's own, made through a bot or a Premium feature).
NOT_FORWARDED = ("story", "game", "invoice", "checklist")


@dataclass
class Sender:
    person: Person | None  # None when the message is not a person's own (anonymous, channel)
    user: JsonObj  # `from`
    chat: JsonObj | None = None  # `sender_chat`
    signature: str | None = None  # `author_signature`


def choose_thread(world: World, chat: Chat) -> Topic | None:
    """The forum topic of the next message (None: General, or not a forum)."""
    if chat.topics and world.rng.random() > P_TOPIC_GENERAL:
        return chat.topics[min(int(world.rng.expovariate(1.0)), len(chat.topics) - 1)]
    return None


def choose_sender(world: World, chat: Chat, kind: str | None = None) -> Sender:
    """Who sends the next message (of `kind`, when the kind is decided: then a person)."""
    rng = world.rng
    person = chat.pick_member(rng)
    if kind == "checklist" and not person.obj.get("is_premium"):
        # Only Telegram Premium users send checklists.
        premium = [m for m in chat.members if m.obj.get("is_premium")]
        person = rng.choice(premium) if premium else person
    if kind is not None:
        return Sender(person, person.obj)
    roll = rng.random()
    if chat.is_supergroup and roll < P_ANON_ADMIN:
        # Anonymous admin: Telegram shows GroupAnonymousBot as `from`, the group as sender.
        return Sender(None, GROUP_ANONYMOUS_BOT, chat.obj, rng.choice(ADMIN_SIGNATURES))
    if chat.kind == "discussion" and roll < P_ANON_ADMIN + P_AS_CHANNEL:
        return Sender(None, CHANNEL_BOT, world.channel.obj)
    return Sender(person, person.obj)


def group_message(world: World, chat: Chat, t: float, kind: str | None = None) -> None:
    """One message of chat at t (of `kind`, or one drawn from the mix), and what follows."""
    rng = world.rng
    if not chat.members:
        return
    thread = choose_thread(world, chat)
    sender = choose_sender(world, chat, kind)
    user = sender.person
    if kind is None:
        kind = pick_kind(rng.random())
    elif kind == "checklist" and not sender.user.get("is_premium"):
        kind = "text"  # nobody here has Telegram Premium
    if kind == "text" and user is not None and rng.random() < commands.P_COMMAND:
        commands.command(world, chat, t, user, thread)
        return
    msg = message_envelope(chat.take_id(), sender.user, thread.thread_id if thread else None)
    if sender.chat is not None:
        msg["sender_chat"] = sender.chat
    msg["chat"] = chat.obj
    msg["date"] = int(t)
    if kind not in NOT_FORWARDED and rng.random() < P_FORWARD:
        msg["forward_origin"] = forward_origin(world, t)
    recent = chat.recent.get(thread.thread_id if thread else 0)
    if recent and rng.random() < P_REPLY:
        reply_target = recent[-1 - min(int(rng.expovariate(0.5)), len(recent) - 1)]
        msg["reply_to_message"] = as_reply_target(reply_target)
        if chat.kind == "discussion":
            join_comment_thread(msg, reply_target)
    elif thread is not None:
        # Documented quirk: topic messages "reply" to the topic's creation message.
        msg["reply_to_message"] = thread.root
    if kind == "animation" and rng.random() < P_VIA_BOT:
        msg["via_bot"] = INLINE_BOTS[0]
    elif kind in VIA_BOTS:
        msg["via_bot"] = VIA_BOTS[kind]
    if sender.signature:
        msg["author_signature"] = sender.signature
    msg.update(message_content(world, kind, user, chat, t))
    if thread is not None:
        msg["is_topic_message"] = True
    in_album = kind == "photo" and rng.random() < P_ALBUM
    if in_album:
        msg["media_group_id"] = str(rng.randrange(13 * 10**15, 14 * 10**15))
    first_delivery_retry = 0.0
    edit_delay = edits.edit_delay(world, msg, kind)
    if edit_delay is not None and edit_delay < 30 and rng.random() < P_RETRIED_ORIGINAL:
        first_delivery_retry = 40 + rng.random() * 80
    world.emit(t, "message", msg, retry_after=first_delivery_retry)
    chat.remember(thread, msg)
    if edit_delay is not None:
        edits.schedule_edit(world, chat, msg, t + edit_delay, "edited_message")
    if kind == "location" and live_location.is_live(msg):
        live_location.schedule_moves(world, chat, msg, t)
    elif kind == "poll" and user is not None:
        polls.schedule_option_changes(world, chat, msg, t, user)
    elif kind == "checklist":
        checklists.schedule_ticks(world, chat, msg, t)
    if rng.random() < reactions.P_REACTED:
        reactions.schedule_reactions(world, chat, msg, t, user)
    if in_album:
        album_rest(world, chat, t, msg)


def join_comment_thread(msg: JsonObj, target: JsonObj) -> None:
    """A reply to a post's automatic forward, or to a comment, is a comment of that post."""
    if target.get("is_automatic_forward"):
        thread_id = target["message_id"]
    elif "message_thread_id" in target:
        thread_id = target["message_thread_id"]
    else:
        return
    # message_thread_id comes right after message_id, as Telegram orders the fields.
    fields = list(msg.items())
    msg.clear()
    msg["message_id"] = fields[0][1]
    msg["message_thread_id"] = thread_id
    msg.update(fields[1:])


def album_rest(world: World, chat: Chat, t: float, first: JsonObj) -> None:
    """The other items of a media group: separate messages sharing media_group_id."""
    for i in range(world.rng.randrange(1, 4)):
        msg = {k: v for k, v in first.items() if k not in ("caption", "caption_entities")}
        msg["message_id"] = chat.take_id()
        msg["photo"] = photo_sizes(world.rng)
        world.emit(t + 0.01 * (i + 1), "message", msg)
