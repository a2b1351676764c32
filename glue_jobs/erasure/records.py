"""The erasure's own documents: the register of forgotten people, the audit record, the request.

Reads and writes, through `glue_jobs.fs.HadoopFs` (any scheme):
  `{curated_uri}/_privacy/forgotten.json`          the register (pseudonyms, keyed hashes)
  `{curated_uri}/_privacy/audit/{erasure_id}.json` one erasure: when, how much, request hash
  `{curated_uri}/_privacy/requests/{name}.json`    a request's ids (read, then deleted)
None of them holds a plain id, a name or a username, except the request, which exists only
until its erasure is complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from glue_jobs.erasure.config import ErasureInputError, parse_user_ids
from glue_jobs.fs import HadoopFs
from glue_jobs.staging import utc_timestamp
from lake.privacy import ForgottenRegister, RegisterError
from lake.uri import join_uri
from lake.zones import audit_uri, erasure_requests_uri, forgotten_register_uri

STARTED = "started"
COMPLETED = "completed"


def load_register(fs: HadoopFs, curated_uri: str, key: str) -> ForgottenRegister:
    """The register (empty before the first erasure); RegisterError if it cannot be trusted."""
    uri = forgotten_register_uri(curated_uri)
    if not fs.exists(uri):
        return ForgottenRegister.empty(key)
    try:
        document = fs.read_json(uri)
    except (OSError, ValueError) as error:
        raise RegisterError(f"the register {uri} cannot be read: {error}") from None
    return ForgottenRegister.from_document(document, key)


def save_register(fs: HadoopFs, curated_uri: str, register: ForgottenRegister) -> None:
    fs.write_json(forgotten_register_uri(curated_uri), register.to_document())


def read_request(fs: HadoopFs, uri: str) -> tuple[int, ...]:
    """The ids of a request document `{"user_ids": [...]}`; ErasureInputError if unusable."""
    try:
        document = fs.read_json(uri)
    except (OSError, ValueError) as error:
        raise ErasureInputError(f"cannot read the erasure request {uri}: {error}") from None
    ids = document.get("user_ids")
    if not isinstance(ids, list):
        raise ErasureInputError(f"the erasure request {uri} has no user_ids list")
    return parse_user_ids(ids)


def is_managed_request(curated_uri: str, uri: str) -> bool:
    """A request written by `infra.post_deploy forget-user` (deleted once it is done)."""
    return uri.startswith(join_uri(erasure_requests_uri(curated_uri), ""))


class Audit:
    """The audit record of one erasure, written when it starts and again when it ends.

    A record left `started` means the erasure did not finish: run it again with the same
    ids (it resumes; see docs/privacy-erasure.md).
    """

    def __init__(
        self, fs: HadoopFs, curated_uri: str, erasure_id: str, started_at: datetime, request: str
    ) -> None:
        self.fs = fs
        self.uri = audit_uri(curated_uri, erasure_id)
        self.document: dict[str, Any] = {
            "erasure_id": erasure_id,
            "status": STARTED,
            "started_at": utc_timestamp(started_at),
            "finished_at": None,
            "request_hash": request,
        }

    def write(self, **sections: Any) -> dict[str, Any]:
        self.document.update(sections)
        self.fs.write_json(self.uri, self.document)
        return self.document

    def complete(self, **sections: Any) -> dict[str, Any]:
        return self.write(
            status=COMPLETED, finished_at=utc_timestamp(datetime.now(UTC)), **sections
        )


def counts_section(counts: Mapping[str, int], names: tuple[str, ...]) -> dict[str, int]:
    """The named counts, zero when absent (an audit record always shows every count)."""
    return {name: int(counts.get(name, 0)) for name in names}
