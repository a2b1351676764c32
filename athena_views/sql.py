"""Load the Athena view SQL files and render them for a timezone.

Reads `athena_views/views/**/*.sql` (one view per file, file name = view name, Athena
engine v3 / Trino SQL, a `-- grain:` comment first). The only template variable is
`{{ timezone }}`: an IANA zone name, validated before it is written into the SQL (it is a
string literal inside the views, so only valid zone names may ever reach it). Writes nothing.

`load_views` returns each view's rendered `select` statement (not a `create view`):
`create_view_statement` wraps one for Athena, `athena_views.local` transpiles it for DuckDB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlglot
from sqlglot import exp

VIEWS_DIR = Path(__file__).resolve().parent / "views"
# The folder of the views that reports read (staging/ holds the views they are built on).
STAGING_LAYER = "staging"
MARTS_LAYER = "marts"
DEFAULT_TIMEZONE = "UTC"
SQL_DIALECT = "athena"

_TIMEZONE_PLACEHOLDER_RE = re.compile(r"\{\{\s*timezone\s*\}\}")
_TEMPLATE_RE = re.compile(r"\{\{|\}\}|\{%|%\}")
# IANA names are ASCII letters, digits and `/_+-`; anything else (quotes, spaces,
# semicolons, dots) is rejected before zoneinfo is even asked.
_TIMEZONE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$")
_GRAIN_RE = re.compile(r"^--\s*grain:\s*(?P<grain>.*)$")
_COMMENT_LINE_RE = re.compile(r"^\s*--")


class InvalidTimezoneError(ValueError):
    """The timezone is not an IANA zone name known to this machine's tz database."""


@dataclass(frozen=True)
class ViewFile:
    """One view's source: name, folder (staging / marts), grain comment and raw SQL."""

    name: str
    layer: str
    grain: str
    path: Path
    template: str


def validate_timezone(timezone: str) -> str:
    """Return `timezone` if it is a valid IANA zone name; raise InvalidTimezoneError if not.

    The name is later written between single quotes into SQL, so this is the injection
    guard: a strict character whitelist first, then the tz database must know the zone.
    """
    if not isinstance(timezone, str) or not _TIMEZONE_RE.match(timezone):
        raise InvalidTimezoneError(f"not an IANA timezone name: {timezone!r}")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidTimezoneError(f"unknown timezone: {timezone!r}") from error
    return timezone


def render(template: str, timezone: str = DEFAULT_TIMEZONE) -> str:
    """Substitute the validated timezone for `{{ timezone }}` in a view's SQL."""
    zone = validate_timezone(timezone)
    rendered = _TIMEZONE_PLACEHOLDER_RE.sub(zone, template)
    leftover = _TEMPLATE_RE.search(rendered)
    if leftover:
        raise ValueError(f"unrendered template syntax near {rendered[leftover.start() :][:40]!r}")
    return rendered


def _grain(path: Path, text: str) -> str:
    first_line = text.splitlines()[0] if text else ""
    match = _GRAIN_RE.match(first_line)
    if not match:
        raise ValueError(f"{path} must start with a '-- grain: ...' comment")
    grain = match.group("grain").strip()
    # The grain sentence may continue on the next comment lines, up to the `reads:` line.
    for line in text.splitlines()[1:]:
        stripped = line.strip()
        if not stripped.startswith("--") or stripped.startswith("-- reads:"):
            break
        grain = f"{grain} {stripped.removeprefix('--').strip()}"
    return grain


@lru_cache(maxsize=1)
def view_files() -> tuple[ViewFile, ...]:
    """Every view file under `views/`, sorted by name (not yet in dependency order)."""
    files = []
    for path in sorted(VIEWS_DIR.rglob("*.sql")):
        text = path.read_text(encoding="utf-8")
        layer = path.parent.name if path.parent != VIEWS_DIR else ""
        files.append(
            ViewFile(
                name=path.stem, layer=layer, grain=_grain(path, text), path=path, template=text
            )
        )
    names = [view.name for view in files]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"view names must be unique across folders: {sorted(duplicates)}")
    return tuple(sorted(files, key=lambda view: view.name))


def referenced_relations(sql: str) -> set[str]:
    """Names of the tables and views a query reads (its own CTE names excluded)."""
    tree = sqlglot.parse_one(sql, read=SQL_DIALECT)
    cte_names = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return {table.name for table in tree.find_all(exp.Table) if table.name} - cte_names


@lru_cache(maxsize=1)
def _dependency_order() -> tuple[str, ...]:
    # The dependency graph does not depend on the timezone: compute it once on the template
    # rendered with the default zone.
    views = {view.name: view for view in view_files()}
    depends_on = {
        name: referenced_relations(render(view.template)) & set(views)
        for name, view in views.items()
    }
    ordered: list[str] = []
    remaining = dict(depends_on)
    while remaining:
        ready = sorted(name for name, deps in remaining.items() if deps <= set(ordered))
        if not ready:
            raise ValueError(f"views depend on each other in a cycle: {sorted(remaining)}")
        ordered.extend(ready)
        for name in ready:
            del remaining[name]
    return tuple(ordered)


def view_names() -> list[str]:
    """Every view name, in dependency order (a view comes after the views it reads)."""
    return list(_dependency_order())


def load_views(timezone: str = DEFAULT_TIMEZONE) -> list[tuple[str, str]]:
    """(name, rendered Athena `select` SQL) of every view, in dependency order.

    Creating the views in this order always succeeds: each view only reads the curated
    tables and views listed before it.
    """
    validate_timezone(timezone)
    views = {view.name: view for view in view_files()}
    return [(name, render(views[name].template, timezone)) for name in _dependency_order()]


def strip_comment_lines(sql: str) -> str:
    """The SQL without its full-line `--` comments (views keep no comments in Athena)."""
    return "\n".join(line for line in sql.splitlines() if not _COMMENT_LINE_RE.match(line))


def create_view_statement(name: str, select_sql: str) -> str:
    """`create or replace view {name} as {select}` for Athena (comment lines removed)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a valid view name: {name!r}")
    return f"create or replace view {name} as\n{strip_comment_lines(select_sql).strip()}"
