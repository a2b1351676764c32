"""Smoke test of the ingest benchmark (numbers are not asserted: speed is the bench's job)."""

from __future__ import annotations

import json

from ingest_lambda import bench


def test_sample_update_is_a_compact_telegram_message() -> None:
    body = bench.sample_update(800_000_005)

    update = json.loads(body)
    assert update["update_id"] == 800_000_005
    assert update["message"]["chat"]["type"] == "supergroup"
    assert b"\n" not in body
    assert b": " not in body  # compact separators, as Telegram sends


def test_handler_measurement_stores_every_request() -> None:
    result = bench.measure_handler(requests=30, warmup=5)

    assert result["stored"] == 35
    assert 0 < result["p50_ms"] <= result["p99_ms"]


def test_server_measurement_runs_over_http() -> None:
    result = bench.measure_server(requests=40, connections=2)

    assert (result["ok"], result["stored"], result["connections"]) == (40, 40, 2)
    assert result["updates_per_s"] > 0


def test_importtime_parsing_finds_the_handler() -> None:
    assert bench._importtime_ms() > 0
