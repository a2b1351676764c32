"""The Lambda package holds runtime code only, and its cold import stays small.

Reads the `ingest_lambda/` sources and runs `python -X importtime` in a child interpreter.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

# Written by hand: the webhook's runtime modules, nothing else.
RUNTIME_MODULES = ["__init__.py", "aws.py", "handler.py", "settings.py", "storage.py"]
# What the runtime package may import: the standard library modules it uses, itself, the
# contracts package, and boto3 / botocore (imported lazily, see ingest_lambda.aws).
ALLOWED_IMPORTS = {
    "__future__",
    "base64",
    "binascii",
    "collections",
    "contextlib",
    "dataclasses",
    "datetime",
    "functools",
    "hashlib",
    "hmac",
    "json",
    "math",
    "os",
    "pathlib",
    "re",
    "sys",
    "tempfile",
    "threading",
    "time",
    "typing",
    "boto3",
    "botocore",
    "ingest_lambda",
    "lake",
}
# The lake modules the handler needs; the table specs and the vocabulary stay out of it.
COLD_LAKE_MODULES = {"lake", "lake.metrics", "lake.uri", "lake.zones"}
_IMPORTED = re.compile(r"import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$")


def top_level_imports(source: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_holds_the_runtime_modules_only(repo_root: Path) -> None:
    package = repo_root / "ingest_lambda"
    sources = sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    assert sources == RUNTIME_MODULES


def test_runtime_modules_import_no_developer_tools(repo_root: Path) -> None:
    for name in RUNTIME_MODULES:
        imported = top_level_imports(repo_root / "ingest_lambda" / name)
        assert imported <= ALLOWED_IMPORTS, (name, imported - ALLOWED_IMPORTS)


def test_cold_import_loads_no_boto3_and_only_the_cheap_lake_modules(repo_root: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(repo_root)}
    env.pop("AWS_LAMBDA_FUNCTION_NAME", None)  # in Lambda, init also builds the sink
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import ingest_lambda.handler"],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {m.group(1) for m in map(_IMPORTED.match, result.stderr.splitlines()) if m}
    assert "ingest_lambda.handler" in modules
    assert {m for m in modules if m.split(".")[0] == "lake"} == COLD_LAKE_MODULES
    assert not {m for m in modules if m.split(".")[0] in {"boto3", "botocore", "devtools", "bench"}}
