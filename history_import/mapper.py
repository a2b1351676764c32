"""One export message -> the Bot API Updates it becomes (or why it is skipped), per chat.

`ChatMapper.map` turns an export message into `Mapped`: the lake's message id, its times and
one `Emitted` per update: `message` (the message as exported), `edit` (the same content as
an `edited_message` with `edit_date` = `edited_unixtime`, when the export shows an edit) or
`member` (one per member change of a join/leave service message). Update ids are not
assigned here (see `history_import.update_ids`); the register decides what is new.

Replies: `reply_to_message` = {message_id, from / sender_chat, chat, date} of the replied-to
message when the export has it (else `date` 0, the Bot API's inaccessible message). Forum
topics: the export has no thread id; a message whose reply target is a `topic_created`
message (or a message in that topic) gets `message_thread_id` = the topic's id and
`is_topic_message`, and keeps `reply_to_message` = its target, as Telegram sends topic
messages. Reads and writes nothing (the index may spill to a temporary file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from history_import.actions import ActionContext, map_action
from history_import.chats import CHANNEL, SUPERGROUP, BotApiChat
from history_import.content import MEDIA_MARKERS, int_field, media_fields, str_field
from history_import.errors import FieldError
from history_import.index import MessageIndex
from history_import.senders import (
    CHANNEL_BOT,
    CHANNEL_PEER,
    GROUP_ANONYMOUS_BOT,
    TELEGRAM_SERVICE_USER,
    USER,
    Peer,
    Peers,
    parse_name,
    parse_peer,
)
from history_import.text import text_and_entities
from history_import.times import DATE, EDITED, ExportClock
from history_import.update_ids import KIND_EDIT, KIND_MEMBER, KIND_MESSAGE

Fields = dict[str, Any]
FIXED_USERS = {u["id"]: u for u in (GROUP_ANONYMOUS_BOT, CHANNEL_BOT, TELEGRAM_SERVICE_USER)}
MESSAGE_TYPES = ("message", "service")


@dataclass(slots=True)
class Emitted:
    kind: str  # message | edit | member
    extra: int  # edit_date (edit), position (member), 0 (message)
    update_type: str  # message, edited_message, channel_post, edited_channel_post
    message: Fields


@dataclass(slots=True)
class Mapped:
    message_id: int  # in the lake (the export's id plus the chat's offset)
    date: int
    edit_date: int | None
    is_service: bool
    updates: list[Emitted]


@dataclass(slots=True)
class Skipped:
    reason: str
    detail: str


class ChatMapper:
    """Maps the messages of one chat, in export order."""

    def __init__(
        self,
        chat: BotApiChat,
        clock: ExportClock,
        *,
        id_shift: int = 0,
        cutoff: int | None = None,
        migrate_to_chat_id: int | None = None,
        migrate_from_chat_id: int | None = None,
        index: MessageIndex | None = None,
    ) -> None:
        self.chat = chat
        self.clock = clock
        #: lake id = export id + id_shift (the chat's per-member offset, and for a migrated
        #: group's history also undoing Telegram Desktop's shift of its ids).
        self.id_shift = id_shift
        #: Basic groups and private chats: messages at or after this time are not imported.
        self.cutoff = cutoff
        self.peers = Peers(chat)
        self.index = index or MessageIndex()
        self.context = ActionContext(
            chat=chat,
            peers=self.peers,
            migrate_to_chat_id=migrate_to_chat_id,
            migrate_from_chat_id=migrate_from_chat_id,
            message_stub=self.stub,
        )
        self._last_export_id: int | None = None
        self._peer_cache: dict[Any, Peer | None] = {}
        export = chat.export
        if export is not None and export.type == "bot_chat":
            self.peers.add_bot(chat.id)
        self._posts = chat.type == CHANNEL

    def close(self) -> None:
        self.index.close()

    # --- helpers ---------------------------------------------------------------------------

    @property
    def _chat_obj(self) -> Fields:
        return self.peers.chat_object

    def _set_title(self, title: str | None) -> None:
        if title is not None and title != self.chat.title:
            self.peers.retitle(title)

    def _peer(self, field: str, value: Any) -> Peer | None:
        """parse_peer, remembered per raw value (the same few senders write most messages)."""
        try:
            return self._peer_cache[value]
        except (KeyError, TypeError):
            peer = parse_peer(field, value)
            if isinstance(value, str | int):
                self._peer_cache[value] = peer
            return peer

    def _user(self, user_id: int) -> Fields:
        return FIXED_USERS.get(user_id) or self.peers.user(user_id)

    def stub(self, message_id: int) -> Fields:
        """`reply_to_message` / `pinned_message` for a message id of this chat."""
        known = self.index.get(message_id)
        if known is None:
            return {"message_id": message_id, "chat": self._chat_obj, "date": 0}
        out: Fields = {"message_id": message_id}
        if known.thread_id:
            out["message_thread_id"] = known.thread_id
        if known.from_id:
            out["from"] = self._user(known.from_id)
        if known.sender_chat_id:
            out["sender_chat"] = self.peers.chat_obj(known.sender_chat_id)
        out["chat"] = self._chat_obj
        out["date"] = known.date
        if known.thread_id:
            out["is_topic_message"] = True
        return out

    def _remember(self, message_id: int, message: Fields, date: int, thread_id: int) -> None:
        sender = message.get("from")
        sender_chat = message.get("sender_chat")
        self.index.put(
            message_id,
            (
                sender.get("id", 0) if sender else 0,
                sender_chat["id"] if sender_chat else 0,
                thread_id,
                date,
            ),
        )

    # --- mapping ---------------------------------------------------------------------------

    def map(self, raw: Any) -> Mapped | Skipped:
        """The updates of one export message, or why it is skipped. A FieldError (a field of
        the wrong type or value) skips the message with reason `bad_field`."""
        if not isinstance(raw, dict):
            return Skipped("not_an_object", type(raw).__name__)
        export_id = raw.get("id")
        if not isinstance(export_id, int) or isinstance(export_id, bool):
            return Skipped("missing_id", f"id is {type(export_id).__name__}")
        kind = raw.get("type")
        if kind == "unsupported":
            return Skipped("unsupported_message", "type unsupported")
        if kind not in MESSAGE_TYPES:
            return Skipped("unknown_message_type", repr(kind))
        message_id = export_id + self.id_shift
        if message_id <= 0:
            return Skipped("missing_id", "id is not positive")
        last = self._last_export_id
        if last is not None and export_id <= last and self.index.get(message_id) is not None:
            return Skipped("duplicate_id", "id seen before")
        try:
            unix = raw.get("date_unixtime")
            if type(unix) is str and unix.isdigit() and unix[0] != "0":
                date: int | None = int(unix)  # the usual case, without a call
            else:
                date = self.clock.moment(raw, DATE)
            if date is None:
                return Skipped("missing_date", "no date")
            if self.cutoff is not None and date >= self.cutoff:
                return Skipped("after_bot_first_message", "at or after the cut-off")
            if kind == "service":
                result = self._service(raw, message_id, date)
            else:
                result = self._message(raw, message_id, date)
        except FieldError as error:
            return Skipped("bad_field", error.field)
        if isinstance(result, Mapped):
            self._last_export_id = export_id if last is None else max(last, export_id)
        return result

    def _envelope(self, message_id: int, thread_id: int, sender: Fields, date: int) -> Fields:
        message: Fields = {"message_id": message_id}
        if thread_id:
            message["message_thread_id"] = thread_id
        automatic = sender.get("is_automatic_forward", False)
        for key, value in sender.items():
            if key != "is_automatic_forward":
                message[key] = value
        message["chat"] = self._chat_obj
        message["date"] = date
        if automatic:
            message["is_automatic_forward"] = True
        return message

    def _message(self, raw: Fields, message_id: int, date: int) -> Mapped | Skipped:
        peer = self._peer("from_id", raw.get("from_id"))
        name = raw.get("from")
        if name is not None and type(name) is not str:
            raise FieldError("from", f"not a name: {name!r}")
        via_bot = str_field(raw, "via_bot") if "via_bot" in raw else None
        if peer is not None and peer.kind == USER and "inline_bot_buttons" in raw and not via_bot:
            self.peers.add_bot(peer.api_id)  # only bots send inline keyboards of their own
        automatic = (
            peer is not None
            and peer.kind == CHANNEL_PEER
            and self.chat.type == SUPERGROUP
            and peer.api_id != self.chat.id
            and raw.get("saved_from") is not None
        )
        sender = self.peers.sender_fields(peer, name, automatic_forward=automatic)
        has_edit = "edited_unixtime" in raw or "edited" in raw
        edit_date = self.clock.moment(raw, EDITED) if has_edit else None
        reply = self._reply(raw) if "reply_to_message_id" in raw else None
        thread_id = reply[1] if reply else 0
        message = self._envelope(message_id, thread_id, sender, date)
        if automatic:
            message["forward_origin"] = {"type": "channel", "chat": message["sender_chat"]}
        elif "forwarded_from" in raw or "saved_from" in raw:
            origin = raw.get("forwarded_from", raw.get("saved_from"))
            message["forward_origin"] = self.peers.forward_origin(
                parse_name("forwarded_from", origin)
            )
        if thread_id:
            message["is_topic_message"] = True
        if reply:
            message[reply[0]] = reply[2]
        if via_bot:
            message["via_bot"] = {"is_bot": True, "username": via_bot.lstrip("@")}
        author = str_field(raw, "author") if "author" in raw else None
        if author:
            message["author_signature"] = author
        media = None if MEDIA_MARKERS.isdisjoint(raw) else media_fields(raw, self.clock)
        text, entities = text_and_entities(raw)
        if media is not None:
            message.update(media)
            if text:
                message["caption"] = text
                if entities:
                    message["caption_entities"] = entities
        elif text:
            message["text"] = text
            if entities:
                message["entities"] = entities
        else:
            return Skipped("content_not_exported", "no text or media")
        self._remember(message_id, message, date, thread_id)
        update_type = "channel_post" if self._posts else "message"
        updates = [Emitted(KIND_MESSAGE, 0, update_type, message)]
        if edit_date is not None:
            edited = {}
            for key, value in message.items():
                edited[key] = value
                if key == "date":
                    edited["edit_date"] = edit_date
            updates.append(Emitted(KIND_EDIT, edit_date, "edited_" + update_type, edited))
        return Mapped(message_id, date, edit_date, False, updates)

    def _reply(self, raw: Fields) -> tuple[str, int, Fields] | None:
        """(field, thread id, value) of the message's reply, or None."""
        target = int_field(raw, "reply_to_message_id")
        if target is None:
            return None
        peer = parse_peer("reply_to_peer_id", raw.get("reply_to_peer_id"))
        if peer is not None and peer.api_id != self.chat.id:
            return (
                "external_reply",
                0,
                {
                    "origin": {"type": "hidden_user"},
                    "chat": self.peers.chat_obj(peer.api_id),
                    "message_id": target,
                },
            )
        target += self.id_shift
        if target <= 0:
            raise FieldError("reply_to_message_id", f"not a message id: {target - self.id_shift}")
        known = self.index.get(target)
        return "reply_to_message", (known.thread_id if known else 0), self.stub(target)

    def _service(self, raw: Fields, message_id: int, date: int) -> Mapped | Skipped:
        actor = self._peer("actor_id", raw.get("actor_id"))
        actor_name = parse_name("actor", raw.get("actor"))
        result = map_action(raw, actor, actor_name, self.context)
        if result.skip is not None:
            return Skipped(*result.skip)
        if not result.members and not result.fields:
            return Skipped("bad_field", "members")
        self._set_title(result.new_title)
        sender = self.peers.sender_fields(actor, actor_name)
        thread_id = message_id if result.opens_topic else 0
        update_type = "channel_post" if self._posts else "message"
        updates: list[Emitted] = []
        for position, (field, user) in enumerate(result.members):
            message = self._envelope(message_id, 0, sender, date)
            message[field] = [user] if field == "new_chat_members" else user
            updates.append(Emitted(KIND_MEMBER, position, update_type, message))
        if not result.members:
            message = self._envelope(message_id, thread_id, sender, date)
            message.update(result.fields)
            if thread_id:
                message["is_topic_message"] = True
            updates.append(Emitted(KIND_MESSAGE, 0, update_type, message))
        self._remember(message_id, updates[0].message, date, thread_id)
        return Mapped(message_id, date, None, True, updates)
