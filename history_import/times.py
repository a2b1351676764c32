"""Times of an export message, in Unix seconds (UTC), as the Bot API spells them.

Telegram Desktop writes every time twice: `date` / `edited` as the exporting computer's
local wall time without a zone (`2026-10-05T21:14:03`), and, since version 4.0 (June 2022),
`date_unixtime` / `edited_unixtime` as Unix seconds in a string. Only the Unix form is
unambiguous, so it is always preferred. An older export has only the local form: reading
it needs the zone of the computer that made the export (`--timezone`, an IANA name), and
without one the import refuses to start rather than guess. In the hour repeated when
clocks go back, a local time is ambiguous; the first of the two instants is taken.
Reads and writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from history_import.errors import FieldError, ImportRefusedError, TimezoneRequiredError

DATE = ("date_unixtime", "date")
EDITED = ("edited_unixtime", "edited")


def parse_zone(name: str) -> ZoneInfo:
    """The IANA zone `name` (`America/Sao_Paulo`), or a refusal naming the problem."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ImportRefusedError(
            f"--timezone {name!r} is not an IANA time zone name (e.g. Europe/Berlin)"
        ) from error


def unix_seconds(field: str, value: Any) -> int:
    """`"1793579460"` or 1793579460 -> 1793579460; anything else is a FieldError."""
    if isinstance(value, str) and value.isdigit():
        seconds = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    else:
        raise FieldError(field, f"not Unix seconds: {value!r}")
    if seconds <= 0:
        raise FieldError(field, f"not a time: {value!r}")
    return seconds


class ExportClock:
    """Reads the times of export messages; `zone` is needed only for pre-2022 exports."""

    def __init__(self, zone: ZoneInfo | None = None) -> None:
        self.zone = zone
        #: How many times were read from the local form (reported: they depend on --timezone).
        self.local_reads = 0

    def moment(self, message: dict[str, Any], keys: tuple[str, str]) -> int | None:
        """Unix seconds of `keys` = (unix field, local field); None when both are absent."""
        unix_key, local_key = keys
        if unix_key in message:
            return unix_seconds(unix_key, message[unix_key])
        local = message.get(local_key)
        if local is None:
            return None
        if not isinstance(local, str):
            raise FieldError(local_key, f"not a date: {local!r}")
        try:
            wall = datetime.fromisoformat(local)
        except ValueError as error:
            raise FieldError(local_key, f"not an ISO date: {local!r}") from error
        if wall.tzinfo is None:
            if self.zone is None:
                raise TimezoneRequiredError(
                    f"this export has no {unix_key!r} (Telegram Desktop before 4.0 wrote only "
                    f"the local wall time {local!r}, without a time zone). Pass --timezone "
                    "with the IANA zone of the computer that made the export, e.g. "
                    "--timezone America/Sao_Paulo. Nothing was written."
                )
            wall = wall.replace(tzinfo=self.zone, fold=0)
        self.local_reads += 1
        return int(wall.timestamp())

    def local_date(self, field: str, value: Any) -> int | None:
        """A zone-less date inside content (a giveaway's `until_date`): Unix seconds when the
        zone is known, else None (the content keeps everything else)."""
        if not isinstance(value, str) or self.zone is None:
            return None
        try:
            wall = datetime.fromisoformat(value)
        except ValueError as error:
            raise FieldError(field, f"not an ISO date: {value!r}") from error
        if wall.tzinfo is None:
            wall = wall.replace(tzinfo=self.zone, fold=0)
        return int(wall.timestamp())
