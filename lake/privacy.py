"""Privacy contracts: people's keyed pseudonyms, the register of forgotten people, modes.

Shared by the Glue job (which computes the same pseudonym natively in Spark, see
`glue_jobs.privacy`), the erasure job, the access export and the tests. Reads and writes
nothing: paths come from `lake.zones`.

A person's pseudonym is a keyed hash of their Telegram id: the first PSEUDONYM_HEX_DIGITS
hex digits of SHA-256(key ":" id), as a positive integer that fits a bigint. It is stable
for a given key (so curated rows of every run agree), cannot be reversed without the key,
and is what the register of forgotten people holds (never a plain id).
"""

from __future__ import annotations

import hashlib

#: `--privacy_mode`: `plain` stores people's ids and names; `pseudonymous` stores keyed
#: pseudonyms instead of ids and no names or usernames.
PRIVACY_PLAIN = "plain"
PRIVACY_PSEUDONYMOUS = "pseudonymous"
PRIVACY_MODES: tuple[str, ...] = (PRIVACY_PLAIN, PRIVACY_PSEUDONYMOUS)
#: `--text_policy`: `keep` stores message text; `drop` stores none (lengths and word counts
#: stay).
TEXT_KEEP = "keep"
TEXT_DROP = "drop"
TEXT_POLICIES: tuple[str, ...] = (TEXT_KEEP, TEXT_DROP)

PSEUDONYM_HEX_DIGITS = 15
#: A key is at least this many characters (32 hex digits = 128 bits of randomness).
MIN_KEY_LENGTH = 32

#: Every column of a curated table that holds a person's Telegram id (a private chat's id
#: is its person's id: `chat_id` columns are pseudonymised when positive).
PERSON_ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "messages": ("user_id", "reply_to_user_id", "forward_from_user_id"),
    "member_events": ("user_id", "actor_user_id"),
    "chat_migrations": (),
    "reactions": ("actor_user_id",),
    "join_requests": ("user_id",),
}
#: Columns that hold people's names: not stored in pseudonymous mode.
PERSON_NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "messages": ("user_first_name", "user_last_name", "user_username"),
    "member_events": ("user_first_name", "user_username"),
    "chat_migrations": (),
    "reactions": (),
    "join_requests": (),
}
#: Chat id columns: a positive chat id is a private chat, whose id is a person's.
CHAT_ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "messages": ("chat_id",),
    "member_events": ("chat_id",),
    "chat_migrations": (),
    "reactions": ("chat_id",),
    "join_requests": ("chat_id",),
}
#: Columns that hold what people wrote: not stored with `--text_policy drop`.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {"messages": ("text",)}


class PrivacyKeyError(ValueError):
    """A privacy key that is missing, too short, or not text."""


def validate_key(key: str) -> str:
    key = key.strip()
    if len(key) < MIN_KEY_LENGTH:
        raise PrivacyKeyError(
            f"the privacy key must be at least {MIN_KEY_LENGTH} characters "
            "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
        )
    return key


def pseudonym(key: str, person_id: int) -> int:
    """A person's keyed pseudonym (a positive bigint), stable for a given key."""
    digest = hashlib.sha256(f"{key}:{person_id}".encode()).hexdigest()
    return int(digest[:PSEUDONYM_HEX_DIGITS], 16)


def request_hash(key: str, person_ids: list[int]) -> str:
    """What an audit record keeps of an erasure request: a keyed hash, never the ids."""
    text = ",".join(str(person_id) for person_id in sorted(set(person_ids)))
    return hashlib.sha256(f"{key}:request:{text}".encode()).hexdigest()
