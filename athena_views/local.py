"""Run the Athena views locally: a DuckDB connection over the curated Parquet files.

Reads `{curated_uri}/{table}/dt=*/*.parquet` for every curated table of `lake.tables`
(`messages`, `member_events`, `chat_migrations`, `reactions`, `join_requests`; Hive
partitions, as the Glue job writes them) and the view SQL of `athena_views/views/`.
Writes nothing: the tables and views are DuckDB views (in memory unless `database` says
otherwise) over the files.

The Athena SQL files are the only copy of the view logic. Each view is transpiled with
sqlglot (read "athena", write "duckdb") plus a few AST rewrites, each for a Trino function
whose DuckDB translation sqlglot gets wrong or leaves out (see `to_duckdb`):

- `with_timezone(ts, zone)` (Trino: a zone-less timestamp read as wall time in `zone`) ->
  DuckDB `timezone(zone, ts)`, which means the same. `x at time zone z` applied to its
  result already means the same in both engines (the instant seen on z's wall clock), so it
  is kept; any other `at time zone` (on a zone-less timestamp the engines disagree) is
  refused.
- `approx_percentile(x, q)` -> `quantile_disc(x, q)`: an exact value of the set locally,
  so that tests can state expected medians; Athena answers approximately.
- `max_by` / `min_by` -> `arg_max_null` / `arg_min_null`: Trino keeps a null `x` found at the
  maximum `y`; DuckDB's `arg_max` would skip it and return an older value.
- `from t cross join unnest(t.array) as u (x)` -> `from (select t.*, unnest(t.array) as x
  from t) as t` (references to `u.x` become `t.x`). Same rows; but DuckDB plans the
  lateral form as a join that, once a filter on `x` is pushed into it, costs ~40x more (7 s
  instead of 0.2 s of CPU for 6M words in top_words). The unnested column must not also be
  a column of `t`.

The connection's TimeZone is UTC, like Athena's session: Parquet timestamps written as
"adjusted to UTC" and INT96 ones both read as UTC wall times.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from athena_views.sql import (
    DEFAULT_TIMEZONE,
    SQL_DIALECT,
    STAGING_LAYER,
    load_views,
    validate_timezone,
    view_files,
)
from athena_views.tables import PARTITION_COLUMN, TABLES, TableSpec, duckdb_type
from lake.uri import FILE_SCHEME, uri_scheme
from lake.uri import local_path as lake_local_path
from lake.zones import PARTITION_PREFIX, table_uri

DEFAULT_CURATED_URI = "./.lake/curated"

_FUNCTION_RENAMES = {
    exp.ArgMax: "arg_max_null",
    exp.ArgMin: "arg_min_null",
    exp.ApproxQuantile: "quantile_disc",
}


class UnsupportedSqlError(ValueError):
    """The view SQL uses a construct that would not mean the same in Athena and DuckDB."""


def local_path(curated_uri: str) -> str:
    """A `file://` URI or plain path as a local path; any other URI unchanged (no `/` at end).

    DuckDB reads `s3://` itself (with its httpfs extension), so only local forms change.
    """
    if uri_scheme(curated_uri) != FILE_SCHEME or "://" not in curated_uri:
        return curated_uri.rstrip("/") or curated_uri
    return str(lake_local_path(curated_uri))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rewrite_node(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.AtTimeZone):
        operand = node.this
        if not (isinstance(operand, exp.Anonymous) and operand.name.lower() == "with_timezone"):
            raise UnsupportedSqlError(
                "'at time zone' must apply to with_timezone(...): on a zone-less timestamp "
                f"Trino and DuckDB disagree ({node.sql(dialect=SQL_DIALECT)})"
            )
        return node
    if isinstance(node, exp.Anonymous) and node.name.lower() == "with_timezone":
        timestamp, zone = node.expressions
        return exp.Anonymous(this="timezone", expressions=[zone, timestamp])
    for node_type, duckdb_name in _FUNCTION_RENAMES.items():
        if type(node) is node_type:
            args = [node.this, node.args.get("expression") or node.args.get("quantile")]
            return exp.Anonymous(this=duckdb_name, expressions=args)
    return node


def _unnest_join_to_select(node: exp.Expression) -> exp.Expression:
    """`select ... from t cross join unnest(a) as u (x)` -> unnest in a subquery's select."""
    if not isinstance(node, exp.Select):
        return node
    joins = node.args.get("joins") or []
    source = node.args.get("from_")
    if len(joins) != 1 or source is None or not isinstance(source.this, exp.Table):
        return node
    join = joins[0]
    unnest = join.this
    if not isinstance(unnest, exp.Unnest) or join.args.get("on") or join.args.get("using"):
        return node
    alias = unnest.args.get("alias")
    if not isinstance(alias, exp.TableAlias) or len(alias.columns) != 1:
        raise UnsupportedSqlError(f"unnest needs 'as alias (column)': {node.sql(SQL_DIALECT)}")
    if len(unnest.expressions) != 1 or unnest.args.get("offset"):
        raise UnsupportedSqlError(f"unnest of one array only: {node.sql(SQL_DIALECT)}")
    table = source.this
    table_name = table.alias_or_name
    unnest_alias = alias.name
    column = alias.columns[0].name
    inner = exp.select(
        exp.Column(this=exp.Star(), table=exp.to_identifier(table_name)),
        exp.alias_(exp.Explode(this=unnest.expressions[0].copy()), column),
    ).from_(table.copy())
    rewritten = node.copy()
    rewritten.set("joins", None)
    rewritten.set(
        "from_",
        exp.From(
            this=exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(table_name)))
        ),
    )
    for ref in rewritten.find_all(exp.Column):
        if ref.table == unnest_alias:
            ref.set("table", exp.to_identifier(table_name))
    return rewritten


