"""The raw erasure rules on hand-built updates: what is deleted, what is scrubbed and how,
and that everything else stays exactly as it was (pure Python, no Spark)."""

from __future__ import annotations

import copy
import gzip
import json
from typing import Any

import pytest
import telegram
from erasure_builders import (
    BOT,
    DATE,
    GROUP,
    KEY,
    LEO,
    MIA,
    MIA_CHAT,
    MIA_K_NOW,
    OTHER_MIA,
    ZOE,
    Update,
    chat_member,
    dumps,
    embedded,
    invite_link,
    join_request,
    message,
    reaction,
)

from glue_jobs.erasure.people import People
from glue_jobs.erasure.scrub import (
    DELETED,
    SCRUBBED,
    UNCHANGED,
    UpdateScrubber,
    scrub_batch,
    scrub_object,
    scrub_quarantine_file,
)

MIA_ID = MIA["id"]


@pytest.fixture(scope="module")
def scrubber() -> UpdateScrubber:
    people = People.of([MIA_ID], KEY).knowing(["mia_k"], ["Mia Kowalski"])
    return UpdateScrubber(people)


def scrubbed(scrubber: UpdateScrubber, update: Update) -> Update:
    result = scrubber.scrub(copy.deepcopy(update))
    assert result.status == SCRUBBED, result
    assert result.update is not None
    return result.update


# --- the hand-built updates are real Bot API shapes ------------------------------------------

ALL_SHAPES: list[Update] = [
    message(1, 10, MIA),
    message(2, 11, ZOE, reply_to_message=embedded(10, MIA, "my secret plan")),
    chat_member(3, LEO, MIA, invite_link=invite_link(MIA)),
    reaction(4, MIA, 11),
    join_request(5, MIA),
    message(6, 12, BOT, chat=MIA_CHAT),
]


@pytest.mark.parametrize("update", ALL_SHAPES, ids=lambda update: str(update["update_id"]))
def test_the_hand_built_updates_are_bot_api_updates(update: Update) -> None:
    parsed = telegram.Update.de_json(copy.deepcopy(update), None)
    assert parsed is not None
    assert parsed.update_id == update["update_id"]


# --- deleted: their own updates ---------------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        message(1, 10, MIA),
        message(2, 10, MIA, kind="edited_message", edit_date=DATE + 99, text="edited"),
        reaction(3, MIA, 11),
        join_request(4, MIA),
        chat_member(5, MIA, ZOE),  # a change about her, made by somebody else
        chat_member(6, MIA, MIA, old="member", new="left"),
        message(7, 12, BOT, chat=MIA_CHAT),  # the bot's answer in her private chat
        message(8, 13, ZOE, new_chat_members=[MIA]),  # Zoe added her, and only her
        message(9, 14, MIA, left_chat_member=MIA),
        {"update_id": 10, "callback_query": {"id": "1", "from": MIA, "chat_instance": "5"}},
        {
            "update_id": 11,
            "poll_answer": {"poll_id": "7", "user": MIA, "option_ids": [0]},
        },
    ],
    ids=lambda update: next(key for key in update if key != "update_id"),
)
def test_their_own_updates_are_deleted(scrubber: UpdateScrubber, update: Update) -> None:
    result = scrubber.scrub(update)
    assert (result.status, result.update, result.fallback) == (DELETED, None, False)


# --- scrubbed: copies of them in other people's updates ---------------------------------------


def test_a_reply_keeps_the_reply_and_a_stub_of_their_message(scrubber: UpdateScrubber) -> None:
    update = message(
        20,
        30,
        ZOE,
        text="agreed!",
        reply_to_message=embedded(29, MIA, "my secret plan"),
        quote={"text": "secret plan", "position": 3},
    )
    assert scrubbed(scrubber, update) == {
        "update_id": 20,
        "message": {
            "message_id": 30,
            "from": ZOE,
            "chat": GROUP,
            "date": DATE + 30,
            "text": "agreed!",
            # Telegram's own shape of a message the bot cannot access (InaccessibleMessage).
            "reply_to_message": {"message_id": 29, "date": 0, "chat": GROUP},
        },
    }


def test_a_pin_of_their_message_keeps_a_stub(scrubber: UpdateScrubber) -> None:
    update = message(21, 31, ZOE, pinned_message=embedded(29, MIA, "pin me"))
    assert scrubbed(scrubber, update)["message"]["pinned_message"] == {
        "message_id": 29,
        "date": 0,
        "chat": GROUP,
    }


def test_a_forward_of_their_message_keeps_the_forward_without_their_words(
    scrubber: UpdateScrubber,
) -> None:
    update = message(
        22,
        32,
        ZOE,
        forward_origin={"type": "user", "sender_user": MIA, "date": DATE - 50},
        text="my secret plan https://example.org",
        entities=[{"type": "url", "offset": 15, "length": 19}],
        link_preview_options={"url": "https://example.org"},
    )
    assert scrubbed(scrubber, update)["message"] == {
        "message_id": 32,
        "from": ZOE,
        "chat": GROUP,
        "date": DATE + 32,
        "forward_origin": {
            "type": "hidden_user",
            "sender_user_name": "Deleted Account",
            "date": DATE - 50,
        },
        "text": "",
    }


