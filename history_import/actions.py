"""Service messages: the export's `action`s -> Bot API service message fields.

Every action Telegram Desktop writes (export_output_json.cpp) is listed in ACTIONS (mapped
to its Bot API service field) or in UNMAPPED (skipped, with the reason reported). Member
changes are special: `invite_members`, `join_group_by_link`, `join_group_by_request`
(`new_chat_members`) and `remove_members` (`left_chat_member`) become one update per member,
so that every member event has its own update id. The export names invited and removed
members only by display name: they keep the name and have no user id, except when the member
is the actor (someone who joined or left by themselves), whose id is the actor's. Reads and
writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from history_import.chats import CHANNEL, BotApiChat
from history_import.content import int_field, str_field
from history_import.errors import FieldError
from history_import.senders import USER, Peer, Peers, parse_name, parse_peer, user_obj
from history_import.text import plain_text

Fields = dict[str, Any]
NEW_CHAT_MEMBERS = "new_chat_members"
LEFT_CHAT_MEMBER = "left_chat_member"


@dataclass
class ActionContext:
    """What a service message's mapping may need from its chat."""

    chat: BotApiChat
    peers: Peers
    #: Bot API id of the supergroup a basic group's history was upgraded to, when known.
    migrate_to_chat_id: int | None = None
    #: Bot API id of the basic group a supergroup was upgraded from, when known.
    migrate_from_chat_id: int | None = None
    #: The Bot API message a message id refers to, as far as the import knows it.
    message_stub: Callable[[int], Fields] = lambda message_id: {"message_id": message_id}


@dataclass
class ServiceResult:
    """What one service message becomes: fields of one service message, or member changes
    (field name, User) one update each, or a skip (reason, detail)."""

    fields: Fields = field(default_factory=dict)
    members: list[tuple[str, Fields]] = field(default_factory=list)
    skip: tuple[str, str] | None = None
    #: topic_created: the message opens a forum topic whose thread id is its own id.
    opens_topic: bool = False
    #: edit_group_title and friends: the chat's title from this message on.
    new_title: str | None = None


def _members(message: Fields) -> list[str | None]:
    names = message.get("members", [])
    if not isinstance(names, list):
        raise FieldError("members", f"not a list: {names!r}")
    return [parse_name("members", name) for name in names]


def _member(name: str | None, actor: Peer | None, actor_name: str | None) -> Fields:
    """A member named by the export: the actor's id when the member is the actor."""
    if actor is not None and actor.kind == USER and name is not None and name == actor_name:
        return user_obj(actor.api_id, name)
    return user_obj(None, name)


def invite_members(
    message: Fields, actor: Peer | None, name: str | None, _: ActionContext
) -> ServiceResult:
    changes = [(NEW_CHAT_MEMBERS, _member(n, actor, name)) for n in _members(message)]
    return ServiceResult(members=changes)


def joined_by_self(
    message: Fields, actor: Peer | None, name: str | None, _: ActionContext
) -> ServiceResult:
    if actor is None or actor.kind != USER:
        raise FieldError("actor_id", "a join without the user who joined")
    return ServiceResult(members=[(NEW_CHAT_MEMBERS, user_obj(actor.api_id, name))])


def remove_members(
    message: Fields, actor: Peer | None, name: str | None, _: ActionContext
) -> ServiceResult:
    changes = [(LEFT_CHAT_MEMBER, _member(n, actor, name)) for n in _members(message)]
    return ServiceResult(members=changes)


def _title(message: Fields) -> str:
    title = str_field(message, "title")
    if title is None:
        raise FieldError("title", "missing")
    return title


def edit_title(
    message: Fields, _a: Peer | None, _n: str | None, _c: ActionContext
) -> ServiceResult:
    title = _title(message)
    return ServiceResult(fields={"new_chat_title": title}, new_title=title)


def create_group(
    message: Fields, _a: Peer | None, _n: str | None, _c: ActionContext
) -> ServiceResult:
    return ServiceResult(fields={"group_chat_created": True}, new_title=str_field(message, "title"))


def create_channel(
    message: Fields, _a: Peer | None, _n: str | None, ctx: ActionContext
) -> ServiceResult:
    # Telegram Desktop writes create_channel for supergroups too (they are channels inside).
    kind = "channel_chat_created" if ctx.chat.type == CHANNEL else "supergroup_chat_created"
    return ServiceResult(fields={kind: True}, new_title=str_field(message, "title"))


def migrate_to(_m: Fields, _a: Peer | None, _n: str | None, ctx: ActionContext) -> ServiceResult:
    if ctx.migrate_to_chat_id is None:
        return ServiceResult(skip=("migration_chat_unknown", "migrate_to_supergroup"))
    return ServiceResult(fields={"migrate_to_chat_id": ctx.migrate_to_chat_id})


