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

#: A person's or an anonymous admin's reactions on a message changed.
REACTION_UPDATE_TYPE = "message_reaction"
#: Anonymous reaction totals on a message changed (channels, anonymous admins).
REACTION_COUNT_UPDATE_TYPE = "message_reaction_count"
#: Someone asked to join a chat that needs approval.
CHAT_JOIN_REQUEST_UPDATE_TYPE = "chat_join_request"

#: What `setWebhook` subscribes to: every type the pipeline reads or keeps. `chat_member`,
#: `message_reaction` and `message_reaction_count` are only sent when asked for by name.
ALLOWED_UPDATES: tuple[str, ...] = (
    *MESSAGE_UPDATE_TYPES,
    REACTION_UPDATE_TYPE,
    REACTION_COUNT_UPDATE_TYPE,
    CHAT_MEMBER_UPDATE_TYPE,
    "my_chat_member",
    CHAT_JOIN_REQUEST_UPDATE_TYPE,
    "callback_query",
    "poll",
    "poll_answer",
)

#: `from.id` of Telegram's own service account: automatic forwards from a linked channel
#: and other system messages carry it.
TELEGRAM_SERVICE_USER_ID = 777000

# --- message content ----------------------------------------------------------------------

#: `content_type` precedence: (Message field, content type), first present field wins.
#: Telegram sets `document` next to `animation`, `location` next to `venue` and `photo`
#: next to `live_photo` (backward compatibility), so the more specific field comes first;
#: a `live_photo` alone still counts as a photo. A message with none of these is `other`.
CONTENT_TYPE_FIELDS: tuple[tuple[str, str], ...] = (
    ("animation", "animation"),
    ("photo", "photo"),
    ("live_photo", "photo"),
    ("video", "video"),
    ("video_note", "video_note"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("document", "document"),
    ("sticker", "sticker"),
    ("venue", "venue"),
    ("location", "location"),
    ("contact", "contact"),
    ("poll", "poll"),
    ("dice", "dice"),
    ("story", "story"),
    ("game", "game"),
    ("paid_media", "paid_media"),
    ("checklist", "checklist"),
    ("giveaway", "giveaway"),
    ("giveaway_winners", "giveaway_winners"),
    ("invoice", "invoice"),
    ("text", "text"),
)
#: The Message fields that make a message a content message (with `caption`): an
#: allow-list, so a service kind Telegram adds tomorrow is never counted as a message.
CONTENT_FIELDS: tuple[str, ...] = tuple(field for field, _ in CONTENT_TYPE_FIELDS)
CONTENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(kind for _, kind in CONTENT_TYPE_FIELDS))
CAPTION_FIELD = "caption"
OTHER_CONTENT_TYPE = "other"

#: Message fields any message may carry, content or service (ids, sender, chat, reply and
#: forward context, formatting, markup, business and paid-post flags, ...). The first
#: field of a service message outside this envelope names it (`service:<field>`).
MESSAGE_ENVELOPE_FIELDS: tuple[str, ...] = (
    "message_id",
    "message_thread_id",
    "direct_messages_topic",
    "from",
    "sender_chat",
    "sender_boost_count",
    "sender_business_bot",
    "sender_tag",
    "date",
    "business_connection_id",
    "chat",
    "forward_origin",
    "forward_from",
    "forward_from_chat",
    "forward_from_message_id",
    "forward_signature",
    "forward_sender_name",
    "forward_date",
    "is_topic_message",
    "is_automatic_forward",
    "reply_to_message",
    "external_reply",
    "quote",
    "reply_to_story",
    "reply_to_checklist_task_id",
    "reply_to_poll_option_id",
    "via_bot",
    "edit_date",
    "has_protected_content",
    "is_from_offline",
    "is_paid_post",
    "media_group_id",
    "author_signature",
    "paid_star_count",
    "entities",
    "caption_entities",
    "link_preview_options",
    "suggested_post_info",
    "effect_id",
    "show_caption_above_media",
    "has_media_spoiler",
    "reply_markup",
    "guest_bot_caller_user",
    "guest_bot_caller_chat",
    "guest_query_id",
)

#: Message fields that produce `member_events` rows.
MEMBER_SERVICE_FIELDS: tuple[str, ...] = ("new_chat_members", "left_chat_member")
#: Service messages of a group upgraded to a supergroup: `migrate_to_chat_id` in the old
#: group, `migrate_from_chat_id` in the new supergroup. Both feed `chat_migrations`.
MIGRATE_TO_FIELD = "migrate_to_chat_id"
MIGRATE_FROM_FIELD = "migrate_from_chat_id"
SERVICE_PREFIX = "service:"

#: `ReactionType.type` values: an emoji, a custom emoji (by `custom_emoji_id`), or a paid
#: (Telegram Stars) reaction.
REACTION_EMOJI = "emoji"
REACTION_CUSTOM_EMOJI = "custom_emoji"
REACTION_PAID = "paid"
REACTION_TYPES: tuple[str, ...] = (REACTION_EMOJI, REACTION_CUSTOM_EMOJI, REACTION_PAID)

# --- chat member statuses (ChatMember.status) ---------------------------------------------

#: Statuses that mean "is a member"; `restricted` counts only with `is_member: true`.
IN_CHAT_STATUSES: tuple[str, ...] = ("creator", "administrator", "member")
#: Statuses that mean "is not a member"; `restricted` counts with `is_member: false`.
OUT_OF_CHAT_STATUSES: tuple[str, ...] = ("left", "kicked")
RESTRICTED_STATUS = "restricted"
