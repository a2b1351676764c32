"""A TCP server whose connections are served by a fixed pool of worker threads.

Reads connections from a listening socket; writes only a 503 to a connection that finds
every worker busy and the waiting queue full. `socketserver.ThreadingTCPServer` starts one
thread per connection, without bound, so 1,000 slow clients are 1,000 threads; here the
number of threads is fixed (`PoolLimits.workers`), accepted connections wait in a bounded
queue (`max_pending`), and the kernel's listen backlog (`backlog`) holds a burst until the
acceptor takes it. The request handling itself is the handler class's (socketserver's
usual `RequestHandlerClass`).
"""

from __future__ import annotations

import contextlib
import json
import math
import queue
import socket
import socketserver
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PoolLimits:
    """How much of the machine one client, or all of them, may hold."""

    # Telegram's default max_connections is 40: each of its connections gets a worker.
    workers: int = 40
    # listen() backlog: connections the kernel holds until the acceptor takes them.
    backlog: int = 128
    # Accepted connections waiting for a worker; past this they get a 503 at once.
    max_pending: int = 512
    # Seconds for a whole request (line, headers, body) to arrive.
    request_timeout: float = 10.0
    # Seconds a keep-alive connection may sit idle between requests.
    idle_timeout: float = 5.0
    # Request line plus headers, in bytes received.
    max_head_bytes: int = 64 * 1024
    # Seconds spent reading and dropping an unread body after a refusal.
    linger_seconds: float = 0.5

    def __post_init__(self) -> None:
        for name in ("workers", "backlog", "max_pending", "max_head_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("request_timeout", "idle_timeout", "linger_seconds"):
            if not 0 < getattr(self, name) < math.inf:
                raise ValueError(f"{name} must be a positive number of seconds")


def error_body(reason: str) -> bytes:
    """The JSON body of every refusal: the handler's own shape, `{"ok":false,"error":...}`."""
    return json.dumps({"ok": False, "error": reason}, separators=(",", ":")).encode()


class PooledTCPServer(socketserver.TCPServer):
    """TCPServer + fixed worker pool + bounded queue; `log` gets one JSON line per refusal."""

    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        handler_class: type[socketserver.BaseRequestHandler],
        *,
        limits: PoolLimits,
        log: Callable[[str], None],
    ) -> None:
        self.limits = limits
        # Read by server_activate() for listen(); socketserver's class default is 5.
        self.request_queue_size = limits.backlog
        super().__init__(address, handler_class)
        self._log = log
        self._pending: queue.Queue[tuple[socket.socket, Any] | None] = queue.Queue(
            limits.max_pending
        )
        self._active: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._workers = [
            threading.Thread(target=self._work, name=f"webhook-worker-{n}", daemon=True)
            for n in range(limits.workers)
        ]
        for worker in self._workers:
            worker.start()

    def waiting(self) -> bool:
        """Whether accepted connections are waiting for a worker."""
        return not self._pending.empty()

    def log_refusal(self, status: int, reason: str, client_address: Any) -> None:
        record = {
            "level": "WARNING",
            "message": "request refused by the local server",
            "status": status,
            "reason": reason,
            "source_ip": str(client_address[0]) if client_address else None,
        }
        self._log(json.dumps(record, separators=(",", ":")))

    def process_request(self, request: Any, client_address: Any) -> None:
        try:
            self._pending.put_nowait((request, client_address))
        except queue.Full:
            self._refuse_busy(request, client_address)

    def _refuse_busy(self, request: socket.socket, client_address: Any) -> None:
        body = error_body("server busy, retry")
        head = (
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            f"Retry-After: 1\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            request.setblocking(False)  # never let the acceptor wait on this client
            request.send(head.encode("latin-1") + body)
        self.log_refusal(503, "server_busy", client_address)
        self.shutdown_request(request)

    def _work(self) -> None:
        while (item := self._pending.get()) is not None:
            request, client_address = item
            with self._lock:
                self._active.add(request)
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                with self._lock:
                    self._active.discard(request)
                self.shutdown_request(request)

    def server_close(self) -> None:
        """Close the listening socket, drop waiting connections, cut active ones, stop workers."""
        super().server_close()
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(queue.Empty):
            while True:
                item = self._pending.get_nowait()
                if item is not None:
                    self.shutdown_request(item[0])
        with self._lock:
            for sock in self._active:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        for _ in self._workers:
            self._pending.put(None)
        for worker in self._workers:
            worker.join(self.limits.request_timeout + 1)
