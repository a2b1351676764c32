"""What the bundled sample holds for the fidelity and engagement work, counted by hand.

Each test reads `samples/updates.jsonl` with plain `json` and compares what it finds with
numbers written here by hand (from the generator's plan, checked once against the file):
the group migration, anonymous admins, automatic forwards and their comment threads, the
channel's posting history, every new service and content kind, the message without an id,
live locations, reactions and reaction totals, and joins from every source. Reads the
committed sample; writes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.unit

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "updates.jsonl"
Obj = dict[str, Any]

# The chats of the sample (ids as Telegram sends them).
FORUM = -1001707924673  # "Dados & Python BR 🐍", @dadospythonbr, topics
DISCUSSION = -1002347327719  # "Trilhas & Café ☕", renamed "Trilhas, Café & Cerveja 🍻"
FAMILY_BASIC = -4858303050  # "Família Souza 🏡", a basic group ...
FAMILY_SUPERGROUP = -1003378625863  # ... upgraded to this supergroup
CHANNEL = -1002007063907  # "Dados em 1 Minuto 📊", @dados1min
CHANNEL_DM = -1002835745242  # the channel's direct messages chat
GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
TELEGRAM = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
CHANNEL_BOT_ID = 136817688
CONTENT_FIELDS = ("animation", "photo", "live_photo", "video", "video_note", "voice", "audio",
                  "document", "sticker", "venue", "location", "contact", "poll", "dice", "story",
                  "game", "paid_media", "checklist", "giveaway", "giveaway_winners", "invoice",
                  "text", "caption")  # fmt: skip
ENVELOPE = {"message_id", "message_thread_id", "direct_messages_topic", "from", "sender_chat",
            "date", "chat", "forward_origin", "is_topic_message", "is_automatic_forward",
            "reply_to_message", "via_bot", "edit_date", "media_group_id", "author_signature",
            "entities", "caption_entities", "reply_markup", "suggested_post_info",
            "is_paid_post"}  # fmt: skip


@pytest.fixture(scope="module")
def deliveries() -> list[Obj]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def updates(deliveries: list[Obj]) -> list[Obj]:
    """Each update once (the first delivery of each update_id)."""
    seen: dict[int, Obj] = {}
    for update in deliveries:
        seen.setdefault(update["update_id"], update)
    return list(seen.values())


def of_type(updates: list[Obj], kind: str) -> list[Obj]:
    return [u[kind] for u in updates if kind in u]


def messages(updates: list[Obj]) -> list[Obj]:
    """New messages: `message` and `channel_post` payloads."""
    return of_type(updates, "message") + of_type(updates, "channel_post")


def service_field(msg: Obj) -> str | None:
    """The field naming a service message (None for a content message)."""
    if any(key in msg for key in CONTENT_FIELDS):
        return None
    return next(key for key in msg if key not in ENVELOPE)


def test_group_migration_pair(updates: list[Obj]):
    to = [m for m in messages(updates) if "migrate_to_chat_id" in m]
    back = [m for m in messages(updates) if "migrate_from_chat_id" in m]
    assert len(to) == len(back) == 1
    old, new = to[0], back[0]
    assert old["chat"] == {"id": FAMILY_BASIC, "title": "Família Souza 🏡", "type": "group"}
    assert old["migrate_to_chat_id"] == FAMILY_SUPERGROUP
    assert old["from"]["is_bot"] is False  # the person who upgraded it
    supergroup = {"id": FAMILY_SUPERGROUP, "title": "Família Souza 🏡", "type": "supergroup"}
    assert new == {
        "message_id": 1,
        "from": GROUP_ANONYMOUS_BOT,
        "sender_chat": supergroup,
        "chat": supergroup,
        "date": old["date"],
        "migrate_from_chat_id": FAMILY_BASIC,
    }
    # Days of messages before, the same people after.
    before = [m for m in messages(updates) if m["chat"]["id"] == FAMILY_BASIC]
    after = [m for m in messages(updates) if m["chat"]["id"] == FAMILY_SUPERGROUP]
    assert all(m["date"] <= old["date"] for m in before)
    assert all(m["date"] >= old["date"] for m in after)
    assert (old["date"] - min(m["date"] for m in before)) > 4 * 86400
    people = lambda ms: {m["from"]["id"] for m in ms if not m["from"]["is_bot"]}  # noqa: E731
    assert len(people(before) & people(after)) >= 5
    assert len(before) == 225
    assert len(after) == 235


def test_anonymous_admin_posts(updates: list[Obj]):
    anonymous = [
        m
        for m in of_type(updates, "message")
        if m.get("from") == GROUP_ANONYMOUS_BOT
        and m["sender_chat"] == m["chat"]
        and "migrate_from_chat_id" not in m
    ]
    assert len(anonymous) == 22
    assert Counter(m["chat"]["id"] for m in anonymous) == {
        FORUM: 10,
        DISCUSSION: 7,
        FAMILY_SUPERGROUP: 5,
    }
    assert sum("author_signature" in m for m in anonymous) == 19


def test_automatic_forwards_and_their_comment_threads(updates: list[Obj]):
    post_ids = {p["message_id"] for p in of_type(updates, "channel_post")}
    autos = [m for m in of_type(updates, "message") if m.get("is_automatic_forward")]
    assert len(autos) == 58
    for auto in autos:
        assert auto["from"] == TELEGRAM
        assert auto["sender_chat"]["id"] == CHANNEL
        assert auto["chat"]["id"] == DISCUSSION
        assert auto["forward_origin"]["type"] == "channel"
        assert auto["forward_origin"]["chat"]["id"] == CHANNEL
        assert auto["forward_origin"]["message_id"] in post_ids
    auto_ids = {a["message_id"] for a in autos}
    comments = [m for m in of_type(updates, "message") if m.get("message_thread_id") in auto_ids]
    assert len(comments) == 105
    assert sum(c["reply_to_message"]["message_id"] in auto_ids for c in comments) == 61
    assert all(c["chat"]["id"] == DISCUSSION for c in comments)
    # Posting as the channel inside the group: not an automatic forward.
    as_channel = [
        m
        for m in of_type(updates, "message")
        if m.get("sender_chat", {}).get("id") == CHANNEL and not m.get("is_automatic_forward")
    ]
    assert len([m for m in as_channel if m["chat"]["id"] == DISCUSSION]) == 21
    assert all(m["from"]["id"] == CHANNEL_BOT_ID for m in as_channel)
    assert sum(m.get("message_thread_id") in auto_ids for m in as_channel) == 15


def test_the_channel_posts_on_most_days(updates: list[Obj]):
    posts = [p for p in of_type(updates, "channel_post") if service_field(p) is None]
    assert len(posts) == 58
    assert all("from" not in p and p["sender_chat"]["id"] == CHANNEL for p in posts)
    days = {datetime.fromtimestamp(p["date"], UTC).date() for p in posts}
    assert len(days) == 13
    first_kind = ("paid_media", "video", "photo", "giveaway", "giveaway_winners", "text")
    kinds = Counter(next(k for k in first_kind if k in p) for p in posts)
    assert kinds == {
        "photo": 21,
        "text": 22,
        "video": 7,
        "paid_media": 4,
        "giveaway": 2,
        "giveaway_winners": 2,
    }
    assert len({p["media_group_id"] for p in posts if "media_group_id" in p}) == 4
    assert sum(p.get("is_paid_post", False) for p in posts) == 2
    assert len(of_type(updates, "edited_channel_post")) == 6


def test_service_kinds(updates: list[Obj]):
    kinds = Counter(service_field(m) for m in messages(updates))
    del kinds[None]
    assert kinds == {
        "new_chat_members": 47,
        "checklist_tasks_done": 7,
        "pinned_message": 6,
        "poll_option_added": 4,
        "poll_option_deleted": 2,
        "left_chat_member": 3,
        "gift": 3,
        "suggested_post_approved": 3,
        "suggested_post_declined": 2,
        "suggested_post_paid": 2,
        "gift_upgrade_sent": 2,
        "chat_owner_changed": 2,
        "managed_bot_created": 2,
        "forum_topic_created": 1,
        "chat_owner_left": 1,
        "suggested_post_approval_failed": 1,
        "suggested_post_refunded": 1,
        "migrate_to_chat_id": 1,
        "migrate_from_chat_id": 1,
        "new_chat_title": 1,
    }


def test_suggested_posts_live_in_the_channel_direct_messages(updates: list[Obj]):
    dm = [m for m in of_type(updates, "message") if m["chat"]["id"] == CHANNEL_DM]
    assert all(m["chat"]["is_direct_messages"] is True for m in dm)
    assert all(m["direct_messages_topic"]["topic_id"] for m in dm)
    suggestions = [m for m in dm if "suggested_post_info" in m]
    assert len(suggestions) == 6
    assert {m["suggested_post_info"]["state"] for m in suggestions} == {"pending"}
    outcomes = [m for m in dm if (service_field(m) or "").startswith("suggested_post_")]
    assert len(outcomes) == 9
    assert all(m["sender_chat"]["id"] == CHANNEL for m in outcomes)
    paid = [m["suggested_post_paid"] for m in outcomes if "suggested_post_paid" in m]
    assert all(p["currency"] == "XTR" and p["star_amount"]["amount"] > 0 for p in paid)


def test_new_content_kinds(updates: list[Obj]):
    new_kinds = ("game", "paid_media", "checklist", "giveaway", "giveaway_winners", "invoice")
    found = Counter(
        key for m in messages(updates) for key in (*new_kinds, "live_photo") if key in m
    )
    # Channel posts count twice: the post and its automatic forward.
    assert found == {"paid_media": 8, "giveaway": 4, "giveaway_winners": 4, "game": 3,
                     "invoice": 3, "checklist": 3, "live_photo": 3}  # fmt: skip
    for m in messages(updates):
        if "live_photo" in m:  # documented: `photo` is set too
            assert m["photo"] == m["live_photo"]["photo"]
        if "game" in m or "invoice" in m:
            assert m["via_bot"]["is_bot"] is True


def test_messages_without_an_id(updates: list[Obj]):
    zero = [m for m in of_type(updates, "message") if m["message_id"] == 0]
    assert len(zero) == 2
    assert all(m["chat"]["id"] == FORUM for m in zero)


def test_live_locations_move_by_edits(updates: list[Obj]):
    live = [m for m in of_type(updates, "message") if "live_period" in m.get("location", {})]
    assert len(live) == 7
    moves: Counter[int] = Counter()
    for original in live:
        key = (original["chat"]["id"], original["message_id"])
        edits = [
            e
            for e in of_type(updates, "edited_message")
            if (e["chat"]["id"], e["message_id"]) == key
        ]
        points = {(e["location"]["latitude"], e["location"]["longitude"]) for e in edits}
        assert len(points) == len(edits)
        assert len({e["edit_date"] for e in edits}) == len(edits)
        moves[len(edits)] += 1
    assert moves == {3: 1, 4: 4, 5: 2}


def test_reactions(deliveries: list[Obj], updates: list[Obj]):
    reactions = of_type(updates, "message_reaction")
    assert len(reactions) == 453
    by_actor = Counter(
        "user" if "user" in r else ("channel" if r["actor_chat"]["id"] == CHANNEL else "group")
        for r in reactions
    )
    assert by_actor == {"user": 438, "group": 7, "channel": 8}
    kinds = Counter(t["type"] for r in reactions for t in r["new_reaction"])
    assert kinds == {"emoji": 437, "custom_emoji": 69, "paid": 19}
    firsts = [r for r in reactions if not r["old_reaction"]]
    removals = [r for r in reactions if r["old_reaction"] and not r["new_reaction"]]
    changes = [r for r in reactions if r["old_reaction"] and r["new_reaction"]]
    several = [r for r in reactions if len(r["new_reaction"]) > 1]
    assert (len(firsts), len(removals), len(changes), len(several)) == (344, 25, 84, 67)
    redelivered = Counter(u["update_id"] for u in deliveries if "message_reaction" in u)
    assert sum(n > 1 for n in redelivered.values()) == 5


def test_reaction_totals_on_channel_posts(updates: list[Obj]):
    totals = of_type(updates, "message_reaction_count")
    assert len(totals) == 132
    assert {t["chat"]["id"] for t in totals} == {CHANNEL}
    per_post = Counter(t["message_id"] for t in totals)
    assert len(per_post) == 45
    assert min(per_post.values()) >= 2
    kinds = {r["type"]["type"] for t in totals for r in t["reactions"]}
    assert kinds == {"emoji", "custom_emoji", "paid"}


def join_source(update: Obj) -> str:
    """Where a chat_member join came from (the issue's order of sources)."""
    link = update.get("invite_link")
    if update.get("via_join_request"):
        return "join_request"
    if update.get("via_chat_folder_invite_link"):
        return "folder_link"
    if link is not None:
        return link.get("name", "primary link")
    if update["from"]["id"] != update["new_chat_member"]["user"]["id"]:
        return "added"
    return "self"


def test_joins_from_every_source(updates: list[Obj]):
    joins = [
        c
        for c in of_type(updates, "chat_member")
        if c["old_chat_member"]["status"] == "left" and c["new_chat_member"]["status"] == "member"
    ]
    assert Counter(join_source(j) for j in joins) == {
        "added": 24,
        "primary link": 7,
        "Instagram bio": 4,
        "Meetup flyer": 4,
        "self": 4,
        "Newsletter": 4,
        "folder_link": 3,
        "join_request": 3,
        "Formulário do site": 1,
    }
    requests = of_type(updates, "chat_join_request")
    assert len(requests) == 6
    assert all(r["user_chat_id"] == r["from"]["id"] for r in requests)
    assert sum("invite_link" in r for r in requests) == 2
    approved = {(j["chat"]["id"], j["new_chat_member"]["user"]["id"]) for j in joins}
    asked = [(r["chat"]["id"], r["from"]["id"]) for r in requests]
    assert sum(a in approved for a in asked) == 4  # two were never approved
    # Added by another member: the service message's `from` is the adder.
    added = [
        m
        for m in of_type(updates, "message")
        if "new_chat_members" in m
        and all(u["id"] != m["from"]["id"] for u in m["new_chat_members"])
    ]
    assert len(added) == 18
    assert sum(len(m["new_chat_members"]) == 2 for m in added) == 2
    # The same join reported twice: a service message and a chat_member update.
    reported = {
        (m["chat"]["id"], u["id"], m["date"])
        for m in of_type(updates, "message")
        for u in m.get("new_chat_members", [])
    }
    twice = [
        j
        for j in joins
        if (j["chat"]["id"], j["new_chat_member"]["user"]["id"], j["date"]) in reported
    ]
    assert len(twice) == 47
