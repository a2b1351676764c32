"""Raw sinks: S3 (moto), Firehose (moto), local files (atomicity), through the handler."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any

import boto3
import pytest
from ingest_helpers import ARRIVAL, EVENT_SECRET, LogCapture, fixed_clock, make_settings

from ingest_lambda.handler import Ingestor
from ingest_lambda.settings import Settings
from ingest_lambda.storage import FileSink, FirehoseSink, S3Sink, sink_for

LoadEvent = Callable[[str], dict[str, Any]]
MESSAGE_KEY = "telegram/dt=2025-11-20/937451001.json"


def s3_ingestor(s3: Any, raw_uri: str, log: LogCapture, **overrides: Any) -> Ingestor:
    settings = Settings(webhook_secret=EVENT_SECRET, raw_uri=raw_uri, raw_sink="s3", **overrides)
    return Ingestor(settings, sink_for(settings, client=s3), clock=fixed_clock, log=log)


def test_sinks_key_each_update_by_its_utc_arrival_day(
    tmp_path: Path, s3: Any, raw_bucket: str
) -> None:
    files = FileSink(tmp_path)
    assert files.put(5, b"{}", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)) == (
        f"file://{tmp_path}/dt=2025-01-02/5.json"
    )
    # 01:00 in Moscow (UTC+3) on the 21st is still the 20th in UTC.
    moscow = timezone(timedelta(hours=3))
    assert files.put(9, b"{}", datetime(2025, 11, 21, 1, 0, tzinfo=moscow)) == (
        f"file://{tmp_path}/dt=2025-11-20/9.json"
    )
    # A naive time is taken as UTC; the prefix loses its surrounding slashes.
    objects = S3Sink(s3, raw_bucket, "/a/b/")
    assert (
        objects.put(5, b"{}", datetime(2025, 1, 2)) == f"s3://{raw_bucket}/a/b/dt=2025-01-02/5.json"
    )


def test_s3_object_key_bytes_content_type_and_encryption(
    s3: Any, raw_bucket: str, load_event: LoadEvent, log_capture: LogCapture
) -> None:
    event = load_event("message")
    ingestor = s3_ingestor(s3, f"s3://{raw_bucket}/telegram/", log_capture)

    response = ingestor(event, None)

    assert response["statusCode"] == 200
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=raw_bucket)["Contents"]]
    assert keys == [MESSAGE_KEY]
    obj = s3.get_object(Bucket=raw_bucket, Key=MESSAGE_KEY)
    assert obj["Body"].read() == event["body"].encode("utf-8")
    assert obj["ContentType"] == "application/json"
    assert obj["ServerSideEncryption"] == "AES256"
    assert log_capture.last["location"] == f"s3://{raw_bucket}/{MESSAGE_KEY}"


def test_s3_kms_encryption_and_no_prefix(
    s3: Any, raw_bucket: str, load_event: LoadEvent, log_capture: LogCapture
) -> None:
    ingestor = s3_ingestor(
        s3, f"s3://{raw_bucket}", log_capture, s3_sse="aws:kms", s3_kms_key_id="alias/raw"
    )

    assert ingestor(load_event("chat_member"), None)["statusCode"] == 200
    head = s3.head_object(Bucket=raw_bucket, Key="dt=2025-11-20/937451004.json")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == "alias/raw"


def test_s3_failure_is_5xx_and_the_retry_stores_it(
    s3: Any, load_event: LoadEvent, log_capture: LogCapture
) -> None:
    event = load_event("message")
    ingestor = s3_ingestor(s3, "s3://not-created-yet/telegram", log_capture)

    failed = ingestor(event, None)

    assert failed["statusCode"] == 503
    assert log_capture.last["reason"] == "storage_failed"
    assert "NoSuchBucket" in log_capture.last["error"]
    # Telegram redelivers after a 5xx; once storage is back the same update lands.
    s3.create_bucket(Bucket="not-created-yet")
    assert ingestor(event, None)["statusCode"] == 200
    body = s3.get_object(Bucket="not-created-yet", Key=MESSAGE_KEY)["Body"].read()
    assert body == event["body"].encode("utf-8")


def test_rejected_requests_store_nothing_in_s3(
    s3: Any, raw_bucket: str, load_event: LoadEvent, log_capture: LogCapture
) -> None:
    ingestor = s3_ingestor(s3, f"s3://{raw_bucket}/telegram", log_capture)

    statuses = [
        ingestor(load_event(name), None)["statusCode"]
        for name in ("wrong_secret", "missing_secret", "get_request", "not_json", "json_array")
    ]

    assert statuses == [401, 401, 405, 400, 400]
    assert s3.list_objects_v2(Bucket=raw_bucket)["KeyCount"] == 0


@pytest.fixture
def firehose(s3: Any, raw_bucket: str) -> Iterator[Any]:
    client = boto3.client("firehose", region_name="us-east-1")
    client.create_delivery_stream(
        DeliveryStreamName="telegram-raw",
        DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration={
            "RoleARN": "arn:aws:iam::123456789012:role/firehose-delivery",
            "BucketARN": f"arn:aws:s3:::{raw_bucket}",
            "Prefix": "firehose/",
            "ErrorOutputPrefix": "firehose-errors/",
            "CompressionFormat": "UNCOMPRESSED",
        },
    )
    yield client


def _delivered(s3: Any, bucket: str) -> list[bytes]:
    contents = s3.list_objects_v2(Bucket=bucket, Prefix="firehose/").get("Contents", [])
    return [s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in contents]


def test_firehose_record_is_the_body_plus_newline(
    s3: Any, raw_bucket: str, firehose: Any, load_event: LoadEvent, log_capture: LogCapture
) -> None:
    event = load_event("message_reaction")
    settings = Settings.from_env(
        {
            "WEBHOOK_SECRET": EVENT_SECRET,
            "RAW_SINK": "firehose",
            "FIREHOSE_STREAM_NAME": "telegram-raw",
        }
    )
    sink = sink_for(settings)  # builds its own boto3 client (moto is active)
    assert isinstance(sink, FirehoseSink)
    ingestor = Ingestor(settings, sink, clock=fixed_clock, log=log_capture)

    assert ingestor(event, None)["statusCode"] == 200

    assert _delivered(s3, raw_bucket) == [event["body"].encode("utf-8") + b"\n"]
    assert log_capture.last["location"].startswith("firehose://telegram-raw/")


def test_firehose_keeps_a_pretty_printed_body_on_one_line(
    s3: Any, raw_bucket: str, firehose: Any
) -> None:
    body = b'{\r\n  "update_id": 12,\n  "message": {"text": "two\\nlines"}\n}'

    FirehoseSink(firehose, "telegram-raw").put(12, body, ARRIVAL)

    (record,) = _delivered(s3, raw_bucket)
    assert record == b'{    "update_id": 12,   "message": {"text": "two\\nlines"} }\n'
    assert len(record) == len(body) + 1
    assert json.loads(record) == {"update_id": 12, "message": {"text": "two\nlines"}}


def test_firehose_failure_is_5xx(s3: Any, load_event: LoadEvent, log_capture: LogCapture) -> None:
    client = boto3.client("firehose", region_name="us-east-1")
    settings = make_settings(Path("/unused"))
    ingestor = Ingestor(
        settings, FirehoseSink(client, "no-such-stream"), clock=fixed_clock, log=log_capture
    )

    assert ingestor(load_event("message"), None)["statusCode"] == 503
    assert "ResourceNotFoundException" in log_capture.last["error"]


def test_file_sink_writes_exact_bytes_and_overwrites(tmp_path: Path) -> None:
    sink = FileSink(tmp_path / "raw")

    sink.put(7, b'{"update_id":7,"v":1}', ARRIVAL)
    location = sink.put(7, b'{"update_id":7,"v":2}', ARRIVAL)

    target = tmp_path / "raw" / "dt=2025-11-20" / "7.json"
    assert target.read_bytes() == b'{"update_id":7,"v":2}'
    assert location == f"file://{target}"
    assert sorted(p.name for p in target.parent.iterdir()) == ["7.json"]


def _half_then_fail(file: IO[bytes], body: bytes) -> None:
    file.write(body[: len(body) // 2])
    file.flush()
    raise OSError("No space left on device")


def test_failure_mid_write_leaves_no_target_and_no_temp_file(tmp_path: Path) -> None:
    sink = FileSink(tmp_path, write=_half_then_fail)

    with pytest.raises(OSError, match="No space left"):
        sink.put(8, b'{"update_id":8,"message":{"text":"hello"}}', ARRIVAL)

    assert list((tmp_path / "dt=2025-11-20").iterdir()) == []


def test_failure_mid_rewrite_keeps_the_previous_complete_file(tmp_path: Path) -> None:
    FileSink(tmp_path).put(8, b'{"update_id":8,"v":"old"}', ARRIVAL)

    with pytest.raises(OSError):
        FileSink(tmp_path, write=_half_then_fail).put(8, b'{"update_id":8,"v":"new"}', ARRIVAL)

    day = tmp_path / "dt=2025-11-20"
    assert [p.name for p in day.iterdir()] == ["8.json"]
    assert (day / "8.json").read_bytes() == b'{"update_id":8,"v":"old"}'


def test_temp_file_is_hidden_and_in_the_target_directory(tmp_path: Path) -> None:
    seen: list[tuple[str, str, bytes]] = []

    def spy_replace(src: str, dst: str) -> None:
        seen.append((src, dst, Path(src).read_bytes()))
        assert not Path(dst).exists()  # not visible before the rename
        os.replace(src, dst)

    FileSink(tmp_path, replace=spy_replace).put(9, b'{"update_id":9}', ARRIVAL)

    ((src, dst, content),) = seen
    assert Path(src).parent == Path(dst).parent == tmp_path / "dt=2025-11-20"
    assert Path(src).name.startswith(".")  # Spark/Hadoop globbing skips dot files
    assert content == b'{"update_id":9}'


def test_rename_failure_through_the_handler_is_503_and_leaves_nothing(
    tmp_path: Path, load_event: LoadEvent, log_capture: LogCapture
) -> None:
    def failing_replace(src: str, dst: str) -> None:
        raise PermissionError("read-only file system")

    sink = FileSink(tmp_path, replace=failing_replace)
    ingestor = Ingestor(make_settings(tmp_path), sink, clock=fixed_clock, log=log_capture)

    assert ingestor(load_event("message"), None)["statusCode"] == 503
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_concurrent_writers_of_one_key_never_expose_a_partial_file(tmp_path: Path) -> None:
    sink = FileSink(tmp_path)
    pad = "x" * 50_000
    bodies = [json.dumps({"update_id": 3, "writer": n, "pad": pad}).encode() for n in range(4)]
    target = tmp_path / "dt=2025-11-20" / "3.json"
    seen: list[bytes] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            if target.exists():
                seen.append(target.read_bytes())

    def writer(body: bytes) -> None:
        for _ in range(20):
            sink.put(3, body, ARRIVAL)

    watcher = threading.Thread(target=reader)
    watcher.start()
    threads = [threading.Thread(target=writer, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    watcher.join()

    assert target.read_bytes() in bodies
    assert all(content in bodies for content in seen)
    assert [p.name for p in target.parent.iterdir()] == ["3.json"]


def test_sink_for_s3_uses_the_given_client(s3: Any, raw_bucket: str) -> None:
    settings = make_settings(Path("/"), raw_uri=f"s3://{raw_bucket}/a/b/", raw_sink="s3")

    sink = sink_for(settings, client=s3)

    assert isinstance(sink, S3Sink)
    assert sink.put(1, b'{"update_id":1}', ARRIVAL) == f"s3://{raw_bucket}/a/b/dt=2025-11-20/1.json"
