"""Helpers of the fault-injection suite: a handle on a running webhook server, an RSS
sampler, waiting for a condition. Reads /proc/self/statm; writes nothing."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devtools.local_server import WebhookServer

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    """This process's resident set size now (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * _PAGE_BYTES


@dataclass
class RssSampler:
    """Samples RSS every few milliseconds while running; `growth` = peak - start."""

    interval: float = 0.005
    start: int = 0
    peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> RssSampler:
        self.start = self.peak = rss_bytes()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, rss_bytes())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.peak = max(self.peak, rss_bytes())

    @property
    def growth(self) -> int:
        return self.peak - self.start


@dataclass
class Webhook:
    server: WebhookServer
    root: Path
    log: io.StringIO

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.server.server_address[:2]
        return str(host), int(port)

    def stored(self) -> list[str]:
        return sorted(p.name for p in self.root.rglob("*") if p.is_file())


#: The `start_webhook` fixture (conftest.py): start a server with ServerLimits fields.
StartWebhook = Callable[..., Webhook]


def worker_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("webhook-worker-"))


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


class FakeAwsEndpoint:
    """A local HTTP endpoint that stands in for an AWS service that misbehaves.

    `hang`: accepts, reads whatever comes and never answers. `error`: answers every request
    with HTTP 500 and an S3-style `InternalError` body (retryable for botocore). `reset`:
    accepts and closes at once. `connections` counts the connections accepted. Loopback
    only; every socket has a timeout; `close()` ends it all.
    """

    ERROR_BODY = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
        b"<Message>We encountered an internal error. Please try again.</Message></Error>"
    )

    def __init__(self, mode: str) -> None:
        assert mode in ("hang", "error", "reset")
        self.mode = mode
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._stop = threading.Event()
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.settimeout(30)
            if self.mode == "reset":
                conn.close()
                continue
            self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        data = b""
        try:
            while not self._stop.is_set():
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
                if self.mode == "error" and self._request_complete(data):
                    head = (
                        b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/xml\r\n"
                        b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(self.ERROR_BODY)
                    )
                    conn.sendall(head + self.ERROR_BODY)
                    return
        except OSError:
            return

    @staticmethod
    def _request_complete(data: bytes) -> bool:
        head, separator, body = data.partition(b"\r\n\r\n")
        if not separator:
            return False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                return len(body) >= int(value.strip())
        return True

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.close()
        self._thread.join(5)
