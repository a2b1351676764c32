"""The raw zone as the erasure job rewrites it: objects and, on S3, their older versions.

Reads and writes raw objects by the URIs Spark reported (`s3://bucket/raw/dt=.../x.json`,
or `file:/...` locally). Two implementations with one interface:

- `S3RawStore` (boto3): a rewrite is a PutObject followed by DeleteObjects of every other
  version of that key, delete markers included; a deletion deletes every version (no delete
  marker is left). `stale_versions` lists the noncurrent versions under the raw prefix (a
  redelivered update, an object deleted earlier), so that old copies of a person's data are
  found too. `preflight` proves every permission the job needs before it changes anything:
  GetBucketVersioning, ListObjectVersions, and a probe object written and then deleted by
  version (PutObject + DeleteObjectVersion) under a hidden key.
- `LocalRawStore`: plain files, written whole then renamed into place (a crash leaves the
  old file or the new one); no versions.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

from lake.uri import is_s3_uri, join_uri, local_path, split_s3_uri

#: DeleteObjects takes at most this many keys per call.
DELETE_BATCH = 1000
PROBE_FOLDER = "_erasure_probe"


class ErasurePermissionError(RuntimeError):
    """The job cannot do what an erasure needs; nothing has been changed yet."""


@dataclass(frozen=True)
class StaleVersion:
    """A noncurrent version (or delete marker) of a raw object."""

    uri: str
    version_id: str
    is_delete_marker: bool


class RawStore(Protocol):
    def read(self, uri: str) -> bytes: ...

    def write(self, uri: str, data: bytes) -> int:
        """Replace the object; returns how many older versions were purged."""
        ...

    def delete(self, uri: str) -> int:
        """Delete the object and every version of it; returns the versions purged beyond the
        current one (delete markers included)."""
        ...

    def stale_versions(self) -> Iterator[StaleVersion]: ...

    def read_version(self, version: StaleVersion) -> bytes: ...

    def purge(self, versions: list[StaleVersion]) -> int: ...

    def preflight(self) -> dict[str, Any]: ...


def file_path(uri: str) -> Path:
    """A local path from a URI as Spark or Hadoop spells it (`file:/a`, `file:///a`, `/a`)."""
    if uri.startswith("file:") and not uri.startswith("file://"):
        return Path(unquote(urlparse(uri).path))
    return local_path(uri)


class LocalRawStore:
    """Raw files on a local disk (the demo lake, tests)."""

    def __init__(self, raw_uri: str) -> None:
        self.root = local_path(raw_uri)

    def read(self, uri: str) -> bytes:
        return file_path(uri).read_bytes()

    def write(self, uri: str, data: bytes) -> int:
        path = file_path(uri)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _checksum(path).unlink(missing_ok=True)  # a Hadoop checksum of the old bytes
        return 0

    def delete(self, uri: str) -> int:
        path = file_path(uri)
        path.unlink(missing_ok=True)
        _checksum(path).unlink(missing_ok=True)
        return 0

    def stale_versions(self) -> Iterator[StaleVersion]:
        return iter(())

    def read_version(self, version: StaleVersion) -> bytes:
        """A local disk keeps no old versions (`stale_versions` yields none), so any version
        asked for is not one of this store's."""
        raise LookupError(
            f"{version.uri}: local files keep no versions, so there is no {version.version_id}"
        )

    def purge(self, versions: list[StaleVersion]) -> int:
        return 0

    def preflight(self) -> dict[str, Any]:
        if not self.root.is_dir():
            raise ErasurePermissionError(f"the raw zone {self.root} is not a folder")
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise ErasurePermissionError(f"the raw zone {self.root} is not writable")
        return {"versioning": "none (local files)"}


def _checksum(path: Path) -> Path:
    return path.with_name(f".{path.name}.crc")