def to_duckdb(athena_sql: str) -> str:
    """Transpile one Athena (Trino) statement to DuckDB SQL, with the rewrites above."""
    tree = sqlglot.parse_one(athena_sql, read=SQL_DIALECT)
    # Check every `at time zone` before with_timezone(...) below it is renamed.
    for node in tree.find_all(exp.AtTimeZone):
        _rewrite_node(node)
    rewritten = tree.transform(_rewrite_node).transform(_unnest_join_to_select)
    return rewritten.sql(dialect="duckdb", pretty=True, comments=False)


def _distinct_schemas(con: duckdb.DuckDBPyConnection, pattern: str) -> int:
    """How many different Parquet schemas the files matching `pattern` have (0: no file)."""
    found = con.execute("select count(*) from glob(?)", [pattern]).fetchone()
    if not found or not found[0]:
        return 0
    schemas = con.execute(
        "select count(distinct signature) from ("
        "  select string_agg(name || ':' || coalesce(type, ''), ',' order by name) as signature"
        "  from parquet_schema(?) group by file_name)",
        [pattern],
    ).fetchone()
    return int(schemas[0]) if schemas else 0


def _table_select(table: TableSpec, curated_path: str, con: duckdb.DuckDBPyConnection) -> str:
    """A select with the table's contract columns and types over its Parquet files.

    Columns missing from every file (older files, a future column) read as typed nulls; a
    table without files reads as an empty relation with the same schema. Files with
    different schemas (a column added later) are read with `union_by_name`, which costs a
    footer read per file on every query, so only when the schemas do differ.
    """
    pattern = f"{table_uri(curated_path, table.name)}/{PARTITION_PREFIX}*/*.parquet"
    schemas = _distinct_schemas(con, pattern)
    if schemas == 0:
        typed_nulls = ",\n    ".join(
            f"cast(null as {duckdb_type(column.type)}) as {column.name}"
            for column in table.query_columns
        )
        return f"select\n    {typed_nulls}\nwhere false"
    source = (
        f"read_parquet({_quote(pattern)}, hive_partitioning = true, "
        f"hive_types = {{'{PARTITION_COLUMN}': 'DATE'}}"
        f"{', union_by_name = true' if schemas > 1 else ''})"
    )
    present = {row[0] for row in con.execute(f"describe select * from {source}").fetchall()}
    columns = []
    for column in table.data_columns:
        value = column.name if column.name in present else "null"
        columns.append(f"cast({value} as {duckdb_type(column.type)}) as {column.name}")
    # The partition column is passed through uncast: a cast would hide it from DuckDB's
    # partition pruning (hive_types already types it DATE).
    columns.append(PARTITION_COLUMN)
    return "select\n    " + ",\n    ".join(columns) + f"\nfrom {source}"


def create_tables(con: duckdb.DuckDBPyConnection, curated_uri: str) -> None:
    """Create (or replace) the curated tables as DuckDB views over the Parquet files."""
    curated_path = local_path(curated_uri)
    for table in TABLES.values():
        con.execute(
            f"create or replace view {table.name} as\n{_table_select(table, curated_path, con)}"
        )


def _drop_relation(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a view or table of that name, whichever exists (DuckDB refuses the wrong kind)."""
    found = con.execute(
        "select table_type from information_schema.tables "
        "where table_schema = current_schema() and table_name = ?",
        [name],
    ).fetchone()
    if found:
        con.execute(f"drop {'view' if found[0] == 'VIEW' else 'table'} {name}")


def create_views(
    con: duckdb.DuckDBPyConnection,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    materialize_staging: bool = False,
) -> None:
    """Create (or replace) every Athena view, transpiled to DuckDB, in dependency order.

    With `materialize_staging`, the staging views (`views/staging/`) become in-memory tables
    computed once, so that the marts over them do not each re-read and re-localize every
    Parquet file (about 3x less work when every view is read, as the dashboard does), at
    the price of reading everything up front: no partition pruning, files frozen at this
    moment.
    """
    staging = {view.name for view in view_files() if view.layer == STAGING_LAYER}
    for name, athena_sql in load_views(timezone):
        duckdb_sql = to_duckdb(athena_sql)
        _drop_relation(con, name)
        kind = "table" if materialize_staging and name in staging else "view"
        con.execute(f"create {kind} {name} as\n{duckdb_sql}")


def connect(
    curated_uri: str = DEFAULT_CURATED_URI,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    database: str | Path = ":memory:",
    materialize_staging: bool = False,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection where every curated table and every view exist.

    `curated_uri` is the curated zone root: a plain path or a `file://` URI (other schemes
    are passed to DuckDB as they are). `timezone` (IANA, validated) sets the local day,
    hour and weekday of the views. Files added later are seen by later queries; call
    `create_tables` again after a table gets its first files. `materialize_staging`: see
    `create_views` (use it to read many views at once; keep the default for one query).
    """
    validate_timezone(timezone)
    con = duckdb.connect(str(database))
    con.execute("set TimeZone = 'UTC'")
    # Every view reads the same files several times: keep their footers in memory.
    con.execute("set parquet_metadata_cache = true")
    create_tables(con, curated_uri)
    create_views(con, timezone, materialize_staging=materialize_staging)
    return con
