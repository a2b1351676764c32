"""The channel: posts (`channel_post`), their edits, reaction totals, automatic forwards.

A post has `sender_chat` = the channel and no `from`; sometimes a signature or a photo.
The linked discussion group receives an automatic forward of every post: a message from
Telegram (777000) with `sender_chat` = the channel and `is_automatic_forward`. Reads and
writes nothing.
"""

from __future__ import annotations

from samples.bot_api import TELEGRAM_SERVICE_USER, JsonObj
from samples.cast import CHANNEL_AUTHOR, Chat
from samples.entities import render_static
from samples.media import photo_sizes
from samples.scenarios.edits import schedule_edit
from samples.scenarios.reactions import schedule_reaction_counts
from samples.texts import CHANNEL_TEXTS
from samples.world import World

P_SIGNED = 0.3
P_PHOTO = 0.25
P_EDITED = 0.1
P_REACTION_COUNTS = 0.3
# Post fields an automatic forward copies.
FORWARDED_FIELDS = ("photo", "caption", "caption_entities", "text", "entities")


def channel_post(world: World, t: float) -> None:
    """One post of the channel at t, and what follows from it."""
    rng = world.rng
    channel = world.channel
    post: JsonObj = {
        "message_id": channel.take_id(),
        "sender_chat": channel.obj,
        "chat": channel.obj,
        "date": int(t),
    }
    if rng.random() < P_SIGNED:
        post["author_signature"] = CHANNEL_AUTHOR
    if rng.random() < P_PHOTO:
        post["photo"] = photo_sizes(rng)
        text, entities = render_static(rng.choice(CHANNEL_TEXTS))
        post["caption"] = text
        if entities:
            post["caption_entities"] = entities
    else:
        text, entities = render_static(rng.choice(CHANNEL_TEXTS))
        post["text"] = text
        if entities:
            post["entities"] = entities
    world.emit(t, "channel_post", post)
    if rng.random() < P_EDITED:
        schedule_edit(world, channel, post, t + 60 + rng.random() * 7200, "edited_channel_post")
    if rng.random() < P_REACTION_COUNTS:
        schedule_reaction_counts(world, channel, post, t + 300 + rng.random() * 3600)
    discussion = world.discussion_group()
    if discussion is not None:
        automatic_forward(world, channel, post, discussion, t)


def automatic_forward(
    world: World, channel: Chat, post: JsonObj, discussion: Chat, t: float
) -> None:
    """The linked discussion group receives a copy of every post, a second later."""
    auto: JsonObj = {
        "message_id": discussion.take_id(),
        "from": TELEGRAM_SERVICE_USER,
        "sender_chat": channel.obj,
        "chat": discussion.obj,
        "date": int(t) + 1,
        "forward_origin": {
            "type": "channel",
            "chat": channel.obj,
            "message_id": post["message_id"],
            "date": int(t),
        },
        "is_automatic_forward": True,
    }
    if "author_signature" in post:
        auto["forward_origin"] = {
            **auto["forward_origin"],
            "author_signature": post["author_signature"],
        }
    for key in FORWARDED_FIELDS:
        if key in post:
            auto[key] = post[key]
    world.emit(t + 1.5, "message", auto)
    discussion.remember(None, auto)
