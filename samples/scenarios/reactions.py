"""Reactions: who reacts to a message, how their reactions change, and a channel's totals.

In groups each reacting actor is a member (`user`) or, in supergroups, an anonymous admin
(`actor_chat` = the group) or the linked channel (`actor_chat` = the channel, in its
discussion group). Each `message_reaction` update carries the actor's reactions before and
after: a first reaction, then sometimes a change, a removal of all of them (`[]`), or one
more (Premium users set up to three, and use custom emoji); in the discussion group people
also send paid reactions (Telegram Stars). A channel's posts get anonymous totals instead:
several `message_reaction_count` updates per post as the totals move. Reads and writes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from samples.bot_api import (
    PAID_REACTION,
    JsonObj,
    custom_emoji_reaction,
    emoji_reaction,
    message_reaction_count_updated,
    message_reaction_updated,
)
from samples.cast import Chat, Person
from samples.world import World

P_REACTED = 0.13  # of ordinary group messages
REACTION_EMOJI = ("👍", "❤", "🔥", "😁", "👏", "🎉", "🤔", "😢", "🙏", "💯", "🤣", "👀")
CUSTOM_EMOJI_IDS = (
    "5368324170671202286",
    "5377305978079288312",
    "5445284980978621387",
    "5431456208487716895",
    "5350295234217346924",
)
P_ANONYMOUS_ADMIN = 0.03  # of actors in supergroups
P_AS_CHANNEL = 0.05  # of actors in the channel's discussion group
P_CUSTOM = 0.25  # of a Premium actor's reactions
P_SEVERAL = 0.15  # a Premium actor sets two or three at once
P_PAID = 0.1  # of reactions in the discussion group: a paid (Stars) reaction
P_CHANGE = 0.13  # after a reaction: replaced by another
P_REMOVE = 0.07  # after a reaction: all removed
P_ADD = 0.12  # after a Premium actor's reaction: one more added
P_COUNTED = 0.85  # of channel posts: get reaction totals


@dataclass
class Actor:
    """Who reacts: a person (`user`) or a chat acting anonymously (`actor_chat`)."""

    key: int
    user: JsonObj | None
    chat: JsonObj | None
    premium: bool
    current: list[JsonObj] = field(default_factory=list)  # their reactions right now


def choose_actor(world: World, chat: Chat, author_id: int | None) -> Actor:
    rng = world.rng
    roll = rng.random()
    if chat.is_supergroup and roll < P_ANONYMOUS_ADMIN:
        return Actor(chat.id, None, chat.obj, premium=False)
    if chat.kind == "discussion" and roll < P_ANONYMOUS_ADMIN + P_AS_CHANNEL:
        return Actor(world.channel.id, None, world.channel.obj, premium=False)
    person = chat.pick_member(rng, author_id)
    return Actor(person.id, person.obj, None, premium=bool(person.obj.get("is_premium")))


def one_reaction(world: World, chat: Chat, actor: Actor, avoid: list[JsonObj]) -> JsonObj:
    """A reaction the actor may use, other than those in `avoid`."""
    rng = world.rng
    for _ in range(6):
        if chat.kind == "discussion" and actor.user is not None and rng.random() < P_PAID:
            reaction = PAID_REACTION
        elif actor.premium and rng.random() < P_CUSTOM:
            reaction = custom_emoji_reaction(rng.choice(CUSTOM_EMOJI_IDS))
        else:
            reaction = emoji_reaction(rng.choice(REACTION_EMOJI))
        if reaction not in avoid:
            return reaction
    return emoji_reaction(next(e for e in REACTION_EMOJI if emoji_reaction(e) not in avoid))


def first_reactions(world: World, chat: Chat, actor: Actor) -> list[JsonObj]:
    count = 1
    if actor.premium and world.rng.random() < P_SEVERAL:
        count = world.rng.choice((2, 2, 3))
    chosen: list[JsonObj] = []
    for _ in range(count):
        chosen.append(one_reaction(world, chat, actor, chosen))
    return chosen


def next_reactions(world: World, chat: Chat, actor: Actor) -> list[JsonObj] | None:
    """What the actor changes to next, or None if they leave their reactions as they are."""
    roll = world.rng.random()
    if roll < P_CHANGE:
        replaced = one_reaction(world, chat, actor, actor.current)
        return [*actor.current[:-1], replaced]
    if roll < P_CHANGE + P_REMOVE:
        return []
    if actor.premium and len(actor.current) < 3 and roll < P_CHANGE + P_REMOVE + P_ADD:
        return [*actor.current, one_reaction(world, chat, actor, actor.current)]
    return None


def schedule_reactions(
    world: World, chat: Chat, msg: JsonObj, t: float, author: Person | None
) -> None:
    """Actors other than the author react to msg (sent at t) over the next minutes."""
    rng = world.rng
    actors: dict[int, Actor] = {}
    for _ in range(1 + int(rng.expovariate(1.3))):
        actor = choose_actor(world, chat, author.id if author else None)
        actors.setdefault(actor.key, actor)
    for actor in actors.values():

        def step(when: float, actor: Actor = actor, new: list[JsonObj] | None = None) -> None:
            if not world.still_open(chat, msg):
                return
            if new is None:
                new = first_reactions(world, chat, actor)
            update = message_reaction_updated(
                chat.obj,
                msg["message_id"],
                when,
                user=actor.user,
                actor_chat=actor.chat,
                old=actor.current,
                new=new,
            )
            world.emit(when, "message_reaction", update)
            actor.current = new
            following = next_reactions(world, chat, actor) if new else None
            if following is not None:
                later = when + 3 + world.rng.expovariate(1 / 600)
                world.schedule(later, lambda at: step(at, actor, following))

        world.schedule(t + 5 + rng.expovariate(1 / 900), step)


def schedule_reaction_counts(world: World, channel: Chat, post: JsonObj, t: float) -> None:
    """Anonymous totals on a channel post (sent at t): a few updates as they grow."""
    rng = world.rng
    if rng.random() >= P_COUNTED:
        return
    final_total = int(rng.lognormvariate(2.8, 0.7)) + 2
    kinds: list[JsonObj] = [emoji_reaction(e) for e in rng.sample(REACTION_EMOJI, 3)]
    if rng.random() < 0.3:
        kinds.append(custom_emoji_reaction(rng.choice(CUSTOM_EMOJI_IDS)))
    if rng.random() < 0.25:
        kinds.append(PAID_REACTION)
    shares = sorted((rng.random() ** 2 for _ in kinds), reverse=True)
    finals = [max(1, round(final_total * s / sum(shares))) for s in shares]
    updates = 2 + min(int(rng.expovariate(0.7)), 4)
    when = t
    for i in range(1, updates + 1):
        when += 120 + rng.expovariate(1 / (1800 * i))
        fraction = (i / updates) ** 0.6
        totals = [(kind, round(n * fraction)) for kind, n in zip(kinds, finals, strict=True)]
        if i == updates and rng.random() < 0.25:
            # Someone took their reaction back: a total goes down.
            kind, n = totals[0]
            totals[0] = (kind, max(0, n - 1))
        shown = sorted(((k, n) for k, n in totals if n > 0), key=lambda kn: -kn[1])
        if not shown:
            continue
        update = message_reaction_count_updated(channel.obj, post["message_id"], when, shown)
        world.emit_at(when, "message_reaction_count", update)
