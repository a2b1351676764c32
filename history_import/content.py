"""Message content: the export's media fields -> Bot API content fields.

Telegram Desktop writes at most one media per message (`photo`; `file` with `media_type`;
`contact_information`; `location_information` and `place_name`; `poll`; `todo_list`; game,
invoice, giveaway and paid-media fields) plus the text, which is the caption when there is a
media. The export keeps no file ids, so the Bot API objects carry what it has (sizes,
durations, names, MIME types) and no `file_id`. Dice and stories are not exported by
Telegram Desktop at all: such a message has neither text nor media, and `content_fields`
returns None for it. Reads and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from history_import.chats import CHANNEL_ID_BASE
from history_import.errors import FieldError
from history_import.text import plain_text
from history_import.times import ExportClock

Fields = dict[str, Any]

#: `media_type` of a `file` -> its Bot API field (no media_type: a document).
MEDIA_TYPES: dict[str, str] = {
    "sticker": "sticker",
    "video_message": "video_note",
    "voice_message": "voice",
    "animation": "animation",
    "video_file": "video",
    "audio_file": "audio",
}
#: Sticker MIME types that say what kind of sticker it is.
ANIMATED_STICKER_MIME = "application/x-tgsticker"
VIDEO_STICKER_MIME = "video/webm"
#: A peer id in giveaway winners above this is a chat, not a user (Telegram Desktop writes
#: the full internal peer value, whose high bits tag chats and channels).
PEER_TYPE_SHIFT = 1 << 48


def int_field(message: Fields, key: str) -> int | None:
    value = message.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    raise FieldError(key, f"not an integer: {value!r}")


def str_field(message: Fields, key: str) -> str | None:
    value = message.get(key)
    if value is None or isinstance(value, str):
        return value
    raise FieldError(key, f"not a string: {value!r}")


def obj_field(message: Fields, key: str) -> Fields:
    value = message.get(key)
    if not isinstance(value, dict):
        raise FieldError(key, f"not an object: {value!r}")
    return value


def _put(target: Fields, key: str, value: Any) -> None:
    if value is not None and value != "":
        target[key] = value


#: Export file facts -> Bot API names, and which of them are texts (the rest are integers).
FILE_FACTS = {
    "width": "width",
    "height": "height",
    "duration_seconds": "duration",
    "file_name": "file_name",
    "mime_type": "mime_type",
    "file_size": "file_size",
    "performer": "performer",
    "title": "title",
}
TEXT_FACTS = frozenset(("file_name", "mime_type", "performer", "title"))


def _file(message: Fields, *keys: str) -> Fields:
    """The file facts every media object can carry, in Bot API names."""
    out: Fields = {}
    for key in keys:
        if key in message:
            value = str_field(message, key) if key in TEXT_FACTS else int_field(message, key)
            _put(out, FILE_FACTS[key], value)
    return out


def _photo(message: Fields) -> Fields:
    size: Fields = {}
    _put(size, "width", int_field(message, "width"))
    _put(size, "height", int_field(message, "height"))
    _put(size, "file_size", int_field(message, "photo_file_size"))
    return {"photo": [size]}


def _document(message: Fields) -> Fields:
    media_type = str_field(message, "media_type")
    field = MEDIA_TYPES.get(media_type or "", "document")
    if field == "sticker":
        sticker = _file(message, "width", "height", "file_size")
        mime = str_field(message, "mime_type")
        sticker["is_animated"] = mime == ANIMATED_STICKER_MIME
        sticker["is_video"] = mime == VIDEO_STICKER_MIME
        sticker["type"] = "regular"
        _put(sticker, "emoji", str_field(message, "sticker_emoji"))
        return {"sticker": sticker}
    if field == "video_note":
        note: Fields = {}
        _put(note, "length", int_field(message, "width"))
        _put(note, "duration", int_field(message, "duration_seconds"))
        _put(note, "file_size", int_field(message, "file_size"))
        return {"video_note": note}
    if field == "voice":
        return {"voice": _file(message, "duration_seconds", "mime_type", "file_size")}
    if field == "audio":
        keys = ("duration_seconds", "performer", "title", "file_name", "mime_type", "file_size")
        return {"audio": _file(message, *keys)}
    if field in ("animation", "video"):
        keys = ("width", "height", "duration_seconds", "file_name", "mime_type", "file_size")
        media = _file(message, *keys)
        if field == "video":
            return {"video": media}
        # Documented: with `animation`, Telegram also sets `document` (backward compatibility).
        document = _file(message, "file_name", "mime_type", "file_size")
        return {"animation": media, "document": document}
    return {"document": _file(message, "file_name", "mime_type", "file_size")}


def _coordinates(message: Fields) -> Fields | None:
    point = message.get("location_information")
    if point is None:
        return None
    if not isinstance(point, dict):
        raise FieldError("location_information", f"not an object: {point!r}")
    latitude, longitude = point.get("latitude"), point.get("longitude")
    for name, value in (("latitude", latitude), ("longitude", longitude)):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise FieldError("location_information", f"{name} is not a number: {value!r}")
    return {"latitude": latitude, "longitude": longitude}


def _place(message: Fields) -> Fields | None:
    location = _coordinates(message)
    title = str_field(message, "place_name")
    if title is not None:
        venue: Fields = {}
        if location is not None:
            venue["location"] = location
        venue["title"] = title
        venue["address"] = str_field(message, "address") or ""
        # Documented: with `venue`, Telegram also sets `location`.
        return {"venue": venue, **({"location": location} if location else {})}
    if location is None:
        return None
    _put(location, "live_period", int_field(message, "live_location_period_seconds"))
    return {"location": location}


def _contact(message: Fields) -> Fields:
    info = obj_field(message, "contact_information")
    contact: Fields = {"phone_number": str_field(info, "phone_number") or ""}
    contact["first_name"] = str_field(info, "first_name") or ""
    _put(contact, "last_name", str_field(info, "last_name"))
    return {"contact": contact}


def _poll(message: Fields) -> Fields:
    poll = obj_field(message, "poll")
    answers = poll.get("answers", [])
    if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
        raise FieldError("poll", "answers is not a list of objects")
    out: Fields = {"question": plain_text("poll.question", poll.get("question", ""))}
    out["options"] = [
        {
            "text": plain_text("poll.answers", a.get("text", "")),
            "voter_count": int_field(a, "voters") or 0,
        }
        for a in answers
    ]
    out["total_voter_count"] = int_field(poll, "total_voters") or 0
    out["is_closed"] = poll.get("closed") is True
    return {"poll": out}


def _checklist(message: Fields) -> Fields:
    todo = obj_field(message, "todo_list")
    # Telegram Desktop writes the tasks under "answers" (its poll code); "items" is accepted too.
    items = todo.get("answers", todo.get("items", []))
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise FieldError("todo_list", "the tasks are not a list of objects")
    checklist: Fields = {"title": plain_text("todo_list.title", todo.get("title", ""))}
    checklist["tasks"] = [
        {"id": int_field(item, "id"), "text": plain_text("todo_list.text", item.get("text", ""))}
        for item in items
    ]
    checklist["others_can_add_tasks"] = todo.get("others_can_append") is True
    checklist["others_can_mark_tasks_as_done"] = todo.get("others_can_complete") is True
    return {"checklist": checklist}


def _channels(values: Any) -> list[Fields]:
    """Giveaway chats: channel ids (a supergroup or a channel: the export does not say)."""
    if not isinstance(values, list):
        return []
    ids = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return [{"id": -(CHANNEL_ID_BASE + v)} for v in ids]


def _giveaway(message: Fields, clock: ExportClock) -> Fields:
    info = obj_field(message, "giveaway_information")
    out: Fields = {"chats": _channels(info.get("channels"))}
    _put(out, "winners_selection_date", clock.local_date("until_date", info.get("until_date")))
    out["winner_count"] = int_field(info, "quantity") or 0
    if info.get("is_only_new_subscribers") is True:
        out["only_new_members"] = True
    _put(out, "prize_description", str_field(info, "additional_prize"))
    countries = info.get("countries")
    if isinstance(countries, list) and countries:
        out["country_codes"] = [c for c in countries if isinstance(c, str)]
    _put(out, "premium_subscription_month_count", int_field(info, "months") or None)
    _put(out, "prize_star_count", int_field(info, "stars") or None)
    return {"giveaway": out}


def _giveaway_winners(message: Fields, clock: ExportClock) -> Fields:
    info = obj_field(message, "giveaway_results")
    out: Fields = {"chat": (_channels([int_field(info, "channel")]) or [{}])[0]}
    out["giveaway_message_id"] = int_field(info, "launch_message_id")
    _put(out, "winners_selection_date", clock.local_date("until_date", info.get("until_date")))
    out["winner_count"] = int_field(info, "winners_count") or 0
    winners = info.get("winners")
    out["winners"] = [
        {"id": w}
        for w in (winners if isinstance(winners, list) else [])
        if isinstance(w, int) and not isinstance(w, bool) and 0 < w < PEER_TYPE_SHIFT
    ]
    _put(out, "additional_chat_count", int_field(info, "additional_peers_count") or None)
    _put(out, "prize_star_count", int_field(info, "stars") or None)
    _put(out, "premium_subscription_month_count", int_field(info, "months") or None)
    _put(out, "unclaimed_prize_count", int_field(info, "unclaimed_count") or None)
    if info.get("is_only_new_subscribers") is True:
        out["only_new_members"] = True
    if info.get("is_refunded") is True:
        out["was_refunded"] = True
    _put(out, "prize_description", str_field(info, "additional_prize"))
    return {"giveaway_winners": out}


def _game(message: Fields) -> Fields:
    game: Fields = {"title": str_field(message, "game_title") or ""}
    game["description"] = str_field(message, "game_description") or ""
    game["photo"] = []
    return {"game": game}


def _invoice(message: Fields) -> Fields:
    info = obj_field(message, "invoice_information")
    invoice: Fields = {
        "title": str_field(info, "title") or "",
        "description": str_field(info, "description") or "",
    }
    invoice["start_parameter"] = ""
    invoice["currency"] = str_field(info, "currency") or ""
    invoice["total_amount"] = int_field(info, "amount") or 0
    return {"invoice": invoice}


def _paid_media(message: Fields) -> Fields:
    return {
        "paid_media": {"star_count": int_field(message, "paid_stars_amount") or 0, "paid_media": []}
    }


#: (export field that marks the media, builder), in the order Telegram Desktop writes them.
MEDIA: tuple[tuple[str, Callable[[Fields, ExportClock], Fields | None]], ...] = (
    ("photo", lambda m, _c: _photo(m)),
    ("file", lambda m, _c: _document(m)),
    ("contact_information", lambda m, _c: _contact(m)),
    ("place_name", lambda m, _c: _place(m)),
    ("location_information", lambda m, _c: _place(m)),
    ("game_title", lambda m, _c: _game(m)),
    ("invoice_information", lambda m, _c: _invoice(m)),
    ("poll", lambda m, _c: _poll(m)),
    ("todo_list", lambda m, _c: _checklist(m)),
    ("giveaway_information", _giveaway),
    ("giveaway_results", _giveaway_winners),
    ("paid_stars_amount", lambda m, _c: _paid_media(m)),
)


#: Any of these keys means the message has a media.
MEDIA_MARKERS = frozenset(marker for marker, _ in MEDIA)


def media_fields(message: Fields, clock: ExportClock) -> Fields | None:
    """The Bot API content fields of the message's media; None when it has none. A
    location without coordinates is a FieldError (nothing else says where it was)."""
    for marker, build in MEDIA:
        if marker in message:
            fields = build(message, clock)
            if fields is None:
                raise FieldError(marker, "a location without coordinates")
            if message.get("media_spoiler") is True:
                fields["has_media_spoiler"] = True
            return fields
    return None
