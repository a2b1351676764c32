"""Content objects of a Message, one builder per kind, in documented Bot API shapes.

PhotoSize, LivePhoto (with its backward-compatible `photo`), Sticker, Voice, Video,
Animation (with its backward-compatible `document`), Document, VideoNote, Audio, Poll (Bot
API 10.0: options with persistent ids), Location, Venue (with its `location`), Contact, Dice
and Story. Each builder draws from the caller's random generator and returns the message
fields it sets. Reads and writes nothing.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from datetime import UTC, datetime

from samples.bot_api import JsonObj

# Real file_id prefixes per kind (they encode the file type and data center).
FILE_PREFIX = {
    "photo": "AgACAgEAAxkBAAI",
    "video": "BAACAgEAAxkBAAI",
    "voice": "AwACAgEAAxkBAAI",
    "document": "BQACAgEAAxkBAAI",
    "sticker": "CAACAgIAAxkBAAI",
    "animation": "CgACAgQAAxkBAAI",
    "video_note": "DQACAgEAAxkBAAI",
    "audio": "CQACAgEAAxkBAAI",
    "thumb": "AAMCAQADGQEAAg",
}
DICE = (("🎲", 6), ("🎯", 6), ("🏀", 5), ("⚽", 5), ("🎳", 6), ("🎰", 64))
PLACES = (
    (-23.561414, -46.655881, "Avenida Paulista", "Av. Paulista, 1578 - Bela Vista, São Paulo"),
    (-22.971177, -43.182543, "Praia de Copacabana", "Av. Atlântica - Copacabana, Rio de Janeiro"),
    (-27.593500, -48.558540, "Mercado Público", "R. Jerônimo Coelho, 60 - Centro, Florianópolis"),
    (38.713889, -9.139444, "Praça do Comércio", "Praça do Comércio, 1100-148 Lisboa"),
    (-23.587416, -46.657634, "Parque Ibirapuera", "Av. Pedro Álvares Cabral - São Paulo"),
)
DOCS = (("relatorio_q3.pdf", "application/pdf"), ("notebook.ipynb", "application/x-ipynb+json"),
        ("dados_vendas.csv", "text/csv"), ("slides_meetup.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"))  # fmt: skip
SONGS = (("Tim Maia", "Azul da Cor do Mar"), ("Gilberto Gil", "Aquele Abraço"),
         ("Daft Punk", "Get Lucky"))  # fmt: skip
STICKER_SETS = (("UtyaDuck", "😂"), ("HotCherry", "😍"), ("Capivara_by_fStikBot", "🥹"),
                ("PepeTheFrogStickers", "🤔"))  # fmt: skip
POLLS = (
    ("Qual banco vocês usam em produção?", ("Postgres", "MySQL", "DynamoDB", "Outro")),
    ("Churrasco sábado ou domingo?", ("Sábado", "Domingo")),
    ("Which engine for small files?", ("DuckDB", "Spark", "Polars")),
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def file_ids(rng: random.Random, kind: str) -> tuple[str, str]:
    """(file_id, file_unique_id) of a new file of this kind."""
    rb = rng.randbytes
    file_id = FILE_PREFIX[kind] + _b64(rb(48))
    unique = ("AQAD" if kind == "photo" else "AgAD") + _b64(rb(9))
    return file_id, unique


def thumbnail(rng: random.Random, width: int, height: int) -> JsonObj:
    scale = 320 / max(width, height)
    file_id, unique = file_ids(rng, "thumb")
    return {
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": rng.randrange(4_000, 22_000),
        "width": max(1, round(width * scale)),
        "height": max(1, round(height * scale)),
    }


def photo_sizes(rng: random.Random) -> list[JsonObj]:
    """The four PhotoSizes of one photo, smallest first."""
    width, height = rng.choice(((1280, 960), (960, 1280), (1280, 720), (1080, 1080), (591, 1280)))
    sizes = []
    for side in (90, 320, 800, 1280):
        scale = min(1.0, side / max(width, height))
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        file_id, unique = file_ids(rng, "photo")
        sizes.append(
            {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": int(w * h * (0.09 + rng.random() * 0.06)),
                "width": w,
                "height": h,
            }
        )
    return sizes


def live_photo(rng: random.Random) -> JsonObj:
    """A live photo: `live_photo` (the short video) and, as documented, `photo` as well."""
    sizes = photo_sizes(rng)
    largest = sizes[-1]
    file_id, unique = file_ids(rng, "video")
    duration = rng.randrange(2, 4)
    return {
        "photo": sizes,
        "live_photo": {
            "file_id": file_id,
            "file_unique_id": unique,
            "width": largest["width"],
            "height": largest["height"],
            "duration": duration,
            "photo": sizes,
            "mime_type": "video/mp4",
            "file_size": duration * rng.randrange(400_000, 900_000),
        },
    }


def sticker(rng: random.Random) -> JsonObj:
    set_name, emoji = rng.choice(STICKER_SETS)
    animated = rng.random() < 0.3
    video = not animated and rng.random() < 0.3
    file_id, unique = file_ids(rng, "sticker")
    return {
        "width": 512,
        "height": 512,
        "emoji": emoji,
        "set_name": set_name,
        "is_animated": animated,
        "is_video": video,
        "type": "regular",
        "thumbnail": thumbnail(rng, 512, 512),
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": rng.randrange(8_000, 60_000),
    }


def voice(rng: random.Random) -> JsonObj:
    file_id, unique = file_ids(rng, "voice")
    duration = int(rng.expovariate(1 / 14)) + 1
    return {
        "duration": duration,
        "mime_type": "audio/ogg",
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": duration * rng.randrange(3_500, 5_000),
    }


def moving_picture(rng: random.Random, kind: str, t: float) -> JsonObj:
    """`video` or `animation` (a GIF); an animation also carries `document`."""
    width, height = rng.choice(((1280, 720), (720, 1280), (480, 270)))
    file_id, unique = file_ids(rng, kind)
    duration = rng.randrange(2, 90) if kind == "video" else rng.randrange(1, 8)
    if kind == "video":
        name = f"VID_{datetime.fromtimestamp(t, UTC):%Y%m%d_%H%M%S}.mp4"
    else:
        name = "giphy.mp4"
    media = {
        "duration": duration,
        "width": width,
        "height": height,
        "file_name": name,
        "mime_type": "video/mp4",
        "thumbnail": thumbnail(rng, width, height),
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": duration * rng.randrange(60_000, 250_000),
    }
    fields: JsonObj = {kind: media}
    if kind == "animation":
        # Documented: for backward compatibility `document` is set too.
        fields["document"] = {
            "file_name": name,
            "mime_type": "video/mp4",
            "thumbnail": media["thumbnail"],
            "file_id": file_id,
            "file_unique_id": unique,
            "file_size": media["file_size"],
        }
    return fields


def document(rng: random.Random) -> JsonObj:
    name, mime = rng.choice(DOCS)
    file_id, unique = file_ids(rng, "document")
    return {
        "file_name": name,
        "mime_type": mime,
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": rng.randrange(20_000, 9_000_000),
    }


def video_note(rng: random.Random) -> JsonObj:
    file_id, unique = file_ids(rng, "video_note")
    duration = rng.randrange(3, 59)
    return {
        "duration": duration,
        "length": 384,
        "thumbnail": thumbnail(rng, 384, 384),
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": duration * rng.randrange(40_000, 90_000),
    }


def audio(rng: random.Random) -> JsonObj:
    performer, title = rng.choice(SONGS)
    file_id, unique = file_ids(rng, "audio")
    duration = rng.randrange(150, 320)
    return {
        "duration": duration,
        "file_name": f"{performer} - {title}.mp3",
        "mime_type": "audio/mpeg",
        "title": title,
        "performer": performer,
        "file_id": file_id,
        "file_unique_id": unique,
        "file_size": duration * 40_000 + rng.randrange(0, 40_000),
    }


def poll_option(persistent_id: int, text: str) -> JsonObj:
    """PollOption: its persistent id stays the same when other options come and go."""
    return {"persistent_id": str(persistent_id), "text": text, "voter_count": 0}


def poll(rng: random.Random, next_poll_id: Callable[[], int]) -> JsonObj:
    question, options = rng.choice(POLLS)
    poll_id = next_poll_id()
    quiz = rng.random() < 0.2
    return {
        "id": str(poll_id),
        "question": question,
        "options": [poll_option(i, o) for i, o in enumerate(options)],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": rng.random() < 0.6,
        "type": "quiz" if quiz else "regular",
        "allows_multiple_answers": (not quiz) and rng.random() < 0.3,
        "allows_revoting": not quiz,
        "members_only": rng.random() < 0.2,
    }


def place(rng: random.Random, kind: str) -> JsonObj:
    """`location` (sometimes live), or `venue` with the `location` Telegram sets next to it."""
    lat, lon, title, address = rng.choice(PLACES)
    location: JsonObj = {
        "latitude": round(lat + (rng.random() - 0.5) * 0.002, 6),
        "longitude": round(lon + (rng.random() - 0.5) * 0.002, 6),
    }
    fields: JsonObj = {}
    if kind == "venue":
        fields["venue"] = {
            "location": location,
            "title": title,
            "address": address,
            "foursquare_id": rng.randbytes(12).hex(),
        }
    elif rng.random() < 0.35:
        location["horizontal_accuracy"] = round(5 + rng.random() * 40, 3)
        location["live_period"] = 900
        location["heading"] = rng.randrange(1, 360)
    # Documented: a venue message also carries `location`.
    fields["location"] = location
    return fields


def contact(rng: random.Random, person: JsonObj) -> JsonObj:
    """A shared contact card of `person` (a User), with a made-up phone number."""
    card: JsonObj = {"phone_number": f"+55119{rng.randrange(10**7, 10**8)}"}
    card["first_name"] = person["first_name"]
    if "last_name" in person:
        card["last_name"] = person["last_name"]
    card["user_id"] = person["id"]
    return card


def dice(rng: random.Random) -> JsonObj:
    emoji, faces = rng.choice(DICE)
    return {"emoji": emoji, "value": rng.randrange(1, faces + 1)}


def story(rng: random.Random, poster: JsonObj, t: float) -> JsonObj:
    """A forwarded story of `poster` (a User): `forward_origin` and `story`."""
    story_chat = {"id": poster["id"], "first_name": poster["first_name"]}
    if "username" in poster:
        story_chat["username"] = poster["username"]
    story_chat["type"] = "private"
    return {
        "forward_origin": {
            "type": "user",
            "date": int(t) - rng.randrange(60, 20 * 3600),
            "sender_user": poster,
        },
        "story": {"chat": story_chat, "id": rng.randrange(1, 400)},
    }
