"""The channel: posts (`channel_post`), their edits, reaction totals, automatic forwards.

A post has `sender_chat` = the channel and no `from`; sometimes a signature. Posts are
texts, photos, videos, albums (several posts sharing `media_group_id`) and paid media. The
linked discussion group receives an automatic forward of every post: a message from
Telegram (777000) with `sender_chat` = the channel, `forward_origin` = the post and
`is_automatic_forward`; its comment thread follows (`samples.scenarios.comments`). Reads
and writes nothing.
"""

from __future__ import annotations

from samples import commerce, media
from samples.bot_api import TELEGRAM_SERVICE_USER, JsonObj
from samples.cast import CHANNEL_AUTHOR, Chat
from samples.entities import render_static
from samples.scenarios import comments
from samples.scenarios.edits import schedule_edit
from samples.scenarios.reactions import schedule_reaction_counts
from samples.texts import (
    CHANNEL_ALBUM_CAPTIONS,
    CHANNEL_TEXTS,
    CHANNEL_VIDEO_CAPTIONS,
    PAID_MEDIA_CAPTIONS,
)
from samples.world import World

P_SIGNED = 0.3
P_EDITED = 0.15
# Post kinds in turn (the channel keeps a mix): the cycle repeats every 12 posts.
POST_CYCLE = ("text", "photo", "text", "video", "text", "album", "photo", "text", "paid",
              "text", "video", "photo")  # fmt: skip
# Post fields an automatic forward copies.
FORWARDED_FIELDS = (
    "media_group_id",
    "photo",
    "video",
    "paid_media",
    "giveaway",
    "giveaway_winners",
    "caption",
    "caption_entities",
    "text",
    "entities",
)


def with_text(fields: JsonObj, key: str, template: str) -> JsonObj:
    """fields plus a text or caption (`key`) rendered from template, with its entities."""
    text, entities = render_static(template)
    fields[key] = text
    if entities:
        fields["entities" if key == "text" else "caption_entities"] = entities
    return fields


def post_fields(world: World, kind: str, t: float) -> JsonObj:
    """The content of one post of this kind (albums: their first item)."""
    rng = world.rng
    if kind == "photo":
        return with_text({"photo": media.photo_sizes(rng)}, "caption", rng.choice(CHANNEL_TEXTS))
    if kind == "video":
        fields = media.moving_picture(rng, "video", t)
        return with_text(fields, "caption", rng.choice(CHANNEL_VIDEO_CAPTIONS))
    if kind == "album":
        fields = {"media_group_id": str(rng.randrange(13 * 10**15, 14 * 10**15))}
        fields["photo"] = media.photo_sizes(rng)
        return with_text(fields, "caption", rng.choice(CHANNEL_ALBUM_CAPTIONS))
    if kind == "paid":
        fields = {"paid_media": commerce.paid_media(rng)}
        return with_text(fields, "caption", rng.choice(PAID_MEDIA_CAPTIONS))
    return with_text({}, "text", rng.choice(CHANNEL_TEXTS))


def channel_post(world: World, t: float) -> None:
    """One post of the channel at t (an album: a few), and what follows from it."""
    rng = world.rng
    kind = POST_CYCLE[world.channel_posts % len(POST_CYCLE)]
    world.channel_posts += 1
    signature = CHANNEL_AUTHOR if rng.random() < P_SIGNED else None
    first = publish(world, t, post_fields(world, kind, t), signature=signature)
    if kind == "album":
        for i in range(rng.randrange(1, 4)):
            fields = {"media_group_id": first["media_group_id"], "photo": media.photo_sizes(rng)}
            publish(world, t + 0.01 * (i + 1), fields, signature=signature, reactions=False)
    if kind != "paid" and rng.random() < P_EDITED:
        when = t + 60 + rng.random() * 7200
        schedule_edit(world, world.channel, first, when, "edited_channel_post")


def publish(
    world: World,
    t: float,
    fields: JsonObj,
    *,
    signature: str | None = None,
    paid_post: bool = False,
    reactions: bool = True,
) -> JsonObj:
    """Post `fields` in the channel at t; the discussion group gets its automatic forward."""
    channel = world.channel
    post: JsonObj = {
        "message_id": channel.take_id(),
        "sender_chat": channel.obj,
        "chat": channel.obj,
        "date": int(t),
    }
    if signature is not None:
        post["author_signature"] = signature
    if paid_post:
        post["is_paid_post"] = True
    post.update(fields)
    world.emit(t, "channel_post", post)
    if reactions:
        schedule_reaction_counts(world, channel, post, t)
    discussion = world.discussion_group()
    if discussion is not None:
        auto = automatic_forward(world, channel, post, discussion, t)
        if "media_group_id" not in fields or "caption" in fields:
            comments.schedule_thread(world, discussion, auto, t)
    return post


def automatic_forward(
    world: World, channel: Chat, post: JsonObj, discussion: Chat, t: float
) -> JsonObj:
    """The linked discussion group receives a copy of every post, a second later."""
    origin: JsonObj = {
        "type": "channel",
        "chat": channel.obj,
        "message_id": post["message_id"],
        "date": post["date"],
    }
    if "author_signature" in post:
        origin["author_signature"] = post["author_signature"]
    auto: JsonObj = {
        "message_id": discussion.take_id(),
        "from": TELEGRAM_SERVICE_USER,
        "sender_chat": channel.obj,
        "chat": discussion.obj,
        "date": int(t) + 1,
        "forward_origin": origin,
        "is_automatic_forward": True,
    }
    for key in FORWARDED_FIELDS:
        if key in post:
            auto[key] = post[key]
    world.emit(t + 1.5, "message", auto)
    discussion.remember(None, auto)
    return auto
