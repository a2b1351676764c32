"""Deployment artifacts: the Lambda gets its runtime package and `lake/`, nothing else; the
Glue zip holds the job package and `lake/` and is reproducible."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from infra.assets import AssetError, copy_package, package_files, stage_assets, zip_packages


def make_package(root: Path) -> Path:
    package = root / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    (package / "mod.py").write_text("X = 1\n", "utf-8")
    (package / "sub" / "__init__.py").write_text("", "utf-8")
    (package / "sub" / "query.sql").write_text("select 1\n", "utf-8")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    (package / "tests").mkdir()
    (package / "tests" / "test_mod.py").write_text("def test(): pass\n", "utf-8")
    (package / ".hidden.py").write_text("", "utf-8")
    (package / "notes.txt").write_text("not code", "utf-8")
    return package


def test_package_files_skip_caches_tests_and_hidden_files(tmp_path: Path) -> None:
    package = make_package(tmp_path)
    names = [path.relative_to(package).as_posix() for path in package_files(package)]
    assert names == ["__init__.py", "mod.py", "sub/__init__.py", "sub/query.sql"]


def test_copy_package_keeps_the_package_folder(tmp_path: Path) -> None:
    package = make_package(tmp_path / "src")
    target = copy_package(package, tmp_path / "out")
    assert target == tmp_path / "out" / "pkg"
    copied = sorted(p.relative_to(tmp_path / "out").as_posix() for p in target.rglob("*.py"))
    assert copied == ["pkg/__init__.py", "pkg/mod.py", "pkg/sub/__init__.py"]


def test_zip_is_reproducible_and_importable_layout(tmp_path: Path) -> None:
    package = make_package(tmp_path / "src")
    first = zip_packages([package], tmp_path / "a" / "pkg.zip").read_bytes()
    (package / "mod.py").touch()  # a new mtime must not change the archive
    second = zip_packages([package], tmp_path / "b" / "pkg.zip").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a" / "pkg.zip") as archive:
        assert archive.namelist() == [
            "pkg/__init__.py",
            "pkg/mod.py",
            "pkg/sub/__init__.py",
            "pkg/sub/query.sql",
        ]


def test_not_a_package_is_refused(tmp_path: Path) -> None:
    (tmp_path / "loose").mkdir()
    with pytest.raises(AssetError, match="not a Python package"):
        zip_packages([tmp_path / "loose"], tmp_path / "x.zip")


def test_zip_of_two_packages_lists_them_in_name_order(tmp_path: Path) -> None:
    first = make_package(tmp_path / "one")
    second = tmp_path / "two" / "alpha"
    second.mkdir(parents=True)
    (second / "__init__.py").write_text("", "utf-8")
    (second / "spec.py").write_text("Y = 2\n", "utf-8")

    zip_path = zip_packages([first, second], tmp_path / "both.zip")

    with zipfile.ZipFile(zip_path) as archive:
        assert archive.namelist() == [
            "alpha/__init__.py",
            "alpha/spec.py",
            "pkg/__init__.py",
            "pkg/mod.py",
            "pkg/sub/__init__.py",
            "pkg/sub/query.sql",
        ]


# Written by hand: what the webhook runs. Developer tools (devtools/), the ingest bench
# (bench/) and tests must never reach the Lambda.
LAMBDA_RUNTIME_FILES = [
    "ingest_lambda/__init__.py",
    "ingest_lambda/aws.py",
    "ingest_lambda/handler.py",
    "ingest_lambda/settings.py",
    "ingest_lambda/storage.py",
]
# The lake modules the handler imports; the asset carries the whole package.
LAKE_MODULES_THE_HANDLER_NEEDS = {"lake/__init__.py", "lake/metrics.py", "lake/uri.py"}


def source_files(repo_root: Path, package: str) -> list[str]:
    """`package/**/*.py` of the repository (no caches), as asset paths."""
    return sorted(
        path.relative_to(repo_root).as_posix()
        for path in (repo_root / package).rglob("*.py")
        if "__pycache__" not in path.parts
    )


def test_lambda_asset_is_the_runtime_package_and_lake_only(repo_root: Path) -> None:
    assets = stage_assets()
    staged = sorted(
        path.relative_to(assets.lambda_dir).as_posix()
        for path in assets.lambda_dir.rglob("*")
        if path.is_file()
    )
    lake_files = source_files(repo_root, "lake")

    assert sorted(path.name for path in assets.lambda_dir.iterdir()) == ["ingest_lambda", "lake"]
    assert staged == sorted(LAMBDA_RUNTIME_FILES + lake_files)
    assert LAKE_MODULES_THE_HANDLER_NEEDS | {"lake/zones.py"} <= set(lake_files)
    assert not {"devtools", "bench", "tests"} & {name.split("/")[0] for name in staged}
    assert (assets.lambda_dir / "lake" / "zones.py").read_bytes() == (
        repo_root / "lake" / "zones.py"
    ).read_bytes()


# Runs inside the staged Lambda asset with the standard library only (-S: no site-packages,
# -E: no PYTHONPATH): one update through the real handler into a local raw zone.
STORE_ONE_UPDATE = """
import json, sys
from ingest_lambda.handler import Ingestor
from ingest_lambda.settings import Settings
from ingest_lambda.storage import FileSink
root = sys.argv[1]
settings = Settings(webhook_secret="asset-secret", raw_uri=root)
event = {
    "requestContext": {"http": {"method": "POST"}},
    "headers": {"x-telegram-bot-api-secret-token": "asset-secret"},
    "body": json.dumps({"update_id": 7, "message": {"message_id": 1}}),
}
print(Ingestor(settings, FileSink(root), log=lambda line: None)(event)["statusCode"])
"""


def test_lambda_asset_runs_on_its_own(tmp_path: Path) -> None:
    assets = stage_assets()
    day_before = datetime.now(UTC).date().isoformat()
    result = subprocess.run(
        [sys.executable, "-S", "-E", "-c", STORE_ONE_UPDATE, str(tmp_path)],
        cwd=assets.lambda_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    day_after = datetime.now(UTC).date().isoformat()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200"
    stored = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json")]
    assert stored in ([f"dt={day_before}/7.json"], [f"dt={day_after}/7.json"])


def test_glue_zip_is_the_job_package_and_lake(repo_root: Path) -> None:
    assets = stage_assets()
    assert assets.glue_script.name == "telegram_etl.py"
    with zipfile.ZipFile(assets.glue_package_zip) as archive:
        names = archive.namelist()

    assert {name.split("/")[0] for name in names} == {"glue_jobs", "lake"}
    assert "glue_jobs/__init__.py" in names
    assert "lake/__init__.py" in names
    python_files = sorted(name for name in names if name.endswith(".py"))
    assert python_files == sorted(
        source_files(repo_root, "glue_jobs") + source_files(repo_root, "lake")
    )
    assert not any("__pycache__" in name or "/tests/" in name for name in names)


def test_views_handler_asset(repo_root: Path) -> None:
    assets = stage_assets()
    assert sorted(path.name for path in assets.views_handler_dir.iterdir()) == [
        "athena_views",
        "athena_views_resource.py",
    ]