def test_a_forwarded_photo_loses_its_caption_and_keeps_the_photo(
    scrubber: UpdateScrubber,
) -> None:
    photo = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 90}]
    update = message(
        23,
        33,
        ZOE,
        forward_from=MIA,  # the legacy forward fields
        forward_date=DATE - 60,
        photo=photo,
        caption="me at the lake",
    )
    assert scrubbed(scrubber, update)["message"] == {
        "message_id": 33,
        "from": ZOE,
        "chat": GROUP,
        "date": DATE + 33,
        "forward_date": DATE - 60,
        "photo": photo,
        "forward_sender_name": "Deleted Account",
    }


def test_a_member_list_loses_only_them(scrubber: UpdateScrubber) -> None:
    update = message(24, 34, ZOE, new_chat_members=[MIA, LEO])
    assert scrubbed(scrubber, update)["message"]["new_chat_members"] == [LEO]


def test_someone_they_added_still_joined(scrubber: UpdateScrubber) -> None:
    update = message(25, 35, MIA, new_chat_members=[LEO])
    assert scrubbed(scrubber, update)["message"] == {
        "message_id": 35,
        "chat": GROUP,
        "date": DATE + 35,
        "new_chat_members": [LEO],
    }


def test_a_member_change_they_made_loses_the_actor_and_the_link_creator(
    scrubber: UpdateScrubber,
) -> None:
    update = chat_member(26, LEO, MIA, invite_link=invite_link(MIA))
    result = scrubbed(scrubber, update)["chat_member"]
    assert "from" not in result
    assert result["invite_link"] == {
        "invite_link": "https://t.me/+AbCdEfGhIjKlMnOp",
        "creates_join_request": False,
        "is_primary": False,
        "is_revoked": False,
        "name": "Meetup flyer",
    }
    assert result["new_chat_member"] == {"status": "member", "user": LEO}


def test_a_mention_loses_its_link_to_them_and_keeps_the_text(scrubber: UpdateScrubber) -> None:
    update = message(
        27,
        36,
        ZOE,
        text="Happy birthday Mia! and @mia_k, see t.me/Mia_K",
        entities=[
            {"type": "text_mention", "offset": 15, "length": 3, "user": MIA},
            {"type": "mention", "offset": 24, "length": 6},
            {"type": "bold", "offset": 0, "length": 5},
        ],
    )
    result = scrubbed(scrubber, update)["message"]
    # Same length: the entities' UTF-16 offsets still point at the same characters.
    assert result["text"] == "Happy birthday Mia! and @*****, see t.me/*****"
    assert result["entities"] == [
        {"type": "mention", "offset": 24, "length": 6},
        {"type": "bold", "offset": 0, "length": 5},
    ]


def test_their_contact_card_and_shared_user_go(scrubber: UpdateScrubber) -> None:
    card = {"phone_number": "+4855501111", "first_name": "Mia", "last_name": "K", "user_id": MIA_ID}
    assert scrubbed(scrubber, message(28, 37, ZOE, contact=card))["message"]["contact"] == {
        "phone_number": "",
        "first_name": "",
    }
    shared = {
        "request_id": 1,
        "users": [{"user_id": MIA_ID, "first_name": "Mia"}, {"user_id": LEO["id"]}],
    }
    result = scrubbed(scrubber, message(29, 38, ZOE, users_shared=shared))
    assert result["message"]["users_shared"] == {"request_id": 1, "users": [{"user_id": LEO["id"]}]}


def test_an_external_reply_to_them_goes_with_its_quote(scrubber: UpdateScrubber) -> None:
    update = message(
        30,
        39,
        ZOE,
        text="so true",
        external_reply={
            "origin": {"type": "user", "sender_user": MIA, "date": DATE},
            "chat": {"id": -1009, "title": "Elsewhere", "type": "supergroup"},
            "message_id": 5,
        },
        quote={"text": "their words", "position": 0},
    )
    result = scrubbed(scrubber, update)["message"]
    assert "external_reply" not in result
    assert "quote" not in result
    assert result["text"] == "so true"


def test_their_name_as_a_signature_becomes_deleted_account(scrubber: UpdateScrubber) -> None:
    update = message(31, 40, None, author_signature="Mia Kowalski", text="news")
    assert scrubbed(scrubber, update)["message"]["author_signature"] == "Deleted Account"


# --- unchanged: everybody else ----------------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        message(40, 50, ZOE, text="Mia Kowalski said hi"),  # a name in free text
        message(41, 51, MIA_K_NOW, text="my handle is mine now"),  # her old username, reused
        message(42, 52, OTHER_MIA, reply_to_message=embedded(49, LEO, "hi")),
        message(43, 53, LEO, author_signature="Mia", text="a signature of another Mia"),
        {
            "update_id": 44,
            "message_reaction_count": {
                "chat": GROUP,
                "message_id": 10,
                "date": DATE,
                "reactions": [{"type": {"type": "emoji", "emoji": "👍"}, "total_count": 3}],
            },
        },
    ],
    ids=lambda update: str(update["update_id"]),
)
def test_other_peoples_updates_are_unchanged(scrubber: UpdateScrubber, update: Update) -> None:
    result = scrubber.scrub(copy.deepcopy(update))
    assert result.status == UNCHANGED
    assert result.update == update


