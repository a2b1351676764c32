"""The webhook's CloudWatch metric names, shared by the handler (EMF) and the alarms (CDK).

Every request publishes exactly one of STORED, REJECTED or FAILED (value 1, unit Count) in
NAMESPACE, once per dimension set of DIMENSION_SETS: split by UPDATE_TYPE_DIMENSION, and
once without dimensions (the empty set), the total that the alarms watch.
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
