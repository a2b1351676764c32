"""Bot API messages as Telegram Desktop's "Export chat history" (JSON) writes them.

`export_message` turns a Bot API Message (as the sample's webhook updates carry it) into the
export's message object, field by field the way Telegram Desktop 5.x writes one
(export_output_json.cpp): `date` (local wall time of the exporting computer) and
`date_unixtime`, `from` / `from_id` (`user<N>`, `channel<N>`), `text` as a string or a list
of parts and `text_entities`, media as `photo` / `file` + `media_type` with the file left
out ("File not included"), service messages as `actor` / `action`. Dice and stories are not
exported by Telegram Desktop: such a message keeps only its envelope and an empty text.
Reads and writes nothing.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from samples.bot_api import JsonObj

NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
CHANNEL_ID_BASE = 10**12
#: Bot API entity type -> export part type (the rest keep their name).
PART_TYPES = {"url": "link", "text_mention": "mention_name", "phone_number": "phone"}


def local_time(t: int, utc_offset_hours: int) -> str:
    """`date`: the exporting computer's wall time, ISO 8601 without a zone."""
    wall = datetime.fromtimestamp(t, UTC) + timedelta(hours=utc_offset_hours)
    return wall.strftime("%Y-%m-%dT%H:%M:%S")


def display_name(user: JsonObj) -> str:
    return " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)


def bare(chat_id: int) -> int:
    """The export's bare id of a Bot API chat id."""
    return -chat_id - CHANNEL_ID_BASE if chat_id <= -CHANNEL_ID_BASE else abs(chat_id)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def text_parts(text: str, entities: list[JsonObj]) -> tuple[Any, list[JsonObj]]:
    """(`text`, `text_entities`) of a text and its Bot API entities (UTF-16 offsets)."""
    if not text:
        return "", []
    units = _utf16(text)
    parts: list[Any] = []
    typed: list[JsonObj] = []
    at = 0
    for entity in sorted(entities, key=lambda e: e["offset"]):
        start, end = 2 * entity["offset"], 2 * (entity["offset"] + entity["length"])
        if start < at:  # nested entities: Telegram Desktop writes the outer one only
            continue
        if start > at:
            plain = units[at:start].decode("utf-16-le")
            parts.append(plain)
            typed.append({"type": "plain", "text": plain})
        part: JsonObj = {
            "type": PART_TYPES.get(entity["type"], entity["type"]),
            "text": units[start:end].decode("utf-16-le"),
        }
        if entity["type"] == "text_mention":
            part["user_id"] = entity["user"]["id"]
        elif entity["type"] == "text_link":
            part["href"] = entity["url"]
        parts.append(part)
        typed.append(part)
        at = end
    if at < len(units):
        plain = units[at:].decode("utf-16-le")
        parts.append(plain)
        typed.append({"type": "plain", "text": plain})
    if len(parts) == 1 and isinstance(parts[0], str):
        return parts[0], typed
    return parts, typed


def _file(out: JsonObj, media: JsonObj, *keys: str) -> None:
    out["file"] = NOT_INCLUDED
    if "file_name" in media:
        out["file_name"] = media["file_name"]
    out["file_size"] = media.get("file_size", 0)
    for key in keys:
        if key in media:
            out[key] = media[key]


def _media(message: JsonObj, out: JsonObj) -> None:
    """The export's media fields of a Bot API message, in Telegram Desktop's order."""
    if "photo" in message:
        largest = message["photo"][-1]
        out["photo"] = NOT_INCLUDED
        out["photo_file_size"] = largest.get("file_size", 0)
        out["width"], out["height"] = largest["width"], largest["height"]
    elif "sticker" in message:
        sticker = message["sticker"]
        _file(out, sticker)
        out["media_type"] = "sticker"
        out["sticker_emoji"] = sticker.get("emoji", "")
        out["mime_type"] = (
            "application/x-tgsticker"
            if sticker.get("is_animated")
            else ("video/webm" if sticker.get("is_video") else "image/webp")
        )
        out["width"], out["height"] = sticker["width"], sticker["height"]
    elif "video_note" in message:
        note = message["video_note"]
        _file(out, note)
        out.update(media_type="video_message", mime_type="video/mp4")
        out.update(duration_seconds=note["duration"], width=note["length"], height=note["length"])
    elif "voice" in message:
        voice = message["voice"]
        _file(out, voice)
        out.update(media_type="voice_message", mime_type=voice.get("mime_type", "audio/ogg"))
        out["duration_seconds"] = voice["duration"]
    elif "animation" in message or "video" in message:
        kind = "animation" if "animation" in message else "video_file"
        media = message.get("animation") or message["video"]
        _file(out, media)
        out.update(media_type=kind, mime_type=media.get("mime_type", "video/mp4"))
        out["duration_seconds"] = media["duration"]
        out["width"], out["height"] = media["width"], media["height"]
    elif "audio" in message:
        audio = message["audio"]
        _file(out, audio)
        out.update(media_type="audio_file", performer=audio.get("performer", ""))
        out.update(title=audio.get("title", ""), mime_type=audio.get("mime_type", "audio/mpeg"))
        out["duration_seconds"] = audio["duration"]
    elif "document" in message:
        _file(out, message["document"], "mime_type")
    elif "contact" in message:
        contact = message["contact"]
        out["contact_information"] = {
            "first_name": contact.get("first_name", ""),
            "last_name": contact.get("last_name", ""),
            "phone_number": contact["phone_number"],
        }
    elif "venue" in message:
        venue = message["venue"]
        out.update(place_name=venue["title"], address=venue.get("address", ""))
        location = venue["location"]
        out["location_information"] = {k: location[k] for k in ("latitude", "longitude")}
    elif "location" in message:
        location = message["location"]
        out["location_information"] = {k: location[k] for k in ("latitude", "longitude")}
        if "live_period" in location:
            out["live_location_period_seconds"] = location["live_period"]
    elif "poll" in message:
        poll = message["poll"]
        out["poll"] = {
            "question": poll["question"],
            "closed": poll.get("is_closed", False),
            "total_voters": poll.get("total_voter_count", 0),
            "answers": [
                {"text": o["text"], "voters": o.get("voter_count", 0), "chosen": False}
                for o in poll["options"]
            ],
        }


