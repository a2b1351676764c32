"""The register of forgotten people (`lake.privacy.ForgottenRegister`): keyed hashes only,
idempotent additions, refused under another key."""

from __future__ import annotations

import hashlib
import json

import pytest

from lake.privacy import ForgottenRegister, RegisterError, pseudonym, username_hash

KEY = "0123456789abcdef0123456789abcdef"
OTHER_KEY = "fedcba9876543210fedcba9876543210"


def test_the_register_holds_pseudonyms_and_username_hashes_only() -> None:
    mia = pseudonym(KEY, 5550001111)
    register = ForgottenRegister.empty(KEY).with_people({mia: [username_hash(KEY, "@Mia_K")]})
    document = register.to_document()
    assert document == {
        "format": 1,
        "key_fingerprint": hashlib.sha256(f"{KEY}:fingerprint".encode()).hexdigest()[:16],
        "people": [
            {
                "pseudonym": mia,
                "username_hashes": [hashlib.sha256(f"{KEY}:username:mia_k".encode()).hexdigest()],
            }
        ],
    }
    text = json.dumps(document)
    assert "5550001111" not in text
    assert "mia_k" not in text.lower()


def test_additions_are_idempotent_and_merge_hashes() -> None:
    register = ForgottenRegister.empty(KEY).with_people({7: ["b"], 9: []})
    again = register.with_people({7: ["a", "b"], 9: []})
    assert again.people == {7: ("a", "b"), 9: ()}
    assert again.with_people({7: ["a"]}) == again
    assert ForgottenRegister.from_document(again.to_document(), KEY) == again


def test_a_register_written_with_another_key_is_refused() -> None:
    document = ForgottenRegister.empty(OTHER_KEY).with_people({7: []}).to_document()
    with pytest.raises(RegisterError, match="another privacy key"):
        ForgottenRegister.from_document(document, KEY)


@pytest.mark.parametrize(
    "people",
    [
        [{"pseudonym": "7", "username_hashes": []}],
        [{"pseudonym": True, "username_hashes": []}],
        [{"pseudonym": 7, "username_hashes": "abc"}],
        ["7"],
    ],
)
def test_a_malformed_register_is_refused(people: list[object]) -> None:
    document = {**ForgottenRegister.empty(KEY).to_document(), "people": people}
    with pytest.raises(RegisterError, match="malformed"):
        ForgottenRegister.from_document(document, KEY)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(RegisterError, match="format"):
        ForgottenRegister.from_document({"format": 2}, KEY)
