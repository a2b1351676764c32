"""Content that involves bots of other people, games and Telegram Stars, in Bot API 10.0 shapes.

Game and Invoice messages (users send them through an inline bot: `via_bot`), PaidMediaInfo,
Giveaway / GiveawayWinners, Gift / GiftInfo, and the price of a suggested post. Each builder
draws from the caller's random generator (or takes its values) and returns plain objects.
Reads and writes nothing.
"""

from __future__ import annotations

import random

from samples.bot_api import JsonObj
from samples.media import file_ids, photo_sizes, thumbnail

# Inline bots people use to send a game or an invoice into a group.
GAME_BOT: JsonObj = {
    "id": 5512334987,
    "is_bot": True,
    "first_name": "Quiz Rápido",
    "username": "quizrapido_bot",
}
TICKETS_BOT: JsonObj = {
    "id": 6023418871,
    "is_bot": True,
    "first_name": "Ingressos Meetup",
    "username": "ingressos_meetup_bot",
}
GAMES = (
    ("Quiz de SQL", "Acerte 10 perguntas de SQL em 60 segundos"),
    ("Spark Trivia", "How well do you know Spark internals?"),
    ("Caça ao Bug", "Encontre o bug antes do deploy 🐛"),
)
INVOICES = (
    ("Meetup Dados SP — ingresso", "Ingresso + pizza para o meetup de sábado", "BRL", 4500),
    ("Workshop Spark", "Workshop de 4 horas, turma de dezembro", "BRL", 12000),
    ("Apoio ao meetup ⭐", "Apoie o meetup com estrelas", "XTR", 250),
)
GIFTS = (  # (gift id, emoji, star count, upgrade star count)
    ("5170145012310081615", "💝", 15, 25),
    ("5170233102089322756", "🧸", 15, 25),
    ("5168103777563050263", "🌹", 25, 50),
    ("5170564780938756245", "🚀", 50, 100),
)
STAR_CURRENCY = "XTR"


def game(rng: random.Random) -> JsonObj:
    """A Game sent through GAME_BOT, with its Play button (a `callback_game` button)."""
    title, description = rng.choice(GAMES)
    return {
        "game": {"title": title, "description": description, "photo": photo_sizes(rng)},
        "reply_markup": {"inline_keyboard": [[{"text": f"Jogar {title}", "callback_game": {}}]]},
    }


def invoice(rng: random.Random) -> JsonObj:
    """An Invoice sent through TICKETS_BOT, with its Pay button."""
    title, description, currency, amount = rng.choice(INVOICES)
    return {
        "invoice": {
            "title": title,
            "description": description,
            "start_parameter": "meetup" + str(rng.randrange(100, 999)),
            "currency": currency,
            "total_amount": amount,
        },
        "reply_markup": {"inline_keyboard": [[{"text": "Pagar", "pay": True}]]},
    }


def paid_media(rng: random.Random) -> JsonObj:
    """PaidMediaInfo of a channel post: photos and a video, unlocked for some Stars.

    The bot is an administrator of the channel, so it sees the media, not a preview.
    """
    items: list[JsonObj] = [
        {"type": "photo", "photo": photo_sizes(rng)} for _ in range(rng.randrange(1, 3))
    ]
    if rng.random() < 0.5:
        file_id, unique = file_ids(rng, "video")
        duration = rng.randrange(20, 180)
        items.append(
            {
                "type": "video",
                "video": {
                    "duration": duration,
                    "width": 1280,
                    "height": 720,
                    "mime_type": "video/mp4",
                    "thumbnail": thumbnail(rng, 1280, 720),
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "file_size": duration * rng.randrange(80_000, 200_000),
                },
            }
        )
    return {"star_count": rng.choice((10, 25, 50)), "paid_media": items}


def giveaway(channel: JsonObj, winners_at: float, winner_count: int, stars: int) -> JsonObj:
    """A Star giveaway of the channel: subscribers join, winners drawn at `winners_at`."""
    return {
        "chats": [channel],
        "winners_selection_date": int(winners_at),
        "winner_count": winner_count,
        "has_public_winners": True,
        "prize_description": "Camiseta do canal 👕",
        "country_codes": ["BR", "PT"],
        "prize_star_count": stars,
    }


def giveaway_winners(
    channel: JsonObj, message_id: int, drawn_at: float, winners: list[JsonObj], stars: int
) -> JsonObj:
    """GiveawayWinners: the public result of the giveaway posted as message `message_id`."""
    return {
        "chat": channel,
        "giveaway_message_id": message_id,
        "winners_selection_date": int(drawn_at),
        "winner_count": len(winners),
        "winners": winners,
        "prize_star_count": stars,
        "prize_description": "Camiseta do canal 👕",
    }


def gift(rng: random.Random) -> JsonObj:
    """A Gift (the sticker that represents it, its price in Stars)."""
    gift_id, emoji, stars, upgrade = rng.choice(GIFTS)
    file_id, unique = file_ids(rng, "sticker")
    return {
        "id": gift_id,
        "sticker": {
            "width": 512,
            "height": 512,
            "emoji": emoji,
            "is_animated": True,
            "is_video": False,
            "type": "custom_emoji",
            "custom_emoji_id": gift_id,
            "thumbnail": thumbnail(rng, 512, 512),
            "file_id": file_id,
            "file_unique_id": unique,
            "file_size": rng.randrange(20_000, 60_000),
        },
        "star_count": stars,
        "upgrade_star_count": upgrade,
    }


def gift_received(gift_obj: JsonObj, text: str) -> JsonObj:
    """GiftInfo of a gift sent to the channel (`gift` service message), maybe with a text."""
    info = {
        "gift": gift_obj,
        "convert_star_count": gift_obj["star_count"] * 85 // 100,
        "can_be_upgraded": True,
    }
    if text:
        info["text"] = text
    return info


def gift_upgrade_sent(gift_obj: JsonObj, number: int) -> JsonObj:
    """GiftInfo of `gift_upgrade_sent`: the sender paid the upgrade after sending the gift."""
    return {
        "gift": gift_obj,
        "prepaid_upgrade_star_count": gift_obj["upgrade_star_count"],
        "is_upgrade_separate": True,
        "unique_gift_number": number,
    }


def star_price(amount: int) -> JsonObj:
    """SuggestedPostPrice in Telegram Stars."""
    return {"currency": STAR_CURRENCY, "amount": amount}
