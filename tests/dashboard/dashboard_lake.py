"""The hand-built curated zone of the dashboard tests: three chats the page shows, one it hides.

Rows are built with the view tests' builders (`tests/views/views_lakes.py`: the curated
tables' shape, from the hand-written test contract) and written where `lake.zones` puts
them. UTC times; the comments give the Asia/Tokyo (UTC+9) local times the tests use.

- Lake House (supergroup): Ann and Ben talk; a bot and an automatic forward of Lake News
  post too (neither counts as a message); reactions, joins from three sources, a leave.
- Lake News (channel): three posts with anonymous reaction totals.
- Book Club (group): one message.
- Ann's private chat with the bot: left out of the page by default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.views.views_lakes import (
    emoji,
    member_event,
    message,
    reaction_count_update,
    reaction_update,
    write_lake,
)

LAKE_HOUSE, BOOK_CLUB, LAKE_NEWS = -1001234567890, -1009876543210, -1005555555555
ANN, BEN, CID, DAN = 111, 222, 333, 444
HELPER_BOT, TELEGRAM = 900, 777000
PEOPLE = {ANN: ("Ann", "ann"), BEN: ("Ben", None), CID: ("Cid", "cid"), DAN: ("Dan", None)}
CHATS = {
    LAKE_HOUSE: ("Lake House", "supergroup"),
    BOOK_CLUB: ("Book Club", "group"),
    LAKE_NEWS: ("Lake News", "channel"),
    ANN: (None, "private"),
}


def said(chat_id: int, message_id: int, sent_at: str, user_id: int, **fields: Any) -> Any:
    """A message of a person (by default) in one of CHATS; the text's length is counted."""
    title, chat_type = CHATS[chat_id]
    first_name, username = PEOPLE.get(user_id, (fields.pop("first_name", None), None))
    text = fields.pop("text", None)
    return message(
        chat_id, message_id, 500_000 + message_id + (chat_id % 1000) * 100, sent_at, user_id,
        first_name=first_name, username=username, text=text,
        text_length=len(text) if text else 0, chat_title=title, chat_type=chat_type, **fields,
    )  # fmt: skip


def posted(message_id: int, sent_at: str, **fields: Any) -> Any:
    """A Lake News post (a channel post: no from)."""
    text = fields.pop("text", None)
    return message(
        LAKE_NEWS, message_id, 600_000 + message_id, sent_at, None, text=text,
        text_length=len(text) if text else 0, chat_title="Lake News", chat_type="channel",
        is_channel_post=True, sender_chat_id=LAKE_NEWS, **fields,
    )  # fmt: skip


CURATED_MESSAGES = [
    said(LAKE_HOUSE, 1, "2024-03-04 08:00:00", ANN, text="hello lake house"),  # Mon 17:00
    said(LAKE_HOUSE, 2, "2024-03-04 08:05:00", BEN, text="hello ann", reply_to=1,
         reply_to_user=ANN),  # Mon 17:05
    said(LAKE_HOUSE, 3, "2024-03-04 23:30:00", ANN, content_type="photo"),  # Tue 08:30
    said(LAKE_HOUSE, 4, "2024-03-05 10:00:00", ANN, content_type="sticker",
         edited_at="2024-03-05 10:01:00", edit_count=1),  # Tue 19:00
    said(LAKE_HOUSE, 5, "2024-03-11 09:00:00", BEN, text="lake again", reply_to=4,
         reply_to_user=ANN),  # Mon 18:00
    # Not messages: a bot's (Mon 18:00) and Lake News' post copied in (Tue 17:00).
    said(LAKE_HOUSE, 6, "2024-03-04 09:00:00", HELPER_BOT, first_name="Helper", is_bot=True,
         text="welcome!"),
    said(LAKE_HOUSE, 7, "2024-03-05 08:00:00", TELEGRAM, first_name="Telegram",
         sender_chat_id=LAKE_NEWS, sender_type="auto_forward", is_automatic_forward=True,
         text="news of the week"),
    said(BOOK_CLUB, 1, "2024-03-06 12:00:00", CID, text="chapter one"),  # Wed 21:00
    posted(1, "2024-03-04 07:00:00", text="news of the week"),  # Mon 16:00
    posted(2, "2024-03-05 07:00:00", content_type="photo"),  # Tue 16:00
    posted(3, "2024-03-07 07:00:00", text="weekend plans"),  # Thu 16:00
    said(ANN, 1, "2024-03-04 06:00:00", ANN, text="/start"),
    said(ANN, 2, "2024-03-04 06:00:05", HELPER_BOT, first_name="Helper", is_bot=True, text="hi"),
]  # fmt: skip

CURATED_MEMBER_EVENTS = [
    # Ben's own join reported twice (service message and chat_member update): one join.
    member_event(LAKE_HOUSE, BEN, "join", "2024-03-04 07:00:00", "new_chat_members",
                 update_id=400_001, first_name="Ben"),  # Mon 16:00
    member_event(LAKE_HOUSE, BEN, "join", "2024-03-04 07:00:00", "chat_member",
                 update_id=400_002, first_name="Ben", old_status="left", new_status="member"),
    # Cid through the "Book fans" link (Tue 12:00); Ann adds Dan (Tue 13:00).
    member_event(LAKE_HOUSE, CID, "join", "2024-03-05 03:00:00", "chat_member",
                 update_id=400_004, first_name="Cid", old_status="left", new_status="member",
                 invite_link="Book fans"),
    member_event(LAKE_HOUSE, DAN, "join", "2024-03-05 04:00:00", "new_chat_members",
                 update_id=400_005, first_name="Dan", actor=ANN),
    member_event(LAKE_HOUSE, CID, "leave", "2024-03-06 12:00:00", "left_chat_member",
                 update_id=400_003, first_name="Cid"),  # Wed 21:00
]  # fmt: skip

THUMBS, HEART, FIRE = emoji("👍"), emoji("❤"), emoji("🔥")
CURATED_REACTIONS = [
    *reaction_update(LAKE_HOUSE, 1, 700_001, "2024-03-04 09:00", user=BEN, new=(THUMBS,)),
    *reaction_update(LAKE_HOUSE, 1, 700_002, "2024-03-04 10:00", user=CID, new=(HEART,)),
    *reaction_update(LAKE_HOUSE, 2, 700_003, "2024-03-05 01:00", user=ANN, new=(FIRE,)),
    *reaction_update(LAKE_HOUSE, 1, 700_004, "2024-03-06 00:00", user=BEN, old=(THUMBS,)),
    *reaction_count_update(LAKE_NEWS, 1, 700_005, "2024-03-04 08:00", {THUMBS: 2}),
    *reaction_count_update(LAKE_NEWS, 1, 700_006, "2024-03-04 12:00", {THUMBS: 3, HEART: 1}),
    *reaction_count_update(LAKE_NEWS, 3, 700_007, "2024-03-07 09:00", {FIRE: 5}),
]


def write_curated_zone(root: Path) -> Path:
    """Write the tables above as a curated zone under `root`."""
    return write_lake(root, CURATED_MESSAGES, CURATED_MEMBER_EVENTS, reactions=CURATED_REACTIONS)
