"""Smoke test of the ingest benchmark (numbers are not asserted: speed is the bench's job)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import ingest
from bench.__main__ import INGEST_BENCH_MODULE


def test_sample_update_is_a_compact_telegram_message() -> None:
    body = ingest.sample_update(800_000_005)

    update = json.loads(body)
    assert update["update_id"] == 800_000_005
    assert update["message"]["chat"]["type"] == "supergroup"
    assert b"\n" not in body
    assert b": " not in body  # compact separators, as Telegram sends


def test_handler_measurement_stores_every_request() -> None:
    result = ingest.measure_handler(requests=30, warmup=5)

    assert result["stored"] == 35
    assert 0 < result["p50_ms"] <= result["p99_ms"]


def test_server_measurement_runs_over_http() -> None:
    result = ingest.measure_server(requests=40, connections=2)

    assert (result["ok"], result["stored"], result["connections"]) == (40, 40, 2)
    assert result["updates_per_s"] > 0


def test_importtime_parsing_finds_the_handler() -> None:
    assert ingest._importtime_ms() > 0


def test_the_suite_runs_the_ingest_bench_as_a_module(repo_root: Path) -> None:
    # `python -m bench` starts the ingest bench in its own interpreter by module name.
    assert INGEST_BENCH_MODULE == "bench.ingest"
    result = subprocess.run(
        [sys.executable, "-m", INGEST_BENCH_MODULE, "--help"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m bench.ingest")
