"""sqlfluff (dialect athena, the repo's .sqlfluff) passes on every SQL file of athena_views."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlfluff.core import FluffConfig, Linter

pytestmark = pytest.mark.integration


def test_sqlfluff_passes_on_every_sql_file(repo_root: Path) -> None:
    config = FluffConfig.from_path(str(repo_root))
    assert config.get("dialect") == "athena"
    assert config.get("templater") == "jinja"
    sql_dir = repo_root / "athena_views"
    result = Linter(config=config).lint_paths((str(sql_dir),))
    linted = result.check_tuples_by_path()
    assert len(linted) == len(list(sql_dir.rglob("*.sql"))) >= 16
    problems = {
        Path(path).relative_to(repo_root).as_posix(): [
            f"L{line}:{column} {code}" for code, line, column in checks
        ]
        for path, checks in linted.items()
        if checks
    }
    # Parse errors (PRS) would show up here too: every file must parse as Athena SQL.
    assert problems == {}
