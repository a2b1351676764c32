"""What an ordinary message holds: its content kind, drawn from a mix, and its fields.

`pick_kind` draws a kind (`text`, `photo`, ...: each a Bot API content field the curated
`content_type` knows); `message_content` builds that kind's fields, with a caption where
Telegram allows one and texts in the sender's language. Reads and writes nothing.
"""

from __future__ import annotations

import bisect
import itertools

from samples import commerce, media
from samples.bot_api import JsonObj
from samples.cast import Chat, Person
from samples.entities import render_static, render_text
from samples.texts import CHECKLISTS, EN_CAPTIONS, EN_TEXTS, PT_CAPTIONS, PT_TEXTS
from samples.world import World

# (kind, probability) for ordinary human messages in groups. The order matters: it is the
# order of the cumulative draw, so reordering changes every generated file.
CONTENT_MIX: tuple[tuple[str, float], ...] = (
    ("text", 0.690),
    ("photo", 0.090),
    ("sticker", 0.070),
    ("voice", 0.035),
    ("video", 0.025),
    ("animation", 0.025),
    ("document", 0.015),
    ("video_note", 0.012),
    ("audio", 0.006),
    ("poll", 0.006),
    ("location", 0.007),
    ("venue", 0.004),
    ("contact", 0.004),
    ("dice", 0.006),
    ("story", 0.005),
)
# Rarer kinds, sent in quotas (`samples.scenarios.rare_content`) so that every run has some.
RARE_KINDS = ("live_photo", "checklist", "game", "invoice")
# Kinds sent through an inline bot, and the bot.
VIA_BOTS: dict[str, JsonObj] = {"game": commerce.GAME_BOT, "invoice": commerce.TICKETS_BOT}
_KIND_CUM = list(itertools.accumulate(p for _, p in CONTENT_MIX))
_KIND_NAMES = [k for k, _ in CONTENT_MIX]


def pick_kind(x: float) -> str:
    """The content kind at quantile x (0 <= x < 1) of the mix."""
    return _KIND_NAMES[min(bisect.bisect_left(_KIND_CUM, x * _KIND_CUM[-1]), len(_KIND_NAMES) - 1)]


def text_for(world: World, user: Person | None, chat: Chat) -> tuple[str, list[JsonObj]]:
    """A text in the sender's language (the chat's mix for anonymous senders), with entities."""
    rng = world.rng
    english = (user.lang == "en") if user is not None else rng.random() > chat.pt_share
    if rng.random() < 0.1:
        english = not english
    template = rng.choice(EN_TEXTS if english else PT_TEXTS)
    mention = None
    if "{@}" in template and chat.members:
        mention = chat.pick_member(rng, user.id if user else None).obj
    if mention is None:
        return render_static(template)
    return render_text(template, mention)


def caption_for(world: World, user: Person | None) -> tuple[str, list[JsonObj]] | None:
    if world.rng.random() < 0.45:
        return None
    english = user is not None and user.lang == "en"
    return render_static(world.rng.choice(EN_CAPTIONS if english else PT_CAPTIONS))


def message_content(world: World, kind: str, user: Person | None, chat: Chat, t: float) -> JsonObj:
    """The content fields of a message of this kind (documented Bot API shapes)."""
    rng = world.rng
    body: JsonObj = {}
    caption = None
    if kind == "text":
        text, entities = text_for(world, user, chat)
        body["text"] = text
        if entities:
            body["entities"] = entities
        return body
    if kind == "photo":
        body["photo"] = media.photo_sizes(rng)
        caption = caption_for(world, user)
    elif kind == "sticker":
        body["sticker"] = media.sticker(rng)
    elif kind == "voice":
        body["voice"] = media.voice(rng)
    elif kind in ("video", "animation"):
        body.update(media.moving_picture(rng, kind, t))
        caption = caption_for(world, user) if kind == "video" else None
    elif kind == "document":
        body["document"] = media.document(rng)
        caption = caption_for(world, user)
    elif kind == "video_note":
        body["video_note"] = media.video_note(rng)
    elif kind == "audio":
        body["audio"] = media.audio(rng)
    elif kind == "poll":
        body["poll"] = media.poll(rng, world.next_poll_id)
    elif kind in ("location", "venue"):
        body.update(media.place(rng, kind))
    elif kind == "contact":
        body["contact"] = media.contact(rng, rng.choice(world.people).obj)
    elif kind == "dice":
        body["dice"] = media.dice(rng)
    elif kind == "story":
        body.update(media.story(rng, rng.choice(world.people).obj, t))
    elif kind == "live_photo":
        body.update(media.live_photo(rng))
        caption = caption_for(world, user)
    elif kind == "checklist":
        body["checklist"] = checklist(world)
    elif kind == "game":
        body.update(commerce.game(rng))
    elif kind == "invoice":
        body.update(commerce.invoice(rng))
    if caption is not None:
        body["caption"] = caption[0]
        if caption[1]:
            body["caption_entities"] = caption[1]
    return body


def checklist(world: World) -> JsonObj:
    """A Checklist: a title and its tasks (ids from 1), none done yet."""
    title, tasks = world.rng.choice(CHECKLISTS)
    return {
        "title": title,
        "tasks": [{"id": i, "text": text} for i, text in enumerate(tasks, start=1)],
        "others_can_add_tasks": True,
        "others_can_mark_tasks_as_done": True,
    }
