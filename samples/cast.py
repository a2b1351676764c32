"""Who is in the sample: people, the bots of the simulated world, and the chats they share.

`make_people`, `make_channel` and `make_group` draw everything from the caller's random
generator, so the same seed makes the same cast. A `Chat` also carries the state the
scenarios need as the simulation runs (members, message ids, recent messages, topics).
Reads and writes nothing.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field

from samples.bot_api import JsonObj, topic_root
from samples.rhythm import COMMUNITY_WEEK, FRIENDS_WEEK

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

PT_FIRST = ("Ana", "João", "Mariana", "Lucas", "Beatriz", "Rafael", "Camila", "Pedro", "Juliana",
            "Gabriel", "Larissa", "Thiago", "Fernanda", "Bruno", "Letícia", "Vinícius", "Luana",
            "Diego", "Patrícia", "Caio")  # fmt: skip
PT_LAST = ("Souza", "Pereira", "Costa", "Oliveira", "Lima", "Santos", "Rodrigues", "Almeida",
           "Carvalho", "Ferreira", "Gomes", "Ribeiro", "Martins", "Araújo", "Barbosa")  # fmt: skip
EN_FIRST = ("Emily", "James", "Sophie", "Daniel", "Olivia", "Michael", "Chloe", "Ethan")
EN_LAST = ("Carter", "O'Neill", "Turner", "Kim", "Brown", "Chen", "Davis", "Walsh")
NAME_FLAIR = ("", "", "", "", " 🚴", " ☕", " 🇧🇷", " 🐍")

GROUP_TITLES = (
    ("Dados & Python BR 🐍", True),  # forum supergroup with topics
    ("Trilhas & Café ☕", False),  # discussion group linked to the channel
    ("Família Souza 🏡", False),
    ("Engenharia de Dados - Turma 2026", False),
)
TOPICS = (("Spark & Glue", 7322096), ("Vagas", 16766590), ("Ajuda / Help", 13338331),
          ("Off-topic", 16478047))  # fmt: skip
FORUM_USERNAME = "dadospythonbr"
CHANNEL = ("Dados em 1 Minuto 📊", "dados1min")
CHANNEL_AUTHOR = "Ana Souza"  # signs some posts


@dataclass(eq=False)
class Person:
    obj: JsonObj  # the Bot API User
    lang: str  # pt | en: the language of their texts
    weight: float  # relative activity

    @property
    def id(self) -> int:
        return int(self.obj["id"])


@dataclass
class Topic:
    thread_id: int
    root: JsonObj  # the forum_topic_created service message (reply target of topic messages)


@dataclass(eq=False)
class Chat:
    obj: JsonObj  # the Bot API Chat, as later messages carry it (replaced on a rename)
    kind: str  # forum | discussion | group | supergroup | channel | direct_messages | private
    week: tuple[float, ...]
    next_message_id: int
    members: list[Person] = field(default_factory=list)
    admin: Person | None = None  # moderates: pins, opens topics, adds people, makes links
    owner: Person | None = None  # the creator (ChatMemberOwner)
    links: dict[str, JsonObj] = field(default_factory=dict)  # invite links by purpose
    topics: list[Topic] = field(default_factory=list)
    recent: dict[int, deque[JsonObj]] = field(default_factory=dict)  # thread -> messages
    cum_weights: list[float] = field(default_factory=list)
    chat_instance: str = ""
    pt_share: float = 0.85

    @property
    def id(self) -> int:
        return int(self.obj["id"])

    @property
    def is_supergroup(self) -> bool:
        return self.obj["type"] == "supergroup"

    def take_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id

    def refresh_weights(self) -> None:
        self.cum_weights = list(itertools.accumulate(u.weight for u in self.members))

    def add_member(self, person: Person) -> None:
        """A new member (the weights grow by one: no recount, joins are frequent at scale)."""
        self.members.append(person)
        self.cum_weights.append((self.cum_weights[-1] if self.cum_weights else 0.0) + person.weight)

    def pick_member(self, rng: random.Random, exclude: int | None = None) -> Person:
        """A member by activity weight, other than `exclude` (a user id) if possible."""
        for _ in range(8):
            x = rng.random() * self.cum_weights[-1]
            user = self.members[min(bisect.bisect_left(self.cum_weights, x), len(self.members) - 1)]
            if user.id != exclude:
                return user
        return self.members[0]

    def remember(self, thread: Topic | None, msg: JsonObj) -> None:
        """Keep msg as a candidate for replies and pins (the last 40 of each thread)."""
        key = thread.thread_id if thread else 0
        recent = self.recent.get(key)
        if recent is None:
            recent = self.recent[key] = deque(maxlen=40)
        recent.append(msg)


def ascii_handle(name: str) -> str:
    """Telegram usernames allow only a-z, 0-9 and underscores."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9_]", "", plain)


