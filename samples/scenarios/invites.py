"""How people get into a group: its invite links, and join requests that admins approve.

Each group has a primary invite link, named links its admins hand out ("Instagram bio",
"Meetup flyer", ...) and, in supergroups, a link that creates join requests. A join
request (`chat_join_request`: the person, their private chat id, maybe their bio and the
link used) is approved by an admin a little later (the join then follows, with
`via_join_request` for a direct request or the link for a request through a link) or is
never approved. Reads and writes nothing.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from samples.bot_api import chat_invite_link, chat_join_request
from samples.cast import Chat, Person
from samples.texts import JOIN_REQUEST_BIOS
from samples.world import World

NAMED_LINKS = ("Instagram bio", "Meetup flyer", "Newsletter")
REQUEST_LINK = "Formulário do site"
P_BIO = 0.6

Join = Callable[[float], None]


def link_text(world: World) -> str:
    """An invite link made by another admin: the bot sees only its start."""
    token = base64.urlsafe_b64encode(world.rng.randbytes(3)).decode()
    return f"https://t.me/+{token}..."


def make_links(world: World, chat: Chat) -> None:
    """The chat's invite links, made by its owner and admin before the window."""
    creator = (chat.owner or chat.admin or chat.members[0]).obj
    admin = (chat.admin or chat.members[0]).obj
    chat.links["primary"] = chat_invite_link(link_text(world), creator, primary=True)
    for name in NAMED_LINKS:
        chat.links[name] = chat_invite_link(link_text(world), admin, name=name)
    if chat.is_supergroup:
        chat.links[REQUEST_LINK] = chat_invite_link(
            link_text(world), admin, name=REQUEST_LINK, creates_join_request=True
        )


def request_to_join(
    world: World, chat: Chat, person: Person, t: float, *, via_link: bool, join: Join | None
) -> None:
    """person asks to join chat at t (directly, or through the request link); an admin
    approves it later, calling `join(at)`, or (`join` None) never does."""
    rng = world.rng
    link = None
    if via_link and REQUEST_LINK in chat.links:
        link = dict(chat.links[REQUEST_LINK])
        link["pending_join_request_count"] = 1 + int(rng.expovariate(0.7))
    bio = rng.choice(JOIN_REQUEST_BIOS) if rng.random() < P_BIO else None
    request = chat_join_request(chat.obj, person.obj, t, bio=bio, invite_link=link)
    world.emit(t, "chat_join_request", request)
    if join is not None:
        world.schedule(t + 600 + rng.expovariate(1 / 10800), join)