def migrate_from(_m: Fields, _a: Peer | None, _n: str | None, ctx: ActionContext) -> ServiceResult:
    if ctx.migrate_from_chat_id is None:
        return ServiceResult(skip=("migration_chat_unknown", "migrate_from_group"))
    return ServiceResult(fields={"migrate_from_chat_id": ctx.migrate_from_chat_id})


def pin_message(
    message: Fields, _a: Peer | None, _n: str | None, ctx: ActionContext
) -> ServiceResult:
    pinned = int_field(message, "message_id")
    if pinned is None:
        return ServiceResult(skip=("pinned_message_unknown", "pin_message"))
    return ServiceResult(fields={"pinned_message": ctx.message_stub(pinned)})


def topic_created(
    message: Fields, _a: Peer | None, _n: str | None, _c: ActionContext
) -> ServiceResult:
    return ServiceResult(
        fields={"forum_topic_created": {"name": _title(message)}}, opens_topic=True
    )


def topic_edit(
    message: Fields, _a: Peer | None, _n: str | None, _c: ActionContext
) -> ServiceResult:
    edited: Fields = {}
    if str_field(message, "new_title"):
        edited["name"] = message["new_title"]
    icon = int_field(message, "new_icon_emoji_id")
    if icon is not None:
        edited["icon_custom_emoji_id"] = str(icon) if icon else ""
    return ServiceResult(fields={"forum_topic_edited": edited})


def simple(name: str, build: Callable[[Fields], Any]) -> Callable[..., ServiceResult]:
    """An action whose Bot API field is `name`, its value built from the message alone."""

    def mapped(
        message: Fields, _a: Peer | None, _n: str | None, _c: ActionContext
    ) -> ServiceResult:
        return ServiceResult(fields={name: build(message)})

    return mapped


def _photo_sizes(message: Fields) -> list[Fields]:
    size = {k: message[k] for k in ("width", "height") if isinstance(message.get(k), int)}
    if isinstance(message.get("photo_file_size"), int):
        size["file_size"] = message["photo_file_size"]
    return [size]


def _group_call(message: Fields) -> tuple[str, Fields]:
    duration = int_field(message, "duration")
    return ("video_chat_ended", {"duration": duration}) if duration else ("video_chat_started", {})


def group_call(
    message: Fields, _a: Peer | None, _n: str | None, _c: ActionContext
) -> ServiceResult:
    name, value = _group_call(message)
    return ServiceResult(fields={name: value})


def proximity(
    message: Fields, _a: Peer | None, _n: str | None, ctx: ActionContext
) -> ServiceResult:
    traveler, watcher = (
        parse_peer("from_id", message.get("from_id")),
        parse_peer("to_id", message.get("to_id")),
    )
    alert: Fields = {
        "traveler": user_obj(
            traveler.api_id if traveler else None, parse_name("from", message.get("from"))
        ),
        "watcher": user_obj(
            watcher.api_id if watcher else None, parse_name("to", message.get("to"))
        ),
        "distance": int_field(message, "distance") or 0,
    }
    return ServiceResult(fields={"proximity_alert_triggered": alert})


def write_access(
    message: Fields, _a: Peer | None, _n: str | None, _c: ActionContext
) -> ServiceResult:
    action = message["action"]
    allowed: Fields = {}
    if action == "attach_menu_bot_allowed":
        allowed["from_attachment_menu"] = True
    elif action == "web_app_bot_allowed":
        allowed["from_request"] = True
    elif str_field(message, "reason_app_name"):
        allowed["web_app_name"] = message["reason_app_name"]
    return ServiceResult(fields={"write_access_allowed": allowed})


def suggested_post(
    message: Fields, _a: Peer | None, _n: str | None, _c: ActionContext
) -> ServiceResult:
    if message.get("rejected") is True:
        declined: Fields = {}
        if str_field(message, "comment"):
            declined["comment"] = message["comment"]
        return ServiceResult(fields={"suggested_post_declined": declined})
    approved: Fields = {}
    send_date = int_field(message, "scheduled_date")
    if send_date:
        approved["send_date"] = send_date
    return ServiceResult(fields={"suggested_post_approved": approved})


def _tasks(message: Fields) -> list[Fields]:
    items = message.get("items", [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise FieldError("items", "not a list of tasks")
    return [
        {"id": int_field(i, "id"), "text": plain_text("items.text", i.get("text", ""))}
        for i in items
    ]


def _ids(message: Fields, key: str) -> list[int]:
    values = message.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, int) for v in values):
        raise FieldError(key, "not a list of task ids")
    return values


ActionMapper = Callable[[Fields, Peer | None, str | None, ActionContext], ServiceResult]

