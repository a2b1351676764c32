"""The channel's direct messages: questions, and suggested posts the channel approves or not.

A channel with direct messages has a companion chat (a supergroup with
`is_direct_messages`), where each person's conversation is a topic
(`direct_messages_topic`). People suggest paid posts there (`suggested_post_info`, a
price in Telegram Stars); the channel answers as the channel (`sender_chat` = the
channel, `from` = Channel_Bot) with service messages: `suggested_post_approved` (the post
is then published, `is_paid_post`, and a day later `suggested_post_paid`),
`suggested_post_declined` (with a comment), `suggested_post_approval_failed` (the
person's Stars did not cover it) or, after an approval, `suggested_post_refunded` (the
scheduled post was removed). Reads and writes nothing.
"""

from __future__ import annotations

import functools

from samples.bot_api import CHANNEL_BOT, JsonObj, as_reply_target
from samples.cast import Chat, Person
from samples.commerce import STAR_CURRENCY, star_price
from samples.entities import render_static
from samples.rhythm import COMMUNITY_WEEK
from samples.scenarios.channel import publish
from samples.texts import CHANNEL_REPLIES, DECLINE_COMMENTS, DM_TEXTS, SUGGESTED_POSTS
from samples.world import World

UPDATES_PER_SUGGESTION = 500  # one suggested post per this many updates (at least two)
# How suggestions end, in turn, so that every outcome happens from four suggestions on.
OUTCOMES = ("paid", "declined", "refunded", "approval_failed", "paid", "declined")
PAID_AFTER = 86400  # the channel is paid once the post stayed up for 24 hours


def dm_chat(world: World) -> Chat:
    """The channel's direct messages chat (made on first use)."""
    if world.channel_dm is None:
        obj = {
            "id": -1_000_000_000_000 - world.rng.randrange(2_400_000_000, 3_400_000_000),
            "title": world.channel.obj["title"],
            "type": "supergroup",
            "is_direct_messages": True,
        }
        world.channel_dm = Chat(
            obj, "direct_messages", COMMUNITY_WEEK, world.rng.randrange(50, 400)
        )
    return world.channel_dm


def topic(person: Person) -> JsonObj:
    """The person's conversation with the channel (DirectMessagesTopic)."""
    return {"topic_id": person.id, "user": person.obj}


def from_person(world: World, person: Person, t: float, template: str) -> JsonObj:
    chat = dm_chat(world)
    msg = {"message_id": chat.take_id(), "from": person.obj, "chat": chat.obj, "date": int(t)}
    msg["direct_messages_topic"] = topic(person)
    text, entities = render_static(template)
    msg["text"] = text
    if entities:
        msg["entities"] = entities
    return msg


def from_channel(world: World, person: Person, t: float, fields: JsonObj) -> JsonObj:
    """A message of the channel in person's topic (an answer or a service message)."""
    chat = dm_chat(world)
    msg = {"message_id": chat.take_id(), "from": CHANNEL_BOT, "sender_chat": world.channel.obj}
    msg["chat"] = chat.obj
    msg["date"] = int(t)
    msg["direct_messages_topic"] = topic(person)
    msg.update(fields)
    return msg


def suggest_at(world: World, person: Person, outcome: str, t: float) -> None:
    """person suggests a paid post at t; the channel decides a few hours later."""
    rng = world.rng
    price = star_price(rng.choice((100, 150, 250, 500)))
    msg = from_person(world, person, t, rng.choice(SUGGESTED_POSTS))
    msg["suggested_post_info"] = {"state": "pending", "price": price}
    world.emit(t, "message", msg)
    suggestion = as_reply_target(msg)
    decided = t + 1800 + rng.expovariate(1 / 14400)

    def decide(at: float) -> None:
        def say(when: float, fields: JsonObj) -> None:
            world.emit(when, "message", from_channel(world, person, when, fields))

        base = {"suggested_post_message": suggestion}
        if outcome == "declined":
            comment = world.rng.choice(DECLINE_COMMENTS)
            say(at, {"suggested_post_declined": {**base, "comment": comment}})
            return
        if outcome == "approval_failed":
            say(at, {"suggested_post_approval_failed": {**base, "price": price}})
            return
        send_date = int(at + 3600 * world.rng.randrange(2, 20))
        approved = {**base, "price": price, "send_date": send_date}
        say(at, {"suggested_post_approved": approved})
        if outcome == "refunded":
            # The channel removed the scheduled post before it went out: Stars go back.
            removed = {**base, "reason": "post_deleted"}
            world.schedule(
                send_date - 1800, lambda when: say(when, {"suggested_post_refunded": removed})
            )
            return
        fields: JsonObj = {key: msg[key] for key in ("text", "entities") if key in msg}

        def go_live(when: float) -> None:
            publish(world, when, fields, paid_post=True)

        world.schedule(send_date, go_live)
        paid = {**base, "currency": STAR_CURRENCY, "star_amount": {"amount": price["amount"]}}
        world.schedule(
            send_date + PAID_AFTER, lambda when: say(when, {"suggested_post_paid": paid})
        )

    world.schedule(decided, decide)


def ask_at(world: World, person: Person, t: float) -> None:
    """person writes to the channel at t; the channel answers within hours."""
    msg = from_person(world, person, t, world.rng.choice(DM_TEXTS))
    world.emit(t, "message", msg)
    text, entities = render_static(world.rng.choice(CHANNEL_REPLIES))

    def answer(at: float) -> None:
        fields: JsonObj = {"reply_to_message": as_reply_target(msg), "text": text}
        if entities:
            fields["entities"] = entities
        world.emit(at, "message", from_channel(world, person, at, fields))

    world.schedule(t + 600 + world.rng.expovariate(1 / 7200), answer)


def plan(world: World) -> None:
    """Schedule suggestions (spread over the first 60% of the window) and questions."""
    rng = world.rng
    suggestions = max(2, world.target // UPDATES_PER_SUGGESTION)
    for i in range(suggestions):
        person = rng.choice(world.people)
        when = world.start_ts + world.span * (0.05 + 0.55 * rng.random())
        outcome = OUTCOMES[i % len(OUTCOMES)]
        world.schedule(when, functools.partial(suggest_at, world, person, outcome))
    for _ in range(max(1, suggestions // 2)):
        person = rng.choice(world.people)
        when = world.start_ts + world.span * rng.random()
        world.schedule(when, functools.partial(ask_at, world, person))
