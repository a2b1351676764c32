"""The people being forgotten, and how their traces are recognised and masked in text.

Reads and writes nothing, imports no Spark. `People` holds their Telegram ids, the keyed
pseudonyms the curated zone uses in pseudonymous mode, and what identifies them in text:
their usernames and display names (found in the lake by `glue_jobs.erasure.search`).

The same regular expressions run in Python (the driver rewrites raw objects and quarantine
files) and in Spark's Java engine (`rlike`, `regexp_replace` over raw text and curated
columns): they use only syntax both understand (scoped `(?i:...)`, lookarounds).

In text that is not theirs (other people's messages), their id and their usernames are
masked with `*`, one per character: `@ana_pereira` becomes `@***********`, so that text
lengths, word counts and the UTF-16 offsets of Telegram's entities stay valid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lake.privacy import pseudonym

MASK_CHARACTER = "*"
#: What replaces a forgotten person's name where Telegram requires a name (a hidden
#: forward origin's `sender_user_name`, a signature): what Telegram apps show for a
#: deleted account.
ERASED_NAME = "Deleted Account"
#: Telegram usernames: 5-32 of a-z, 0-9, `_` (a few old ones are shorter). Anything else
#: found in a username field is not used as a search token.
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_]{3,64}")
#: Message fields that hold a person's name and nothing else (no id next to it).
NAME_FIELDS: tuple[str, ...] = (
    "author_signature",
    "sender_user_name",
    "forward_sender_name",
    "forward_signature",
)
_WORD = "A-Za-z0-9_"


def id_regex(ids: Iterable[int]) -> str:
    """Any of the ids as a whole number (not part of a longer number)."""
    alternatives = "|".join(str(value) for value in sorted(set(ids)))
    return rf"(?<![0-9])(?:{alternatives})(?![0-9])"


def mention_regex(usernames: Iterable[str]) -> str:
    """A mention of any of the usernames, any case: `@name` or a `t.me/name` link (JSON may
    spell the slash `\\/`). Group 1 is what precedes the username, group 2 the username.

    A bare word is not a mention: usernames change hands, and a `"username"` field of
    another person's `User` holding the same text is that person's.
    """
    alternatives = "|".join(sorted(set(usernames)))
    return rf"(?i:(@|t\.me\\?/|telegram\.me\\?/)({alternatives})(?![{_WORD}]))"


def name_field_regex(names: Iterable[str]) -> str:
    """A name field (`"author_signature":"<name>"`, ...) holding one of the names, spelled
    as JSON spells it (raw UTF-8 or `\\u` escapes)."""
    spellings = sorted(
        {
            re.escape(json.dumps(name, ensure_ascii=ascii_only)[1:-1])
            for name in names
            for ascii_only in (True, False)
        }
    )
    fields = "|".join(NAME_FIELDS)
    return rf'"(?:{fields})"\s*:\s*"(?:{"|".join(spellings)})"'


def display_names(first_name: str | None, last_name: str | None) -> set[str]:
    """How Telegram shows a person in signatures and hidden forwards: "First Last"."""
    first = (first_name or "").strip()
    last = (last_name or "").strip()
    full = f"{first} {last}".strip()
    return {full} if full else set()


@dataclass(frozen=True)
class People:
    """Who is being forgotten and what identifies them.

    `ids` are their Telegram ids (raw and plain-mode curated data hold these);
    `pseudonyms` their keyed pseudonyms (pseudonymous-mode curated data holds these);
    `usernames` (lower case) and `names` (display names) come from the lake itself.
    """

    ids: frozenset[int]
    pseudonyms: frozenset[int] = frozenset()
    usernames: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    _patterns: dict[str, re.Pattern[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not self.ids:
            raise ValueError("People needs at least one id (an empty pattern matches everything)")

    @classmethod
    def of(cls, ids: Iterable[int], key: str) -> People:
        """The people with these ids, their pseudonyms under `key`; nothing else known yet."""
        id_set = frozenset(ids)
        return cls(ids=id_set, pseudonyms=frozenset(pseudonym(key, value) for value in id_set))

    def knowing(self, usernames: Iterable[str], names: Iterable[str]) -> People:
        """The same people, with more usernames and display names known."""
        valid = {name.lower() for name in usernames if USERNAME_PATTERN.fullmatch(name)}
        return People(
            ids=self.ids,
            pseudonyms=self.pseudonyms,
            usernames=self.usernames | valid,
            names=self.names | {name for name in names if name.strip()},
        )

    @property
    def curated_ids(self) -> frozenset[int]:
        """Every value a curated id column holds for them, in either privacy mode."""
        return self.ids | self.pseudonyms

    # --- regular expressions (Python and Java) ---------------------------------------------

    def token_regex(self) -> str:
        """Their ids or mentions of their usernames in a text: what a rewrite must remove or
        mask."""
        parts = [id_regex(self.ids)]
        if self.usernames:
            parts.append(mention_regex(self.usernames))
        return "|".join(parts)

    def search_regex(self) -> str:
        """`token_regex`, plus name fields holding their display names: what makes a raw
        object a candidate for a rewrite (a superset of what the rewrite changes)."""
        if not self.names:
            return self.token_regex()
        return f"{self.token_regex()}|{name_field_regex(self.names)}"

    def mask_rules(self) -> list[tuple[str, str]]:
        """(Java regular expression, replacement) pairs that mask each token, length kept."""
        rules = [
            (id_regex([value]), MASK_CHARACTER * len(str(value))) for value in sorted(self.ids)
        ]
        rules += [
            (mention_regex([name]), "$1" + MASK_CHARACTER * len(name))
            for name in sorted(self.usernames)
        ]
        return rules

    # --- Python side ------------------------------------------------------------------------

    def _pattern(self, name: str, regex: str) -> re.Pattern[str]:
        if name not in self._patterns:
            self._patterns[name] = re.compile(regex)
        return self._patterns[name]

    def mentioned_in(self, text: str) -> bool:
        """Their id or a username of theirs appears in the text."""
        return self._pattern("tokens", self.token_regex()).search(text) is not None

    def mask(self, text: str) -> str:
        """The text with their ids and mentions of their usernames masked (same length)."""
        text = self._pattern("ids", id_regex(self.ids)).sub(
            lambda match: MASK_CHARACTER * len(match.group(0)), text
        )
        if not self.usernames:
            return text
        return self._pattern("mentions", mention_regex(self.usernames)).sub(
            lambda match: match.group(1) + MASK_CHARACTER * len(match.group(2)), text
        )

    def is_their_name(self, value: str) -> bool:
        return value.strip() in self.names
