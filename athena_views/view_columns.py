"""Each view's output columns, declared once, beside its SQL: `views/<layer>/<view>.yml`.

Reads the dbt-style YAML file next to every view's `.sql` file (`version: 2`, one model
named like the file, its `columns` in select order, each with `name`, `data_type` and
`description`). Writes nothing.

This is the one list of what each view returns. The QuickSight datasets
(`infra.components.quicksight`), the dashboard's queries (`dashboard.queries`) and the
tests' stand-in views read it from here; a test runs every view on DuckDB and checks that
it returns exactly these columns, in this order, so the declaration cannot drift from the SQL.

`data_type` is the Athena (Trino) type of the result column. DuckDB, which runs the same
SQL locally, spells these types the same way, but may widen a `bigint` sum or count to
`hugeint`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from athena_views.sql import MARTS_LAYER, VIEWS_DIR, view_files, view_names

COLUMNS_SUFFIX = ".yml"
SCHEMA_VERSION = 2
#: The Athena types a view column may have.
COLUMN_TYPES = frozenset({"bigint", "integer", "double", "varchar", "date", "timestamp", "boolean"})

_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
_COLUMN_KEYS = frozenset({"name", "data_type", "description"})
_MODEL_KEYS = frozenset({"name", "description", "columns"})


class ViewColumnsError(ValueError):
    """A view's column file is missing, malformed, or does not match its SQL file."""


@dataclass(frozen=True)
class ViewColumn:
    """One output column of a view: name, Athena type, what it holds."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class ViewSpec:
    """A view: its name, layer (`staging` / `marts`), grain and output columns in order."""

    name: str
    layer: str
    grain: str
    columns: tuple[ViewColumn, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ViewColumnsError(f"{where}: expected a non-empty string, got {value!r}")
    return value.strip()


def _column(entry: Any, where: str) -> ViewColumn:
    if not isinstance(entry, dict):
        raise ViewColumnsError(f"{where}: a column is a mapping, got {entry!r}")
    unknown = set(entry) - _COLUMN_KEYS
    if unknown:
        raise ViewColumnsError(f"{where}: unknown keys {sorted(unknown)}")
    name = _text(entry.get("name"), f"{where} name")
    if not _NAME_RE.match(name):
        raise ViewColumnsError(f"{where}: not a lowercase SQL name: {name!r}")
    column_type = _text(entry.get("data_type"), f"{where} {name}.data_type")
    if column_type not in COLUMN_TYPES:
        raise ViewColumnsError(
            f"{where}: {name} has type {column_type!r}, not one of {sorted(COLUMN_TYPES)}"
        )
    description = _text(entry.get("description"), f"{where} {name}.description")
    return ViewColumn(name, column_type, description)


def load_columns(path: Path, view: str) -> tuple[ViewColumn, ...]:
    """The columns declared in one view's YAML file; raise ViewColumnsError if malformed."""
    if not path.is_file():
        raise ViewColumnsError(f"view {view} has no column file {path.name} next to its SQL")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("version") != SCHEMA_VERSION:
        raise ViewColumnsError(f"{path.name}: expected a mapping with 'version: {SCHEMA_VERSION}'")
    models = document.get("models")
    if not isinstance(models, list) or len(models) != 1 or not isinstance(models[0], dict):
        raise ViewColumnsError(f"{path.name}: expected 'models' with exactly one model")
    model = models[0]
    unknown = set(model) - _MODEL_KEYS
    if unknown:
        raise ViewColumnsError(f"{path.name}: unknown model keys {sorted(unknown)}")
    if model.get("name") != view:
        raise ViewColumnsError(f"{path.name}: the model is named {model.get('name')!r}, not {view}")
    entries = model.get("columns")
    if not isinstance(entries, list) or not entries:
        raise ViewColumnsError(f"{path.name}: expected a non-empty 'columns' list")
    columns = tuple(
        _column(entry, f"{path.name} column {i + 1}") for i, entry in enumerate(entries)
    )
    names = [column.name for column in columns]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ViewColumnsError(f"{path.name}: duplicate columns {duplicates}")
    return columns


@lru_cache(maxsize=1)
def _specs() -> tuple[ViewSpec, ...]:
    files = {view.name: view for view in view_files()}
    declared = {path.with_suffix(".sql") for path in VIEWS_DIR.rglob(f"*{COLUMNS_SUFFIX}")}
    orphans = sorted(path.name for path in declared - {view.path for view in files.values()})
    if orphans:
        raise ViewColumnsError(f"column files without a view SQL file: {orphans}")
    return tuple(
        ViewSpec(
            name=name,
            layer=files[name].layer,
            grain=files[name].grain,
            columns=load_columns(files[name].path.with_suffix(COLUMNS_SUFFIX), name),
        )
        for name in view_names()
    )


def view_specs() -> dict[str, ViewSpec]:
    """Every view with its declared columns, in dependency order."""
    return {spec.name: spec for spec in _specs()}


def view_spec(view: str) -> ViewSpec:
    """One view's declaration; ViewColumnsError for a name that is not a view."""
    specs = view_specs()
    if view not in specs:
        raise ViewColumnsError(f"not a view: {view!r}")
    return specs[view]


def mart_views() -> list[str]:
    """The reporting views (folder `marts/`), in dependency order: what BI tools read."""
    return [spec.name for spec in _specs() if spec.layer == MARTS_LAYER]