def make_person(
    rng: random.Random, index: int, count: int, seen_ids: set[int], weight: float
) -> Person:
    """Person number `index` of `count` (names cycle through the lists first), a new id."""
    english = rng.random() < 0.25
    firsts, lasts = (EN_FIRST, EN_LAST) if english else (PT_FIRST, PT_LAST)
    first = firsts[index % len(firsts)] if index < len(firsts) * 2 else rng.choice(firsts)
    last = rng.choice(lasts)
    uid = rng.randrange(100_000_000, 7_900_000_000)
    while uid in seen_ids:
        uid = rng.randrange(100_000_000, 7_900_000_000)
    seen_ids.add(uid)
    obj: JsonObj = {
        "id": uid,
        "is_bot": False,
        "first_name": first + rng.choice(NAME_FLAIR),
    }
    if rng.random() < 0.75:
        obj["last_name"] = last
    if rng.random() < 0.8:
        base = ascii_handle(first + "_" + last)
        obj["username"] = f"{base}{index}" if count > 40 else base
    if rng.random() < 0.85:
        obj["language_code"] = "en" if english else rng.choice(("pt-br", "pt-br", "pt"))
    if rng.random() < 0.2:
        obj["is_premium"] = True
    return Person(obj, "en" if english else "pt", weight)


def make_people(rng: random.Random, count: int, seen_ids: set[int]) -> list[Person]:
    """`count` people, about a quarter English speakers, with Zipf-like activity."""
    # Zipf-like activity: a few people write most messages.
    users = [make_person(rng, i, count, seen_ids, 1.0 / (1 + i) ** 0.9) for i in range(count)]
    rng.shuffle(users)  # so that activity does not follow list order / nationality
    return users


def make_channel(rng: random.Random) -> Chat:
    """The public channel (its posts are forwarded into the discussion group)."""
    title, username = CHANNEL
    obj = {
        "id": -1_000_000_000_000 - rng.randrange(1_500_000_000, 2_400_000_000),
        "title": title,
        "username": username,
        "type": "channel",
    }
    return Chat(obj, "channel", COMMUNITY_WEEK, rng.randrange(200, 900))


def make_group(rng: random.Random, index: int, people: list[Person], start_ts: float) -> Chat:
    """Group number `index`: 0 a forum supergroup with topics, 1 the channel's discussion
    group, then alternating basic groups and supergroups. Members are drawn from people."""
    title, forum = GROUP_TITLES[index % len(GROUP_TITLES)]
    if index >= len(GROUP_TITLES):
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
        if index == 0:
            obj["username"] = FORUM_USERNAME  # a public community: anyone may join
        if forum:
            obj["is_forum"] = True
        obj["type"] = "supergroup"
        kind = "forum" if forum else ("discussion" if index == 1 else "group")
    week = COMMUNITY_WEEK if index % 2 == 0 else FRIENDS_WEEK
    chat = Chat(obj, kind, week, rng.randrange(3_000, 60_000))
    chat.chat_instance = str(rng.randrange(-(2**63), 2**63))
    chat.pt_share = 0.8 if index % 2 == 0 else 0.7
    pool = list(people)
    rng.shuffle(pool)
    share = 0.75 if len(pool) <= 40 else 0.5
    chat.members = sorted(pool[: max(2, int(len(pool) * share))], key=lambda u: -u.weight)
    chat.admin = chat.members[0]
    # The forum was founded by someone less active than its admin (the founder leaves later).
    chat.owner = chat.members[2] if forum and len(chat.members) > 3 else chat.admin
    chat.refresh_weights()
    if forum:
        for name, color in TOPICS:
            tid = rng.randrange(2, chat.next_message_id // 2)
            # Topics of the forum were created long before the sample's window.
            created = start_ts - rng.randrange(30 * 86400, 400 * 86400)
            root = topic_root(tid, chat.admin.obj, chat.obj, created, name=name, color=color)
            chat.topics.append(Topic(tid, root))
    return chat
