"""Imported history and webhook data of the same message are one row (the merge rules).

Desktop-export updates carry synthetic update_ids from 2**62 up (written here by hand);
the webhook's are Telegram's. Expectations written by hand. Reads and writes nothing
outside Spark's memory.
"""

from __future__ import annotations

import json

import pytest
from chispa import assert_df_equality
from glue_builders import ALICE, Update, message, utc
from pyspark.sql import DataFrame, SparkSession

from glue_jobs.messages import merge_messages, message_versions
from glue_jobs.updates import classify_updates, flatten_updates, parse_updates, with_update_type
from tests.contract import (
    MESSAGES_BOOKKEEPING_COLUMNS,
    MESSAGES_COLUMNS,
    PARTITION_COLUMN,
    ddl_schema,
)

pytestmark = pytest.mark.spark

SOURCE = "file:/lake/raw/dt=2024-03-01/batch.jsonl"
IMPORTED = 1 << 62  # the first synthetic update_id of a history import
SENT = "2024-03-01 10:00:00"
# What a Telegram Desktop export knows of Alice: her id and display name, nothing more.
ALICE_EXPORTED = {"id": ALICE["id"], "is_bot": False, "first_name": "Alice Liddell"}


def fold(spark: SparkSession, *updates: Update) -> DataFrame:
    rows = [(SOURCE, json.dumps(update)) for update in updates]
    versions = (
        spark.createDataFrame(rows, "source_file string, value string")
        .transform(parse_updates)
        .transform(with_update_type)
        .transform(classify_updates)
        .transform(flatten_updates)
        .transform(message_versions)
    )
    empty = spark.createDataFrame(
        [], ddl_schema(*MESSAGES_COLUMNS, *MESSAGES_BOOKKEEPING_COLUMNS, PARTITION_COLUMN)
    )
    return merge_messages(empty, versions).select(
        "message_id",
        "update_id",
        "text",
        "edit_count",
        "edited_at",
        "user_first_name",
        "user_username",
        "user_language_code",
        "source",
    )


def test_webhook_and_imported_versions_of_a_message_are_one_row(spark: SparkSession) -> None:
    updates = [
        # 1: seen by both, never edited: the webhook's version is kept
        message(501, 1, SENT, text="hello"),
        message(IMPORTED + 1, 1, SENT, sender=ALICE_EXPORTED, text="hello"),
        # 2: edited once while the bot watched; the export holds that same edit
        message(502, 2, SENT, text="v0"),
        message(
            503, 2, SENT, text="v1", update_type="edited_message", edited="2024-03-01 10:05:00"
        ),
        message(
            IMPORTED + 2,
            2,
            SENT,
            sender=ALICE_EXPORTED,
            text="v1",
            update_type="edited_message",
            edited="2024-03-01 10:05:00",
        ),
        # 3: edited again after the bot left: the export's later edit wins its content,
        # never the edit count, and the sender stays as the webhook reported it
        message(504, 3, SENT, text="w0"),
        message(
            IMPORTED + 3,
            3,
            SENT,
            sender=ALICE_EXPORTED,
            text="w2",
            update_type="edited_message",
            edited="2024-03-05 09:00:00",
        ),
        # 4: only in the export (before the bot joined)
        message(IMPORTED + 4, 4, SENT, sender=ALICE_EXPORTED, text="old"),
    ]
    expected = spark.createDataFrame(
        [
            (1, 501, "hello", 0, None, "Alice", "alice", "en", "webhook"),
            (2, 503, "v1", 1, utc("2024-03-01 10:05:00"), "Alice", "alice", "en", "webhook"),
            (
                3,
                IMPORTED + 3,
                "w2",
                0,
                utc("2024-03-05 09:00:00"),
                "Alice",
                "alice",
                "en",
                "desktop_export",
            ),
            (4, IMPORTED + 4, "old", 0, None, "Alice Liddell", None, None, "desktop_export"),
        ],
        "message_id bigint, update_id bigint, text string, edit_count int, "
        "edited_at timestamp, user_first_name string, user_username string, "
        "user_language_code string, source string",
    )
    assert_df_equality(fold(spark, *updates), expected, ignore_nullable=True, ignore_row_order=True)
