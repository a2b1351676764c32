"""Who sent a message: export peers (`from_id`, `actor_id`) -> Bot API `from` / `sender_chat`.

Telegram Desktop writes a sender as a display name (`from`, `actor`; null for a deleted
account) and a peer id: `user<N>`, `channel<N>` or `chat<N>` (before version 2.7 a bare
user number). The Bot API shape, as Telegram sends it to a bot:

- `user<N>`: `from` = {id: N, first_name: the display name}. The export has no separate
  last name, username or language; `is_bot` is set (true) only when the message proves it
  (an inline keyboard not sent via an inline bot, or a bot's own private chat).
- in a channel: `sender_chat` = the channel, no `from` (`author` -> `author_signature`).
- `channel<N>` (or `chat<N>`) that is the chat itself: an anonymous admin: `from` =
  GroupAnonymousBot, `sender_chat` = the chat.
- `channel<N>` of another channel: a post as that channel: `from` = Channel_Bot,
  `sender_chat` = {id: -100N, type: channel}; with `saved_from` set it is the automatic
  forward of the linked channel's post into its discussion group: `from` = Telegram
  (777000) and `is_automatic_forward`.

Forwards name their origin only by display name (`forwarded_from`, `saved_from`). A name
that belongs to exactly one peer seen in the chat (a sender, an actor, the chat itself)
becomes a `forward_origin` of type user, chat or channel with that peer's id; any other name
becomes `hidden_user` with `sender_user_name` (the Bot API's origin known only by name). The
export has no forward date, so `date` is left out. Reads and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from history_import.chats import CHANNEL, CHANNEL_ID_BASE, BotApiChat
from history_import.errors import FieldError
from lake.telegram import TELEGRAM_SERVICE_USER_ID

# Telegram's fixed accounts, as the Bot API sends them.
GROUP_ANONYMOUS_BOT: dict[str, Any] = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT: dict[str, Any] = {
    "id": 136817688,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}
TELEGRAM_SERVICE_USER: dict[str, Any] = {
    "id": TELEGRAM_SERVICE_USER_ID,
    "is_bot": False,
    "first_name": "Telegram",
}

USER = "user"
CHANNEL_PEER = "channel"
CHAT_PEER = "chat"


@dataclass(frozen=True, slots=True)
class Peer:
    kind: str  # user | channel | chat
    bare: int
    api_id: int = field(init=False, compare=False)  # the Bot API id, computed once

    def __post_init__(self) -> None:
        if self.kind == USER:
            api_id = self.bare
        elif self.kind == CHANNEL_PEER:
            api_id = -(CHANNEL_ID_BASE + self.bare)
        else:
            api_id = -self.bare
        object.__setattr__(self, "api_id", api_id)


def parse_peer(field: str, value: Any) -> Peer | None:
    """`user123` / `channel123` / `chat123` / 123 (pre-2.7: a user) -> Peer; None if absent."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return Peer(USER, value)
    if isinstance(value, str):
        for kind in (USER, CHANNEL_PEER, CHAT_PEER):
            if value.startswith(kind) and value[len(kind) :].isdigit():
                bare = int(value[len(kind) :])
                if bare > 0:
                    return Peer(kind, bare)
    raise FieldError(field, f"not a peer id: {value!r}")


