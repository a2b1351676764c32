"""Erasing people from one raw Telegram Update, one raw file, one quarantine file.

Pure Python (the driver rewrites the few affected objects); reads and writes nothing.
docs/privacy-erasure.md explains every rule; in short:

Deleted (the update is theirs): a message or edit they sent (`from`), their reaction
(`message_reaction.user`), their join request, callback query, poll answer, ... (the
payload's `from` / `user`), a member change about them (`chat_member.new_chat_member`,
`left_chat_member`, a `new_chat_members` list of only them), anything in their private chat
with the bot (the chat's id is theirs).

Scrubbed (someone else's update that embeds them), the rest of the update kept as it was:
- a copy of their message (`reply_to_message`, `pinned_message`, a checklist's or poll's
  message, ...) becomes a stub `{"message_id", "date": 0, "chat"}`: Telegram's own shape
  of a message the bot cannot access; the `quote` of it and an `external_reply` to it go;
- a forward of their message keeps its place (the forwarder's message) but not their
  words: `text` becomes "", `caption` and entities go, and the origin becomes
  `{"type": "hidden_user", "sender_user_name": "Deleted Account", "date"}` (legacy
  `forward_from` likewise);
- a `User` or private `Chat` of theirs (an actor, an invite link's creator, a mention's
  user, `via_bot`, a member list, giveaway winners, ...) is removed: the field, or the
  list element; a `text_mention` entity of theirs is removed (the text stays);
- a contact card or shared user of theirs (`user_id`): removed from a list, else its name
  and phone number blanked;
- a name field (`author_signature`, `sender_user_name`, ...) equal to their display name
  becomes "Deleted Account"; their id or a username of theirs anywhere in a text is
  masked (`glue_jobs.erasure.people`).
An update that still holds their id or a username after that (a shape no rule knows) is
deleted rather than kept: erasure errs on the side of the person.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from glue_jobs.erasure.people import ERASED_NAME, NAME_FIELDS, People

UNCHANGED = "unchanged"
SCRUBBED = "scrubbed"
DELETED = "deleted"

#: Update payloads whose subject is the member in `new_chat_member.user`.
MEMBER_UPDATE_TYPES: tuple[str, ...] = ("chat_member", "my_chat_member")
#: Service messages that also carry other people's or the chat's history: sent by them,
#: they are kept without their `from` (someone they added to a group still joined).
SHARED_SERVICE_FIELDS: tuple[str, ...] = (
    "new_chat_members",
    "left_chat_member",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
)
#: What a forward of their message loses: their words (its media stays the forwarder's).
FORWARDED_TEXT_FIELDS: tuple[str, ...] = (
    "caption",
    "entities",
    "caption_entities",
    "link_preview_options",
)
ENTITY_FIELDS: tuple[str, ...] = ("entities", "caption_entities")
#: A contact card of theirs that is not in a list keeps its place, without them.
BLANKED_CARD_FIELDS: tuple[str, ...] = ("phone_number", "first_name")
DROPPED_CARD_FIELDS: tuple[str, ...] = ("user_id", "last_name", "username", "vcard", "photo")

_REMOVE: Any = object()


def _id(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else None


def _is_message(value: dict[str, Any]) -> bool:
    return "message_id" in value and "chat" in value and "date" in value


def dumps(update: Any, *, ascii_only: bool) -> str:
    """Compact JSON, like Telegram's; `\\u` escapes when the original had them."""
    return json.dumps(update, ensure_ascii=ascii_only, separators=(",", ":"))


@dataclass(frozen=True)
class UpdateResult:
    status: str
    update: dict[str, Any] | None = None
    #: Deleted only because a trace of them was left after every rule (a shape no rule
    #: knows): counted apart, so that the audit shows it.
    fallback: bool = False


