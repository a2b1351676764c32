"""pyarrow schemas of the curated tables, derived from their specs in `lake.tables`.

The baselines write the same contract columns (and `dt`) as the Glue job, with these
schemas. Reads and writes nothing.
"""

from __future__ import annotations

import pyarrow as pa

from lake.tables import TableSpec

_ARROW_TYPES: dict[str, pa.DataType] = {
    "bigint": pa.int64(),
    "int": pa.int32(),
    "string": pa.string(),
    "boolean": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
    "double": pa.float64(),
}


def arrow_type(type_name: str) -> pa.DataType:
    if type_name.startswith("array<") and type_name.endswith(">"):
        return pa.list_(arrow_type(type_name[len("array<") : -1]))
    return _ARROW_TYPES[type_name]


def arrow_schema(table: TableSpec) -> pa.Schema:
    """Contract columns and the partition column (no bookkeeping), in the table's order."""
    return pa.schema([(column.name, arrow_type(column.type)) for column in table.query_columns])