def parse_name(field: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise FieldError(field, f"not a name: {value!r}")


def user_obj(user_id: int | None, name: str | None, *, is_bot: bool = False) -> dict[str, Any]:
    """A User as far as the export knows it (no id for members named only by name)."""
    user: dict[str, Any] = {}
    if user_id is not None:
        user["id"] = user_id
    if is_bot:
        user["is_bot"] = True
    if name is not None:
        user["first_name"] = name
    return user


class Peers:
    """The peers of one chat seen so far: names (for forward origins and reply stubs) and
    the users proven to be bots. Grows with the number of people, not of messages."""

    def __init__(self, chat: BotApiChat) -> None:
        self.chat = chat
        self.chat_object = chat.obj()
        self.names: dict[int, str] = {}
        self._by_name: dict[str, set[int]] = {}
        self._bots: set[int] = set()
        # Built objects, shared by the messages that carry them (cleared when a name changes).
        self._senders: dict[tuple[int, str | None, bool], dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        if chat.title is not None:
            self.remember(chat.id, chat.title)

    @property
    def bots(self) -> frozenset[int]:
        return frozenset(self._bots)

    def add_bot(self, user_id: int) -> None:
        if user_id not in self._bots:
            self._bots.add(user_id)
            self._forget_built()

    def retitle(self, title: str) -> None:
        """The chat's title from now on (a rename, or the title a creation names)."""
        self.chat.title = title
        self.chat_object = self.chat.obj()
        self.remember(self.chat.id, title)
        self._forget_built()

    def _forget_built(self) -> None:
        self._senders.clear()
        self._users.clear()

    def remember(self, api_id: int, name: str | None) -> None:
        if name is None:
            return
        known = self.names.get(api_id)
        if known == name:
            return
        self.names[api_id] = name
        self._by_name.setdefault(name, set()).add(api_id)
        if known is not None:  # a new name of a known peer: rebuild the objects naming it
            self._forget_built()

    def user(self, user_id: int) -> dict[str, Any]:
        """The User of `user_id` as far as the chat knows it. Shared: do not change."""
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = user_obj(
                user_id, self.names.get(user_id), is_bot=user_id in self._bots
            )
        return user

    def sender_fields(
        self, peer: Peer | None, name: str | None, *, automatic_forward: bool = False
    ) -> dict[str, Any]:
        """`from` / `sender_chat` (and `is_automatic_forward`) of a message or service
        message in this chat, by the rules of the module docstring. Shared: do not change."""
        if self.chat.type == CHANNEL:
            return {"sender_chat": self.chat_object}
        if peer is None:
            return {}
        self.remember(peer.api_id, name)
        key = (peer.api_id, name, automatic_forward)
        fields = self._senders.get(key)
        if fields is None:
            fields = self._senders[key] = self._sender_fields(peer, automatic_forward)
        return fields

    def _sender_fields(self, peer: Peer, automatic_forward: bool) -> dict[str, Any]:
        api_id = peer.api_id
        if peer.kind == USER:
            return {"from": self.user(api_id)}
        if api_id == self.chat.id:
            return {"from": GROUP_ANONYMOUS_BOT, "sender_chat": self.chat_object}
        sender_chat = self.chat_obj(api_id)
        if automatic_forward:
            return {
                "from": TELEGRAM_SERVICE_USER,
                "sender_chat": sender_chat,
                "is_automatic_forward": True,
            }
        return {"from": CHANNEL_BOT, "sender_chat": sender_chat}

    def chat_obj(self, api_id: int) -> dict[str, Any]:
        if api_id == self.chat.id:
            return self.chat_object
        chat: dict[str, Any] = {"id": api_id}
        if api_id in self.names:
            chat["title"] = self.names[api_id]
        chat["type"] = CHANNEL if api_id <= -CHANNEL_ID_BASE else "group"
        return chat

    def forward_origin(self, name: str | None) -> dict[str, Any]:
        """MessageOrigin of a forward whose origin the export names `name`."""
        candidates = self._by_name.get(name, set()) if name is not None else set()
        if len(candidates) == 1:
            api_id = next(iter(candidates))
            if api_id > 0:
                return {"type": "user", "sender_user": self.user(api_id)}
            origin_chat = self.chat_obj(api_id)
            if origin_chat["type"] == CHANNEL:
                return {"type": "channel", "chat": origin_chat}
            return {"type": "chat", "sender_chat": origin_chat}
        origin: dict[str, Any] = {"type": "hidden_user"}
        if name is not None:
            origin["sender_user_name"] = name
        return origin
