"""Synthetic `update_id`s of imported updates: deterministic, and never Telegram's own.

An imported update is named by its identity: (chat id, message id, kind, extra), where kind
is `message` (the message as exported, extra 0), `edit` (the exported version of an edited
message, extra = its `edit_date`) or `member` (one member change of a service message, extra
= the member's position). Its id is 2^62 + the first 62 bits of a BLAKE2b hash of that
identity: in [2^62, 2^63), far above Telegram's ids (which the job tells apart by range
alone, `lake.tables.is_imported_update_id`), the same for the same identity in every run.
Two different identities share an id with probability about n^2 / 2^63 for n imported
updates in one lake (1e-5 for ten million). Reads and writes nothing.
"""

from __future__ import annotations

from hashlib import blake2b

from lake.tables import IMPORTED_UPDATE_ID_MIN

KIND_MESSAGE = "message"
KIND_EDIT = "edit"
KIND_MEMBER = "member"
#: BLAKE2b personalisation: a hash of the same text for another purpose never matches.
_PERSON = b"tglake-history"


def synthetic_update_id(chat_id: int, message_id: int, kind: str, extra: int = 0) -> int:
    """The update id of one imported update (see the module docstring)."""
    key = b"%d:%d:%s:%d" % (chat_id, message_id, kind.encode("ascii"), extra)
    digest = blake2b(key, digest_size=8, person=_PERSON).digest()
    return IMPORTED_UPDATE_ID_MIN + (int.from_bytes(digest, "big") >> 2)
