"""Deterministic generator of realistic Telegram Bot API webhook updates.

Reads nothing; writes either one compact JSON Update per line (the bundled sample,
`samples/updates.jsonl`) or a raw-zone layout (`DIR/dt={arrival date}/{update_id}.json`, or
gzip NDJSON parts with `--ndjson-gz`) for the benchmarks and the quarantine path.

The shapes follow the Bot API documentation (Update, Message, User, Chat, MessageEntity,
PhotoSize, Sticker, Voice, Video, Animation, Audio, Document, VideoNote, Poll, Location,
Venue, Contact, Dice, Story, MessageOrigin*, ChatMemberUpdated, MessageReactionUpdated,
MessageReactionCountUpdated, CallbackQuery, service messages) including its documented
quirks: `animation` messages also carry `document`, `venue` messages also carry `location`,
messages inside a forum topic carry `reply_to_message` = the topic's creation message when
they are not explicit replies, bots never see other bots' messages (bot authors appear as
GroupAnonymousBot, via_bot, new members, callback-query messages and reply targets).

Delivery is simulated like Telegram's webhook: update_id grows with event time, first
deliveries arrive in update_id order, a few are re-delivered (same bytes, seconds later or
after midnight), an occasional failed first delivery is retried after a later edit, and
one webhook outage queues updates across a midnight.

Usage:
    python -m samples.generate --out samples/updates.jsonl
    python -m samples.generate --layout raw --out DIR --days 1 --updates 100000 [--malformed 5]
    python -m samples.generate --layout raw --ndjson-gz --out DIR --days 1 --updates 1000000
"""

from __future__ import annotations

import argparse
import base64
import bisect
import functools
import gzip
import heapq
import itertools
import json
import random
import re
import sys
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, cast

JsonObj = dict[str, Any]

DEFAULT_SEED = 7
DEFAULT_START = "2026-11-02"
DEFAULT_DAYS = 14
DEFAULT_CHATS = 2
DEFAULT_USERS = 20
DEFAULT_TARGET_UPDATES = 3000
DEFAULT_LINES_PER_PART = 100_000

# Local time of the (Brazilian) community: America/Sao_Paulo has no DST since 2019.
LOCAL_UTC_OFFSET_HOURS = -3

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

# Bots of the simulated world. Only LAKE_BOT receives the webhook.
LAKE_BOT: JsonObj = {
    "id": 7412093385,
    "is_bot": True,
    "first_name": "Lake Stats",
    "username": "lake_stats_bot",
}
MOD_BOT: JsonObj = {
    "id": 6120448123,
    "is_bot": True,
    "first_name": "Guardião",
    "username": "guardiao_mod_bot",
}
INLINE_BOTS: tuple[JsonObj, ...] = (
    {"id": 140267078, "is_bot": True, "first_name": "GIF Search", "username": "gif"},
    {"id": 140267079, "is_bot": True, "first_name": "YouTube", "username": "youtube"},
)

# Hour-of-day profiles (local time): quiet nights, lunch bump, evening peak.
_WEEKDAY_HOURS = (3, 1.5, 0.8, 0.4, 0.3, 0.4, 1, 2.5, 4.5, 6, 6.5, 6.5,
                  7, 6.5, 6, 6, 6.5, 7, 8, 9.5, 10.5, 10, 8, 5.5)  # fmt: skip
_WEEKEND_HOURS = (4.5, 3.5, 2, 1, 0.5, 0.3, 0.3, 0.5, 1.5, 3, 5, 6.5,
                  7, 7, 6.5, 6.5, 6.5, 7, 8, 9, 9.5, 9, 7.5, 6)  # fmt: skip
_CHANNEL_HOURS = tuple(6.0 if h in (9, 12, 18) else (1.0 if 8 <= h <= 22 else 0.05)
                       for h in range(24))  # fmt: skip
# Mon..Sun volume factors: a work-ish community vs. a friends group.
_COMMUNITY_WEEK = (1.0, 1.05, 1.0, 1.1, 0.9, 0.45, 0.35)
_FRIENDS_WEEK = (0.8, 0.75, 0.8, 0.85, 1.1, 1.45, 1.3)

# (kind, probability) for ordinary human messages in groups.
_CONTENT_MIX: tuple[tuple[str, float], ...] = (
    ("text", 0.690),
    ("photo", 0.090),
    ("sticker", 0.070),
    ("voice", 0.035),
    ("video", 0.025),
    ("animation", 0.025),
    ("document", 0.015),
    ("video_note", 0.012),
    ("audio", 0.006),
    ("poll", 0.006),
    ("location", 0.007),
    ("venue", 0.004),
    ("contact", 0.004),
    ("dice", 0.006),
    ("story", 0.005),
)

P_REPLY = 0.22
P_FORWARD = 0.04
P_EDIT_TEXT = 0.06
P_EDIT_CAPTION = 0.03
P_SECOND_EDIT = 0.15
P_LATE_EDIT = 0.12  # of edits: arrives 1-6 days after the message
P_DUPLICATE = 0.012  # re-delivery of the same update (webhook answered too late)
P_RETRIED_ORIGINAL = 0.25  # of quick edits: first delivery failed, retried after the edit
P_REACTED = 0.12
P_COMMAND = 0.02
P_ALBUM = 0.15  # of photos: part of a media group
P_ANON_ADMIN = 0.015
P_AS_CHANNEL = 0.006
P_TOPIC_GENERAL = 0.35

REACTION_EMOJI = ("👍", "❤", "🔥", "😁", "👏", "🎉", "🤔", "😢", "🙏", "💯", "🤣", "👀")
DICE = (("🎲", 6), ("🎯", 6), ("🏀", 5), ("⚽", 5), ("🎳", 6), ("🎰", 64))

