"""The import's report: what was imported per chat, what was skipped and why, with examples.

`Report.render()` is the text printed at the end of every import; `Report.to_json()` the
same as a JSON-able dict (`--report_json`). Reads and writes nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

EXAMPLES = 3
DETAILS = 50  # distinct details kept per reason; the rest are counted as "other"

#: Every reason an export item is skipped, as the report explains it.
REASONS: dict[str, str] = {
    "after_bot_first_message": "sent after the first message the bot saw in this basic group "
    "or private chat (its ids are per member: the webhook has it)",
    "migrated_group_history": "history of the basic group this supergroup was upgraded from "
    "(pass --migrated_from_chat_id to import it)",
    "migration_chat_unknown": "a migration service message whose other chat the export does not "
    "name",
    "content_not_exported": "no text and no media: Telegram Desktop does not export dice, "
    "stories and some other kinds",
    "unsupported_message": "Telegram Desktop could not export it (type 'unsupported')",
    "action_without_bot_api_message": "a service action with no Bot API service message",
    "unknown_action": "a service action this importer does not know",
    "service_without_action": "a custom service text without an action",
    "pinned_message_unknown": "a pin without the pinned message's id",
    "bad_field": "a field of the wrong type or value (the field is named)",
    "missing_id": "no positive integer id",
    "missing_date": "no date",
    "duplicate_id": "the same message id twice in one chat",
    "not_an_object": "a message that is not a JSON object",
    "unknown_message_type": "a message whose type is neither 'message' nor 'service'",
}
#: Reasons a whole chat is not imported.
CHAT_REASONS: dict[str, str] = {
    "not_selected": "a private chat: a full-account import takes groups, supergroups and "
    "channels (name it with --chat to import it)",
    "left_chat": "a chat you left: the export holds only your own messages there",
    "bad_chat": "the export does not say what chat it is",
}


@dataclass
class ChatReport:
    name: str | None
    export_type: str | None
    export_id: Any
    chat_id: int | None = None
    chat_type: str | None = None
    status: str = "imported"  # imported | nothing new | dry run | skipped
    skip_reason: str | None = None
    skip_detail: str | None = None
    messages_read: int = 0
    messages: int = 0
    edits: int = 0
    service_actions: int = 0
    member_events: int = 0
    already_imported: int = 0
    updates: int = 0
    generation: int | None = None
    files: list[str] = field(default_factory=list)
    first_seen: str | None = None  # per-member chats: where the cut-off came from
    cutoff_at: int | None = None

    def label(self) -> str:
        return f"{self.name!r} ({self.export_type}, export id {self.export_id})"


@dataclass
class Report:
    export: str
    export_kind: str
    export_digest: str
    import_day: str
    raw_uri: str
    dry_run: bool = False
    chats: list[ChatReport] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    details: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    local_times: int = 0
    elapsed_s: float = 0.0

    def skip(self, chat: ChatReport, reason: str, detail: str, message_id: Any) -> None:
        self.skipped[reason] += 1
        details = self.details[reason]
        if detail not in details and len(details) >= DETAILS:
            detail = "other"
        details[detail] += 1
        if len(self.examples[reason]) < EXAMPLES:
            self.examples[reason].append(f"chat {chat.chat_id} message {message_id}: {detail}")

    def totals(self) -> dict[str, int]:
        keys = ("messages_read", "messages", "edits", "service_actions", "member_events")
        totals = {key: sum(getattr(c, key) for c in self.chats) for key in keys}
        totals["already_imported"] = sum(c.already_imported for c in self.chats)
        totals["updates"] = sum(c.updates for c in self.chats)
        totals["files"] = sum(len(c.files) for c in self.chats)
        totals["skipped"] = sum(self.skipped.values())
        return totals

    def to_json(self) -> dict[str, Any]:
        return {
            "export": self.export,
            "export_kind": self.export_kind,
            "export_digest": self.export_digest,
            "import_day": self.import_day,
            "raw_uri": self.raw_uri,
            "dry_run": self.dry_run,
            "totals": self.totals(),
            "chats": [vars(c) for c in self.chats],
            "skipped": {
                reason: {
                    "count": count,
                    "why": REASONS.get(reason, reason),
                    "details": dict(self.details[reason]),
                    "examples": self.examples[reason],
                }
                for reason, count in self.skipped.most_common()
            },
            "times_from_local_dates": self.local_times,
            "elapsed_s": round(self.elapsed_s, 3),
        }

    def render(self) -> str:
        t = self.totals()
        rate = t["messages_read"] / self.elapsed_s if self.elapsed_s else 0.0
        lines = [
            f"History import of {self.export} ({self.export_kind} export) into "
            f"{self.raw_uri}, dt={self.import_day}"
            + (" [dry run: nothing written]" if self.dry_run else ""),
            f"  read {t['messages_read']:,} export messages in {self.elapsed_s:.1f} s "
            f"({rate:,.0f} messages/s); {'would write' if self.dry_run else 'wrote'} "
            f"{t['updates']:,} updates in {t['files']} file(s)",
            f"  messages {t['messages']:,}, edits {t['edits']:,}, service actions "
            f"{t['service_actions']:,}, member events {t['member_events']:,}, already imported "
            f"{t['already_imported']:,}, skipped {t['skipped']:,}",
        ]
        if self.local_times:
            lines.append(f"  {self.local_times:,} times read from local dates with --timezone")
        for chat in self.chats:
            lines.append(f"- chat {chat.chat_id} {chat.label()}: {chat.status}")
            if chat.skip_reason:
                why = CHAT_REASONS.get(chat.skip_reason, chat.skip_reason)
                lines.append(f"    {why}" + (f" ({chat.skip_detail})" if chat.skip_detail else ""))
                continue
            lines.append(
                f"    {chat.messages_read:,} read: {chat.messages:,} messages, "
                f"{chat.edits:,} edits, {chat.service_actions:,} service actions, "
                f"{chat.member_events:,} member events, "
                f"{chat.already_imported:,} already imported"
            )
            if chat.first_seen is not None:
                at = (
                    datetime.fromtimestamp(chat.cutoff_at, UTC).isoformat()
                    if chat.cutoff_at is not None
                    else "never"
                )
                lines.append(
                    f"    message ids are per member here: imported only messages sent before "
                    f"the bot's first one ({at}, from {chat.first_seen})"
                )
            verb = "would write" if self.dry_run else "wrote"
            for name in chat.files:
                lines.append(f"    {verb} {name} (import generation {chat.generation})")
        if self.skipped:
            lines.append("Skipped:")
            for reason, count in self.skipped.most_common():
                details = ", ".join(f"{d} {n}" for d, n in self.details[reason].most_common(5))
                lines.append(f"  {reason} {count:,}: {REASONS.get(reason, reason)} [{details}]")
                lines.extend(f"    e.g. {example}" for example in self.examples[reason])
        return "\n".join(lines)
