"""Privacy contracts: people's keyed pseudonyms, the register of forgotten people, modes.

Shared by the Glue job (which computes the same pseudonym natively in Spark, see
`glue_jobs.privacy`), the erasure job, the access export and the tests. Reads and writes
nothing: paths come from `lake.zones`.

A person's pseudonym is a keyed hash of their Telegram id: the first PSEUDONYM_HEX_DIGITS
hex digits of SHA-256(key ":" id), as a positive integer that fits a bigint. It is stable
for a given key (so curated rows of every run agree), cannot be reversed without the key,
and is what the register of forgotten people holds (never a plain id).

`ForgottenRegister` is the register's document (written by the erasure job,
`glue_jobs/forget_users.py`; read by the Glue job to drop later updates of forgotten people).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

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


# --- the register of forgotten people -----------------------------------------------------

#: Version of the register document (`lake.zones.forgotten_register_uri`).
REGISTER_FORMAT = 1


class RegisterError(ValueError):
    """A register document that is malformed, or was written with another privacy key."""


def key_fingerprint(key: str) -> str:
    """Names a key without revealing it: a register written with another key is refused
    (its pseudonyms would match nobody, and forgotten people would come back silently)."""
    return hashlib.sha256(f"{key}:fingerprint".encode()).hexdigest()[:16]


def username_hash(key: str, username: str) -> str:
    """A keyed hash of a username (case-insensitive, without `@`): what lets a rerun of an
    erasure recognise mentions of a person whose own updates are already gone."""
    name = username.strip().lstrip("@").lower()
    return hashlib.sha256(f"{key}:username:{name}".encode()).hexdigest()


@dataclass(frozen=True)
class ForgottenRegister:
    """The pseudonyms of forgotten people, each with the keyed hashes of their usernames.

    The Glue job drops every later update of a registered person (counted as `forgotten`);
    the erasure job appends to it. It never holds a plain id or a plain username. Document:

        {"format": 1, "key_fingerprint": "<16 hex>",
         "people": [{"pseudonym": 123, "username_hashes": ["<64 hex>", ...]}, ...]}
    """

    key_fingerprint: str
    people: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    @property
    def pseudonyms(self) -> frozenset[int]:
        return frozenset(self.people)

    @classmethod
    def empty(cls, key: str) -> ForgottenRegister:
        return cls(key_fingerprint(key))

    @classmethod
    def from_document(cls, document: Mapping[str, Any], key: str) -> ForgottenRegister:
        """Parse and check a register document; RegisterError when it cannot be trusted."""
        if document.get("format") != REGISTER_FORMAT:
            raise RegisterError(f"unknown register format {document.get('format')!r}")
        if document.get("key_fingerprint") != key_fingerprint(key):
            raise RegisterError(
                "the register of forgotten people was written with another privacy key: "
                "use that key (its pseudonyms match nobody under this one)"
            )
        people: dict[int, tuple[str, ...]] = {}
        for entry in document.get("people", []):
            pseudonym = entry.get("pseudonym") if isinstance(entry, Mapping) else None
            hashes = entry.get("username_hashes", []) if isinstance(entry, Mapping) else None
            if (
                not isinstance(pseudonym, int)
                or isinstance(pseudonym, bool)
                or not isinstance(hashes, list)
                or not all(isinstance(value, str) for value in hashes)
            ):
                raise RegisterError(f"malformed register entry: {entry!r}")
            people[pseudonym] = tuple(sorted(set(hashes)))
        return cls(str(document["key_fingerprint"]), people)

    def with_people(self, additions: Mapping[int, Iterable[str]]) -> ForgottenRegister:
        """The register with these pseudonyms (and username hashes) added; idempotent."""
        people = dict(self.people)
        for pseudonym, hashes in additions.items():
            people[pseudonym] = tuple(sorted({*people.get(pseudonym, ()), *hashes}))
        return ForgottenRegister(self.key_fingerprint, people)

    def to_document(self) -> dict[str, Any]:
        return {
            "format": REGISTER_FORMAT,
            "key_fingerprint": self.key_fingerprint,
            "people": [
                {"pseudonym": pseudonym, "username_hashes": list(self.people[pseudonym])}
                for pseudonym in sorted(self.people)
            ],
        }
