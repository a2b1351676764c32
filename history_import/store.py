"""Where the importer reads and writes: a local folder or an S3 prefix, behind one interface.

`open_store(uri)` gives a `Store` rooted at a lake URI (`s3://bucket/prefix`, `file://...` or
a plain path). Writes are staged and become visible only on `commit`, so a failed import
leaves nothing behind: locally a hidden temp file (`.name.tmp-*`, skipped by Spark, Athena
and DuckDB) renamed into place; on S3 a multipart upload streamed in 8 MiB parts as the data
is produced and completed at commit (or aborted). Register entries are created exclusively
(`O_EXCL`-style link locally, `If-None-Match: *` on S3). Reads and writes only under the root.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from lake.uri import is_s3_uri, join_uri, local_path, split_s3_uri

PART_BYTES = 8 * 1024 * 1024  # S3 multipart: parts of at least 5 MiB (but the last)
CONTENT_TYPE = "application/gzip"


class Staged(Protocol):
    key: str

    def write(self, data: bytes) -> int: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...
    def commit(self) -> None: ...
    def abort(self) -> None: ...


class Store(Protocol):
    uri: str

    def list_names(self, folder: str) -> list[str]: ...
    def read(self, key: str) -> bytes | None: ...
    def open_read(self, key: str) -> IO[bytes]: ...
    def local_copy(self, key: str) -> contextlib.AbstractContextManager[Path]: ...
    def put_exclusive(self, key: str, data: bytes) -> bool: ...
    def stage(self, key: str) -> Staged: ...


# --- local ---------------------------------------------------------------------------------


class LocalStaged:
    def __init__(self, root: Path, key: str) -> None:
        self.key = key
        self._final = root / key
        self._final.parent.mkdir(parents=True, exist_ok=True)
        self._temp = self._final.with_name(f".{self._final.name}.tmp-{uuid.uuid4().hex}")
        self._file: IO[bytes] | None = self._temp.open("wb")

    def write(self, data: bytes) -> int:
        assert self._file is not None
        return self._file.write(data)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def commit(self) -> None:
        self.close()
        os.replace(self._temp, self._final)

    def abort(self) -> None:
        self.close()
        self._temp.unlink(missing_ok=True)


class LocalStore:
    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.root = local_path(uri)

    def list_names(self, folder: str) -> list[str]:
        path = self.root / folder
        return sorted(p.name for p in path.iterdir()) if path.is_dir() else []

    def read(self, key: str) -> bytes | None:
        path = self.root / key
        return path.read_bytes() if path.is_file() else None

    def open_read(self, key: str) -> IO[bytes]:
        return (self.root / key).open("rb")

    @contextlib.contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        yield self.root / key

    def put_exclusive(self, key: str, data: bytes) -> bool:
        final = self.root / key
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = final.with_name(f".{final.name}.tmp-{uuid.uuid4().hex}")
        temp.write_bytes(data)
        try:
            os.link(temp, final)  # fails if `final` exists: exclusive, and atomic
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: exclusive create, then write
            try:
                with final.open("xb") as file:
                    file.write(data)
            except FileExistsError:
                return False
        finally:
            temp.unlink(missing_ok=True)
        return True

    def stage(self, key: str) -> LocalStaged:
        return LocalStaged(self.root, key)


# --- S3 ------------------------------------------------------------------------------------


class S3Staged:
    """A multipart upload fed as data comes: memory holds at most one part."""

    def __init__(self, client: Any, bucket: str, key: str, relative: str) -> None:
        self.key = relative
        self._client, self._bucket, self._key = client, bucket, key
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= PART_BYTES:
            self._flush()
        return len(data)

    def flush(self) -> None:
        """Parts are uploaded when full (S3 needs at least 5 MiB per part)."""

    def _flush(self) -> None:
        if self._upload_id is None:
            created = self._client.create_multipart_upload(
                Bucket=self._bucket, Key=self._key, ContentType=CONTENT_TYPE
            )
            self._upload_id = created["UploadId"]
        number = len(self._parts) + 1
        answer = self._client.upload_part(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=bytes(self._buffer),
        )
        self._parts.append({"PartNumber": number, "ETag": answer["ETag"]})
        self._buffer.clear()

    def close(self) -> None:
        if self._upload_id is not None and self._buffer:
            self._flush()

    def commit(self) -> None:
        self.close()
        if self._upload_id is None:  # small: one plain put
            self._client.put_object(
                Bucket=self._bucket,
                Key=self._key,
                Body=bytes(self._buffer),
                ContentType=CONTENT_TYPE,
            )
            return
        self._client.complete_multipart_upload(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
        )
        self._upload_id = None  # done: nothing left to abort

    def abort(self) -> None:
        if self._upload_id is not None:
            self._client.abort_multipart_upload(
                Bucket=self._bucket, Key=self._key, UploadId=self._upload_id
            )
            self._upload_id = None
        self._buffer.clear()


class _BodyReader(io.RawIOBase):
    """A boto3 StreamingBody as a raw stream, so that it can be buffered and read by line."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._body.close()
        super().close()


class S3Store:
    def __init__(self, uri: str, client: Any) -> None:
        self.uri = uri
        self.bucket, self.prefix = split_s3_uri(uri)
        self._client = client

    def _key(self, key: str) -> str:
        return join_uri(self.prefix, key) if self.prefix else key.strip("/")

    def list_names(self, folder: str) -> list[str]:
        prefix = self._key(folder)
        prefix = f"{prefix}/" if prefix else ""  # the bucket's root has no leading slash
        names: set[str] = set()
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix, Delimiter="/"):
            for common in page.get("CommonPrefixes", []):
                names.add(common["Prefix"][len(prefix) :].rstrip("/"))
            for item in page.get("Contents", []):
                names.add(item["Key"][len(prefix) :])
        return sorted(n for n in names if n)

    def read(self, key: str) -> bytes | None:
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self._client.exceptions.NoSuchKey:
            return None
        return bytes(answer["Body"].read())

    def open_read(self, key: str) -> IO[bytes]:
        answer = self._client.get_object(Bucket=self.bucket, Key=self._key(key))
        return io.BufferedReader(_BodyReader(answer["Body"]))

    @contextlib.contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        folder = tempfile.mkdtemp(prefix="history-import-")
        try:
            path = Path(folder) / Path(key).name
            self._client.download_file(self.bucket, self._key(key), str(path))
            yield path
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def put_exclusive(self, key: str, data: bytes) -> bool:
        try:
            self._client.put_object(
                Bucket=self.bucket,
                Key=self._key(key),
                Body=data,
                ContentType="application/json",
                IfNoneMatch="*",
            )
        except self._client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("PreconditionFailed", "412"):
                return False
            raise
        return True

    def stage(self, key: str) -> S3Staged:
        return S3Staged(self._client, self.bucket, self._key(key), key)


def open_store(uri: str, s3_client: Any = None) -> Store:
    """The store of a lake URI; an S3 client is built from the default boto3 credentials
    chain (environment, profile, SSO, instance role) unless one is given."""
    if is_s3_uri(uri):
        if s3_client is None:
            import boto3  # noqa: PLC0415 (only S3 imports need boto3)

            s3_client = boto3.client("s3")
        return S3Store(uri, s3_client)
    return LocalStore(uri)
