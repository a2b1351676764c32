"""One import, start to end: check the export, pick its chats, map, write, commit, register.

`run_import(options)` reads the export (`history_import.reader`), decides which chats to
import (a single-chat export: its chat; a full-account export: `--chat`, or every group,
supergroup and channel), loads each chat's register, finds the cut-off of basic groups and
private chats (`history_import.cutoff`), maps every message (`history_import.mapper`) and
writes what the register does not hold yet as staged parts (`history_import.writer`). Only
when the whole file has been read without error are the parts committed and then the
register entries created; any error before that aborts every staged part, so a failed import
writes nothing. Returns the `Report`. Reads the export, the register and (for cut-offs) the
curated or raw zone; writes `{raw_uri}/dt={import day}/history_*.jsonl.gz` and
`{raw_uri}/_imports/{chat_id}/gNNNNN.json`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from history_import.chats import (
    DEFAULT_BOT_API_TYPES,
    MIGRATED_MESSAGE_ID_SHIFT,
    SUPERGROUP,
    BotApiChat,
    bot_api_chat,
    chat_problem,
    legacy_group_chat,
    selector_matches,
)
from history_import.cutoff import find_first_seen
from history_import.errors import ChatNotFoundError, ImportRefusedError, RegisterConflictError
from history_import.index import WINDOW, MessageIndex
from history_import.mapper import ChatMapper, Mapped
from history_import.progress import ProgressBar
from history_import.reader import SINGLE, Export, iter_messages, open_export
from history_import.register import ChatRegister, RegisterEntry, entry_key, load_register
from history_import.report import ChatReport, Report
from history_import.store import Staged, Store, open_store
from history_import.times import ExportClock, parse_zone
from history_import.update_ids import KIND_EDIT, KIND_MEMBER, synthetic_update_id
from history_import.writer import MAX_LINES_PER_PART, PartWriter


@dataclass(frozen=True)
class ImportOptions:
    export: Path
    raw_uri: str
    chat: str | None = None
    timezone: str | None = None
    curated_uri: str | None = None
    bot_first_seen: str | None = None
    migrated_from_chat_id: int | None = None
    dry_run: bool = False
    max_lines_per_part: int = MAX_LINES_PER_PART
    index_window: int = WINDOW


PROGRESS_EVERY = 4095  # the bar's message count is refreshed every 4096 messages


class _Discard:
    """A staged object that keeps nothing (dry runs)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def write(self, data: bytes) -> int:
        return len(data)

    def close(self) -> None:
        pass

    commit = abort = flush = close


class _DryRun:
    def __init__(self, store: Store) -> None:
        self.uri = store.uri

    def stage(self, key: str) -> Staged:
        return _Discard(key)


