"""pyarrow schemas of the hand-written test contract (`tests/contract.py`), for test lakes.

Tests that write curated Parquet files by hand (the views and dashboard tests) take their
schemas from here, so the test contract is written once. Derived only from
`tests.contract`, never from production code: a drift between the contract and the
production table specs must still fail a test. Reads and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from tests.contract import (
    CHAT_MIGRATIONS_COLUMNS,
    JOIN_REQUESTS_COLUMNS,
    MEMBER_EVENTS_COLUMNS,
    MESSAGES_COLUMNS,
    REACTIONS_COLUMNS,
    Column,
)

# The contract's Athena/Spark type names -> the Arrow types the Glue job's Parquet holds.
# Timestamps are UTC instants (the writer may store them as INT96, as Spark does).
ARROW_TYPES: dict[str, pa.DataType] = {
    "bigint": pa.int64(),
    "int": pa.int32(),
    "string": pa.string(),
    "boolean": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
    "double": pa.float64(),
    "array<bigint>": pa.list_(pa.int64()),
}


def pyarrow_schema(columns: Iterable[Column]) -> pa.Schema:
    """A pyarrow schema of `(name, type)` contract columns, in order."""
    return pa.schema([(name, ARROW_TYPES[column_type]) for name, column_type in columns])


#: The curated tables' contract columns (no `dt`: it is the folder, not a file column).
MESSAGES_SCHEMA = pyarrow_schema(MESSAGES_COLUMNS)
MEMBER_EVENTS_SCHEMA = pyarrow_schema(MEMBER_EVENTS_COLUMNS)
CHAT_MIGRATIONS_SCHEMA = pyarrow_schema(CHAT_MIGRATIONS_COLUMNS)
REACTIONS_SCHEMA = pyarrow_schema(REACTIONS_COLUMNS)
JOIN_REQUESTS_SCHEMA = pyarrow_schema(JOIN_REQUESTS_COLUMNS)