class UpdateScrubber:
    """Applies the rules above for one set of people."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.ids = people.ids

    def scrub(self, update: dict[str, Any]) -> UpdateResult:
        kind = next((key for key in update if key != "update_id"), None)
        payload = update.get(kind) if kind is not None else None
        if isinstance(payload, dict) and self._is_theirs(str(kind), payload):
            return UpdateResult(DELETED)
        result: dict[str, Any] = {}
        for key, value in update.items():
            # The payload is never replaced as a copy of theirs: it is someone else's.
            new = (
                self._object(payload, top=True)
                if value is payload and isinstance(payload, dict)
                else self._value(value)
            )
            if new is _REMOVE and value is payload:
                return UpdateResult(DELETED)  # e.g. a member list of only them
            if new is not _REMOVE:
                result[key] = new
        if self.people.mentioned_in(dumps(result, ascii_only=False)):
            return UpdateResult(DELETED, fallback=True)
        if result == update:
            return UpdateResult(UNCHANGED, update)
        return UpdateResult(SCRUBBED, result)

    # --- whose update is it ------------------------------------------------------------------

    def _is_theirs(self, kind: str, payload: dict[str, Any]) -> bool:
        chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
        if _id(chat) in self.ids or payload.get("user_chat_id") in self.ids:
            return True
        if kind in MEMBER_UPDATE_TYPES:
            return _id((payload.get("new_chat_member") or {}).get("user")) in self.ids
        if any(payload.get(name) for name in SHARED_SERVICE_FIELDS):
            return _id(payload.get("left_chat_member")) in self.ids or (
                bool(payload.get("new_chat_members"))
                and all(_id(user) in self.ids for user in payload["new_chat_members"])
            )
        author = payload.get("from") if "from" in payload else payload.get("user")
        return _id(author) in self.ids

    def _carries_theirs(self, message: dict[str, Any]) -> bool:
        """A message whose content is theirs: they sent it, it forwards theirs, or it is in
        their private chat with the bot."""
        return (
            _id(message.get("from")) in self.ids
            or _id(message.get("chat")) in self.ids
            or self._forwards_theirs(message)
        )

    def _forwards_theirs(self, message: dict[str, Any]) -> bool:
        return self._origin_is_theirs(message.get("forward_origin")) or (
            _id(message.get("forward_from")) in self.ids
        )

    def _origin_is_theirs(self, origin: Any) -> bool:
        return isinstance(origin, dict) and _id(origin.get("sender_user")) in self.ids

    # --- the walk ---------------------------------------------------------------------------

    def _value(self, value: Any, *, in_list: bool = False) -> Any:
        if isinstance(value, dict):
            return self._object(value, in_list=in_list)
        if isinstance(value, list):
            kept = (self._value(item, in_list=True) for item in value)
            return [item for item in kept if item is not _REMOVE]
        if isinstance(value, str):
            return self.people.mask(value)
        if isinstance(value, int) and not isinstance(value, bool) and value in self.ids:
            return _REMOVE
        return value

    def _object(self, obj: dict[str, Any], *, in_list: bool = False, top: bool = False) -> Any:
        if not top:
            replaced = self._replacement(obj, in_list=in_list)
            if replaced is not None:
                return replaced
        if _is_message(obj):
            obj = self._message(obj)
        out: dict[str, Any] = {}
        for key, child in obj.items():
            if key in NAME_FIELDS and isinstance(child, str) and self.people.is_their_name(child):
                out[key] = ERASED_NAME
                continue
            value = child
            if key in ENTITY_FIELDS and isinstance(child, list):
                value = [entity for entity in child if not self._their_mention(entity)]
            if key == "new_chat_members" and isinstance(child, list):
                value = [user for user in child if _id(user) not in self.ids]
                if not value:
                    return _REMOVE  # a member list of only them: the update is about them
            new = self._value(value)
            if new is not _REMOVE:
                out[key] = new
        return out

    def _replacement(self, obj: dict[str, Any], *, in_list: bool) -> Any:
        """What an embedded object of theirs becomes (None: it is not theirs)."""
        if _id(obj) in self.ids and ("is_bot" in obj or "first_name" in obj or "type" in obj):
            return _REMOVE  # a User, or their private Chat
        if _is_message(obj) and self._carries_theirs(obj):
            chat = self._value(obj.get("chat"))
            if chat is _REMOVE:
                return _REMOVE
            return {"message_id": obj.get("message_id"), "date": 0, "chat": chat}
        if obj.get("user_id") in self.ids:
            if in_list:
                return _REMOVE  # a shared user, a contact in a list
            card = {
                key: ("" if key in BLANKED_CARD_FIELDS else value)
                for key, value in obj.items()
                if key not in DROPPED_CARD_FIELDS
            }
            return self._object(card, top=True)
        if self._origin_is_theirs(obj.get("origin")):
            return _REMOVE  # an external reply to their message
        if obj.get("type") == "user" and self._origin_is_theirs(obj):
            return {"type": "hidden_user", "sender_user_name": ERASED_NAME, "date": obj.get("date")}
        return None

    def _message(self, message: dict[str, Any]) -> dict[str, Any]:
        """Someone else's message: what of theirs it quotes, forwards or replies to goes."""
        message = dict(message)
        if self._forwards_theirs(message):
            if "text" in message:
                message["text"] = ""
            for name in FORWARDED_TEXT_FIELDS:
                message.pop(name, None)
            if _id(message.get("forward_from")) in self.ids:
                del message["forward_from"]
                message["forward_sender_name"] = ERASED_NAME
        reply = message.get("reply_to_message")
        if isinstance(reply, dict) and self._carries_theirs(reply):
            message.pop("quote", None)
        external = message.get("external_reply")
        if isinstance(external, dict) and self._origin_is_theirs(external.get("origin")):
            message.pop("external_reply")
            message.pop("quote", None)
        return message

    def _their_mention(self, entity: Any) -> bool:
        return (
            isinstance(entity, dict)
            and entity.get("type") == "text_mention"
            and _id(entity.get("user")) in self.ids
        )