ACTIONS: dict[str, ActionMapper] = {
    "invite_members": invite_members,
    "join_group_by_link": joined_by_self,
    "join_group_by_request": joined_by_self,
    "remove_members": remove_members,
    "create_group": create_group,
    "create_channel": create_channel,
    "edit_group_title": edit_title,
    "edit_group_photo": simple("new_chat_photo", _photo_sizes),
    "delete_group_photo": simple("delete_chat_photo", lambda _m: True),
    "migrate_to_supergroup": migrate_to,
    "migrate_from_group": migrate_from,
    "pin_message": pin_message,
    "topic_created": topic_created,
    "topic_edit": topic_edit,
    "group_call": group_call,
    "group_call_scheduled": simple(
        "video_chat_scheduled", lambda m: {"start_date": int_field(m, "schedule_date") or 0}
    ),
    "invite_to_group_call": simple(
        "video_chat_participants_invited",
        lambda m: {"users": [user_obj(None, n) for n in _members(m)]},
    ),
    "set_messages_ttl": simple(
        "message_auto_delete_timer_changed",
        lambda m: {"message_auto_delete_time": int_field(m, "period") or 0},
    ),
    "boost_apply": simple("boost_added", lambda m: {"boost_count": int_field(m, "boosts") or 0}),
    "proximity_reached": proximity,
    "giveaway_launch": simple("giveaway_created", lambda _m: {}),
    "giveaway_results": simple(
        "giveaway_completed",
        lambda m: {
            "winner_count": int_field(m, "winners") or 0,
            **(
                {"unclaimed_prize_count": int_field(m, "unclaimed")}
                if int_field(m, "unclaimed")
                else {}
            ),
            **({"is_star_giveaway": True} if int_field(m, "stars") else {}),
        },
    ),
    "attach_menu_bot_allowed": write_access,
    "web_app_bot_allowed": write_access,
    "allow_sending_messages": write_access,
    "todo_completions": simple(
        "checklist_tasks_done",
        lambda m: {
            "marked_as_done_task_ids": _ids(m, "completed"),
            "marked_as_not_done_task_ids": _ids(m, "incompleted"),
        },
    ),
    "todo_append_tasks": simple("checklist_tasks_added", lambda m: {"tasks": _tasks(m)}),
    "paid_messages_price_change": simple(
        "paid_message_price_changed",
        lambda m: {"paid_message_star_count": int_field(m, "price_stars") or 0},
    ),
    "process_suggested_post": suggested_post,
    "suggested_post_success": simple(
        "suggested_post_paid",
        lambda m: {"currency": "TON" if m.get("price_currency") == "TON" else "XTR"},
    ),
    "suggested_post_refund": simple(
        "suggested_post_refunded",
        lambda m: {"reason": "payment_refunded" if m.get("user_initiated") else "post_deleted"},
    ),
}

#: Actions Telegram Desktop writes that have no Bot API service message a group bot gets.
UNMAPPED: dict[str, str] = {
    "clear_history": "private chats only; no Bot API service message",
    "score_in_game": "no Bot API service message for game scores",
    "send_payment": "only the bot that was paid gets successful_payment",
    "refunded_payment": "only the bot that was paid gets refunded_payment",
    "phone_call": "calls are private; no Bot API service message",
    "conference_call": "calls are private; no Bot API service message",
    "take_screenshot": "secret chats only",
    "joined_telegram": "contact sign-up notice, private chats only",
    "requested_phone_number": "no Bot API service message",
    "edit_chat_theme": "no Bot API service message for chat themes",
    "send_webview_data": "only the bot gets web_app_data",
    "send_passport_values": "only the bot gets passport_data",
    "send_premium_gift": "gifts are private; no Bot API service message",
    "send_stars_gift": "gifts are private; no Bot API service message",
    "send_ton_gift": "gifts are private; no Bot API service message",
    "send_star_gift": "gifts are private; no Bot API service message",
    "gift_code_prize": "no Bot API service message for gift codes",
    "stars_prize": "no Bot API service message for star prizes",
    "paid_messages_refund": "no Bot API service message",
    "suggest_profile_photo": "private chats only",
    "requested_peer": "only the bot gets users_shared / chat_shared",
    "set_chat_wallpaper": "the export has no background to fill chat_background_set",
    "set_same_chat_wallpaper": "the export has no background to fill chat_background_set",
}


def map_action(
    message: Fields, actor: Peer | None, actor_name: str | None, ctx: ActionContext
) -> ServiceResult:
    """The Bot API form of one service message (see the module docstring)."""
    action = message.get("action")
    if action is None:
        # A custom service text (`information_text`): nothing structured to map.
        return ServiceResult(skip=("service_without_action", "information_text"))
    if not isinstance(action, str):
        raise FieldError("action", f"not a string: {action!r}")
    mapper = ACTIONS.get(action)
    if mapper is not None:
        return mapper(message, actor, actor_name, ctx)
    if action in UNMAPPED:
        return ServiceResult(skip=("action_without_bot_api_message", action))
    return ServiceResult(skip=("unknown_action", action))
