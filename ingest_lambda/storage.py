"""Raw-zone sinks: store one Telegram update body, untouched, under its arrival date.

Writes `{raw_uri}/dt={YYYY-MM-DD}/{update_id}.json` (S3 object or local file; the key is
`lake.zones.raw_object_key`), or one NDJSON record to an Amazon Data Firehose stream that
delivers into the same `dt=` layout. Reads nothing. Clients are passed in (tests inject
moto/fakes); boto3 is imported only when `sink_for` has to build a client itself, and then
with timeouts that fit the function's (ingest_lambda.aws).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Protocol

from ingest_lambda import aws
from ingest_lambda.settings import Settings
from lake.uri import local_path, split_s3_uri
from lake.zones import raw_object_key

JSON_CONTENT_TYPE = "application/json"


class RawSink(Protocol):
    """Stores one update. Must be idempotent per (arrival day, update_id) and thread-safe."""

    def put(self, update_id: int, body: bytes, arrived_at: datetime) -> str:
        """Store `body` exactly; return where it went (for logs). Raise on any failure."""
        ...


class S3Sink:
    """One `put_object` per update; a redelivery overwrites the same key (idempotent)."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str = "",
        *,
        sse: str = "AES256",
        kms_key_id: str | None = None,
    ) -> None:
        self._client = client
        self._bucket = bucket
        self._prefix = prefix.strip("/")
        self._encryption: dict[str, str] = {"ServerSideEncryption": sse}
        if kms_key_id and sse.startswith("aws:kms"):
            self._encryption["SSEKMSKeyId"] = kms_key_id

    def put(self, update_id: int, body: bytes, arrived_at: datetime) -> str:
        key = raw_object_key(update_id, arrived_at, self._prefix)
        self._client.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=body,
            ContentType=JSON_CONTENT_TYPE,
            **self._encryption,
        )
        return f"s3://{self._bucket}/{key}"


def _write_all(file: IO[bytes], body: bytes) -> None:
    file.write(body)


class FileSink:
    """Local raw zone. Atomic: the body goes to a hidden temp file in the target directory,
    then `os.replace` publishes it, so a reader (Spark, DuckDB) sees the whole file or none.

    Temp names start with "." so Spark and Hadoop-style globbing skip them even if a crash
    leaves one behind. `fsync=True` adds durability across power loss (costs ~ms per update).
    `write` and `replace` are injectable to test failures mid-write.
    """

    def __init__(
        self,
        root: Path | str,
        *,
        fsync: bool = False,
        write: Callable[[IO[bytes], bytes], None] = _write_all,
        replace: Callable[[str, str], None] = os.replace,
    ) -> None:
        self._root = Path(root)
        self._fsync = fsync
        self._write = write
        self._replace = replace

    @property
    def root(self) -> Path:
        return self._root

    def put(self, update_id: int, body: bytes, arrived_at: datetime) -> str:
        target = self._root / raw_object_key(update_id, arrived_at)
        directory = target.parent
        try:
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        except FileNotFoundError:
            directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                self._write(file, body)
                if self._fsync:
                    file.flush()
                    os.fsync(file.fileno())
            self._replace(tmp, str(target))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return f"file://{target}"  # readable in logs (as_uri() would escape "=")


class FirehoseSink:
    """Buffered raw path: one `put_record` per update; Firehose batches, gzips and delivers
    NDJSON objects under the arrival day's `dt=` folder (UTC; the stream's prefix is
    `lake.zones.FIREHOSE_PARTITION_EXPRESSION`, set by the infra).

    Each record is the body plus a newline. Valid JSON can contain CR/LF only as
    insignificant whitespace (control characters are not allowed inside strings), so any
    CR/LF is turned into a space: same length, same JSON value, still one line. Telegram's
    bodies are compact and pass through byte for byte. Firehose delivers at least once; the
    Glue job's dedup on update_id removes repeats.
    """

    def __init__(self, client: Any, stream_name: str) -> None:
        self._client = client
        self._stream = stream_name

    def put(self, update_id: int, body: bytes, arrived_at: datetime) -> str:
        if b"\n" in body or b"\r" in body:
            body = body.replace(b"\r", b" ").replace(b"\n", b" ")
        response = self._client.put_record(
            DeliveryStreamName=self._stream, Record={"Data": body + b"\n"}
        )
        return f"firehose://{self._stream}/{response.get('RecordId', '')}"


def sink_for(settings: Settings, *, client: Any = None) -> RawSink:
    """The sink `settings` asks for; `client` (boto3 S3 or Firehose) is created if omitted."""
    if settings.raw_sink == "firehose":
        assert settings.firehose_stream_name  # Settings validated it
        return FirehoseSink(
            client or aws.client("firehose", function_timeout=settings.function_timeout_seconds),
            settings.firehose_stream_name,
        )
    assert settings.raw_uri  # Settings validated it
    if settings.raw_sink == "s3":
        bucket, prefix = split_s3_uri(settings.raw_uri)
        return S3Sink(
            client or aws.client("s3", function_timeout=settings.function_timeout_seconds),
            bucket,
            prefix,
            sse=settings.s3_sse,
            kms_key_id=settings.s3_kms_key_id,
        )
    return FileSink(local_path(settings.raw_uri))
