"""The curated tables as the Glue job builds them: one `CuratedTable` per `lake.tables` spec.

Reads and writes nothing. Each entry says which outcome kinds feed the table, how flat
updates become its incoming rows, how those fold into the rows it already has, what is
observed while the merged rows are written, and what the run summary reports for it. The
job (`glue_jobs.job`) loops over `CURATED_TABLES`: a new table is one entry here, its spec
in `lake.tables`, and its `target` in the classification (`glue_jobs.updates`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from pyspark.sql import Column, DataFrame
from pyspark.sql.types import StructType

from glue_jobs.chat_migrations import merge_migrations, migration_metrics, migration_rows
from glue_jobs.join_requests import join_request_rows
from glue_jobs.keyed import keyed_merge_metrics, merge_keyed
from glue_jobs.member_events import member_event_rows
from glue_jobs.messages import merge_messages, message_merge_metrics, message_versions
from glue_jobs.outcomes import (
    KIND_EDIT,
    KIND_JOIN_REQUEST,
    KIND_MEMBER,
    KIND_MESSAGE,
    KIND_REACTION,
)
from glue_jobs.reactions import reaction_rows
from glue_jobs.schema import spark_schema
from lake.tables import (
    CHAT_MIGRATIONS,
    JOIN_REQUESTS,
    MEMBER_EVENTS,
    MESSAGES,
    REACTIONS,
    TableSpec,
)


@dataclass(frozen=True)
class TableCounts:
    """A table's part of the run summary."""

    #: Counts reported under the run summary's `counts` (e.g. `new_rows`).
    counts: dict[str, int]
    #: Incoming updates that were new to the curated zone; the table's other lines are
    #: duplicates (repeated in the run, or folded in by an earlier run).
    new_updates: int


@dataclass(frozen=True)
class CuratedTable:
    """How the job builds one curated table."""

    spec: TableSpec
    #: Outcome kinds whose lines the table accounts for in the run summary (the lines that
    #: feed it are those whose `target` is the table's name; their event days are the
    #: partitions the run rewrites).
    kinds: tuple[str, ...]
    #: Flat updates -> incoming rows (duplicate lines kept).
    rows: Callable[[DataFrame], DataFrame]
    #: (existing rows of the touched partitions, incoming rows) -> merged rows in the table's
    #: column order, plus count columns that `metrics` sums.
    merge: Callable[[DataFrame, DataFrame], DataFrame]
    #: Aggregates observed over the merged rows while they are written (no second pass).
    metrics: Callable[[], list[Column]]
    #: (observed metrics, lines of `kinds` read) -> the table's part of the run summary.
    summarize: Callable[[Mapping[str, int], int], TableCounts]
    #: Days around each touched day whose partitions are read and rewritten too: for a table
    #: whose row may move to a neighbouring day when an earlier report of it arrives.
    neighbour_days: int = 0

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def schema(self) -> StructType:
        return spark_schema(self.spec)

    def max_records_per_file(self, target_file_bytes: int) -> int:
        return max(1, target_file_bytes // self.spec.row_bytes)


def _summarize_messages(metrics: Mapping[str, int], lines: int) -> TableCounts:
    if lines != metrics.get("incoming_lines", 0):
        raise RuntimeError("message lines lost between classification and merge")
    new_rows = metrics.get("new_originals", 0)
    edits_merged = metrics.get("new_edits", 0)
    return TableCounts(
        counts={"new_rows": new_rows, "edits_merged": edits_merged},
        new_updates=new_rows + edits_merged,
    )


def _summarize_keyed(count_name: str) -> Callable[[Mapping[str, int], int], TableCounts]:
    def summarize(metrics: Mapping[str, int], lines: int) -> TableCounts:
        new_updates = metrics.get("new_updates", 0)
        return TableCounts(counts={count_name: new_updates}, new_updates=new_updates)

    return summarize


def _summarize_migrations(metrics: Mapping[str, int], lines: int) -> TableCounts:
    # Migration lines are counted as ignored service messages (`service:migrate_*`).
    return TableCounts(counts={}, new_updates=0)


def _keyed(spec: TableSpec) -> Callable[[DataFrame, DataFrame], DataFrame]:
    return partial(merge_keyed, spec)


CURATED_TABLES: tuple[CuratedTable, ...] = (
    CuratedTable(
        spec=MESSAGES,
        kinds=(KIND_MESSAGE, KIND_EDIT),
        rows=message_versions,
        merge=merge_messages,
        metrics=message_merge_metrics,
        summarize=_summarize_messages,
    ),
    CuratedTable(
        spec=MEMBER_EVENTS,
        kinds=(KIND_MEMBER,),
        rows=member_event_rows,
        merge=_keyed(MEMBER_EVENTS),
        metrics=keyed_merge_metrics,
        summarize=_summarize_keyed("member_event_updates"),
    ),
    CuratedTable(
        spec=CHAT_MIGRATIONS,
        kinds=(),
        rows=migration_rows,
        merge=merge_migrations,
        metrics=migration_metrics,
        summarize=_summarize_migrations,
        # The two reports of one migration can straddle midnight UTC.
        neighbour_days=1,
    ),
    CuratedTable(
        spec=REACTIONS,
        kinds=(KIND_REACTION,),
        rows=reaction_rows,
        merge=_keyed(REACTIONS),
        metrics=keyed_merge_metrics,
        summarize=_summarize_keyed("reaction_updates"),
    ),
    CuratedTable(
        spec=JOIN_REQUESTS,
        kinds=(KIND_JOIN_REQUEST,),
        rows=join_request_rows,
        merge=_keyed(JOIN_REQUESTS),
        metrics=keyed_merge_metrics,
        summarize=_summarize_keyed("join_request_updates"),
    ),
)
