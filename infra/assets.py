"""Build the deployment artifacts the stack uploads as CDK assets.

Reads the repository's `ingest_lambda/`, `lake/`, `glue_jobs/`, `athena_views/` and
`infra/runtime/` sources. Writes a staging directory (one per process, under the system temp
dir, removed at exit):
  - `lambda/{ingest_lambda,lake}/*.py`  the webhook's runtime package and the contracts it
                                        imports; nothing else (no developer tools, no tests,
                                        no caches),
  - `glue/glue_jobs.zip`          the job package and `lake/` for Glue's `--extra-py-files`,
  - `glue/forget_users.py`        the erasure job's entry script (same package zip),
  - `views/*.py`                  the views custom-resource handler, and the Athena runner it
    shares with the views CLI (`athena_views/runner.py`, copied with its package's `__init__`).
The zip is byte-for-byte reproducible (sorted entries, fixed timestamps), so an unchanged
package keeps its asset hash and `cdk deploy` does not re-upload or update the job.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INGEST_PACKAGE = "ingest_lambda"
GLUE_PACKAGE = "glue_jobs"
LAKE_PACKAGE = "lake"
# What each deploy unit runs: its own package plus the dependency-free contracts package.
LAMBDA_PACKAGES = (INGEST_PACKAGE, LAKE_PACKAGE)
GLUE_ZIP_PACKAGES = (GLUE_PACKAGE, LAKE_PACKAGE)
GLUE_ENTRY_SCRIPT = REPO_ROOT / GLUE_PACKAGE / "telegram_etl.py"
ERASURE_ENTRY_SCRIPT = REPO_ROOT / GLUE_PACKAGE / "forget_users.py"
VIEWS_HANDLER_DIR = Path(__file__).resolve().parent / "runtime"
# What the views handler imports from the repository (standard library only), and no more.
VIEWS_RUNTIME_MODULES = ("athena_views/__init__.py", "athena_views/runner.py")

# Only source files travel; bytecode and editor droppings would change the hash for nothing.
_SOURCE_SUFFIXES = (".py", ".sql", ".json")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class AssetError(RuntimeError):
    """A source the stack must upload is missing."""


@dataclass(frozen=True)
class StagedAssets:
    lambda_dir: Path
    glue_script: Path
    glue_package_zip: Path
    views_handler_dir: Path
    #: The erasure job's entry script (its own Glue job, same package zip).
    erasure_script: Path


def package_files(package_dir: Path) -> Iterator[Path]:
    """Source files of a package, sorted, skipping caches, tests and hidden files."""
    for path in sorted(package_dir.rglob("*")):
        relative = path.relative_to(package_dir)
        if any(
            part.startswith((".", "__pycache__")) or part in {"tests", "test"}
            for part in relative.parts
        ):
            continue
        if path.is_file() and path.suffix in _SOURCE_SUFFIXES:
            yield path


def copy_package(package_dir: Path, destination: Path) -> Path:
    """Copy a package's source files to `destination/<package name>/`; return that dir."""
    if not (package_dir / "__init__.py").is_file():
        raise AssetError(f"{package_dir} is not a Python package (no __init__.py)")
    target = destination / package_dir.name
    for source in package_files(package_dir):
        out = target / source.relative_to(package_dir)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out)
    return target


def zip_packages(package_dirs: Iterable[Path], zip_path: Path) -> Path:
    """Write a reproducible zip with `<package name>/...` entries (each importable from the
    zip), packages in name order."""
    packages = sorted(package_dirs, key=lambda package_dir: package_dir.name)
    for package_dir in packages:
        if not (package_dir / "__init__.py").is_file():
            raise AssetError(f"{package_dir} is not a Python package (no __init__.py)")
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for package_dir in packages:
            for source in package_files(package_dir):
                name = f"{package_dir.name}/{source.relative_to(package_dir).as_posix()}"
                info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, source.read_bytes())
    return zip_path


@cache
def stage_assets(repo_root: Path = REPO_ROOT) -> StagedAssets:
    """Stage every artifact once per process (CDK copies them into cdk.out when it synths)."""
    entry = repo_root / GLUE_PACKAGE / GLUE_ENTRY_SCRIPT.name
    if not entry.is_file():
        raise AssetError(f"the Glue entry script {entry} does not exist yet")
    staging = Path(tempfile.mkdtemp(prefix="telegram-lake-assets-"))
    atexit.register(shutil.rmtree, staging, True)

    lambda_dir = staging / "lambda"
    for package in LAMBDA_PACKAGES:
        copy_package(repo_root / package, lambda_dir)

    glue_dir = staging / "glue"
    glue_dir.mkdir()
    glue_script = glue_dir / entry.name
    shutil.copyfile(entry, glue_script)
    erasure_script = glue_dir / ERASURE_ENTRY_SCRIPT.name
    shutil.copyfile(repo_root / GLUE_PACKAGE / ERASURE_ENTRY_SCRIPT.name, erasure_script)
    glue_zip = zip_packages(
        [repo_root / package for package in GLUE_ZIP_PACKAGES],
        staging / "glue-package" / "glue_jobs.zip",
    )

    views_dir = staging / "views"
    views_dir.mkdir()
    for source in sorted(VIEWS_HANDLER_DIR.glob("*.py")):
        if source.name == "__init__.py":
            continue
        shutil.copyfile(source, views_dir / source.name)
    for module in VIEWS_RUNTIME_MODULES:
        (views_dir / module).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(repo_root / module, views_dir / module)

    return StagedAssets(
        lambda_dir=lambda_dir,
        glue_script=glue_script,
        glue_package_zip=glue_zip,
        views_handler_dir=views_dir,
        erasure_script=erasure_script,
    )
