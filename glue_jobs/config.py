"""The Glue job's typed configuration: `JobConfig`, its arrival window and run id rules.

Reads and writes nothing, imports no Spark: the entry script builds a `JobConfig` from the
resolved job arguments (`JobConfig.from_options`) before a session exists, and tests build
one directly. Every tunable reaches the job through here, never read inside a transform.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from lake.privacy import PRIVACY_MODES, PRIVACY_PLAIN, TEXT_KEEP, TEXT_POLICIES

MIB = 1024 * 1024
DEFAULT_TARGET_FILE_BYTES = 128 * MIB
#: Split size of the raw read; Spark's default, good for both small files and NDJSON.
DEFAULT_MAX_PARTITION_BYTES = 128 * MIB
#: What Spark assumes opening one file costs, in bytes, when packing files into tasks. The
#: default (4 MiB) makes every ~1 KiB update file count as 4 MiB: 32 files per task and
#: thousands of tasks for a day. 8 KiB packs thousands of small files per task.
DEFAULT_OPEN_COST_BYTES = 8 * 1024
DEFAULT_MAX_CATCH_UP_DAYS = 30
RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class ArrivalWindow:
    """Inclusive range of UTC arrival days (the raw zone's `dt=` folders)."""

    start: date
    end: date

    @classmethod
    def resolve(cls, start_date: str | None, end_date: str | None, *, today: date) -> ArrivalWindow:
        """Parse the job's dates; without any, the previous UTC day (the scheduled run)."""
        if start_date is None and end_date is None:
            yesterday = today - timedelta(days=1)
            return cls(yesterday, yesterday)
        start = date.fromisoformat(start_date or str(end_date))
        end = date.fromisoformat(end_date or str(start_date))
        if start > end:
            raise ValueError(f"start_date {start} is after end_date {end}")
        return cls(start, end)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def new_run_id(started_at: datetime) -> str:
    """Sortable by start time, unique across concurrent attempts."""
    return f"{started_at:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class JobConfig:
    """Everything one run of the job needs: zone URIs, the window, the tunables.

    URIs are `s3://...` on AWS, `file://...` or plain paths locally. Dates are
    `YYYY-MM-DD` UTC arrival days, inclusive; with neither (the scheduled form) the run
    takes every arrival day after the last published run up to yesterday, at most
    `max_catch_up_days` of them (`glue_jobs.catch_up`).
    `run_id` names the run summary (default: start time + random suffix).
    `ndjson_min_partitions` (default: the session's parallelism) spreads the lines of
    unsplittable `.jsonl.gz` files over that many tasks before parsing.
    """

    raw_uri: str
    curated_uri: str
    quarantine_uri: str
    start_date: str | None = None
    end_date: str | None = None
    run_id: str | None = None
    target_file_bytes: int = DEFAULT_TARGET_FILE_BYTES
    max_partition_bytes: int = DEFAULT_MAX_PARTITION_BYTES
    open_cost_bytes: int = DEFAULT_OPEN_COST_BYTES
    ndjson_min_partitions: int | None = None
    #: Without dates: the most missed arrival days one run takes (the oldest first).
    max_catch_up_days: int = DEFAULT_MAX_CATCH_UP_DAYS
    #: `plain` or `pseudonymous` (people's ids become keyed pseudonyms, names are dropped).
    privacy_mode: str = PRIVACY_PLAIN
    #: `keep` or `drop` (no message text is stored; lengths and word counts stay).
    text_policy: str = TEXT_KEEP
    #: The privacy key: a local key file, or `secretsmanager:NAME_OR_ARN` on AWS. Needed in
    #: pseudonymous mode and once anybody has been forgotten.
    privacy_key_uri: str | None = None
    #: Curated partitions older than this many days are dropped (none by default).
    curated_retention_days: int | None = None

    def __post_init__(self) -> None:
        if self.run_id is not None and not RUN_ID_PATTERN.match(self.run_id):
            raise ValueError(f"run_id {self.run_id!r} must match {RUN_ID_PATTERN.pattern}")
        for name in INT_OPTIONS:
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value}")
        if self.privacy_mode not in PRIVACY_MODES:
            raise ValueError(f"privacy_mode must be one of {', '.join(PRIVACY_MODES)}")
        if self.text_policy not in TEXT_POLICIES:
            raise ValueError(f"text_policy must be one of {', '.join(TEXT_POLICIES)}")

    @property
    def is_scheduled(self) -> bool:
        """No dates given: the window comes from the runs already published."""
        return self.start_date is None and self.end_date is None

    def window(self, *, today: date) -> ArrivalWindow:
        """The window of a run with dates (see `glue_jobs.catch_up` for one without)."""
        return ArrivalWindow.resolve(self.start_date, self.end_date, today=today)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> JobConfig:
        """From resolved job arguments (strings); absent or empty optional ones take defaults.

        On Glue the job run id (`JOB_RUN_ID`) names the run summary unless `run_id` is given,
        so the two are easy to match.
        """
        values: dict[str, Any] = {name: options[name] for name in REQUIRED_OPTIONS}
        for name in ("start_date", "end_date", *TEXT_OPTIONS):
            if options.get(name):
                values[name] = str(options[name])
        run_id = options.get("run_id") or options.get("JOB_RUN_ID")
        if run_id:
            values["run_id"] = str(run_id)
        for name in INT_OPTIONS:
            if options.get(name):
                values[name] = int(options[name])
        return cls(**values)


#: Job arguments without a default.
REQUIRED_OPTIONS: tuple[str, ...] = tuple(
    field.name
    for field in dataclasses.fields(JobConfig)
    if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
)
#: Integer tunables (given on the command line as strings).
INT_OPTIONS: tuple[str, ...] = tuple(
    field.name for field in dataclasses.fields(JobConfig) if field.type in ("int", "int | None")
)
#: Text tunables, passed through as given.
TEXT_OPTIONS: tuple[str, ...] = ("privacy_mode", "text_policy", "privacy_key_uri")
#: Job arguments with a default: getResolvedOptions knows only required ones, so these are
#: requested only when present on the command line.
OPTIONAL_OPTIONS: tuple[str, ...] = tuple(
    field.name for field in dataclasses.fields(JobConfig) if field.name not in REQUIRED_OPTIONS
)