class S3RawStore:
    """Raw objects in a (versioned) S3 bucket, through boto3."""

    def __init__(self, raw_uri: str, client: Any) -> None:
        self.bucket, self.prefix = split_s3_uri(raw_uri)
        self.raw_uri = raw_uri
        self.client = client

    def _key(self, uri: str) -> str:
        bucket, key = split_s3_uri(uri)
        if bucket != self.bucket or not key.startswith(f"{self.prefix}/"):
            raise ValueError(f"{uri} is not under the raw zone {self.raw_uri}")
        return key

    def _uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def read(self, uri: str) -> bytes:
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(uri))["Body"]
        return bytes(body.read())

    def write(self, uri: str, data: bytes) -> int:
        key = self._key(uri)
        response = self.client.put_object(Bucket=self.bucket, Key=key, Body=data)
        return self._purge_key(key, keep=response.get("VersionId"))

    def delete(self, uri: str) -> int:
        return self._purge_key(self._key(uri), keep=None)

    def _versions_of(self, key: str) -> list[tuple[str, bool, bool]]:
        """(version id, is delete marker, is latest) of exactly this key."""
        found: list[tuple[str, bool, bool]] = []
        paginator = self.client.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=key):
            for version in page.get("Versions", []):
                if version["Key"] == key:
                    found.append((version["VersionId"], False, bool(version.get("IsLatest"))))
            for marker in page.get("DeleteMarkers", []):
                if marker["Key"] == key:
                    found.append((marker["VersionId"], True, bool(marker.get("IsLatest"))))
        return found

    def _purge_key(self, key: str, *, keep: str | None) -> int:
        """Delete every version of `key` but `keep`; returns how many were not the current
        object (older versions and delete markers)."""
        versions = [entry for entry in self._versions_of(key) if entry[0] != keep]
        self._delete_versions([(key, version_id) for version_id, _, _ in versions])
        return sum(1 for _, _, is_latest in versions if not is_latest or keep is not None)

    def _delete_versions(self, targets: list[tuple[str, str]]) -> None:
        for start in range(0, len(targets), DELETE_BATCH):
            batch = targets[start : start + DELETE_BATCH]
            response = self.client.delete_objects(
                Bucket=self.bucket,
                Delete={
                    "Objects": [{"Key": key, "VersionId": version} for key, version in batch],
                    "Quiet": True,
                },
            )
            errors = response.get("Errors", [])
            if errors:
                first = errors[0]
                raise ErasurePermissionError(
                    f"S3 refused to delete {len(errors)} object versions in {self.bucket} "
                    f"(first: {first.get('Key')}: {first.get('Code')} {first.get('Message')})"
                )

    def stale_versions(self) -> Iterator[StaleVersion]:
        paginator = self.client.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=f"{self.prefix}/"):
            for version in page.get("Versions", []):
                if not version.get("IsLatest"):
                    yield StaleVersion(self._uri(version["Key"]), version["VersionId"], False)
            for marker in page.get("DeleteMarkers", []):
                yield StaleVersion(self._uri(marker["Key"]), marker["VersionId"], True)

    def read_version(self, version: StaleVersion) -> bytes:
        response = self.client.get_object(
            Bucket=self.bucket, Key=self._key(version.uri), VersionId=version.version_id
        )
        return bytes(response["Body"].read())

    def purge(self, versions: list[StaleVersion]) -> int:
        self._delete_versions(
            [(self._key(version.uri), version.version_id) for version in versions]
        )
        return len(versions)

    def preflight(self) -> dict[str, Any]:
        """Every S3 call the erasure makes, tried before anything is changed."""
        steps = (
            (
                "s3:GetBucketVersioning",
                lambda: self.client.get_bucket_versioning(Bucket=self.bucket),
            ),
            (
                "s3:ListBucketVersions",
                lambda: self.client.list_object_versions(
                    Bucket=self.bucket, Prefix=f"{self.prefix}/", MaxKeys=1
                ),
            ),
        )
        results = {}
        for action, call in steps:
            try:
                results[action] = call()
            except Exception as error:  # botocore ClientError, NoCredentialsError, ...
                raise ErasurePermissionError(_denied(action, self.raw_uri, error)) from error
        probe = join_uri(self.prefix, PROBE_FOLDER, f"{uuid.uuid4().hex}.txt")
        try:
            put = self.client.put_object(Bucket=self.bucket, Key=probe, Body=b"erasure probe")
        except Exception as error:
            raise ErasurePermissionError(
                _denied("s3:PutObject", self._uri(probe), error)
            ) from error
        try:
            self._delete_versions([(probe, put.get("VersionId") or "null")])
        except Exception as error:
            raise ErasurePermissionError(
                _denied("s3:DeleteObjectVersion", self._uri(probe), error)
                + " (the probe object may be left behind: delete it by hand)"
            ) from error
        status = results["s3:GetBucketVersioning"].get("Status") or "never enabled"
        return {"versioning": status}


def _denied(action: str, where: str, error: Exception) -> str:
    return (
        f"the erasure needs {action} on {where} and could not use it ({error}); "
        "nothing has been changed"
    )


def open_raw_store(raw_uri: str, *, s3_client: Any | None = None) -> RawStore:
    """The store of a raw zone URI (`s3://` via boto3, anything else a local folder)."""
    if is_s3_uri(raw_uri):
        if s3_client is None:
            import boto3  # noqa: PLC0415 (Glue has it; local runs of a file lake do not need it)

            s3_client = boto3.client("s3")
        return S3RawStore(raw_uri, s3_client)
    return LocalRawStore(raw_uri)
