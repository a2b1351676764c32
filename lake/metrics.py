"""CloudWatch metric names, shared by the code that emits them and the alarms (CDK).

Every webhook request publishes exactly one of STORED, REJECTED or FAILED (value 1, unit Count) in
NAMESPACE, once per dimension set of DIMENSION_SETS: split by UPDATE_TYPE_DIMENSION, and
once without dimensions (the empty set), the total that the alarms watch. The Glue job's
catch-up marker (a log line, counted by a metric filter) is at the end.
Reads and writes nothing.
"""

from __future__ import annotations

NAMESPACE = "TelegramLake"

# --- metric names (one per request outcome) -----------------------------------------------

STORED = "Stored"
REJECTED = "Rejected"
FAILED = "Failed"
OUTCOME_METRICS: tuple[str, ...] = (STORED, REJECTED, FAILED)
COUNT_UNIT = "Count"

# --- dimensions ---------------------------------------------------------------------------

#: The update's kind (`message`, `edited_message`, ...; `none` when the body was not parsed).
UPDATE_TYPE_DIMENSION = "UpdateType"
#: Each set publishes the metric once more: per update type, and the dimensionless total
#: (an empty set), which a CloudWatch alarm can watch directly.
DIMENSION_SETS: tuple[tuple[str, ...], ...] = ((UPDATE_TYPE_DIMENSION,), ())

# --- the Glue job's catch-up bound ----------------------------------------------------------

#: The Glue job logs one line containing this marker when a scheduled run could not take
#: every missed arrival day (more than `--max_catch_up_days`). A CloudWatch Logs metric
#: filter on the job's log groups counts it as CATCH_UP_BOUND_EXCEEDED_METRIC, in NAMESPACE,
#: and an alarm fires on it. Plain text, no double quote: it is matched as a quoted phrase.
CATCH_UP_BOUND_EXCEEDED = "telegram-lake: catch-up bound exceeded"
CATCH_UP_BOUND_EXCEEDED_METRIC = "CatchUpBoundExceeded"
