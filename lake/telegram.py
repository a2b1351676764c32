"""The Telegram Bot API vocabulary the pipeline dispatches on: one list of each kind.

Names follow the Bot API objects `Update`, `Message`, `ChatMemberUpdated` and `ChatMember`
(https://core.telegram.org/bots/api). Reads and writes nothing.
"""

from __future__ import annotations

# --- update types (the payload field of an Update) ----------------------------------------

#: Update fields that carry a new `Message` and become rows of `messages`.
ORIGINAL_MESSAGE_TYPES: tuple[str, ...] = ("message", "channel_post", "business_message")
#: Update fields that carry a new version of an earlier `Message`.
EDITED_MESSAGE_TYPES: tuple[str, ...] = (
    "edited_message",
    "edited_channel_post",
    "edited_business_message",
)
MESSAGE_UPDATE_TYPES: tuple[str, ...] = ORIGINAL_MESSAGE_TYPES + EDITED_MESSAGE_TYPES
CHANNEL_UPDATE_TYPES: tuple[str, ...] = ("channel_post", "edited_channel_post")
#: The update type whose `ChatMemberUpdated` becomes rows of `member_events`.
CHAT_MEMBER_UPDATE_TYPE = "chat_member"
#: Label of an update object that holds nothing but `update_id`.
EMPTY_UPDATE_TYPE = "empty"

#: What `setWebhook` subscribes to: every type the pipeline reads or keeps. `chat_member`,
#: `message_reaction` and `message_reaction_count` are only sent when asked for by name.
ALLOWED_UPDATES: tuple[str, ...] = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "message_reaction",
    "message_reaction_count",
    "chat_member",
    "my_chat_member",
    "callback_query",
    "poll",
    "poll_answer",
)

# --- message content ----------------------------------------------------------------------

#: `content_type` precedence, first present field wins. Telegram sets `document` next to
#: `animation` and `location` next to `venue` (backward compatibility), so the more
#: specific field comes first. A message with none of these is `other`.
CONTENT_FIELDS: tuple[str, ...] = (
    "animation",
    "photo",
    "video",
    "video_note",
    "voice",
    "audio",
    "document",
    "sticker",
    "venue",
    "location",
    "contact",
    "poll",
    "dice",
    "story",
    "text",
)
OTHER_CONTENT_TYPE = "other"

#: Message fields that produce `member_events` rows.
MEMBER_SERVICE_FIELDS: tuple[str, ...] = ("new_chat_members", "left_chat_member")
#: Message fields that mark any other service message (not a `messages` row): counted under
#: `ignored` as `service:<field>`; the first present field in this order names it.
SERVICE_FIELDS: tuple[str, ...] = (
    "new_chat_title",
    "new_chat_photo",
    "delete_chat_photo",
    "group_chat_created",
    "supergroup_chat_created",
    "channel_chat_created",
    "message_auto_delete_timer_changed",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "pinned_message",
    "successful_payment",
    "refunded_payment",
    "users_shared",
    "chat_shared",
    "gift",
    "unique_gift",
    "connected_website",
    "write_access_allowed",
    "passport_data",
    "proximity_alert_triggered",
    "boost_added",
    "chat_background_set",
    "checklist_tasks_done",
    "checklist_tasks_added",
    "direct_message_price_changed",
    "forum_topic_created",
    "forum_topic_edited",
    "forum_topic_closed",
    "forum_topic_reopened",
    "general_forum_topic_hidden",
    "general_forum_topic_unhidden",
    "giveaway_created",
    "giveaway_completed",
    "paid_message_price_changed",
    "video_chat_scheduled",
    "video_chat_started",
    "video_chat_ended",
    "video_chat_participants_invited",
    "web_app_data",
)
SERVICE_PREFIX = "service:"

# --- chat member statuses (ChatMember.status) ---------------------------------------------

#: Statuses that mean "is a member"; `restricted` counts only with `is_member: true`.
IN_CHAT_STATUSES: tuple[str, ...] = ("creator", "administrator", "member")
#: Statuses that mean "is not a member"; `restricted` counts with `is_member: false`.
OUT_OF_CHAT_STATUSES: tuple[str, ...] = ("left", "kicked")
RESTRICTED_STATUS = "restricted"
