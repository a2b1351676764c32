"""The curated tables' columns, written by hand once for the tests.

The curated data contract of docs/contracts.md, with the columns docs/tables.md lists.
Deliberately not imported from the code under test
(`athena_views.tables`, `glue_jobs`): a test that compared the code with itself could not
fail, and a drift between this contract and either the Glue job's output or the Athena table
definitions must break a test.

Each column is `(name, type)`; the type names are spelled the same in Athena (Hive DDL) and
in Spark's `DataFrame.dtypes` for every type used here. The `dt` partition column is kept
apart (`PARTITION_COLUMN`), and so are the Glue job's bookkeeping columns on `messages`
(`MESSAGES_BOOKKEEPING_COLUMNS`), which the Athena table does not declare.
"""

from __future__ import annotations

Column = tuple[str, str]

MESSAGES_COLUMNS: tuple[Column, ...] = (
    ("chat_id", "bigint"), ("message_id", "bigint"), ("message_thread_id", "bigint"),
    ("update_id", "bigint"), ("sent_at", "timestamp"), ("edited_at", "timestamp"),
    ("edit_count", "int"), ("chat_type", "string"), ("chat_title", "string"),
    ("user_id", "bigint"), ("user_is_bot", "boolean"), ("user_first_name", "string"),
    ("user_last_name", "string"), ("user_username", "string"),
    ("user_language_code", "string"), ("sender_chat_id", "bigint"),
    ("sender_type", "string"), ("is_automatic_forward", "boolean"),
    ("content_type", "string"), ("text", "string"), ("text_length", "int"),
    ("word_count", "int"), ("reply_to_message_id", "bigint"), ("reply_to_user_id", "bigint"),
    ("is_forwarded", "boolean"), ("forward_origin_type", "string"),
    ("forward_from_user_id", "bigint"),
    ("is_channel_post", "boolean"), ("source", "string"), ("media_group_id", "string"),
)  # fmt: skip

# Written by the Glue job after the contract columns: the updates folded into each row and
# the distinct edit dates, which keep edit_count exact and re-runs idempotent. The Athena
# table leaves them out.
MESSAGES_BOOKKEEPING_COLUMNS: tuple[Column, ...] = (
    ("edit_update_ids", "array<bigint>"), ("edit_dates", "array<bigint>"),
    ("original_update_id", "bigint"), ("sender_update_id", "bigint"),
)  # fmt: skip

MEMBER_EVENTS_COLUMNS: tuple[Column, ...] = (
    ("chat_id", "bigint"), ("user_id", "bigint"), ("event", "string"),
    ("occurred_at", "timestamp"), ("source", "string"), ("update_id", "bigint"),
    ("user_is_bot", "boolean"), ("user_first_name", "string"), ("user_username", "string"),
    ("old_status", "string"), ("new_status", "string"), ("actor_user_id", "bigint"),
    ("invite_link", "string"), ("via_join_request", "boolean"),
    ("via_chat_folder_invite_link", "boolean"),
)  # fmt: skip

CHAT_MIGRATIONS_COLUMNS: tuple[Column, ...] = (
    ("from_chat_id", "bigint"), ("to_chat_id", "bigint"), ("migrated_at", "timestamp"),
    ("update_id", "bigint"),
)  # fmt: skip

REACTIONS_COLUMNS: tuple[Column, ...] = (
    ("chat_id", "bigint"), ("message_id", "bigint"), ("update_id", "bigint"),
    ("reacted_at", "timestamp"), ("update_type", "string"), ("actor_user_id", "bigint"),
    ("actor_chat_id", "bigint"), ("reaction_type", "string"), ("reaction", "string"),
    ("was_set", "boolean"), ("is_set", "boolean"), ("total_count", "int"),
)  # fmt: skip

JOIN_REQUESTS_COLUMNS: tuple[Column, ...] = (
    ("chat_id", "bigint"), ("user_id", "bigint"), ("requested_at", "timestamp"),
    ("update_id", "bigint"), ("invite_link", "string"),
)  # fmt: skip

#: Every curated table and its contract columns (no bookkeeping, no partition).
TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "messages": MESSAGES_COLUMNS,
    "member_events": MEMBER_EVENTS_COLUMNS,
    "chat_migrations": CHAT_MIGRATIONS_COLUMNS,
    "reactions": REACTIONS_COLUMNS,
    "join_requests": JOIN_REQUESTS_COLUMNS,
}

PARTITION_COLUMN: Column = ("dt", "date")


def ddl_schema(*columns: Column) -> str:
    """A Spark DDL schema string (`name type, ...`) of contract columns, for test frames."""
    return ", ".join(f"{name} {type_name}" for name, type_name in columns)