class ChatImport:
    """Maps one chat's messages and writes what its register does not hold yet."""

    def __init__(self, run: _Run, chat: BotApiChat, report: ChatReport, **mapper: Any) -> None:
        self.run, self.chat, self.report = run, chat, report
        report.chat_id, report.chat_type = chat.id, chat.type
        self.register: ChatRegister = load_register(run.store, chat.id)
        cutoff = None
        if chat.per_member_ids:
            seen = find_first_seen(
                chat.id, explicit=run.options.bot_first_seen, curated=run.curated, raw=run.store
            )
            cutoff, report.first_seen, report.cutoff_at = seen.at, seen.source, seen.at
        self.mapper = ChatMapper(
            chat,
            run.clock,
            id_shift=mapper.pop("id_shift", chat.message_id_offset),
            cutoff=cutoff,
            migrate_to_chat_id=mapper.pop("migrate_to_chat_id", None),
            migrate_from_chat_id=mapper.pop("migrate_from_chat_id", None),
            index=MessageIndex(run.options.index_window),
        )
        self.entry = RegisterEntry(
            chat_id=chat.id,
            generation=self.register.generation + 1,
            export_digest=run.export.digest,
            export_name=run.export.path.name,
            imported_at=run.now.isoformat(timespec="seconds"),
            chat_type=chat.type,
            chat_title=chat.title,
            cutoff=cutoff,
        )
        self.writer: PartWriter | None = None
        self.legacy: ChatImport | None = None

    def add(self, raw: Any) -> None:
        self.report.messages_read += 1
        export_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(export_id, int) and export_id < 0 and self.chat.type == SUPERGROUP:
            self._legacy(raw, export_id)
            return
        result = self.mapper.map(raw)
        if isinstance(result, Mapped):
            self._emit(result)
        else:
            self.run.report.skip(self.report, result.reason, result.detail, export_id)

    def _legacy(self, raw: Any, export_id: int) -> None:
        """A message of the basic group this supergroup was upgraded from."""
        source = self.run.options.migrated_from_chat_id
        if source is None:
            self.run.report.skip(self.report, "migrated_group_history", "id < 0", export_id)
            return
        if self.legacy is None:
            group = legacy_group_chat(source, self.chat.title)
            report = ChatReport(f"{self.chat.title} (before the upgrade)", "private_group", source)
            self.run.report.chats.append(report)
            self.legacy = ChatImport(
                self.run,
                group,
                report,
                id_shift=-MIGRATED_MESSAGE_ID_SHIFT + group.message_id_offset,
                migrate_to_chat_id=self.chat.id,
            )
        self.report.messages_read -= 1  # counted by the group's own report
        self.legacy.add(raw)

    def _emit(self, mapped: Mapped) -> None:
        emit_message, emit_edit = self.register.new_updates(mapped.message_id, mapped.edit_date)
        if not (emit_message or emit_edit):
            self.report.already_imported += 1
            return
        if self.writer is None:
            self.writer = PartWriter(
                self.run.staging,  # type: ignore[arg-type]
                import_day=self.run.import_day,
                chat_id=self.chat.id,
                generation=self.entry.generation,
                export_digest=self.run.export.digest,
                max_lines=self.run.options.max_lines_per_part,
            )
        for emitted in mapped.updates:
            if emitted.kind == KIND_EDIT and not emit_edit:
                continue
            if emitted.kind != KIND_EDIT and not emit_message:
                continue
            update_id = synthetic_update_id(
                self.chat.id, mapped.message_id, emitted.kind, emitted.extra
            )
            self.writer.write({"update_id": update_id, emitted.update_type: emitted.message})
            self.report.updates += 1
            if emitted.kind == KIND_EDIT:
                self.report.edits += 1
            elif emitted.kind == KIND_MEMBER:
                self.report.member_events += 1
            elif mapped.is_service:
                self.report.service_actions += 1
            else:
                self.report.messages += 1
        if emit_message:
            self.entry.message_ids.add(mapped.message_id)
        if emit_edit and mapped.edit_date is not None:
            self.entry.add_edit(mapped.message_id, mapped.edit_date)

    def finish(self) -> list[ChatImport]:
        """Close the last part; this chat (and its pre-upgrade group) with what they wrote."""
        self.mapper.close()
        done = [self]
        if self.writer is not None:
            self.entry.files = self.writer.close()
            self.entry.updates = self.writer.lines
            self.report.files = list(self.entry.files)
            self.report.generation = self.entry.generation
        dry = self.run.options.dry_run
        self.report.status = (
            "dry run" if dry and self.writer else ("imported" if self.writer else "nothing new")
        )
        if self.legacy is not None:
            done += self.legacy.finish()
        return done

    def abort(self) -> None:
        self.mapper.close()
        if self.writer is not None:
            self.writer.abort()
        if self.legacy is not None:
            self.legacy.abort()


class _Run:
    """The state of one import run shared by its chats."""

    def __init__(
        self,
        options: ImportOptions,
        export: Export,
        now: datetime,
        store: Store,
        curated: Store | None,
    ):
        self.options, self.export, self.now = options, export, now
        self.store, self.curated = store, curated
        self.staging: Store | _DryRun = _DryRun(store) if options.dry_run else store
        self.clock = ExportClock(parse_zone(options.timezone) if options.timezone else None)
        self.import_day = now.date().isoformat()
        self.report = Report(
            export=str(export.path),
            export_kind=export.kind,
            export_digest=export.digest,
            import_day=self.import_day,
            raw_uri=options.raw_uri,
            dry_run=options.dry_run,
        )


