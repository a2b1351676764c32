"""Importing straight into an S3 raw zone (moto): the same objects as locally, streamed as a
multipart upload, nothing left behind on failure, the register and cut-offs on S3 too.

Uses the moto fixtures of tests/conftest.py; writes local comparisons under tmp dirs.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from history_import.errors import NotAnExportError
from history_import.importer import ImportOptions, run_import
from history_import.store import PART_BYTES, S3Store
from tests.history.history_helpers import DATA, NOW, part_files, write_export

RAW_URI = "s3://raw-bucket/raw"


def objects(s3: Any, bucket: str, prefix: str = "") -> dict[str, bytes]:
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def s3_run(s3: Any, export: Path, **options: Any) -> Any:
    return run_import(
        ImportOptions(export=export, raw_uri=RAW_URI, **options), now=NOW, s3_client=s3
    )


def test_an_import_to_s3_writes_what_a_local_import_writes(
    s3: Any, raw_bucket: str, tmp_path: Path
) -> None:
    report = s3_run(s3, DATA / "every_kind.json")
    run_import(ImportOptions(export=DATA / "every_kind.json", raw_uri=str(tmp_path)), now=NOW)
    stored = objects(s3, raw_bucket, "raw/dt=")
    assert {k.removeprefix("raw/"): v for k, v in stored.items()} == part_files(tmp_path)
    entry = objects(s3, raw_bucket, "raw/_imports/")
    assert list(entry) == ["raw/_imports/-1001500000001/g00001.json"]
    assert json.loads(entry["raw/_imports/-1001500000001/g00001.json"])["updates"] == 47
    assert report.totals()["updates"] == 47


def test_a_second_import_to_s3_adds_nothing(s3: Any, raw_bucket: str) -> None:
    s3_run(s3, DATA / "every_kind.json")
    before = objects(s3, raw_bucket)
    again = s3_run(s3, DATA / "every_kind.json")
    assert objects(s3, raw_bucket) == before
    assert again.totals()["already_imported"] == 45  # 50 read, 5 skipped


def test_a_failed_import_leaves_nothing_on_s3(s3: Any, raw_bucket: str, tmp_path: Path) -> None:
    export = tmp_path / "result.json"
    data = (DATA / "every_kind.json").read_bytes()
    export.write_bytes(data[: len(data) - 200])  # truncated
    with pytest.raises(NotAnExportError):
        s3_run(s3, export)
    assert objects(s3, raw_bucket) == {}
    assert s3.list_multipart_uploads(Bucket=raw_bucket).get("Uploads", []) == []


def test_parts_stream_as_a_multipart_upload(s3: Any, raw_bucket: str) -> None:
    store = S3Store(RAW_URI, s3)
    data = os.urandom(PART_BYTES + PART_BYTES // 2)  # incompressible: two parts
    staged = store.stage("dt=2026-11-20/big.jsonl.gz")
    for start in range(0, len(data), 1 << 20):
        staged.write(data[start : start + (1 << 20)])
    uploads = s3.list_multipart_uploads(Bucket=raw_bucket).get("Uploads", [])
    assert len(uploads) == 1  # the first part went up while writing
    assert objects(s3, raw_bucket) == {}  # ... and nothing is visible yet
    staged.commit()
    assert objects(s3, raw_bucket) == {"raw/dt=2026-11-20/big.jsonl.gz": data}
    aborted = store.stage("dt=2026-11-20/other.jsonl.gz")
    aborted.write(data)
    aborted.abort()
    assert s3.list_multipart_uploads(Bucket=raw_bucket).get("Uploads", []) == []
    assert list(objects(s3, raw_bucket)) == ["raw/dt=2026-11-20/big.jsonl.gz"]


def test_register_entries_on_s3_are_created_exclusively(s3: Any, raw_bucket: str) -> None:
    store = S3Store(RAW_URI, s3)
    assert store.put_exclusive("_imports/-1/g00001.json", b"first")
    assert not store.put_exclusive("_imports/-1/g00001.json", b"second")
    assert objects(s3, raw_bucket) == {"raw/_imports/-1/g00001.json": b"first"}


GROUP = {"name": "Família", "type": "private_group", "id": 4123456789}
BOT_FIRST = 1_793_000_000


def group_export(tmp_path: Path) -> Path:
    messages = [
        {"id": i, "type": "message", "date_unixtime": str(BOT_FIRST + d), "from": "Ana",
         "from_id": "user42", "text": f"m{i}"}
        for i, d in ((1, -60), (2, 0), (3, 60))
    ]  # fmt: skip
    return write_export(tmp_path / "r.json", GROUP, messages)


def test_the_cut_off_is_found_in_an_s3_raw_zone(s3: Any, raw_bucket: str, tmp_path: Path) -> None:
    update = {
        "update_id": 900000001,
        "message": {"message_id": 7, "chat": {"id": -4123456789, "type": "group"},
                    "date": BOT_FIRST, "text": "oi"},
    }  # fmt: skip
    body = gzip.compress((json.dumps(update) + "\n").encode())
    s3.put_object(Bucket=raw_bucket, Key="raw/dt=2026-10-26/firehose-1.jsonl.gz", Body=body)
    report = s3_run(s3, group_export(tmp_path))
    assert report.chats[0].cutoff_at == BOT_FIRST
    assert report.totals()["messages"] == 1


def test_the_cut_off_is_found_in_an_s3_curated_zone(
    s3: Any, raw_bucket: str, tmp_path: Path
) -> None:
    s3.create_bucket(Bucket="curated-bucket")
    table = pa.table(
        {
            "chat_id": pa.array([-4123456789], pa.int64()),
            "sent_at": pa.array([BOT_FIRST * 1_000_000], pa.timestamp("us")),
            "update_id": pa.array([900000001], pa.int64()),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    key = "curated/messages/dt=2026-10-26/part-00000.snappy.parquet"
    s3.put_object(Bucket="curated-bucket", Key=key, Body=buffer.getvalue())
    report = s3_run(s3, group_export(tmp_path), curated_uri="s3://curated-bucket/curated")
    assert report.chats[0].cutoff_at == BOT_FIRST
    assert report.chats[0].first_seen == "the curated messages table (s3://curated-bucket/curated)"


def test_a_raw_zone_at_the_bucket_root(s3: Any, raw_bucket: str) -> None:
    s3.put_object(Bucket=raw_bucket, Key="dt=2026-10-26/1.json", Body=b"{}")
    s3.put_object(Bucket=raw_bucket, Key="_imports/-1/g00001.json", Body=b"{}")
    store = S3Store(f"s3://{raw_bucket}", s3)
    assert store.list_names("") == ["_imports", "dt=2026-10-26"]
    assert store.list_names("dt=2026-10-26") == ["1.json"]
    assert store.read("dt=2026-10-26/1.json") == b"{}"
    assert store.read("dt=2026-10-26/2.json") is None