# --- lines and files --------------------------------------------------------------------------


@dataclass
class FileResult:
    """A raw or quarantine file after the scrub: new bytes, or None (delete it)."""

    data: bytes | None
    changed: bool
    counts: Counter[str] = field(default_factory=Counter)


def scrub_line(text: str, scrubber: UpdateScrubber, counts: Counter[str]) -> str | None:
    """One raw line (an Update): its new text, or None when it goes. Counts what happened."""
    try:
        update = json.loads(text)
    except ValueError:
        update = None
    if not isinstance(update, dict):
        # Not an Update the job could read (it was quarantined): with a trace of them in
        # it, it goes whole; nothing in it can be told apart.
        if scrubber.people.mentioned_in(text):
            counts["unreadable_deleted"] += 1
            return None
        return text
    result = scrubber.scrub(update)
    if result.status == UNCHANGED:
        return text
    if result.status == DELETED:
        counts["fallback_deleted" if result.fallback else "updates_deleted"] += 1
        return None
    counts["updates_scrubbed"] += 1
    return dumps(result.update, ascii_only=text.isascii())


def scrub_object(data: bytes, scrubber: UpdateScrubber) -> FileResult:
    """A `*.json` raw object (one Update, exactly as Telegram sent it)."""
    counts: Counter[str] = Counter()
    text = data.decode("utf-8", errors="replace")
    new = scrub_line(text, scrubber, counts)
    if new is None:
        return FileResult(None, True, counts)
    if new == text:
        return FileResult(data, False, counts)
    return FileResult(new.encode("utf-8"), True, counts)


def scrub_batch(data: bytes, scrubber: UpdateScrubber, *, gzipped: bool) -> FileResult:
    """A `*.jsonl` / `*.jsonl.gz` batch: lines of others kept byte for byte."""
    counts: Counter[str] = Counter()
    text = (gzip.decompress(data) if gzipped else data).decode("utf-8", errors="replace")
    kept: list[str] = []
    changed = False
    records = 0
    for line in text.split("\n"):
        body = line.rstrip("\r")
        if not body.strip():
            kept.append(line)
            continue
        new = scrub_line(body, scrubber, counts)
        if new is None:
            changed = True
            continue
        records += 1
        changed = changed or new != body
        kept.append(new + line[len(body) :])
    if not changed:
        return FileResult(data, False, counts)
    if records == 0:
        return FileResult(None, True, counts)
    out = "\n".join(kept).encode("utf-8")
    return FileResult(gzip.compress(out, mtime=0) if gzipped else out, True, counts)


def scrub_raw_file(name: str, data: bytes, scrubber: UpdateScrubber) -> FileResult:
    if name.endswith(".jsonl.gz"):
        return scrub_batch(data, scrubber, gzipped=True)
    if name.endswith(".jsonl"):
        return scrub_batch(data, scrubber, gzipped=False)
    return scrub_object(data, scrubber)


def scrub_quarantine_file(text: str, scrubber: UpdateScrubber) -> tuple[str | None, Counter[str]]:
    """A quarantine file (one JSON record per line: source_file, reason, raw, ...).

    A record whose `raw` line holds a trace of them is scrubbed like a raw line: removed
    when the line goes, else kept with the scrubbed line. Returns (new text or None to
    delete the file, counts).
    """
    counts: Counter[str] = Counter()
    kept: list[str] = []
    changed = False
    for line in text.splitlines():
        try:
            record = json.loads(line) if line.strip() else None
        except ValueError:
            record = None
        if not isinstance(record, dict):
            if line.strip() and scrubber.people.mentioned_in(line):
                counts["records_removed"] += 1
                changed = True
            elif line.strip():
                kept.append(line)
            continue
        if not scrubber.people.mentioned_in(line):
            kept.append(line)
            continue
        raw = record.get("raw")
        new_raw = scrub_line(raw, scrubber, Counter()) if isinstance(raw, str) else None
        new_line = (
            None
            if new_raw is None
            else json.dumps({**record, "raw": new_raw}, ensure_ascii=False, separators=(",", ":"))
        )
        changed = True
        if new_line is None or scrubber.people.mentioned_in(new_line):
            counts["records_removed"] += 1
            continue
        counts["records_scrubbed"] += 1
        kept.append(new_line)
    if not changed:
        return text, counts
    if not kept:
        return None, counts
    return "\n".join(kept) + "\n", counts
