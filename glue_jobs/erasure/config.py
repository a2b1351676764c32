"""The erasure job's typed configuration and its input checks (no Spark, no AWS).

Reads and writes nothing. `ErasureConfig.from_options` turns the resolved job arguments
into a checked, frozen object before a Spark session exists; `parse_user_ids` is shared
with `infra.post_deploy forget-user`, so that a bad id is refused before anything starts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from glue_jobs.config import DEFAULT_TARGET_FILE_BYTES, RUN_ID_PATTERN

#: Telegram accounts that are not people: erasing one would delete every automatic forward
#: (Telegram, 777000), every anonymous admin's message (GroupAnonymousBot) or every post as a
#: channel (Channel_Bot) of every chat.
SERVICE_ACCOUNT_IDS: frozenset[int] = frozenset({777000, 1087968824, 136817688})
#: Telegram ids are positive and below 2^52 (the Bot API's own bound for ids).
MAX_PERSON_ID = (1 << 52) - 1
DEFAULT_IO_THREADS = 8
_ID = re.compile(r"\d{1,16}")


class ErasureInputError(ValueError):
    """An argument the erasure cannot run with (message says which and why)."""


def parse_user_ids(values: str | Iterable[Any]) -> tuple[int, ...]:
    """`"1,2"` (or a list of ids) -> the sorted distinct ids; ErasureInputError otherwise."""
    items = values.split(",") if isinstance(values, str) else list(values)
    ids: set[int] = set()
    for item in items:
        text = str(item).strip()
        if isinstance(item, bool) or not _ID.fullmatch(text):
            raise ErasureInputError(f"not a Telegram user id: {str(item)!r}")
        value = int(text)
        if not 0 < value <= MAX_PERSON_ID:
            raise ErasureInputError(f"not a Telegram user id: {value} (ids are positive)")
        if value in SERVICE_ACCOUNT_IDS:
            raise ErasureInputError(f"{value} is a Telegram service account, not a person")
        ids.add(value)
    if not ids:
        raise ErasureInputError("give at least one user id")
    return tuple(sorted(ids))


@dataclass(frozen=True)
class ErasureConfig:
    """Everything one erasure needs.

    The people come as `user_ids`, or as `user_ids_uri`: a JSON document
    `{"user_ids": [...]}` (what `infra.post_deploy forget-user` writes, so that the ids
    never appear in the Glue job run's arguments, which Glue keeps for a year).
    `privacy_key_uri`: `file://...` or a plain path to a key file, or
    `secretsmanager:NAME_OR_ARN`. `erasure_id` names the audit record (default: start time
    + random suffix).
    """

    raw_uri: str
    curated_uri: str
    quarantine_uri: str
    privacy_key_uri: str
    user_ids: tuple[int, ...] = ()
    user_ids_uri: str | None = None
    erasure_id: str | None = None
    io_threads: int = DEFAULT_IO_THREADS
    target_file_bytes: int = DEFAULT_TARGET_FILE_BYTES

    def __post_init__(self) -> None:
        if bool(self.user_ids) == bool(self.user_ids_uri):
            raise ErasureInputError("give exactly one of --user_ids and --user_ids_uri")
        if self.user_ids:
            object.__setattr__(self, "user_ids", parse_user_ids(self.user_ids))
        if self.erasure_id is not None and not RUN_ID_PATTERN.match(self.erasure_id):
            raise ErasureInputError(f"erasure_id must match {RUN_ID_PATTERN.pattern}")
        for name in ("io_threads", "target_file_bytes"):
            if getattr(self, name) < 1:
                raise ErasureInputError(f"{name} must be a positive integer")

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> ErasureConfig:
        """From resolved job arguments (strings); absent or empty optional ones take defaults."""
        values: dict[str, Any] = {name: str(options[name]) for name in REQUIRED_OPTIONS}
        if options.get("user_ids"):
            values["user_ids"] = parse_user_ids(str(options["user_ids"]))
        if options.get("user_ids_uri"):
            values["user_ids_uri"] = str(options["user_ids_uri"])
        if options.get("erasure_id"):
            values["erasure_id"] = str(options["erasure_id"])
        for name in ("io_threads", "target_file_bytes"):
            if options.get(name):
                try:
                    values[name] = int(options[name])
                except ValueError:
                    raise ErasureInputError(f"{name} must be an integer") from None
        return cls(**values)


REQUIRED_OPTIONS: tuple[str, ...] = tuple(
    field.name
    for field in dataclasses.fields(ErasureConfig)
    if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
)
OPTIONAL_OPTIONS: tuple[str, ...] = tuple(
    field.name for field in dataclasses.fields(ErasureConfig) if field.name not in REQUIRED_OPTIONS
)