def _select(export: Export, options: ImportOptions, report: Report) -> dict[int, ChatReport]:
    """Which chats to import (index in export.chats -> its report); the others are reported."""
    reports = [ChatReport(c.name, c.type, c.id) for c in export.chats]
    report.chats.extend(reports)
    chats = export.chats
    if options.chat is not None:
        matches = [i for i, c in enumerate(chats) if selector_matches(c, options.chat)]
        if len(matches) != 1:
            names = ", ".join(c.label for c in chats[:20])
            what = "no chat" if not matches else f"{len(matches)} chats"
            raise ChatNotFoundError(
                f"--chat {options.chat!r} matches {what} of this export: {names}"
            )
        chosen = matches
    elif export.kind == SINGLE:
        chosen = [0]
    else:
        chosen = [
            i
            for i, c in enumerate(chats)
            if not c.left
            and chat_problem(c) is None
            and bot_api_chat(c).type in DEFAULT_BOT_API_TYPES
        ]
    selected: dict[int, ChatReport] = {}
    for i, (chat, chat_report) in enumerate(zip(chats, reports, strict=True)):
        problem = chat_problem(chat)
        if i in chosen and problem is None and not chat.left:
            selected[i] = chat_report
            continue
        chat_report.status = "skipped"
        if i in chosen and (problem is not None or chat.left):
            why = problem or "a chat you left: the export holds only your own messages there"
            raise ImportRefusedError(f"cannot import {chat.label}: {why}")
        chat_report.skip_reason = (
            "bad_chat" if problem else ("left_chat" if chat.left else "not_selected")
        )
        chat_report.skip_detail = problem
    if options.migrated_from_chat_id is not None:
        kinds = [bot_api_chat(export.chats[i]).type for i in selected]
        if kinds != [SUPERGROUP]:
            raise ImportRefusedError(
                "--migrated_from_chat_id needs exactly one supergroup (use --chat)"
            )
    return selected


def run_import(
    options: ImportOptions,
    *,
    now: datetime | None = None,
    s3_client: Any = None,
    progress: ProgressBar | None = None,
) -> Report:
    """Import one export (see the module docstring); raises ImportRefusedError subclasses."""
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    if options.timezone:
        parse_zone(options.timezone)  # refuse a bad zone before reading anything
    bar = progress or ProgressBar(0, enabled=False)
    bar.total = max(options.export.stat().st_size, 1) if options.export.is_file() else 1
    bar.phase("checking")
    export = open_export(options.export, bar.read)
    store = open_store(options.raw_uri, s3_client)
    curated = open_store(options.curated_uri, s3_client) if options.curated_uri else None
    run = _Run(options, export, now, store, curated)
    selected = _select(export, options, run.report)
    finished: list[ChatImport] = []
    current: tuple[int, ChatImport] | None = None
    try:
        bar.phase("importing")
        for count, (owner, raw) in enumerate(iter_messages(export, bar.read), 1):
            if not count & PROGRESS_EVERY:
                bar.messages = count
            if owner not in selected:
                continue
            if current is None or current[0] != owner:
                if current is not None:
                    finished += current[1].finish()
                chat = bot_api_chat(export.chats[owner])
                extra = {}
                if options.migrated_from_chat_id is not None:
                    extra["migrate_from_chat_id"] = legacy_group_chat(
                        options.migrated_from_chat_id, None
                    ).id
                current = (owner, ChatImport(run, chat, selected[owner], **extra))
            current[1].add(raw)
        if current is not None:
            finished += current[1].finish()
            current = None
        bar.close()
        for i, chat_report in selected.items():
            if chat_report.chat_id is None:  # no messages at all
                chat_report.chat_id = bot_api_chat(export.chats[i]).id
                chat_report.status = "nothing new"
        if not options.dry_run:
            _commit(run, finished)
    except BaseException:
        if current is not None:
            current[1].abort()
        for chat_import in finished:
            chat_import.abort()
        raise
    run.report.local_times = run.clock.local_reads
    run.report.elapsed_s = time.perf_counter() - started
    return run.report


def _commit(run: _Run, chats: list[ChatImport]) -> None:
    """Make the parts visible, then record them in the register (exclusively)."""
    writing = [c for c in chats if c.writer is not None]
    for chat in writing:
        if run.store.read(entry_key(chat.chat.id, chat.entry.generation)) is not None:
            raise RegisterConflictError(
                f"another import of chat {chat.chat.id} committed generation "
                f"{chat.entry.generation} while this one ran; nothing was written, run it again"
            )
    for chat in writing:
        assert chat.writer is not None
        for staged in chat.writer.staged:
            staged.commit()
    for chat in writing:
        if not run.store.put_exclusive(
            entry_key(chat.chat.id, chat.entry.generation), chat.entry.to_json()
        ):
            raise RegisterConflictError(
                f"another import of chat {chat.chat.id} registered generation "
                f"{chat.entry.generation} at the same time; this import's files are written but "
                "not registered: run it again (the job counts repeated updates as duplicates)"
            )
