"""The history import benchmark: its generated exports are real exports, one bench run
measures an import, and the report states the targets.

Writes only under pytest's tmp dirs (small exports, one subprocess import).
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.history import messages, run_one, write_export
from bench.report import history_lines, history_targets
from tests.history.history_helpers import run


def test_generated_exports_are_exports(tmp_path: Path) -> None:
    single = tmp_path / "single.json"
    account = tmp_path / "account.json"
    write_export(single, 300)
    write_export(account, 300, account=True)
    assert json.loads(account.read_text())["chats"]["list"][0]["messages"] == list(messages(300))
    reports = [run(single, tmp_path / "raw1"), run(account, tmp_path / "raw2")]
    for report in reports:
        totals = report.totals()
        assert totals["messages_read"] == 300
        assert report.skipped == {}
        assert totals["edits"] > 0 and totals["member_events"] > 0
    assert reports[0].totals()["updates"] == reports[1].totals()["updates"]


def test_one_bench_run_measures_an_import(tmp_path: Path) -> None:
    result = run_one(tmp_path, "10k")
    assert result["returncode"] == 0
    assert result["messages"] == 10_000
    assert result["messages_per_s"] > 0 and result["max_rss_mb"] > 0
    assert result["command"].startswith("python -m history_import <history-10k>/result.json")


def test_the_report_states_both_targets() -> None:
    run_row = {"size": "1m", "kind": "chat", "messages": 1_000_000, "export_bytes": 5 << 20,
               "updates": 1_050_000, "wall_s": 25.0, "cpu_s": 30.0, "messages_per_s": 40_000,
               "max_rss_mb": 80.0, "command": "python -m history_import x"}  # fmt: skip
    data = {
        "runs": [run_row],
        "target_messages_per_s": 50_000,
        "largest_messages_per_s": 40_000,
        "rss_ratio_largest_to_smallest": 1.1,
        "flat_rss_ratio": 1.25,
    }
    checks = history_targets({"data": data})
    assert checks == [
        ("history import >= 50,000 messages/s (largest export)", "40,000 messages/s", False),
        ("history import peak RSS flat (largest / smallest <= 1.25)", "1.1x", True),
    ]
    table = "\n".join(history_lines({"command": "python -m bench.history", "data": data}))
    assert (
        "| 1m single-chat | 1,000,000 | 5.0 | 1,050,000 | 25.00 | 30.00 | 40,000 | 80.0 |" in table
    )
    assert history_targets({"note": "Skipped"}) == []
