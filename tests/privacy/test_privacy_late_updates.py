"""A forgotten person stays forgotten: the Glue job drops their later updates (`forgotten`).

Written against the Glue job's side of the register of forgotten people (`glue_jobs.job.run`
reading `lake.zones.forgotten_register_uri` with `--privacy_key_uri`, counting dropped
updates as `counts["forgotten"]`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from erasure_builders import KEY, MIA, ZOE, dumps, message

from glue_jobs.erasure.config import ErasureConfig
from glue_jobs.erasure.job import run as forget

pytestmark = pytest.mark.spark


def write_day(raw: Path, day: str, updates: list[dict[str, Any]]) -> None:
    folder = raw / f"dt={day}"
    folder.mkdir(parents=True, exist_ok=True)
    for update in updates:
        (folder / f"{update['update_id']}.json").write_text(dumps(update), "utf-8")


def test_a_late_update_of_a_forgotten_person_is_dropped_and_counted(
    spark: Any, tmp_path: Path
) -> None:
    from glue_jobs.config import JobConfig  # noqa: PLC0415
    from glue_jobs.job import run as etl  # noqa: PLC0415

    (tmp_path / "privacy.key").write_text(KEY, "utf-8")
    zones = {
        "raw_uri": str(tmp_path / "raw"),
        "curated_uri": str(tmp_path / "curated"),
        "quarantine_uri": str(tmp_path / "quarantine"),
    }
    key_uri = str(tmp_path / "privacy.key")
    write_day(tmp_path / "raw", "2026-09-21", [message(1, 10, MIA), message(2, 11, ZOE)])
    etl(spark, JobConfig(**zones, privacy_key_uri=key_uri, start_date="2026-09-21"))
    forget(spark, ErasureConfig(**zones, privacy_key_uri=key_uri, user_ids=(MIA["id"],)))

    # The next day Mia writes again.
    write_day(tmp_path / "raw", "2026-09-22", [message(3, 12, MIA, text="I am back")])
    summary = etl(spark, JobConfig(**zones, privacy_key_uri=key_uri, start_date="2026-09-22"))

    assert summary["counts"]["forgotten"] == 1
    messages = pq.read_table(tmp_path / "curated" / "messages").to_pylist()
    assert sorted((row["message_id"], row["user_id"]) for row in messages) == [(11, ZOE["id"])]
    assert str(MIA["id"]) not in json.dumps(summary)
