"""Reactions: people reacting to group messages, and anonymous totals on channel posts.

A reacted message gets one or more `message_reaction` updates (a member's emoji, sometimes
changed a little later: `old_reaction` -> `new_reaction`); a channel post may get a
`message_reaction_count` (anonymous totals per emoji). Reads and writes nothing.
"""

from __future__ import annotations

from samples.bot_api import JsonObj, emoji_reaction, message_reaction_updated
from samples.cast import Chat, Person
from samples.world import World

P_REACTED = 0.12  # of ordinary group messages
P_CHANGED = 0.15  # of reactions: replaced by another emoji a little later
REACTION_EMOJI = ("👍", "❤", "🔥", "😁", "👏", "🎉", "🤔", "😢", "🙏", "💯", "🤣", "👀")


def schedule_reactions(
    world: World, chat: Chat, msg: JsonObj, t: float, author: Person | None
) -> None:
    """Members other than the author react to msg (sent at t) over the next minutes."""
    rng = world.rng
    for _ in range(1 + int(rng.expovariate(1.5))):
        reactor = chat.pick_member(rng, author.id if author else None)
        emoji = rng.choice(REACTION_EMOJI)

        def react(when: float, reactor: Person = reactor, emoji: str = emoji) -> None:
            new = [emoji_reaction(emoji)]
            world.emit(
                when,
                "message_reaction",
                message_reaction_updated(
                    chat.obj, msg["message_id"], reactor.obj, when, old=[], new=new
                ),
            )
            roll = world.rng.random()
            if roll < P_CHANGED:
                other = [emoji_reaction(world.rng.choice(REACTION_EMOJI))]

                def change(later: float) -> None:
                    world.emit(
                        later,
                        "message_reaction",
                        message_reaction_updated(
                            chat.obj, msg["message_id"], reactor.obj, later, old=new, new=other
                        ),
                    )

                world.schedule(when + 3 + world.rng.random() * 120, change)

        world.schedule(t + 5 + rng.expovariate(1 / 900), react)


def schedule_reaction_counts(world: World, channel: Chat, post: JsonObj, when: float) -> None:
    """Anonymous reaction totals on a channel post, reported at `when`."""

    def counts(at: float) -> None:
        rng = world.rng
        reactions = [
            {"type": emoji_reaction(e), "total_count": rng.randrange(1, 40)}
            for e in rng.sample(REACTION_EMOJI, rng.randrange(1, 4))
        ]
        payload = {
            "chat": channel.obj,
            "message_id": post["message_id"],
            "date": int(at),
            "reactions": reactions,
        }
        world.emit(at, "message_reaction_count", payload)

    world.schedule(when, counts)