PT_TEXTS = (
    "Bom dia, pessoal! ☀️",
    "Boa noite! Alguém por aí? 🌙",
    "Alguém já rodou `spark-submit` com Java 17 no Mac?",
    "Valeu {@}! Funcionou aqui 🙏",
    "Kkkkkk não acredito 😂",
    "Hoje o trânsito tá impossível 🚗🚗🚗",
    "Vou passar aí mais tarde, beleza?",
    "Concordo 100% 💯",
    "Alguém indica um curso bom de SQL? #dicas",
    "Olha essa vaga: https://vagas.exemplo.com.br/dados/123 #vagas",
    "Que golaço ontem! ⚽🔥",
    "Saiu a nova versão do DuckDB 🦆 https://duckdb.org",
    "Preciso de ajuda com um join que tá duplicando linhas 😩",
    "**Atenção**: reunião amanhã às 19h",
    "Tô no ônibus, chego em 10 min",
    "Parabéns {@}!!! 🎉🎂",
    "Alguém vai no meetup sábado? 🍕",
    "Esse café da padaria é o melhor da cidade ☕",
    "Pessoal, cuidado com golpe no Pix ⚠️",
    "Feliz aniversário! Muita saúde e sucesso 🥳",
    "O Glue cobra por DPU-hora, então job pequeno sai caro 💸",
    "Particionar por dia resolveu o custo do Athena 👌",
    "Quem topa uma trilha no domingo? 🥾⛰️",
    "Choveu demais aqui em SP hoje 🌧️",
    "Obrigado pela ajuda, galera!",
    "Alguém tem o link da gravação?",
    "Tô testando o bot novo, mandem /stats",
    "Fim de semana chegou! 🍻",
    "Sextou!!! 🎉",
    "Nossa, que saudade de vocês ❤️",
    "O `pd.read_parquet` lê partição hive direto?",
    "Bora marcar um churrasco? 🍖",
    "Acabei de chegar em casa, exausto 😴",
    "Quem ganhou o jogo?",
    "Ahahaha muito bom",
    "Não entendi nada 🤔",
    "Show de bola! 👏👏",
    "Promoção de livro técnico hoje #promo",
    "Já atualizei a planilha, confere lá {@}",
    "Boa sorte na entrevista amanhã! 🍀",
    "Deploy feito, tudo verde ✅",
    "Quebrou a produção de novo 🔥🔥🔥 kkk",
    "Alguém usa Firehose pra ingestão? Vale a pena?",
    "Eu prefiro Trino, mas DuckDB local é imbatível",
    "Vou dormir, boa noite a todos 😴",
    "Mano, que calor 🥵",
    "E aí, como foi a viagem?",
    "Foto do pôr do sol de ontem abaixo 👇",
    "Gente, o #python 3.11 é bem mais rápido mesmo",
    "Alguém me ajuda com regex? Tô perdido",
    "Amanhã tem feriado? 🤔",
    "Fechado! Até mais 👋",
    "Que notícia boa! 😍",
    "Tô dentro!",
    "Segue o artigo: https://blog.exemplo.dev/lakehouse-barato",
)
EN_TEXTS = (
    "Good morning everyone! ☀️",
    "Anyone tried the new Glue 5.1 runtime yet?",
    "Thanks {@}, that fixed it 🙏",
    "lol 😂",
    "Agreed 💯",
    "Check this out: https://spark.apache.org/docs/latest/ #spark",
    "Running late, be there in 10",
    "**Reminder**: meetup on Saturday at 7pm",
    "Happy birthday {@}! 🎉🎂",
    "Has anyone benchmarked DuckDB vs Spark on small files?",
    "Coffee first ☕ then code",
    "That game last night was insane ⚽🔥",
    "I'd use `COPY ... PARTITION_BY` for that",
    "Weekend plans? 🍻",
    "Deployed to prod, fingers crossed 🤞",
    "Can someone share the slides?",
    "Great talk today 👏",
    "Not sure I follow 🤔",
    "See you all tomorrow!",
    "Nice! 👌",
    "Good night folks 😴",
    "Who's up for a hike on Sunday? 🥾",
    "It's pouring here 🌧️",
    "Just landed in Lisbon ✈️",
    "Our Athena bill dropped 80% after partitioning by day",
    "Is Firehose worth it for a million events a day?",
    "Welcome {@}! 👋",
    "Quick question about window functions in Trino",
    "Use /stats to see the weekly numbers",
    "Miss you guys ❤️",
    "Pizza tonight? 🍕",
    "Congrats on the new job! 🥳",
    "Build is green ✅",
    "Prod is on fire again 🔥 lol",
    "Anyone know a good SQL course? #tips",
)
PT_CAPTIONS = (
    "Olha que lindo 😍",
    "Nosso time hoje",
    "Print do erro 👇",
    "Pôr do sol em Floripa 🌅",
    "Slides da palestra",
    "Churrasco de domingo 🍖",
    "Vejam isso kkk",
)
EN_CAPTIONS = ("Look at this view 😍", "Error screenshot 👇", "Team dinner 🍝", "Slides from today")
EDIT_SUFFIXES = (" (editado)", " ✏️", "\nEDIT: resolvido ✅", "\nUPDATE: fixed ✅", " *")
BOT_COMMANDS = ("/stats", "/top", "/help")
CHANNEL_TEXTS = (
    "📊 Resumo da semana: 3 artigos novos sobre #dados e #aws",
    "Novo post: como deduplicar eventos do Telegram com Spark https://blog.exemplo.dev/dedup",
    "🎙️ Live hoje às 19h sobre Athena + QuickSight",
    "Dica rápida: use partition projection no Athena e esqueça o MSCK REPAIR #dica",
    "🔥 Vagas da semana no canal de vagas #vagas",
    "New post (EN): Glue 5.1 first impressions https://blog.exemplo.dev/glue-51",
)

_PT_FIRST = ("Ana", "João", "Mariana", "Lucas", "Beatriz", "Rafael", "Camila", "Pedro", "Juliana",
             "Gabriel", "Larissa", "Thiago", "Fernanda", "Bruno", "Letícia", "Vinícius", "Luana",
             "Diego", "Patrícia", "Caio")  # fmt: skip
_PT_LAST = ("Souza", "Pereira", "Costa", "Oliveira", "Lima", "Santos", "Rodrigues", "Almeida",
            "Carvalho", "Ferreira", "Gomes", "Ribeiro", "Martins", "Araújo", "Barbosa")  # fmt: skip
_EN_FIRST = ("Emily", "James", "Sophie", "Daniel", "Olivia", "Michael", "Chloe", "Ethan")
_EN_LAST = ("Carter", "O'Neill", "Turner", "Kim", "Brown", "Chen", "Davis", "Walsh")
_NAME_FLAIR = ("", "", "", "", " 🚴", " ☕", " 🇧🇷", " 🐍")

_GROUP_TITLES = (
    ("Dados & Python BR 🐍", True),  # forum supergroup with topics
    ("Trilhas & Café ☕", False),  # discussion group linked to the channel
    ("Família Souza 🏡", False),
    ("Engenharia de Dados - Turma 2026", False),
)
_TOPICS = (("Spark & Glue", 7322096), ("Vagas", 16766590), ("Ajuda / Help", 13338331),
           ("Off-topic", 16478047))  # fmt: skip
_NEW_TOPIC = ("Eventos 2026", 9367192)
_CHANNEL = ("Dados em 1 Minuto 📊", "dados1min")
_RENAMED_TITLE = "Trilhas, Café & Cerveja 🍻"

