"""The import's output: Updates as gzip NDJSON parts under `{raw_uri}/dt={import date}/`.

One line per Update, compact JSON (`ensure_ascii=False`, no spaces, as the sample and
Telegram's own bodies are written), in the order the export lists the messages. Parts hold
at most `max_lines` lines, named `history_{chat_id}_g{generation}_{digest}_p{part}.jsonl.gz`
(`lake.zones.history_part_name`). The gzip header carries no file name and mtime 0, so the
same import writes the same bytes on any day. Compressing and storing (an S3 upload) run in
one background thread fed through a bounded queue: zlib and network I/O release the GIL, so
they overlap the parsing and mapping, and memory stays bounded. Staged through the store:
nothing is visible before commit. Reads nothing.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import queue
import threading
from collections.abc import Callable
from typing import Any

from history_import.store import Staged, Store
from lake.uri import join_uri
from lake.zones import history_part_name, partition_name

MAX_LINES_PER_PART = 1_000_000
COMPRESS_LEVEL = 6
BATCH_LINES = 1024  # lines joined before one compress call (fewer, larger zlib calls)
QUEUE_BATCHES = 8  # batches waiting for the background thread, at most


def _encoder() -> Callable[[Any], str]:
    """Compact JSON, UTF-8 as is. Updates are trees of fresh dicts (no cycles to check for),
    so the C encoder is called directly: `JSONEncoder.encode` rebuilds it on every call."""
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # a Python without the _json accelerator
        return json.JSONEncoder(
            ensure_ascii=False, separators=(",", ":"), check_circular=False
        ).encode
    encode = c_make_encoder(
        None, None, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    return lambda value: "".join(encode(value, 0))


_encode = _encoder()


class Background:
    """Runs tasks in order in one daemon thread; the first error is raised to the caller."""

    def __init__(self, depth: int = QUEUE_BATCHES) -> None:
        self._tasks: queue.Queue[Callable[[], object] | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (task := self._tasks.get()) is not None:
            if self._error is None:
                try:
                    task()
                except BaseException as error:  # handed to the caller by `_check`
                    self._error = error

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def submit(self, task: Callable[[], object]) -> None:
        self._check()
        self._tasks.put(task)

    def close(self) -> None:
        """Wait for every task; raise the first error any of them had."""
        if self._thread.is_alive():
            self._tasks.put(None)
            self._thread.join()
        self._check()


class PartWriter:
    """Writes the Updates of one chat's import into staged parts."""

    def __init__(
        self,
        store: Store,
        *,
        import_day: str,
        chat_id: int,
        generation: int,
        export_digest: str,
        max_lines: int = MAX_LINES_PER_PART,
    ) -> None:
        self._store = store
        self._folder = partition_name(import_day)
        self._name = lambda part: history_part_name(chat_id, generation, export_digest, part)
        self._max_lines = max_lines
        self.staged: list[Staged] = []
        self._gzip: gzip.GzipFile | None = None
        self._lines_in_part = 0
        self._batch: list[str] = []
        self._background = Background()
        self.lines = 0

    def write(self, update: dict[str, Any]) -> None:
        if self._gzip is None or self._lines_in_part >= self._max_lines:
            self._next_part()
        self._batch.append(_encode(update))
        self._lines_in_part += 1
        self.lines += 1
        if len(self._batch) >= BATCH_LINES:
            self._flush()

    def _flush(self) -> None:
        if self._batch and self._gzip is not None:
            data = ("\n".join(self._batch) + "\n").encode("utf-8")
            self._batch.clear()
            self._background.submit(functools.partial(self._gzip.write, data))

    def _next_part(self) -> None:
        self._close_part()
        staged = self._store.stage(join_uri(self._folder, self._name(len(self.staged))))
        self.staged.append(staged)
        self._gzip = gzip.GzipFile(
            filename="", mode="wb", fileobj=staged, compresslevel=COMPRESS_LEVEL, mtime=0
        )
        self._lines_in_part = 0

    def _close_part(self) -> None:
        if self._gzip is not None:
            self._flush()
            gz, staged = self._gzip, self.staged[-1]
            self._gzip = None

            def finish() -> None:
                gz.close()  # writes the gzip trailer into the staged object
                staged.close()

            self._background.submit(finish)

    def close(self) -> list[str]:
        """Finish the last part; the keys (relative to the raw zone) of every part."""
        self._close_part()
        self._background.close()
        return [staged.key for staged in self.staged]

    def abort(self) -> None:
        # Aborting: the error that caused it is already on its way up.
        with contextlib.suppress(Exception):
            self._background.close()
        for staged in self.staged:
            staged.abort()
