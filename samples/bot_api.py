"""Telegram Bot API objects the sample is made of: fixed accounts and plain builders.

Shapes follow https://core.telegram.org/bots/api, version 10.0 (Message, ChatMemberUpdated,
ChatInviteLink, ChatJoinRequest, MessageReactionUpdated, MessageReactionCountUpdated,
ReactionType). The builders take every value as an argument
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
    elif status == "creator":
        obj["is_anonymous"] = False
    return obj


def chat_member_updated(
    chat: JsonObj,
    actor: JsonObj,
    t: float,
    user: JsonObj,
    *,
    old: str,
    new: str,
    invite_link: JsonObj | None = None,
    via_join_request: bool = False,
    via_chat_folder_invite_link: bool = False,
) -> JsonObj:
    """ChatMemberUpdated: `user` went from status `old` to `new`, done by `actor`.

    A join may name how it happened: the invite link used, an approved join request, or a
    chat folder link (the flags are only present when true, as Telegram sends them).
    """
    update = {
        "chat": chat,
        "from": actor,
        "date": int(t),
        "old_chat_member": chat_member(user, old),
        "new_chat_member": chat_member(user, new),
    }
    if invite_link is not None:
        update["invite_link"] = invite_link
    if via_join_request:
        update["via_join_request"] = True
    if via_chat_folder_invite_link:
        update["via_chat_folder_invite_link"] = True
    return update


def chat_invite_link(
    link: str,
    creator: JsonObj,
    *,
    name: str | None = None,
    primary: bool = False,
    creates_join_request: bool = False,
) -> JsonObj:
    """ChatInviteLink as a bot sees a link another admin made (its tail hidden by `…`)."""
    obj: JsonObj = {
        "invite_link": link,
        "creator": creator,
        "creates_join_request": creates_join_request,
        "is_primary": primary,
        "is_revoked": False,
    }
    if name is not None:
        obj["name"] = name
    return obj


def chat_join_request(
    chat: JsonObj,
    user: JsonObj,
    t: float,
    *,
    bio: str | None = None,
    invite_link: JsonObj | None = None,
) -> JsonObj:
    """ChatJoinRequest: `user` asks to join `chat` (`user_chat_id` = their private chat)."""
    request: JsonObj = {
        "chat": chat,
        "from": user,
        "user_chat_id": user["id"],
        "date": int(t),
    }
    if bio is not None:
        request["bio"] = bio
    if invite_link is not None:
        request["invite_link"] = invite_link
    return request


def emoji_reaction(emoji: str) -> JsonObj:
    """ReactionTypeEmoji."""
    return {"type": "emoji", "emoji": emoji}


def custom_emoji_reaction(custom_emoji_id: str) -> JsonObj:
    """ReactionTypeCustomEmoji (Telegram Premium)."""
    return {"type": "custom_emoji", "custom_emoji_id": custom_emoji_id}


PAID_REACTION: JsonObj = {"type": "paid"}  # ReactionTypePaid: a reaction paid in Stars


def message_reaction_updated(
    chat: JsonObj,
    message_id: int,
    t: float,
    *,
    user: JsonObj | None = None,
    actor_chat: JsonObj | None = None,
    old: list[JsonObj],
    new: list[JsonObj],
) -> JsonObj:
    """MessageReactionUpdated: a person's (`user`) or an anonymous actor's (`actor_chat`: an
    anonymous admin's group, or a channel) reactions on a message, before and after."""
    update: JsonObj = {"chat": chat, "message_id": message_id}
    if user is not None:
        update["user"] = user
    if actor_chat is not None:
        update["actor_chat"] = actor_chat
    update["date"] = int(t)
    update["old_reaction"] = old
    update["new_reaction"] = new
    return update


def message_reaction_count_updated(
    chat: JsonObj, message_id: int, t: float, totals: list[tuple[JsonObj, int]]
) -> JsonObj:
    """MessageReactionCountUpdated: anonymous totals per reaction (ReactionCount list)."""
    return {
        "chat": chat,
        "message_id": message_id,
        "date": int(t),
        "reactions": [{"type": kind, "total_count": n} for kind, n in totals],
    }
