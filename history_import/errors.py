"""Why an import stops before writing anything. Reads and writes nothing.

Every error here is the user's input, not a bug: the command line prints the message and
exits with status 2, and nothing has been written to the lake.
"""

from __future__ import annotations


class ImportRefusedError(Exception):
    """The import cannot go ahead; the message says why and what to do."""


class NotAnExportError(ImportRefusedError):
    """The file is not a Telegram Desktop machine-readable JSON export (or is truncated)."""


class TimezoneRequiredError(ImportRefusedError):
    """An export from before `date_unixtime` existed, read without `--timezone`."""


class ChatNotFoundError(ImportRefusedError):
    """`--chat` names no chat of the export, or more than one."""


class RegisterConflictError(ImportRefusedError):
    """Another import of the same chat committed first (two imports ran at once)."""


class FieldError(ValueError):
    """One field of one export message has the wrong type or value: the message is skipped
    (reason `bad_field`, the field named in the report), the rest of the import goes on."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
