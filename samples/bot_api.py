"""Telegram Bot API objects the sample is made of: fixed accounts and plain builders.

Shapes follow https://core.telegram.org/bots/api (Message, ChatMemberUpdated,
MessageReactionUpdated, ReactionTypeEmoji). The builders take every value as an argument
(no randomness, no simulation state): the scenarios decide, these only spell the objects,
with keys in the order Telegram sends them. Reads and writes nothing.
"""

from __future__ import annotations

from typing import Any

JsonObj = dict[str, Any]

# Telegram's fixed service accounts (documented ids).
TELEGRAM_SERVICE_USER: JsonObj = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
GROUP_ANONYMOUS_BOT: JsonObj = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT: JsonObj = {
    "id": 136817688,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}


def message_envelope(message_id: int, sender: JsonObj | None, thread_id: int | None) -> JsonObj:
    """The head of a Message: id, forum topic, `from` (absent for channel posts)."""
    msg: JsonObj = {"message_id": message_id}
    if thread_id is not None:
        msg["message_thread_id"] = thread_id
    if sender is not None:
        msg["from"] = sender
    return msg


def service_message(
    message_id: int, sender: JsonObj, chat: JsonObj, t: float, fields: JsonObj
) -> JsonObj:
    """A service message (`new_chat_members`, `pinned_message`, ...) sent at t."""
    msg = {"message_id": message_id, "from": sender, "chat": chat, "date": int(t)}
    msg.update(fields)
    return msg


def topic_root(
    thread_id: int, creator: JsonObj, chat: JsonObj, created: float, *, name: str, color: int
) -> JsonObj:
    """The `forum_topic_created` message that opens a topic (its id is the thread id)."""
    return {
        "message_id": thread_id,
        "message_thread_id": thread_id,
        "from": creator,
        "chat": chat,
        "date": int(created),
        "forum_topic_created": {"name": name, "icon_color": color},
        "is_topic_message": True,
    }


def as_reply_target(msg: JsonObj) -> JsonObj:
    """A message as it appears inside `reply_to_message` or `pinned_message`."""
    # Documented: a replied-to message never carries its own reply_to_message.
    if "reply_to_message" not in msg:
        return msg
    return {k: v for k, v in msg.items() if k != "reply_to_message"}


def chat_member(user: JsonObj, status: str) -> JsonObj:
    """A ChatMember of the given status (`kicked` members carry `until_date`: 0 = forever)."""
    obj: JsonObj = {"user": user, "status": status}
    if status == "kicked":
        obj["until_date"] = 0
    return obj


def chat_member_updated(
    chat: JsonObj, actor: JsonObj, t: float, user: JsonObj, *, old: str, new: str
) -> JsonObj:
    """ChatMemberUpdated: `user` went from status `old` to `new`, done by `actor`."""
    return {
        "chat": chat,
        "from": actor,
        "date": int(t),
        "old_chat_member": chat_member(user, old),
        "new_chat_member": chat_member(user, new),
    }


def emoji_reaction(emoji: str) -> JsonObj:
    """ReactionTypeEmoji."""
    return {"type": "emoji", "emoji": emoji}


def message_reaction_updated(
    chat: JsonObj,
    message_id: int,
    user: JsonObj,
    t: float,
    *,
    old: list[JsonObj],
    new: list[JsonObj],
) -> JsonObj:
    """MessageReactionUpdated: one person's reactions on a message, before and after."""
    return {
        "chat": chat,
        "message_id": message_id,
        "user": user,
        "date": int(t),
        "old_reaction": old,
        "new_reaction": new,
    }
