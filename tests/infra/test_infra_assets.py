"""Deployment artifacts: the Lambda gets only its package, the Glue zip is reproducible."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from infra.assets import AssetError, copy_package, package_files, stage_assets, zip_package


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
    first = zip_package(package, tmp_path / "a" / "pkg.zip").read_bytes()
    (package / "mod.py").touch()  # a new mtime must not change the archive
    second = zip_package(package, tmp_path / "b" / "pkg.zip").read_bytes()
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
        zip_package(tmp_path / "loose", tmp_path / "x.zip")


def test_staged_assets_of_this_repo(repo_root: Path) -> None:
    assets = stage_assets()
    lambda_top = sorted(path.name for path in assets.lambda_dir.iterdir())
    assert lambda_top == ["ingest_lambda"]
    assert (assets.lambda_dir / "ingest_lambda" / "handler.py").is_file()
    assert not list(assets.lambda_dir.rglob("__pycache__"))
    assert assets.glue_script.name == "telegram_etl.py"
    with zipfile.ZipFile(assets.glue_package_zip) as archive:
        names = archive.namelist()
    assert "glue_jobs/__init__.py" in names
    assert "glue_jobs/job.py" in names
    assert all(name.startswith("glue_jobs/") for name in names)
    assert sorted(path.name for path in assets.views_handler_dir.iterdir()) == [
        "athena_views",
        "athena_views_resource.py",
    ]
