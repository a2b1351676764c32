"""A small file-system helper over Hadoop's FileSystem API, reached through Spark's JVM.

Reads and writes whatever URI it is given: `s3://` on Glue (EMRFS), `file://` or a plain
path locally. Going through Hadoop rather than Python I/O means one code path for every
scheme, with the credentials and settings the Spark session already has.

Used for the few things Spark's DataFrame API does not do: checking which `dt=` folders
exist, listing, renaming and deleting staged files, and reading/writing small JSON documents
(run summaries, staging manifests).
"""

from __future__ import annotations

import builtins
import json
import uuid
from dataclasses import dataclass
from typing import Any

from py4j.protocol import Py4JJavaError
from pyspark.sql import SparkSession

from glue_jobs.faults import crash_point
from lake.uri import is_s3_uri, join_uri

UTF_8 = "UTF-8"


@dataclass(frozen=True)
class Entry:
    """One child of a listed folder."""

    name: str
    uri: str
    is_dir: bool


class HadoopFs:
    """Hadoop FileSystem calls for URIs of any scheme the Spark session can reach."""

    def __init__(self, spark: SparkSession) -> None:
        jvm = spark.sparkContext._jvm
        if jvm is None:  # only on a stopped context
            raise RuntimeError("the Spark context has no JVM")
        self._jvm: Any = jvm
        self._conf: Any = spark.sparkContext._jsc.hadoopConfiguration()

    def _resolve(self, uri: str) -> tuple[Any, Any]:
        path = self._jvm.org.apache.hadoop.fs.Path(uri)
        return path.getFileSystem(self._conf), path

    def exists(self, uri: str) -> bool:
        fs, path = self._resolve(uri)
        return bool(fs.exists(path))

    def list(self, uri: str) -> list[Entry]:
        """Children of a folder, sorted by name; [] when the folder does not exist.

        Hidden names (`_SUCCESS`, `.crc` files, ...) are listed too: callers filter.
        """
        fs, path = self._resolve(uri)
        if not fs.exists(path):
            return []
        entries = [
            Entry(
                name=str(status.getPath().getName()),
                uri=join_uri(uri, str(status.getPath().getName())),
                is_dir=bool(status.isDirectory()),
            )
            for status in fs.listStatus(path)
        ]
        return sorted(entries, key=lambda entry: entry.name)

    def glob(self, pattern: str) -> builtins.list[str]:
        """URIs of the files matching a Hadoop glob (`dt=2026-11-02/*.{jsonl,jsonl.gz}`).

        Filtered inside the JVM: only the matches cross to Python, however many files the
        folder holds.
        """
        fs, path = self._resolve(pattern)
        statuses = fs.globStatus(path)
        if statuses is None:  # the folder part of the pattern does not exist
            return []
        return sorted(str(status.getPath().toString()) for status in statuses)

    def mkdirs(self, uri: str) -> None:
        fs, path = self._resolve(uri)
        fs.mkdirs(path)

    def rename(self, source: str, target: str) -> None:
        """Rename one file (atomic locally; copy-then-delete of one object on S3)."""
        fs, source_path = self._resolve(source)
        _, target_path = self._resolve(target)
        if not fs.rename(source_path, target_path):
            raise OSError(f"could not rename {source} to {target}")

    def delete(self, uri: str, *, recursive: bool = False) -> None:
        fs, path = self._resolve(uri)
        if fs.exists(path) and not fs.delete(path, recursive):
            raise OSError(f"could not delete {uri}")

    def write_text(self, uri: str, text: str) -> None:
        """Create or replace a small text file (UTF-8), atomically.

        A reader (or a later run after a crash) sees the old file or the whole new one,
        never a part: on S3 an object appears whole when its single PUT completes (the
        stream is uploaded on close); elsewhere the text goes to a hidden temporary file
        in the same folder, which is then renamed over the target.
        """
        fs, path = self._resolve(uri)
        if is_s3_uri(uri):
            self._write(fs, path, text)
            return
        temporary = self._jvm.org.apache.hadoop.fs.Path(
            path.getParent(), f".{path.getName()}.{uuid.uuid4().hex}.tmp"
        )
        self._write(fs, temporary, text)
        crash_point("small_write", uri)
        if fs.exists(path) and not fs.delete(path, False):
            raise OSError(f"could not replace {uri}")
        if not fs.rename(temporary, path):
            fs.delete(temporary, False)
            raise OSError(f"could not rename the new {uri} into place")

    @staticmethod
    def _write(fs: Any, path: Any, text: str) -> None:
        stream = fs.create(path, True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def count_files(self, pattern: str) -> int:
        """How many files match a Hadoop glob (one call, counted in the JVM)."""
        fs, path = self._resolve(pattern)
        statuses = fs.globStatus(path)
        return 0 if statuses is None else len(statuses)

    def empty_files(self, uri: str) -> builtins.list[str]:
        """URIs of the visible 0-byte files directly in a folder (a slow, per-file listing:
        called only when a cheaper count says there are some)."""
        fs, path = self._resolve(uri)
        if not fs.exists(path):
            return []
        return sorted(
            str(status.getPath().toString())
            for status in fs.listStatus(path)
            if not status.isDirectory()
            and status.getLen() == 0
            and not str(status.getPath().getName()).startswith(("_", "."))
        )

    def gzip_error(self, uri: str) -> str | None:
        """None if a gzip file decompresses to its end, else what is wrong with it.

        Reads the whole file once, in the driver's JVM (java.util.zip checks every member's
        CRC and length): a truncated or corrupt file is found before Spark reads it.
        """
        fs, path = self._resolve(uri)
        stream = fs.open(path)
        try:
            gzip = self._jvm.java.util.zip.GZIPInputStream(stream)
            self._jvm.org.apache.commons.io.IOUtils.consume(gzip)
        except Py4JJavaError as error:
            cause = error.java_exception
            return f"{cause.getClass().getSimpleName()}: {cause.getMessage()}"
        finally:
            stream.close()
        return None

    def read_text(self, uri: str) -> str:
        """A small text file (UTF-8); OSError when it cannot be read (say its checksum
        file disagrees with a file a crash cut short)."""
        fs, path = self._resolve(uri)
        try:
            stream = fs.open(path)
            try:
                return str(self._jvm.org.apache.commons.io.IOUtils.toString(stream, UTF_8))
            finally:
                stream.close()
        except Py4JJavaError as error:
            raise OSError(f"cannot read {uri}: {error.java_exception}") from None

    def write_json(self, uri: str, document: dict[str, Any]) -> None:
        """Create or replace a small JSON document (indented, keys in insertion order)."""
        self.write_text(uri, json.dumps(document, indent=2, sort_keys=False) + "\n")

    def read_json(self, uri: str) -> dict[str, Any]:
        """A small JSON document; ValueError if it is empty, cut short or not an object."""
        document = json.loads(self.read_text(uri))
        if not isinstance(document, dict):
            raise ValueError(f"{uri} does not hold a JSON object")
        return document