def _sender(message: JsonObj, key: str) -> tuple[str | None, str | None]:
    """(display name, peer id) of who sent a message: a user, or the chat it posted as."""
    sender_chat = message.get("sender_chat")
    if sender_chat is not None:
        return sender_chat.get("title"), f"channel{bare(sender_chat['id'])}"
    user = message.get(key)
    if user is None:
        return None, None
    return display_name(user), f"user{user['id']}"


def _origin_name(origin: JsonObj) -> str | None:
    kind = origin["type"]
    if kind == "user":
        return display_name(origin["sender_user"])
    if kind == "hidden_user":
        return str(origin["sender_user_name"])
    chat = origin.get("sender_chat") or origin["chat"]
    return chat.get("title")


def _service(message: JsonObj, out: JsonObj, admin_name: str) -> bool:
    """The export's `action` of a Bot API service message; False if it is none."""
    sender = message.get("from", {})
    if "new_chat_members" in message:
        members = message["new_chat_members"]
        if [m["id"] for m in members] == [sender.get("id")]:
            out.update(action="join_group_by_link", inviter=admin_name)
        else:
            out.update(action="invite_members", members=[display_name(m) for m in members])
    elif "left_chat_member" in message:
        out.update(action="remove_members", members=[display_name(message["left_chat_member"])])
    elif "pinned_message" in message:
        out.update(action="pin_message", message_id=message["pinned_message"]["message_id"])
    elif "forum_topic_created" in message:
        out.update(action="topic_created", title=message["forum_topic_created"]["name"])
    elif "new_chat_title" in message:
        out.update(action="edit_group_title", title=message["new_chat_title"])
    else:
        return False
    return True


def _button(button: JsonObj) -> JsonObj:
    """An inline keyboard button: callback data is written base64url-encoded, unpadded."""
    data = base64.urlsafe_b64encode(button.get("callback_data", "").encode()).rstrip(b"=")
    return {"type": "callback", "text": button["text"], "dataBase64": data.decode(), "data": ""}


def export_message(
    message: JsonObj, *, utc_offset_hours: int, admin_name: str, edit_date: int | None = None
) -> JsonObj:
    """The export form of one Bot API message (its latest version, edited at `edit_date`)."""
    out: JsonObj = {"id": message["message_id"], "type": "message"}
    out["date"] = local_time(message["date"], utc_offset_hours)
    out["date_unixtime"] = str(message["date"])
    if edit_date is not None:
        out["edited"] = local_time(edit_date, utc_offset_hours)
        out["edited_unixtime"] = str(edit_date)
    service: JsonObj = {}
    if _service(message, service, admin_name):
        out["type"] = "service"
        name, peer = _sender(message, "from")
        out["actor"], out["actor_id"] = name, peer
        out.update(service)
        out.update(text="", text_entities=[])
        return out
    name, peer = _sender(message, "from")
    if peer is not None:
        out["from"], out["from_id"] = name, peer
    if "author_signature" in message:
        out["author"] = message["author_signature"]
    origin = message.get("forward_origin")
    if origin is not None:
        out["forwarded_from"] = _origin_name(origin)
        if message.get("is_automatic_forward"):
            out["saved_from"] = _origin_name(origin)
    if "reply_to_message" in message:
        out["reply_to_message_id"] = message["reply_to_message"]["message_id"]
    if "via_bot" in message:
        out["via_bot"] = "@" + message["via_bot"]["username"]
    _media(message, out)
    text = str(message.get("text") or message.get("caption") or "")
    entities = list(message.get("entities") or message.get("caption_entities") or [])
    out["text"], out["text_entities"] = text_parts(text, entities)
    markup = message.get("reply_markup", {}).get("inline_keyboard")
    if markup:
        out["inline_bot_buttons"] = [[_button(b) for b in row] for row in markup]
    return out
