"""`python -m privacy_tools export-user`: files, stdout, the key, and bad input."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from privacy_export_lakes import ANA, hand_pseudonym, pseudonymous, scenario, write_lake

from privacy_tools.__main__ import main

pytestmark = pytest.mark.integration

KEY = "fedcba9876543210" * 4
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lake(tmp_path_factory.mktemp("cli") / "curated", scenario())


@pytest.fixture(scope="module")
def pseudonymous_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_lake(
        tmp_path_factory.mktemp("cli-pseudonymous") / "curated", pseudonymous(scenario(), KEY)
    )


def test_writes_the_export_readable_by_its_owner_only(
    lake: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exports" / "ana.json"
    code = main(
        ["export-user", "--user-id", str(ANA), "--curated-uri", str(lake), "--out", str(out)]
    )
    assert code == 0
    document = json.loads(out.read_text("utf-8"))
    assert document["export"]["person"]["user_id"] == ANA
    assert len(document["messages"]) == 4
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert list(out.parent.iterdir()) == [out]  # no partial file left behind
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"export of user {ANA} -> {out}: messages 4, member_events 2" in captured.err


def test_prints_to_stdout_without_out(lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-user", "--user-id", str(ANA), "--curated-uri", lake.as_uri()]) == 0
    document = json.loads(capsys.readouterr().out)
    # Text stays readable (UTF-8, not \\u escapes).
    assert "é girassol" in json.dumps(document["messages"], ensure_ascii=False)


def test_key_file_finds_the_pseudonym(
    pseudonymous_lake: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "privacy.key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    args = ["export-user", "--user-id", str(ANA), "--curated-uri", str(pseudonymous_lake)]

    assert main(args) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["messages"] == []
    assert "holds nothing about user" in captured.err
    assert "--privacy-key-uri" in captured.err

    assert main([*args, "--privacy-key-uri", key_file.as_uri()]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["export"]["person"]["found_as"] == [hand_pseudonym(KEY, ANA)]
    assert len(document["messages"]) == 4
    assert KEY not in captured.out + captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user-id", "-5"], "positive integer"),
        (["--curated-uri", "{missing}"], "no curated zone"),
        (["--privacy-key-uri", "{short_key}"], "at least 32 characters"),
        (["--privacy-key-uri", "{missing}"], "no privacy key file"),
        (["--privacy-key-uri", "s3://bucket/key"], "local key file or secretsmanager"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    lake: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    short_key = tmp_path / "short.key"
    short_key.write_text("abc", encoding="utf-8")
    values = {"missing": str(tmp_path / "missing"), "short_key": str(short_key)}
    defaults = {"--user-id": str(ANA), "--curated-uri": str(lake)}
    given = dict(zip(args[::2], [arg.format(**values) for arg in args[1::2]], strict=True))
    options = [item for pair in {**defaults, **given}.items() for item in pair]
    out = tmp_path / "out.json"

    assert main(["export-user", *options, "--out", str(out)]) == 1
    assert not out.exists()
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ")
    assert message in captured.err


def test_runs_as_a_module(lake: Path, tmp_path: Path) -> None:
    out = tmp_path / "ana.json"
    result = subprocess.run(
        [sys.executable, "-m", "privacy_tools", "export-user", "--user-id", str(ANA),
         "--curated-uri", str(lake), "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text("utf-8"))["export"]["title"] == "telegram-lake access export"
    missing = subprocess.run(
        [sys.executable, "-m", "privacy_tools", "export-user"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert missing.returncode == 2
    assert "--user-id" in missing.stderr
