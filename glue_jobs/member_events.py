"""The `member_events` table: member changes out of flat updates.

Reads and writes nothing. A member change comes from a `new_chat_members` /
`left_chat_member` service message (in imported history too) or a `chat_member` update;
rows are keyed by (update_id, user_id, source) and are a pure function of their update
(folded by `glue_jobs.keyed`).
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the PySpark convention)

from glue_jobs.columns import invite_link_label, membership_event
from glue_jobs.keyed import FIRST_OF_UPDATE
from glue_jobs.outcomes import KIND_MEMBER
from lake.tables import (
    EVENT_JOIN,
    EVENT_LEAVE,
    MEMBER_EVENTS,
    SOURCE_CHAT_MEMBER,
    SOURCE_DESKTOP_EXPORT,
    SOURCE_LEFT_CHAT_MEMBER,
    SOURCE_NEW_CHAT_MEMBERS,
    SOURCE_WEBHOOK,
)
from lake.zones import PARTITION_COLUMN


def _member_change(
    user: Column,
    event: Column,
    source: str,
    *,
    actor: Column,
    old_status: Column | None = None,
    new_status: Column | None = None,
    invite_link: Column | None = None,
    via_join_request: Column | None = None,
    via_folder_link: Column | None = None,
) -> Column:
    def text(value: Column | None) -> Column:
        return value if value is not None else F.lit(None).cast("string")

    def flag(value: Column | None) -> Column:
        return value if value is not None else F.lit(None).cast("boolean")

    return F.struct(
        user["id"].alias("user_id"),
        event.alias("event"),
        F.lit(source).alias("source"),
        user["is_bot"].alias("user_is_bot"),
        user["first_name"].alias("user_first_name"),
        user["username"].alias("user_username"),
        text(old_status).alias("old_status"),
        text(new_status).alias("new_status"),
        actor.alias("actor_user_id"),
        text(invite_link).alias("invite_link"),
        flag(via_join_request).alias("via_join_request"),
        flag(via_folder_link).alias("via_chat_folder_invite_link"),
    )


def member_changes(message: Column, chat_member: Column) -> Column:
    """Array of member changes of a member service message or a chat_member update.

    The actor is who performed the change: the service message's `from` (the member
    themselves for a self join or leave), or `ChatMemberUpdated.from`.
    """
    actor = message["from"]["id"]
    joined = F.transform(
        message["new_chat_members"],
        lambda user: _member_change(user, F.lit(EVENT_JOIN), SOURCE_NEW_CHAT_MEMBERS, actor=actor),
    )
    left = _member_change(
        message["left_chat_member"], F.lit(EVENT_LEAVE), SOURCE_LEFT_CHAT_MEMBER, actor=actor
    )
    old, new = chat_member["old_chat_member"], chat_member["new_chat_member"]
    changed = _member_change(
        new["user"],
        membership_event(old, new),
        SOURCE_CHAT_MEMBER,
        actor=chat_member["from"]["id"],
        old_status=old["status"],
        new_status=new["status"],
        invite_link=invite_link_label(chat_member["invite_link"]),
        via_join_request=F.coalesce(chat_member["via_join_request"], F.lit(False)),
        via_folder_link=F.coalesce(chat_member["via_chat_folder_invite_link"], F.lit(False)),
    )
    return F.coalesce(
        F.when(F.size(message["new_chat_members"]) > 0, joined),
        F.when(message["left_chat_member"].isNotNull(), F.array(left)),
        F.when(chat_member.isNotNull(), F.array(changed)),
    )


def member_event_rows(updates: DataFrame) -> DataFrame:
    """Flat updates -> one member_events row per member change (duplicate lines kept).

    In imported history every change has the source `desktop_export`.
    """
    change = F.col("change")
    source = F.when(F.col("source") == SOURCE_WEBHOOK, change["source"]).otherwise(
        F.lit(SOURCE_DESKTOP_EXPORT)
    )
    return (
        updates.where(F.col("kind") == KIND_MEMBER)
        .select(
            "chat_id",
            "update_id",
            "event_at",
            "source",
            F.posexplode("members").alias("position", "change"),
        )
        .select(
            "chat_id",
            change["user_id"].alias("user_id"),
            change["event"].alias("event"),
            F.col("event_at").alias("occurred_at"),
            source.alias("source"),
            "update_id",
            *[
                change[name].alias(name)
                for name in MEMBER_EVENTS.column_names()
                if name
                not in {
                    "chat_id",
                    "user_id",
                    "event",
                    "occurred_at",
                    "source",
                    "update_id",
                    PARTITION_COLUMN,
                }
            ],
            F.to_date("event_at").alias(PARTITION_COLUMN),
            (F.col("position") == 0).alias(FIRST_OF_UPDATE),
        )
    )