def test_an_unchanged_object_keeps_its_exact_bytes(scrubber: UpdateScrubber) -> None:
    # Telegram escapes non-ASCII and slashes: bytes a re-serialisation would not give back.
    data = b'{"update_id":45,"message":{"message_id":54,"chat":{"id":-1,"type":"group"},' + (
        b'"date":1,"text":"caf\\u00e9 https:\\/\\/t.me\\/lake"}}'
    )
    result = scrub_object(data, scrubber)
    assert (result.changed, result.data) == (False, data)


def test_a_rewritten_object_keeps_telegrams_escaping(scrubber: UpdateScrubber) -> None:
    update = message(46, 55, ZOE, text="olá @mia_k")
    data = json.dumps(update, separators=(",", ":")).encode("ascii")  # \u escapes
    result = scrub_object(data, scrubber)
    assert result.changed
    assert result.data is not None
    assert result.data.isascii()
    assert json.loads(result.data)["message"]["text"] == "olá @*****"


# --- a trace no rule knows: erasure errs on the side of the person -----------------------------


def test_an_unknown_shape_still_holding_them_is_deleted(scrubber: UpdateScrubber) -> None:
    update = message(47, 56, ZOE, text="scores", **{"future_field": {str(MIA_ID): 3}})
    result = scrubber.scrub(update)
    assert (result.status, result.fallback) == (DELETED, True)


# --- files: NDJSON batches and quarantine -------------------------------------------------------


def test_a_batch_keeps_other_lines_byte_for_byte(scrubber: UpdateScrubber) -> None:
    kept = '{"update_id":50,"message":{"message_id":1,"chat":{"id":-1,"type":"group"},"date":1}}'
    lines = [
        kept,
        dumps(message(51, 60, MIA)),
        dumps(message(52, 61, ZOE, text="hi @mia_k")),
        '{"update_id": 53, "message": {"from": {"id": 5550001111',  # cut short, theirs
        "not json at all",  # cut short, nobody's
        "",
    ]
    data = gzip.compress("\n".join(lines).encode("utf-8"))
    result = scrub_batch(data, scrubber, gzipped=True)
    assert result.changed
    assert result.data is not None
    out = gzip.decompress(result.data).decode("utf-8").split("\n")
    assert out[0] == kept
    assert json.loads(out[1])["message"]["text"] == "hi @*****"
    assert out[2:] == ["not json at all", ""]
    assert dict(result.counts) == {
        "updates_deleted": 1,
        "updates_scrubbed": 1,
        "unreadable_deleted": 1,
    }


def test_a_batch_of_only_theirs_goes(scrubber: UpdateScrubber) -> None:
    data = (dumps(message(60, 70, MIA)) + "\n" + dumps(reaction(61, MIA, 70)) + "\n").encode()
    result = scrub_batch(data, scrubber, gzipped=False)
    assert (result.changed, result.data) == (True, None)


def test_quarantine_records_of_them_go_and_others_stay(scrubber: UpdateScrubber) -> None:
    def record(raw: str) -> str:
        return json.dumps(
            {"source_file": "s3://raw/dt=2026-11-02/1.json", "reason": "x", "raw": raw}
        )

    theirs = record('{"update_id": 70, "message": {"from": {"id": 5550001111}}}')
    mentions = record(dumps(message(71, 80, ZOE, text="ping @mia_k")))
    broken = record('{"update_id": 72, "message": {"text": "@mia_k is')
    other = record('{"update_id": 73}')
    text = "\n".join([theirs, mentions, broken, other]) + "\n"
    new, counts = scrub_quarantine_file(text, scrubber)
    assert new is not None
    lines = new.splitlines()
    assert len(lines) == 2
    assert json.loads(json.loads(lines[0])["raw"])["message"]["text"] == "ping @*****"
    assert lines[1] == other
    assert dict(counts) == {"records_removed": 2, "records_scrubbed": 1}


def _walk(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value, *[item for child in value.values() for item in _walk(child)]]
    if isinstance(value, list):
        return [item for child in value for item in _walk(child)]
    return [value]


def test_no_scrubbed_update_holds_her_id_or_username(scrubber: UpdateScrubber) -> None:
    updates = [
        message(80, 90, ZOE, reply_to_message=embedded(89, MIA, "x"), text="@mia_k"),
        chat_member(81, LEO, MIA, invite_link=invite_link(MIA)),
        message(82, 91, ZOE, new_chat_members=[MIA, LEO]),
    ]
    for update in updates:
        result = scrubbed(scrubber, update)
        text = dumps(result)
        assert str(MIA_ID) not in text
        assert "mia_k" not in text.lower()
        assert '"first_name":"Mia"' not in text
        assert MIA_ID not in _walk(result)