_PLACES = (
    (-23.561414, -46.655881, "Avenida Paulista", "Av. Paulista, 1578 - Bela Vista, São Paulo"),
    (-22.971177, -43.182543, "Praia de Copacabana", "Av. Atlântica - Copacabana, Rio de Janeiro"),
    (-27.593500, -48.558540, "Mercado Público", "R. Jerônimo Coelho, 60 - Centro, Florianópolis"),
    (38.713889, -9.139444, "Praça do Comércio", "Praça do Comércio, 1100-148 Lisboa"),
    (-23.587416, -46.657634, "Parque Ibirapuera", "Av. Pedro Álvares Cabral - São Paulo"),
)
_DOCS = (("relatorio_q3.pdf", "application/pdf"), ("notebook.ipynb", "application/x-ipynb+json"),
         ("dados_vendas.csv", "text/csv"), ("slides_meetup.pptx",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"))  # fmt: skip
_SONGS = (("Tim Maia", "Azul da Cor do Mar"), ("Gilberto Gil", "Aquele Abraço"),
          ("Daft Punk", "Get Lucky"))  # fmt: skip
_STICKER_SETS = (("UtyaDuck", "😂"), ("HotCherry", "😍"), ("Capivara_by_fStikBot", "🥹"),
                 ("PepeTheFrogStickers", "🤔"))  # fmt: skip
_POLLS = (
    ("Qual banco vocês usam em produção?", ("Postgres", "MySQL", "DynamoDB", "Outro")),
    ("Churrasco sábado ou domingo?", ("Sábado", "Domingo")),
    ("Which engine for small files?", ("DuckDB", "Spark", "Polars")),
)
_HIDDEN_NAMES = ("Carlos M.", "Tia Cida", "Rob 🎸")
_FILE_PREFIX = {
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

_MARKUP = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`|\{@\}")
_AUTO_ENTITY = re.compile(
    r"(?P<url>https?://\S+)|(?P<mention>@\w{5,32})|(?P<hashtag>#\w+)|(?<!\S)(?P<cmd>/\w+(?:@\w+)?)"
)


def _ascii_handle(name: str) -> str:
    """Telegram usernames allow only a-z, 0-9 and underscores."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9_]", "", plain)


def _u16(text: str) -> int:
    """Length in UTF-16 code units: MessageEntity offsets/lengths are counted this way."""
    return len(text.encode("utf-16-le")) // 2


def render_text(template: str, mention: JsonObj | None = None) -> tuple[str, list[JsonObj]]:
    """Turn a template (``**bold**``, `` `code` ``, ``{@}``) into (text, MessageEntity list)."""
    parts: list[str] = []
    spans: list[tuple[int, int, str, JsonObj | None]] = []  # python indexes
    pos = 0
    last = 0
    for match in _MARKUP.finditer(template):
        chunk = template[last : match.start()]
        parts.append(chunk)
        pos += len(chunk)
        last = match.end()
        if match.group(1) is not None:
            inner, kind, user = match.group(1), "bold", None
        elif match.group(2) is not None:
            inner, kind, user = match.group(2), "code", None
        elif mention is not None and "username" in mention:
            inner, kind, user = "@" + mention["username"], "", None  # found by the auto pass
        elif mention is not None:
            inner, kind, user = mention["first_name"], "text_mention", mention
        else:
            inner, kind, user = "pessoal", "", None
        parts.append(inner)
        if kind:
            spans.append((pos, pos + len(inner), kind, user))
        pos += len(inner)
    parts.append(template[last:])
    text = "".join(parts)
    for match in _AUTO_ENTITY.finditer(text):
        kind = match.lastgroup or ""
        spans.append((match.start(), match.end(), "bot_command" if kind == "cmd" else kind, None))
    spans.sort(key=lambda s: s[0])
    entities = []
    for start, end, kind, user in spans:
        entity: JsonObj = {"offset": _u16(text[:start]), "length": _u16(text[start:end])}
        entity["type"] = kind
        if user is not None:
            entity["user"] = user
        entities.append(entity)
    return text, entities


@functools.lru_cache(maxsize=4096)
def _render_static(template: str) -> tuple[str, list[JsonObj]]:
    # Shared result objects: callers never mutate them (edits build new strings).
    return render_text(template)


@dataclass(eq=False)
class _User:
    obj: JsonObj
    lang: str
    weight: float

    @property
    def id(self) -> int:
        return int(self.obj["id"])


@dataclass
class _Topic:
    thread_id: int
    root: JsonObj  # the forum_topic_created service message (reply target of topic messages)


@dataclass(eq=False)
class _Chat:
    obj: JsonObj
    kind: str  # forum | discussion | group | channel | private
    week: tuple[float, ...]
    next_message_id: int
    members: list[_User] = field(default_factory=list)
    admin: _User | None = None
    topics: list[_Topic] = field(default_factory=list)
    recent: dict[int, deque[JsonObj]] = field(default_factory=dict)  # thread -> messages
    cum_weights: list[float] = field(default_factory=list)
    chat_instance: str = ""
    pt_share: float = 0.85

    def take_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id

    def refresh_weights(self) -> None:
        self.cum_weights = list(itertools.accumulate(u.weight for u in self.members))


class _World:
    """The simulation: chats, users, a future-event queue and the webhook's delivery queue."""

    def __init__(
        self, *, seed: int, start: date, days: int, chats: int, users: int, target: int
    ) -> None:
        self.rng = random.Random(seed)
        self.start_ts = datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()
        self.days = days
        self.end_ts = self.start_ts + days * 86400
        self.seq = itertools.count()
        self.next_update_id = 500_000_000 + self.rng.randrange(10_000_000, 90_000_000)
        self.future: list[tuple[float, int, Callable[[float], None]]] = []
        self.deliveries: list[tuple[float, int, JsonObj]] = []
        self.last_first_arrival = 0.0
        self.outages = self._outages()
        self.users = self._make_users(users)
        self.channel = self._make_channel()
        self.groups = [self._make_group(i) for i in range(max(1, chats))]
        self.privates: dict[int, _Chat] = {}
        self.target = target
        self.callback_seq = self.rng.randrange(10**18, 9 * 10**18)
        self.poll_seq = self.rng.randrange(5 * 10**18, 6 * 10**18)
        self.latest_versions: dict[tuple[int, int], JsonObj] = {}
        self.blocked_once = False

    # ----- world set-up ------------------------------------------------------------------

    def _outages(self) -> list[tuple[float, float]]:
        # One webhook outage across a midnight: updates of one day arrive on the next.
        if self.days < 3:
            return []
        midnight = self.start_ts + 2 * 86400
        return [
            (midnight - 600 - self.rng.randrange(600), midnight + 900 + self.rng.randrange(900))
        ]

    def _make_users(self, count: int) -> list[_User]:
        rng = self.rng
        users = []
        seen_ids: set[int] = set()
        for i in range(count):
            english = rng.random() < 0.25
            firsts, lasts = (_EN_FIRST, _EN_LAST) if english else (_PT_FIRST, _PT_LAST)
            first = firsts[i % len(firsts)] if i < len(firsts) * 2 else rng.choice(firsts)
            last = rng.choice(lasts)
            uid = rng.randrange(100_000_000, 7_900_000_000)
            while uid in seen_ids:
                uid = rng.randrange(100_000_000, 7_900_000_000)
            seen_ids.add(uid)
            obj: JsonObj = {
                "id": uid,
                "is_bot": False,
                "first_name": first + rng.choice(_NAME_FLAIR),
            }
            if rng.random() < 0.75:
                obj["last_name"] = last
            if rng.random() < 0.8:
                base = _ascii_handle(first + "_" + last)
                obj["username"] = f"{base}{i}" if count > 40 else base
            if rng.random() < 0.85:
                obj["language_code"] = "en" if english else rng.choice(("pt-br", "pt-br", "pt"))
            if rng.random() < 0.2:
                obj["is_premium"] = True
            # Zipf-like activity: a few people write most messages.
            users.append(_User(obj, "en" if english else "pt", 1.0 / (1 + i) ** 0.9))
        rng.shuffle(users)  # so that activity does not follow list order / nationality
        return users

    def _make_channel(self) -> _Chat:
        title, username = _CHANNEL
        obj = {
            "id": -1_000_000_000_000 - self.rng.randrange(1_500_000_000, 2_400_000_000),
            "title": title,
            "username": username,
            "type": "channel",
        }
        return _Chat(obj, "channel", _COMMUNITY_WEEK, self.rng.randrange(200, 900))

    def _make_group(self, index: int) -> _Chat:
        rng = self.rng
        title, forum = _GROUP_TITLES[index % len(_GROUP_TITLES)]
        if index >= len(_GROUP_TITLES):
            title = f"{title} #{index}"
        basic = index >= 2 and index % 2 == 0
        obj: JsonObj
        if basic:
            obj = {"id": -rng.randrange(4_000_000_000, 4_999_999_999), "title": title}
            obj["type"] = "group"
            kind = "group"
        else:
            obj = {"id": -1_000_000_000_000 - rng.randrange(1_500_000_000, 2_400_000_000)}
            obj["title"] = title
            if forum:
                obj["is_forum"] = True
            obj["type"] = "supergroup"
            kind = "forum" if forum else ("discussion" if index == 1 else "group")
        week = _COMMUNITY_WEEK if index % 2 == 0 else _FRIENDS_WEEK
        chat = _Chat(obj, kind, week, rng.randrange(3_000, 60_000))
        chat.chat_instance = str(rng.randrange(-(2**63), 2**63))
        chat.pt_share = 0.8 if index % 2 == 0 else 0.7
        pool = list(self.users)
        rng.shuffle(pool)
        share = 0.75 if len(pool) <= 40 else 0.5
        chat.members = sorted(pool[: max(2, int(len(pool) * share))], key=lambda u: -u.weight)
        chat.admin = chat.members[0]
        chat.refresh_weights()
        if forum:
            for name, color in _TOPICS:
                tid = rng.randrange(2, chat.next_message_id // 2)
                chat.topics.append(_Topic(tid, self._topic_root(chat, tid, name, color, None)))
        return chat

    def _topic_root(
        self, chat: _Chat, tid: int, name: str, color: int, when: float | None
    ) -> JsonObj:
        assert chat.admin is not None
        created = (
            when
            if when is not None
            else self.start_ts - self.rng.randrange(30 * 86400, 400 * 86400)
        )
        return {
            "message_id": tid,
            "message_thread_id": tid,
            "from": chat.admin.obj,
            "chat": chat.obj,
            "date": int(created),
            "forum_topic_created": {"name": name, "icon_color": color},
            "is_topic_message": True,
        }

    # ----- delivery ----------------------------------------------------------------------

    def emit(self, t: float, kind: str, payload: JsonObj, *, retry_after: float = 0.0) -> None:
        """Telegram creates an update now (next update_id) and POSTs it to the webhook."""
        update = {"update_id": self.next_update_id, kind: payload}
        self.next_update_id += 1
        rng = self.rng
        arrival = max(t + 0.08 + rng.random() * 0.6, self.last_first_arrival + 0.003)
        for start, end in self.outages:
            if start <= arrival < end:
                arrival = end + (arrival - start) * 0.002
        self.last_first_arrival = arrival
        if retry_after:
            # The first attempt failed (5xx): nothing stored, Telegram retries later.
            arrival += retry_after
        heapq.heappush(self.deliveries, (arrival, next(self.seq), update))
        if rng.random() < P_DUPLICATE:
            # Stored, but the 200 came too late: the same bytes arrive again.
            again = arrival + rng.choice((2.0, 10.0, 35.0, 120.0)) * (1 + rng.random())
            heapq.heappush(self.deliveries, (again, next(self.seq), update))

    def schedule(self, t: float, action: Callable[[float], None]) -> None:
        if t < self.end_ts:
            heapq.heappush(self.future, (t, next(self.seq), action))

    # ----- message building ----------------------------------------------------------------

    def pick_member(self, chat: _Chat, exclude: int | None = None) -> _User:
        for _ in range(8):
            x = self.rng.random() * chat.cum_weights[-1]
            user = chat.members[min(bisect.bisect_left(chat.cum_weights, x), len(chat.members) - 1)]
            if user.id != exclude:
                return user
        return chat.members[0]

    def file_ids(self, kind: str) -> tuple[str, str]:
        rb = self.rng.randbytes
        file_id = _FILE_PREFIX[kind] + base64.urlsafe_b64encode(rb(48)).decode().rstrip("=")
        unique = ("AQAD" if kind == "photo" else "AgAD") + base64.urlsafe_b64encode(
            rb(9)
        ).decode().rstrip("=")
        return file_id, unique

    def thumbnail(self, width: int, height: int) -> JsonObj:
        scale = 320 / max(width, height)
        file_id, unique = self.file_ids("thumb")
        return {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_size": self.rng.randrange(4_000, 22_000),
            "width": max(1, round(width * scale)),
            "height": max(1, round(height * scale)),
        }

    def photo_sizes(self) -> list[JsonObj]:
        rng = self.rng
        width, height = rng.choice(
            ((1280, 960), (960, 1280), (1280, 720), (1080, 1080), (591, 1280))
        )
        sizes = []
        for side in (90, 320, 800, 1280):
            scale = min(1.0, side / max(width, height))
            w, h = max(1, round(width * scale)), max(1, round(height * scale))
            file_id, unique = self.file_ids("photo")
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

    def text_for(self, user: _User | None, chat: _Chat) -> tuple[str, list[JsonObj]]:
        rng = self.rng
        english = (user.lang == "en") if user is not None else rng.random() > chat.pt_share
        if rng.random() < 0.1:
            english = not english
        template = rng.choice(EN_TEXTS if english else PT_TEXTS)
        mention = None
        if "{@}" in template and chat.members:
            mention = self.pick_member(chat, user.id if user else None).obj
        if mention is None:
            return _render_static(template)
        return render_text(template, mention)

    def caption_for(self, user: _User | None) -> tuple[str, list[JsonObj]] | None:
        if self.rng.random() < 0.45:
            return None
        english = user is not None and user.lang == "en"
        return _render_static(self.rng.choice(EN_CAPTIONS if english else PT_CAPTIONS))

    def content(self, kind: str, user: _User | None, chat: _Chat, t: float) -> JsonObj:
        """The content fields of a message of this kind (documented Bot API shapes)."""
        rng = self.rng
        body: JsonObj = {}
        caption = None
        if kind == "text":
            text, entities = self.text_for(user, chat)
            body["text"] = text
            if entities:
                body["entities"] = entities
            return body
        if kind == "photo":
            body["photo"] = self.photo_sizes()
            caption = self.caption_for(user)
        elif kind == "sticker":
            set_name, emoji = rng.choice(_STICKER_SETS)
            animated = rng.random() < 0.3
            video = not animated and rng.random() < 0.3
            file_id, unique = self.file_ids("sticker")
            body["sticker"] = {
                "width": 512,
                "height": 512,
                "emoji": emoji,
                "set_name": set_name,
                "is_animated": animated,
                "is_video": video,
                "type": "regular",
                "thumbnail": self.thumbnail(512, 512),
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": rng.randrange(8_000, 60_000),
            }
        elif kind == "voice":
            file_id, unique = self.file_ids("voice")
            duration = int(rng.expovariate(1 / 14)) + 1
            body["voice"] = {
                "duration": duration,
                "mime_type": "audio/ogg",
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": duration * rng.randrange(3_500, 5_000),
            }
        elif kind in ("video", "animation"):
            width, height = rng.choice(((1280, 720), (720, 1280), (480, 270)))
            file_id, unique = self.file_ids(kind)
            duration = rng.randrange(2, 90) if kind == "video" else rng.randrange(1, 8)
            name = (
                f"VID_{datetime.fromtimestamp(t, UTC):%Y%m%d_%H%M%S}.mp4"
                if kind == "video"
                else "giphy.mp4"
            )
            media = {
                "duration": duration,
                "width": width,
                "height": height,
                "file_name": name,
                "mime_type": "video/mp4",
                "thumbnail": self.thumbnail(width, height),
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": duration * rng.randrange(60_000, 250_000),
            }
            body[kind] = media
            if kind == "animation":
                # Documented: for backward compatibility `document` is set too.
                body["document"] = {
                    "file_name": name,
                    "mime_type": "video/mp4",
                    "thumbnail": media["thumbnail"],
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "file_size": media["file_size"],
                }
            caption = self.caption_for(user) if kind == "video" else None
        elif kind == "document":
            name, mime = rng.choice(_DOCS)
            file_id, unique = self.file_ids("document")
            body["document"] = {
                "file_name": name,
                "mime_type": mime,
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": rng.randrange(20_000, 9_000_000),
            }
            caption = self.caption_for(user)
        elif kind == "video_note":
            file_id, unique = self.file_ids("video_note")
            duration = rng.randrange(3, 59)
            body["video_note"] = {
                "duration": duration,
                "length": 384,
                "thumbnail": self.thumbnail(384, 384),
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": duration * rng.randrange(40_000, 90_000),
            }
        elif kind == "audio":
            performer, title = rng.choice(_SONGS)
            file_id, unique = self.file_ids("audio")
            duration = rng.randrange(150, 320)
            body["audio"] = {
                "duration": duration,
                "file_name": f"{performer} - {title}.mp3",
                "mime_type": "audio/mpeg",
                "title": title,
                "performer": performer,
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": duration * 40_000 + rng.randrange(0, 40_000),
            }
        elif kind == "poll":
            question, options = rng.choice(_POLLS)
            self.poll_seq += rng.randrange(1, 10**9)
            quiz = rng.random() < 0.2
            poll: JsonObj = {
                "id": str(self.poll_seq),
                "question": question,
                "options": [{"text": o, "voter_count": 0} for o in options],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": rng.random() < 0.6,
                "type": "quiz" if quiz else "regular",
                "allows_multiple_answers": (not quiz) and rng.random() < 0.3,
            }
            body["poll"] = poll
        elif kind in ("location", "venue"):
            lat, lon, title, address = rng.choice(_PLACES)
            location: JsonObj = {
                "latitude": round(lat + (rng.random() - 0.5) * 0.002, 6),
                "longitude": round(lon + (rng.random() - 0.5) * 0.002, 6),
            }
            if kind == "venue":
                body["venue"] = {
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
            body["location"] = location
        elif kind == "contact":
            other = rng.choice(self.users).obj
            contact: JsonObj = {"phone_number": f"+55119{rng.randrange(10**7, 10**8)}"}
            contact["first_name"] = other["first_name"]
            if "last_name" in other:
                contact["last_name"] = other["last_name"]
            contact["user_id"] = other["id"]
            body["contact"] = contact
        elif kind == "dice":
            emoji, faces = rng.choice(DICE)
            body["dice"] = {"emoji": emoji, "value": rng.randrange(1, faces + 1)}
        elif kind == "story":
            poster = rng.choice(self.users).obj
            story_chat = {"id": poster["id"], "first_name": poster["first_name"]}
            if "username" in poster:
                story_chat["username"] = poster["username"]
            story_chat["type"] = "private"
            body["forward_origin"] = {
                "type": "user",
                "date": int(t) - rng.randrange(60, 20 * 3600),
                "sender_user": poster,
            }
            body["story"] = {"chat": story_chat, "id": rng.randrange(1, 400)}
        if caption is not None:
            body["caption"] = caption[0]
            if caption[1]:
                body["caption_entities"] = caption[1]
        return body

    def forward_origin(self, t: float) -> JsonObj:
        rng = self.rng
        when = int(t) - rng.randrange(120, 30 * 86400)
        roll = rng.random()
        if roll < 0.5:
            return {"type": "user", "sender_user": rng.choice(self.users).obj, "date": when}
        if roll < 0.65:
            return {
                "type": "hidden_user",
                "sender_user_name": rng.choice(_HIDDEN_NAMES),
                "date": when,
            }
        if roll < 0.75:
            source = {
                "id": -1_001_391_004_455,
                "title": "Python Brasil",
                "username": "pythonbrasil",
                "type": "supergroup",
            }
            return {"type": "chat", "sender_chat": source, "date": when}
        origin: JsonObj = {
            "type": "channel",
            "chat": self.channel.obj,
            "message_id": rng.randrange(10, self.channel.next_message_id + 1),
            "date": when,
        }
        if rng.random() < 0.4:
            origin["author_signature"] = "Ana Souza"
        return origin

    @staticmethod
    def envelope(chat: _Chat, sender: JsonObj | None, thread: _Topic | None) -> JsonObj:
        msg: JsonObj = {"message_id": chat.take_id()}
        if thread is not None:
            msg["message_thread_id"] = thread.thread_id
        if sender is not None:
            msg["from"] = sender
        return msg

    def remember(self, chat: _Chat, thread: _Topic | None, msg: JsonObj) -> None:
        key = thread.thread_id if thread else 0
        recent = chat.recent.get(key)
        if recent is None:
            recent = chat.recent[key] = deque(maxlen=40)
        recent.append(msg)

    @staticmethod
    def as_reply_target(msg: JsonObj) -> JsonObj:
        # Documented: a replied-to message never carries its own reply_to_message.
        if "reply_to_message" not in msg:
            return msg
        return {k: v for k, v in msg.items() if k != "reply_to_message"}

    # ----- group messages ------------------------------------------------------------------

    def group_message(self, chat: _Chat, t: float) -> None:
        rng = self.rng
        if not chat.members:
            return
        thread = None
        if chat.topics and rng.random() > P_TOPIC_GENERAL:
            thread = chat.topics[min(int(rng.expovariate(1.0)), len(chat.topics) - 1)]
        user: _User | None = self.pick_member(chat)
        sender_user: JsonObj | None = user.obj if user else None
        sender_chat: JsonObj | None = None
        signature = None
        roll = rng.random()
        if chat.kind != "group" and roll < P_ANON_ADMIN:
            # Anonymous admin: Telegram shows GroupAnonymousBot as `from`, the group as sender.
            sender_user, sender_chat, user = GROUP_ANONYMOUS_BOT, chat.obj, None
            signature = rng.choice((None, "Admin", "Moderação"))
        elif chat.kind == "discussion" and roll < P_ANON_ADMIN + P_AS_CHANNEL:
            sender_user, sender_chat, user = CHANNEL_BOT, self.channel.obj, None
        kind = _pick_kind(rng.random())
        if kind == "text" and user is not None and rng.random() < P_COMMAND:
            self.command(chat, t, user, thread)
            return
        msg = self.envelope(chat, sender_user, thread)
        if sender_chat is not None:
            msg["sender_chat"] = sender_chat
        msg["chat"] = chat.obj
        msg["date"] = int(t)
        if kind != "story" and rng.random() < P_FORWARD:
            msg["forward_origin"] = self.forward_origin(t)
        reply_target = None
        recent = chat.recent.get(thread.thread_id if thread else 0)
        if recent and rng.random() < P_REPLY:
            reply_target = recent[-1 - min(int(rng.expovariate(0.5)), len(recent) - 1)]
            msg["reply_to_message"] = self.as_reply_target(reply_target)
        elif thread is not None:
            # Documented quirk: topic messages "reply" to the topic's creation message.
            msg["reply_to_message"] = thread.root
        if kind == "animation" and rng.random() < 0.3:
            msg["via_bot"] = INLINE_BOTS[0]
        if signature:
            msg["author_signature"] = signature
        body = self.content(kind, user, chat, t)
        msg.update(body)
        if thread is not None:
            msg["is_topic_message"] = True
        in_album = kind == "photo" and rng.random() < P_ALBUM
        if in_album:
            msg["media_group_id"] = str(rng.randrange(13 * 10**15, 14 * 10**15))
        first_delivery_retry = 0.0
        edit_delay = self.edit_delay(msg, kind)
        if edit_delay is not None and edit_delay < 30 and rng.random() < P_RETRIED_ORIGINAL:
            first_delivery_retry = 40 + rng.random() * 80
        self.emit(t, "message", msg, retry_after=first_delivery_retry)
        self.remember(chat, thread, msg)
        if edit_delay is not None:
            self.schedule_edit(chat, msg, t + edit_delay, "edited_message")
        if kind == "location" and "live_period" in msg["location"]:
            self.schedule_live_location(msg, t)
        if rng.random() < P_REACTED:
            self.schedule_reactions(chat, msg, t, user)
        if in_album:
            self.album_rest(chat, t, msg)

    def album_rest(self, chat: _Chat, t: float, first: JsonObj) -> None:
        """The other items of a media group: separate messages sharing media_group_id."""
        for i in range(self.rng.randrange(1, 4)):
            msg = {k: v for k, v in first.items() if k not in ("caption", "caption_entities")}
            msg["message_id"] = chat.take_id()
            msg["photo"] = self.photo_sizes()
            self.emit(t + 0.01 * (i + 1), "message", msg)

    def edit_delay(self, msg: JsonObj, kind: str) -> float | None:
        rng = self.rng
        if "forward_origin" in msg or "from" not in msg:
            return None
        if kind == "text":
            chance = P_EDIT_TEXT
        elif "caption" in msg:
            chance = P_EDIT_CAPTION
        else:
            return None
        if rng.random() >= chance:
            return None
        roll = rng.random()
        if roll < P_LATE_EDIT:
            return 86400 * (1 + rng.random() * 5)
        if roll < 0.25:
            return 600 + rng.random() * 12 * 3600
        return 4 + rng.expovariate(1 / 60)

    def schedule_edit(self, chat: _Chat, msg: JsonObj, when: float, kind: str) -> None:
        def edit(t: float) -> None:
            field_name = "text" if "text" in msg else "caption"
            current = self.latest_versions.get((chat.obj["id"], msg["message_id"]), msg)
            edited = dict(current)
            edited["edit_date"] = int(t)
            edited[field_name] = current[field_name] + self.rng.choice(EDIT_SUFFIXES)
            self.latest_versions[(chat.obj["id"], msg["message_id"])] = edited
            self.emit(t, kind, edited)
            if self.rng.random() < P_SECOND_EDIT:
                self.schedule(t + 5 + self.rng.expovariate(1 / 300), edit)

        self.schedule(when, edit)

    def schedule_live_location(self, msg: JsonObj, t: float) -> None:
        # A live location is delivered as a stream of edited_message updates.
        for step in range(1, self.rng.randrange(3, 7)):

            def move(when: float, step: int = step) -> None:
                edited = dict(msg)
                location = dict(msg["location"])
                location["latitude"] = round(location["latitude"] + 0.0004 * step, 6)
                location["longitude"] = round(location["longitude"] - 0.0003 * step, 6)
                edited["location"] = location
                edited["edit_date"] = int(when)
                self.emit(when, "edited_message", edited)

            self.schedule(t + 60 * step + self.rng.random() * 5, move)

    def schedule_reactions(self, chat: _Chat, msg: JsonObj, t: float, author: _User | None) -> None:
        rng = self.rng
        for _ in range(1 + int(rng.expovariate(1.5))):
            reactor = self.pick_member(chat, author.id if author else None)
            emoji = rng.choice(REACTION_EMOJI)

            def react(when: float, reactor: _User = reactor, emoji: str = emoji) -> None:
                new = [{"type": "emoji", "emoji": emoji}]
                self.emit(
                    when,
                    "message_reaction",
                    self.reaction(chat, msg, reactor, when, old=[], new=new),
                )
                roll = self.rng.random()
                if roll < 0.15:
                    other = [{"type": "emoji", "emoji": self.rng.choice(REACTION_EMOJI)}]

                    def change(later: float) -> None:
                        self.emit(
                            later,
                            "message_reaction",
                            self.reaction(chat, msg, reactor, later, old=new, new=other),
                        )

                    self.schedule(when + 3 + self.rng.random() * 120, change)

            self.schedule(t + 5 + rng.expovariate(1 / 900), react)

    @staticmethod
    def reaction(
        chat: _Chat, msg: JsonObj, user: _User, t: float, *, old: list[JsonObj], new: list[JsonObj]
    ) -> JsonObj:
        return {
            "chat": chat.obj,
            "message_id": msg["message_id"],
            "user": user.obj,
            "date": int(t),
            "old_reaction": old,
            "new_reaction": new,
        }

    def command(self, chat: _Chat, t: float, user: _User, thread: _Topic | None) -> None:
        """`/stats@bot`, the bot's (undelivered) answer with buttons, then button clicks."""
        rng = self.rng
        command = rng.choice(BOT_COMMANDS) + (
            "@" + LAKE_BOT["username"] if rng.random() < 0.6 else ""
        )
        text, entities = _render_static(command)
        msg = self.envelope(chat, user.obj, thread)
        msg["chat"] = chat.obj
        msg["date"] = int(t)
        if thread is not None:
            msg["reply_to_message"] = thread.root
        msg["text"] = text
        msg["entities"] = entities
        if thread is not None:
            msg["is_topic_message"] = True
        self.emit(t, "message", msg)
        self.remember(chat, thread, msg)
        answer = self.envelope(chat, LAKE_BOT, thread)
        answer["chat"] = chat.obj
        answer["date"] = int(t + 1)
        answer["reply_to_message"] = self.as_reply_target(msg)
        answer["text"] = "📊 Estatísticas do grupo: escolha o período"
        answer["reply_markup"] = {
            "inline_keyboard": [
                [
                    {"text": "Hoje", "callback_data": "stats:day"},
                    {"text": "Semana", "callback_data": "stats:week"},
                ],
                [{"text": "Top 10 🏆", "callback_data": "top:10"}],
            ]
        }
        if thread is not None:
            answer["is_topic_message"] = True
        self.remember(chat, thread, answer)
        for _ in range(rng.randrange(0, 4)):
            clicker = self.pick_member(chat)
            late = rng.random() < 0.05
            delay = 3 * 86400 if late else 3 + rng.expovariate(1 / 120)
            data = rng.choice(("stats:day", "stats:week", "top:10"))

            def click(when: float, clicker: _User = clicker, data: str = data) -> None:
                self.callback_seq += self.rng.randrange(1, 10**12)
                message: JsonObj = answer
                if when - t > 2 * 86400:
                    # Older than 48 h: documented InaccessibleMessage (date 0).
                    message = {"chat": chat.obj, "message_id": answer["message_id"], "date": 0}
                query = {
                    "id": str(self.callback_seq),
                    "from": clicker.obj,
                    "message": message,
                    "chat_instance": chat.chat_instance,
                    "data": data,
                }
                self.emit(when, "callback_query", query)

            self.schedule(t + 1 + delay, click)

    # ----- channel -----------------------------------------------------------------------

    def channel_post(self, t: float) -> None:
        rng = self.rng
        channel = self.channel
        post: JsonObj = {
            "message_id": channel.take_id(),
            "sender_chat": channel.obj,
            "chat": channel.obj,
            "date": int(t),
        }
        if rng.random() < 0.3:
            post["author_signature"] = "Ana Souza"
        if rng.random() < 0.25:
            post["photo"] = self.photo_sizes()
            text, entities = _render_static(rng.choice(CHANNEL_TEXTS))
            post["caption"] = text
            if entities:
                post["caption_entities"] = entities
        else:
            text, entities = _render_static(rng.choice(CHANNEL_TEXTS))
            post["text"] = text
            if entities:
                post["entities"] = entities
        self.emit(t, "channel_post", post)
        if rng.random() < 0.1:
            self.schedule_edit(channel, post, t + 60 + rng.random() * 7200, "edited_channel_post")
        if rng.random() < 0.3:

            def counts(when: float) -> None:
                reactions = [
                    {
                        "type": {"type": "emoji", "emoji": e},
                        "total_count": self.rng.randrange(1, 40),
                    }
                    for e in self.rng.sample(REACTION_EMOJI, self.rng.randrange(1, 4))
                ]
                payload = {
                    "chat": channel.obj,
                    "message_id": post["message_id"],
                    "date": int(when),
                    "reactions": reactions,
                }
                self.emit(when, "message_reaction_count", payload)

            self.schedule(t + 300 + rng.random() * 3600, counts)
        discussion = next((g for g in self.groups if g.kind == "discussion"), None)
        if discussion is not None:
            # The linked discussion group receives an automatic forward of every post.
            auto: JsonObj = {
                "message_id": discussion.take_id(),
                "from": TELEGRAM_SERVICE_USER,
                "sender_chat": channel.obj,
                "chat": discussion.obj,
                "date": int(t) + 1,
                "forward_origin": {
                    "type": "channel",
                    "chat": channel.obj,
                    "message_id": post["message_id"],
                    "date": int(t),
                },
                "is_automatic_forward": True,
            }
            if "author_signature" in post:
                auto["forward_origin"] = {
                    **auto["forward_origin"],
                    "author_signature": post["author_signature"],
                }
            for key in ("photo", "caption", "caption_entities", "text", "entities"):
                if key in post:
                    auto[key] = post[key]
            self.emit(t + 1.5, "message", auto)
            self.remember(discussion, None, auto)

    # ----- private chats -------------------------------------------------------------------

    def private_message(self, t: float) -> None:
        rng = self.rng
        user = rng.choice(self.users)
        chat = self.privates.get(user.id)
        if chat is None:
            obj = {"id": user.id, "first_name": user.obj["first_name"]}
            for key in ("last_name", "username"):
                if key in user.obj:
                    obj[key] = user.obj[key]
            obj["type"] = "private"
            chat = _Chat(obj, "private", _COMMUNITY_WEEK, rng.randrange(1, 30))
            self.privates[user.id] = chat
            text, entities = _render_static("/start")
        else:
            text, entities = _render_static(rng.choice(("/stats", "/help", "Oi bot 👋", "Thanks!")))
        msg = {"message_id": chat.take_id(), "from": user.obj, "chat": chat.obj, "date": int(t)}
        msg["text"] = text
        if entities:
            msg["entities"] = entities
        self.emit(t, "message", msg)
        chat.take_id()  # the bot's answer (bots do not receive their own messages)
        if len(self.privates) == 3 and not self.blocked_once:
            # A user blocks the bot: documented my_chat_member update, an ignored type.
            self.blocked_once = True
            blocked = {
                "chat": chat.obj,
                "from": user.obj,
                "date": int(t) + 40,
                "old_chat_member": {"user": LAKE_BOT, "status": "member"},
                "new_chat_member": {"user": LAKE_BOT, "status": "kicked", "until_date": 0},
            }
            self.schedule(t + 40, lambda when: self.emit(when, "my_chat_member", blocked))

    # ----- membership and other service messages -------------------------------------------

    def service(self, chat: _Chat, t: float, sender: JsonObj, fields: JsonObj) -> JsonObj:
        msg = {"message_id": chat.take_id(), "from": sender, "chat": chat.obj, "date": int(t)}
        msg.update(fields)
        return msg

    def member_update(
        self, chat: _Chat, t: float, actor: JsonObj, user: JsonObj, *, old: str, new: str
    ) -> JsonObj:
        def member(status: str) -> JsonObj:
            obj: JsonObj = {"user": user, "status": status}
            if status == "kicked":
                obj["until_date"] = 0
            return obj

        update = {
            "chat": chat.obj,
            "from": actor,
            "date": int(t),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        if new == "member" and actor is user and self.rng.random() < 0.5:
            assert chat.admin is not None
            update["invite_link"] = {
                "invite_link": "https://t.me/+"
                + base64.urlsafe_b64encode(self.rng.randbytes(6)).decode()
                + "...",
                "creator": chat.admin.obj,
                "creates_join_request": False,
                "is_primary": True,
                "is_revoked": False,
            }
        return update

    def join(self, chat: _Chat, user_obj: JsonObj, t: float, user: _User | None) -> None:
        rng = self.rng
        added_by = rng.random() < 0.3 or user is None
        actor = chat.admin.obj if added_by and chat.admin else user_obj
        roll = rng.random()
        # Telegram may report one join twice: service message AND chat_member.
        if roll < 0.85:
            msg = self.service(chat, t, actor, {"new_chat_members": [user_obj]})
            self.emit(t, "message", msg)
        if roll > 0.15:
            self.emit(
                t + 0.2,
                "chat_member",
                self.member_update(chat, t, actor, user_obj, old="left", new="member"),
            )
        if user is not None and user not in chat.members:
            chat.members.append(user)
            chat.refresh_weights()

    def leave(self, chat: _Chat, user: _User, t: float, kicked: bool) -> None:
        if user not in chat.members or len(chat.members) <= 2:
            return
        assert chat.admin is not None
        actor = chat.admin.obj if kicked else user.obj
        if self.rng.random() < 0.85:
            msg = self.service(chat, t, actor, {"left_chat_member": user.obj})
            self.emit(t, "message", msg)
        new_status = "kicked" if kicked else "left"
        self.emit(
            t + 0.2,
            "chat_member",
            self.member_update(chat, t, actor, user.obj, old="member", new=new_status),
        )
        chat.members.remove(user)
        chat.refresh_weights()

    def plan_membership(self) -> None:
        rng = self.rng
        span = self.end_ts - self.start_ts
        for chat in self.groups:
            outsiders = [u for u in self.users if u not in chat.members]
            joiners = outsiders[: max(1, len(self.users) // 7)]
            for user in joiners:
                when = self.start_ts + rng.random() * span * 0.9

                def do_join(t: float, user: _User = user, chat: _Chat = chat) -> None:
                    self.join(chat, user.obj, t, user)

                self.schedule(when, do_join)
            leavers = chat.members[3:][-max(1, len(chat.members) // 12) :]
            for i, user in enumerate(leavers):
                when = self.start_ts + span * (0.3 + rng.random() * 0.65)

                def do_leave(
                    t: float, user: _User = user, chat: _Chat = chat, k: bool = i == 0
                ) -> None:
                    self.leave(chat, user, t, kicked=k)

                self.schedule(when, do_leave)
        first = self.groups[0]
        bot_chat = self.groups[1] if len(self.groups) > 1 else first
        self.schedule(
            self.start_ts + span * 0.2 + 3600 * 13,
            lambda t: self.join(bot_chat, MOD_BOT, t, None),
        )
        if first.kind == "forum":
            name, color = _NEW_TOPIC

            def new_topic(t: float) -> None:
                assert first.admin is not None
                tid = first.take_id()
                root = self._topic_root(first, tid, name, color, t)
                self.emit(t, "message", root)
                first.topics.append(_Topic(tid, root))

            self.schedule(self.start_ts + span * 0.1 + 3600 * 14, new_topic)
        if len(self.groups) > 1:
            renamed = self.groups[1]

            def rename(t: float) -> None:
                assert renamed.admin is not None
                new_obj = dict(renamed.obj)
                new_obj["title"] = _RENAMED_TITLE
                # Later messages carry the new title; earlier (queued) ones keep the old object.
                renamed.obj = new_obj
                msg = self.service(
                    renamed, t, renamed.admin.obj, {"new_chat_title": _RENAMED_TITLE}
                )
                self.emit(t, "message", msg)

            self.schedule(self.start_ts + span * 0.45 + 3600 * 20, rename)
        for chat in self.groups:
            for _ in range(max(1, self.days // 5)):

                def pin(t: float, chat: _Chat = chat) -> None:
                    recent = chat.recent.get(0)
                    if not recent or chat.admin is None:
                        return
                    target = self.as_reply_target(recent[self.rng.randrange(len(recent))])
                    msg = self.service(chat, t, chat.admin.obj, {"pinned_message": target})
                    self.emit(t, "message", msg)

                self.schedule(self.start_ts + rng.random() * span, pin)

    # ----- the clock ---------------------------------------------------------------------

    def hourly_plan(self) -> list[tuple[str, _Chat | None, list[float]]]:
        """Expected messages per hour for each source, from the daily/weekly rhythm."""
        per_update = 1.30  # updates per base message (edits, reactions, re-deliveries...)
        base = self.target / per_update
        sources: list[tuple[str, _Chat | None, float, tuple[float, ...] | None]] = []
        group_share = 0.975
        weights = [1.0 / (1 + i) ** 0.6 for i in range(len(self.groups))]
        for group, w in zip(self.groups, weights, strict=True):
            sources.append(("group", group, base * group_share * w / sum(weights), None))
        sources.append(("channel", self.channel, base * 0.015, _CHANNEL_HOURS))
        sources.append(("private", None, base * 0.005, None))
        plans: list[tuple[str, _Chat | None, list[float]]] = []
        hours = self.days * 24
        for kind, chat, total, profile in sources:
            week = chat.week if chat is not None else _COMMUNITY_WEEK
            raw = []
            for h in range(hours):
                local = datetime.fromtimestamp(
                    self.start_ts + h * 3600 + LOCAL_UTC_OFFSET_HOURS * 3600, UTC
                )
                weekday = local.weekday()
                hp = profile or (_WEEKEND_HOURS if weekday >= 5 else _WEEKDAY_HOURS)
                raw.append(week[weekday] * hp[local.hour])
            norm = sum(raw)
            plans.append((kind, chat, [total * r / norm for r in raw]))
        return plans

    def run(self) -> Iterator[tuple[float, JsonObj]]:
        rng = self.rng
        self.plan_membership()
        plans = self.hourly_plan()
        for hour in range(self.days * 24):
            hour_start = self.start_ts + hour * 3600
            events: list[tuple[float, int, str, _Chat | None]] = []
            for kind, chat, expected in plans:
                n = int(expected[hour] + rng.random())
                # Conversations come in bursts around a few moments of the hour.
                centers = [rng.random() * 3600 for _ in range(1 + n // 25)]
                for _ in range(n):
                    if rng.random() < 0.6:
                        offset = rng.choice(centers) + rng.gauss(0, 240)
                        offset = min(max(offset, 0.0), 3599.999)
                    else:
                        offset = rng.random() * 3600
                    events.append((hour_start + offset, next(self.seq), kind, chat))
            events.sort(key=lambda e: (e[0], e[1]))
            for t, _, kind, chat in events:
                yield from self.advance(t)
                if kind == "group":
                    assert chat is not None
                    self.group_message(chat, t)
                elif kind == "channel":
                    self.channel_post(t)
                else:
                    self.private_message(t)
        yield from self.advance(self.end_ts - 1e-6)
        while self.deliveries:
            arrival, _, update = heapq.heappop(self.deliveries)
            if arrival < self.end_ts:
                yield arrival, update

    def advance(self, t: float) -> Iterator[tuple[float, JsonObj]]:
        """Run due future events, then hand over every delivery that has arrived by t."""
        future = self.future
        while future and future[0][0] <= t:
            when, _, action = heapq.heappop(future)
            action(when)
        deliveries = self.deliveries
        while deliveries and deliveries[0][0] <= t:
            arrival, _, update = heapq.heappop(deliveries)
            yield arrival, update


_KIND_CUM = list(itertools.accumulate(p for _, p in _CONTENT_MIX))
_KIND_NAMES = [k for k, _ in _CONTENT_MIX]


def _pick_kind(x: float) -> str:
    return _KIND_NAMES[min(bisect.bisect_left(_KIND_CUM, x * _KIND_CUM[-1]), len(_KIND_NAMES) - 1)]


def generate_updates(
    *,
    seed: int = DEFAULT_SEED,
    start: str | date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    chats: int = DEFAULT_CHATS,
    users: int = DEFAULT_USERS,
    target_updates: int = DEFAULT_TARGET_UPDATES,
) -> Iterator[tuple[datetime, JsonObj]]:
    """Yield (arrival time UTC, Update dict) in webhook delivery order.

    `chats` group chats (the first a forum supergroup with topics, the second the discussion
    group of one channel), one channel, `users` people plus a few bots, over `days` days
    from `start` (arrival window [start, start + days)). About `target_updates` updates.
    Same arguments -> same updates, byte for byte once serialised.
    """
    start_date = date.fromisoformat(start) if isinstance(start, str) else start
    if days < 1 or users < 2 or target_updates < 1:
        raise ValueError("days >= 1, users >= 2 and target_updates >= 1 are required")
    world = _World(
        seed=seed, start=start_date, days=days, chats=chats, users=users, target=target_updates
    )
    for arrival, update in world.run():
        yield datetime.fromtimestamp(arrival, UTC), update


def dumps(update: JsonObj) -> str:
    """The compact serialisation used for every file this module writes."""
    return json.dumps(update, ensure_ascii=False, separators=(",", ":"))


# Malformed inputs for the quarantine path (never in the bundled sample).
MALFORMED_LINES: tuple[str, ...] = (
    '{"update_id": 1, "message": {"message_id": 5, "chat": {"id": -1',  # truncated
    "[1, 2, 3]",  # valid JSON, not an object
    '{"message": {"message_id": 9, "chat": {"id": -100, "type": "group"}, "date": 1}}',  # no id
    '{"update_id": "12", "message": {"message_id": 9}}',  # update_id is a string
    "not json at all \u00e9\u00e8",
    '{"update_id": 77, "message": {"message_id": 3, "date": 1790000000}}',  # no chat
    "{}",
)


def write_jsonl(updates: Iterator[tuple[datetime, JsonObj]], out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for _, update in updates:
            fh.write(dumps(update))
            fh.write("\n")
            count += 1
    return count


def write_raw(
    updates: Iterator[tuple[datetime, JsonObj]],
    out: Path,
    *,
    ndjson_gz: bool = False,
    malformed: int = 0,
    lines_per_part: int = DEFAULT_LINES_PER_PART,
    malformed_every: int = 97,
) -> dict[str, int]:
    """Write the raw-zone layout; returns counts (deliveries, files, malformed)."""
    out.mkdir(parents=True, exist_ok=True)
    made_dirs: set[str] = set()
    stats = {"deliveries": 0, "files": 0, "malformed": 0}
    parts: dict[str, tuple[IO[bytes], int, int]] = {}  # dt -> (file, part number, lines)

    def part_for(dt: str) -> IO[bytes]:
        current = parts.get(dt)
        if current is not None and (lines_per_part <= 0 or current[2] < lines_per_part):
            parts[dt] = (current[0], current[1], current[2] + 1)
            return current[0]
        number = 0
        if current is not None:
            current[0].close()
            number = current[1] + 1
        path = out / f"dt={dt}" / f"part-{number:04d}.jsonl.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        # Closed below, after the last line of its day: a `with` cannot span the loop.
        handle = cast(IO[bytes], gzip.open(path, "wb", compresslevel=6))  # noqa: SIM115
        stats["files"] += 1
        parts[dt] = (handle, number, 1)
        return handle

    # Spread the malformed lines deterministically over the run (one every `every` updates).
    every = max(1, malformed_every)
    bad = iter(itertools.cycle(MALFORMED_LINES))
    written_bad = 0
    keys: set[str] = set()
    for i, (arrival, update) in enumerate(updates):
        dt = arrival.strftime("%Y-%m-%d")
        data = dumps(update).encode("utf-8")
        if ndjson_gz:
            part_for(dt).write(data + b"\n")
        else:
            folder = out / f"dt={dt}"
            if dt not in made_dirs:
                folder.mkdir(parents=True, exist_ok=True)
                made_dirs.add(dt)
            key = f"{dt}/{update['update_id']}"
            if key not in keys:  # a same-day re-delivery overwrites the same object
                keys.add(key)
                stats["files"] += 1
            (folder / f"{update['update_id']}.json").write_bytes(data)
        stats["deliveries"] += 1
        if malformed and written_bad < malformed and i % every == every - 1:
            line = next(bad).encode("utf-8")
            if ndjson_gz:
                part_for(dt).write(line + b"\n")
            else:
                (out / f"dt={dt}" / f"malformed-{written_bad:04d}.json").write_bytes(line)
                stats["files"] += 1
            written_bad += 1
    for handle, _, _ in parts.values():
        handle.close()
    stats["malformed"] = written_bad
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m samples.generate",
        description="Generate realistic, deterministic Telegram webhook updates.",
    )
    parser.add_argument("--out", required=True, help="output file (jsonl) or directory (raw)")
    parser.add_argument("--layout", choices=("jsonl", "raw"), default="jsonl")
    parser.add_argument("--ndjson-gz", action="store_true", help="raw layout as gzip NDJSON parts")
    parser.add_argument("--lines-per-part", type=int, default=DEFAULT_LINES_PER_PART)
    parser.add_argument("--malformed", type=int, default=0, help="raw layout only: bad lines")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--start", default=DEFAULT_START, help="first arrival day (YYYY-MM-DD)")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
    parser.add_argument("--chats", type=int, default=DEFAULT_CHATS, help="group chats")
    parser.add_argument("--users", type=int, default=DEFAULT_USERS)
    parser.add_argument("--updates", type=int, default=DEFAULT_TARGET_UPDATES)
    args = parser.parse_args(argv)
    if args.layout != "raw" and (args.malformed or args.ndjson_gz):
        parser.error("--malformed and --ndjson-gz need --layout raw")
    updates = generate_updates(
        seed=args.seed,
        start=args.start,
        days=args.days,
        chats=args.chats,
        users=args.users,
        target_updates=args.updates,
    )
    out = Path(args.out)
    if args.layout == "jsonl":
        count = write_jsonl(updates, out)
        print(f"wrote {count} updates to {out}", file=sys.stderr)
    else:
        stats = write_raw(
            updates,
            out,
            ndjson_gz=args.ndjson_gz,
            malformed=args.malformed,
            lines_per_part=args.lines_per_part,
            malformed_every=max(1, args.updates // (args.malformed + 1)),
        )
        print(f"wrote raw layout to {out}: {json.dumps(stats)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "MALFORMED_LINES",
    "dumps",
    "generate_updates",
    "main",
    "render_text",
    "write_jsonl",
    "write_raw",
]
