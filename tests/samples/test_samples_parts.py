"""Tests of the generator's parts: the webhook clock, the Bot API builders, the content mix.

Expected values are written by hand from the Bot API documentation and the generator's
documented behaviour. Reads and writes nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from lake.telegram import CONTENT_FIELDS
from samples.bot_api import (
    PAID_REACTION,
    as_reply_target,
    chat_invite_link,
    chat_join_request,
    chat_member_updated,
    custom_emoji_reaction,
    emoji_reaction,
    message_envelope,
    message_reaction_count_updated,
    message_reaction_updated,
)
from samples.content import CONTENT_MIX, pick_kind
from samples.events import EventQueue
from samples.simulation import generate_updates
from samples.world import World

pytestmark = pytest.mark.unit

START = datetime(2026, 11, 2, tzinfo=UTC).timestamp()
DAY = 86400
# Every kind an ordinary group message can be (hand-written: the sample's content kinds).
MIXED_KINDS = {
    "text",
    "photo",
    "sticker",
    "voice",
    "video",
    "animation",
    "document",
    "video_note",
    "audio",
    "poll",
    "location",
    "venue",
    "contact",
    "dice",
    "story",
}


def test_update_ids_grow_by_one_and_first_deliveries_keep_their_order():
    queue = EventQueue(random.Random(1), start_ts=START, days=1)
    for i in range(200):
        queue.emit(START + i, "message", {"n": i})
    delivered = list(queue.close())
    arrivals = [arrival for arrival, _ in delivered]
    assert arrivals == sorted(arrivals)
    firsts: dict[int, int] = {}
    for _, update in delivered:
        firsts.setdefault(update["update_id"], update["message"]["n"])
    ids = list(firsts)
    assert ids == list(range(ids[0], ids[0] + 200))
    assert list(firsts.values()) == list(range(200))
    # A few updates are delivered twice (the same object, so the same bytes).
    assert 200 <= len(delivered) < 220


def test_a_retried_delivery_arrives_after_later_updates():
    queue = EventQueue(random.Random(2), start_ts=START, days=1)
    queue.emit(START + 10, "message", {"n": "retried"}, retry_after=60)
    queue.emit(START + 20, "message", {"n": "later"})
    names = [update["message"]["n"] for _, update in queue.close()]
    assert names.index("later") < names.index("retried")


def test_outage_holds_deliveries_until_after_midnight():
    queue = EventQueue(random.Random(3), start_ts=START, days=3)
    midnight = START + 2 * DAY
    queue.emit(midnight - 1, "message", {"n": 1})
    (arrival, _), *_ = list(queue.close())
    assert arrival > midnight


def test_actions_run_in_time_order_and_none_after_the_window():
    queue = EventQueue(random.Random(4), start_ts=START, days=1)
    ran: list[float] = []
    queue.schedule(START + 50, ran.append)
    queue.schedule(START + 5, ran.append)
    queue.schedule(START + DAY, ran.append)  # the window is [start, start + 1 day)
    list(queue.advance(START + 60))
    assert ran == [START + 5, START + 50]
    list(queue.close())
    assert ran == [START + 5, START + 50]


def test_reply_target_drops_its_own_reply_and_keeps_the_rest():
    reply = {"message_id": 9, "text": "hi", "reply_to_message": {"message_id": 3}}
    assert as_reply_target(reply) == {"message_id": 9, "text": "hi"}
    assert "reply_to_message" in reply  # the original message is not changed
    plain = {"message_id": 4, "text": "x"}
    assert as_reply_target(plain) is plain


def test_envelope_and_kicked_member_shapes():
    assert message_envelope(5, None, None) == {"message_id": 5}
    user = {"id": 1, "is_bot": False, "first_name": "Zé"}
    assert list(message_envelope(5, user, 77)) == ["message_id", "message_thread_id", "from"]
    chat = {"id": -100, "title": "g", "type": "supergroup"}
    update = chat_member_updated(chat, user, 1790000000.9, user, old="member", new="kicked")
    assert update == {
        "chat": chat,
        "from": user,
        "date": 1790000000,
        "old_chat_member": {"user": user, "status": "member"},
        "new_chat_member": {"user": user, "status": "kicked", "until_date": 0},
    }


def test_content_mix_draws_every_kind_and_only_kinds_the_lake_classifies():
    kinds = [kind for kind, _ in CONTENT_MIX]
    assert set(kinds) == MIXED_KINDS
    assert set(kinds) <= set(CONTENT_FIELDS)
    assert pick_kind(0.0) == "text"
    assert pick_kind(0.9999999) == "story"
    drawn = {pick_kind(i / 10_000) for i in range(10_000)}
    assert drawn == MIXED_KINDS


def test_same_seed_same_world_other_seed_other_people():
    def people(seed: int) -> list[int]:
        world = World.create(
            seed=seed, start=date(2026, 11, 2), days=3, chats=3, users=30, target=10
        )
        return [p.id for p in world.people]

    assert people(7) == people(7)
    assert people(7) != people(8)
    world = World.create(seed=7, start=date(2026, 11, 2), days=3, chats=3, users=30, target=10)
    assert [g.kind for g in world.groups] == ["forum", "discussion", "group"]
    assert [g.obj["type"] for g in world.groups] == ["supergroup", "supergroup", "group"]
    assert world.discussion_group() is world.groups[1]


USER = {"id": 1, "is_bot": False, "first_name": "Zé"}
ADMIN = {"id": 2, "is_bot": False, "first_name": "Ana"}
GROUP = {"id": -1001, "title": "g", "type": "supergroup"}
CHANNEL = {"id": -1002, "title": "c", "type": "channel"}


def test_join_through_a_named_link_and_an_approved_request():
    link = chat_invite_link("https://t.me/+AbC...", ADMIN, name="Instagram bio")
    assert link == {
        "invite_link": "https://t.me/+AbC...",
        "creator": ADMIN,
        "creates_join_request": False,
        "is_primary": False,
        "is_revoked": False,
        "name": "Instagram bio",
    }
    joined = chat_member_updated(
        GROUP, USER, 10.5, USER, old="left", new="member", invite_link=link
    )
    assert joined["invite_link"] is link
    assert "via_join_request" not in joined and "via_chat_folder_invite_link" not in joined
    approved = chat_member_updated(
        GROUP, ADMIN, 20, USER, old="left", new="member", via_join_request=True
    )
    assert approved == {
        "chat": GROUP,
        "from": ADMIN,
        "date": 20,
        "old_chat_member": {"user": USER, "status": "left"},
        "new_chat_member": {"user": USER, "status": "member"},
        "via_join_request": True,
    }
    owner_left = chat_member_updated(GROUP, USER, 30, USER, old="creator", new="left")
    assert owner_left["old_chat_member"] == {
        "user": USER,
        "status": "creator",
        "is_anonymous": False,
    }


def test_join_request_shape():
    assert chat_join_request(GROUP, USER, 99.9, bio="oi") == {
        "chat": GROUP,
        "from": USER,
        "user_chat_id": 1,
        "date": 99,
        "bio": "oi",
    }


def test_reaction_updates_of_a_person_an_anonymous_actor_and_totals():
    thumbs = {"type": "emoji", "emoji": "👍"}
    assert emoji_reaction("👍") == thumbs
    custom = custom_emoji_reaction("5368324170671202286")
    assert custom == {"type": "custom_emoji", "custom_emoji_id": "5368324170671202286"}
    assert PAID_REACTION == {"type": "paid"}
    person = message_reaction_updated(GROUP, 7, 5, user=USER, old=[thumbs], new=[])
    assert person == {
        "chat": GROUP,
        "message_id": 7,
        "user": USER,
        "date": 5,
        "old_reaction": [thumbs],
        "new_reaction": [],
    }
    anonymous = message_reaction_updated(GROUP, 7, 6, actor_chat=CHANNEL, old=[], new=[custom])
    assert "user" not in anonymous and anonymous["actor_chat"] == CHANNEL
    totals = message_reaction_count_updated(CHANNEL, 3, 8, [(thumbs, 12), (PAID_REACTION, 5)])
    assert totals == {
        "chat": CHANNEL,
        "message_id": 3,
        "date": 8,
        "reactions": [
            {"type": thumbs, "total_count": 12},
            {"type": {"type": "paid"}, "total_count": 5},
        ],
    }


def test_a_larger_run_keeps_near_its_target_and_its_proportions():
    updates = [u for _, u in generate_updates(days=2, target_updates=8000, users=300, chats=5)]
    assert 7000 <= len(updates) <= 9000
    types = Counter(next(k for k in u if k != "update_id") for u in updates)
    # Reactions are common, joins and join requests are not: neither explodes with size.
    assert (
        0.10 < (types["message_reaction"] + types["message_reaction_count"]) / len(updates) < 0.30
    )
    assert (types["chat_member"] + types["chat_join_request"]) / len(updates) < 0.05
    migrations = [u["message"] for u in updates if "migrate_from_chat_id" in u.get("message", {})]
    assert len(migrations) == 1
    suggestions = [u["message"] for u in updates if "suggested_post_info" in u.get("message", {})]
    assert len(suggestions) == 16  # one per 500 updates


def test_a_single_group_run_has_no_discussion_group_and_still_works():
    updates = [u for _, u in generate_updates(days=1, target_updates=500, users=10, chats=1)]
    assert not any(u.get("message", {}).get("is_automatic_forward") for u in updates)
    assert any("channel_post" in u for u in updates)
