"""Local webhook server: HTTP requests in, Function URL v2.0 events through the real handler.

Reads HTTP requests on a local socket (127.0.0.1:8080 by default) and the environment
(RAW_URI, default `file://./.lake/raw` resolved against the working directory, and
WEBHOOK_SECRET or WEBHOOK_SECRET_PARAM). Writes raw updates through the same `Ingestor` the
Lambda uses, so status codes, storage layout and log lines are identical. A request the
server refuses by itself (framing, size, time, overload) gets one JSON log line of its own.

    python -m devtools.local_server --host 127.0.0.1 --port 8080

Made to sit behind a public tunnel (limits and why: docs/webhook.md):
- a fixed pool of worker threads serves the connections; accepted connections wait in a
  bounded queue and, past it, get a 503 at once;
- a listen backlog of 128: a burst waits in the kernel instead of being dropped;
- a request must arrive whole (head and body) within `request_timeout` seconds, and an idle
  keep-alive connection is closed after `idle_timeout`: a slow client holds a worker for a
  bounded time only;
- the method and the secret header are checked before the body is read; the body is framed
  strictly (devtools.http_framing) and capped.

HTTP/1.1 with keep-alive (Telegram reuses connections). `serve(host, port, settings)`
returns a server that the caller runs (`serve_forever` in a thread) and stops (`shutdown`,
then `server_close`).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import io
import math
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any, TextIO, cast

from devtools.function_url import build_event
from devtools.http_framing import (
    CHUNKED,
    DeadlineReader,
    FramingError,
    HeadTooLargeError,
    LineRecorder,
    body_length,
    check_head,
    read_chunked,
    read_exactly,
)
from devtools.pooled_server import PooledTCPServer, PoolLimits, error_body
from ingest_lambda.handler import SECRET_HEADER, Ingestor, JsonLineLog
from ingest_lambda.settings import RAW_URI, ConfigError, Settings
from ingest_lambda.storage import RawSink, sink_for

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_RAW_URI = "file://./.lake/raw"
# Lambda Function URLs refuse request payloads over 6 MB before the function runs; refuse
# the same here without reading them (or the handler's own MAX_BODY_BYTES, if lower).
FUNCTION_URL_MAX_PAYLOAD = 6 * 1024 * 1024
MAX_REQUEST_LINE = 8192
READ_BUFFER_BYTES = 16 * 1024
# What is read and dropped, at most, after refusing a request whose body was not read.
LINGER_BYTES = 1024 * 1024
_STATUS_CODES = frozenset(int(code) for code in HTTPStatus)
_HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
# The local server's limits (workers, backlog, timeouts): the pool's.
ServerLimits = PoolLimits
__all__ = [
    "FUNCTION_URL_MAX_PAYLOAD",
    "ServerLimits",
    "WebhookServer",
    "build_event",
    "main",
    "serve",
]
_PARSE_ERROR_REASONS = {
    400: "bad_request",
    414: "request_line_too_long",
    431: "request_head_too_large",
    501: "method_not_implemented",
    505: "http_version_not_supported",
}


def _secret_digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


class WebhookServer(PooledTCPServer):
    """The pooled server that carries the ingestor, the secret and the body cap."""

    def __init__(
        self,
        address: tuple[str, int],
        ingestor: Ingestor,
        *,
        secret: str,
        body_limit: int,
        limits: ServerLimits | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(
            address,
            _WebhookRequestHandler,
            limits=limits or ServerLimits(),
            log=log or JsonLineLog(),
        )
        self.ingestor = ingestor
        self.body_limit = body_limit
        self._secret_digest = _secret_digest(secret)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"

    def authorized(self, values: Sequence[str]) -> bool:
        """Exactly one secret header, equal to the secret (fixed-length digests compared)."""
        if len(values) != 1:
            return False
        return hmac.compare_digest(_secret_digest(values[0]), self._secret_digest)


class _WebhookRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    disable_nagle_algorithm = True  # small responses must not wait for delayed ACKs
    server_version = "telegram-lake-local"
    sys_version = ""

    @property
    def _server(self) -> WebhookServer:
        return cast(WebhookServer, self.server)

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # the socket's own reader: replaced by one with a deadline
        self._reader = DeadlineReader(self.connection)
        self._stream = io.BufferedReader(self._reader, READ_BUFFER_BYTES)
        self.rfile = self._stream
        self._linger = False

    def handle(self) -> None:
        try:
            super().handle()
            if self._linger:
                self._drain()
        except OSError:
            pass  # the client went away; nothing to answer

    def handle_one_request(self) -> None:
        """One request under the server's limits (replaces BaseHTTPRequestHandler's)."""
        limits = self._server.limits
        self._reader.reset(seconds=limits.idle_timeout)
        try:
            if not self._stream.peek(1):
                self.close_connection = True
                return
        except OSError:  # idle too long (TimeoutError), or reset: close without a word
            self.close_connection = True
            return
        self._reader.reset(seconds=limits.request_timeout, budget=limits.max_head_bytes)
        # A refusal may come before the request line is parsed; it still needs these.
        self.command, self.path, self.request_version = "", "", self.protocol_version
        try:
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
            if len(self.raw_requestline) > MAX_REQUEST_LINE:
                self._refuse(414, "request_line_too_long")
                return
            # The header parser reads through a recorder so that the raw lines can be
            # checked once it is done (it is lenient; see http_framing.check_head).
            recorder = LineRecorder(self._stream)
            self.rfile = cast(Any, recorder)
            try:
                parsed = self.parse_request()
            finally:
                self.rfile = self._stream
            if not parsed:
                return  # parse_request answered through send_error
            check_head(self.raw_requestline, recorder.lines)
            self._reader.budget = math.inf  # the body is bounded by its framing
            if self.command not in _HTTP_METHODS:
                self._refuse(501, "method_not_implemented")
                return
            self._handle()
        except TimeoutError:
            self._refuse(408, "request_timeout", linger=False)
        except HeadTooLargeError:
            self._refuse(431, "request_head_too_large")
        except FramingError as error:
            self._refuse(error.status, error.reason)

    def handle_expect_100(self) -> bool:
        return True  # "100 Continue" only once the secret is known good (see _handle)

    def _handle(self) -> None:
        server = self._server
        secret_values = self.headers.get_all(SECRET_HEADER) or []
        if self.command != "POST" or not server.authorized(secret_values):
            # The handler answers 405/401 from the head alone, with its own status, body and
            # log line. The body is never read, so the connection cannot carry another request.
            try:
                has_body = self._body_length() != 0
            except FramingError:
                has_body = True
            if has_body:
                self.close_connection = True
                self._linger = True
            self._answer(b"")
            return
        length = self._body_length()
        if length > server.body_limit:
            raise FramingError(413, "body_too_large")
        if (
            self.headers.get("Expect", "").lower() == "100-continue"
            and self.request_version >= "HTTP/1.1"
        ):
            self.send_response_only(HTTPStatus.CONTINUE)
            self.end_headers()
        if length == CHUNKED:
            body = read_chunked(self._stream, server.body_limit)
        else:
            body = read_exactly(self._stream, length)
        self._reader.reset(seconds=math.inf)  # storing the update is not the client's time
        self._answer(body)

    def _body_length(self) -> int:
        return body_length(
            self.headers.get_all("Content-Length"), self.headers.get_all("Transfer-Encoding")
        )

    def _answer(self, body: bytes) -> None:
        event = build_event(
            method=self.command,
            target=self.path,
            headers=self.headers.items(),
            body=body,
            source_ip=str(self.client_address[0]),
            protocol=self.request_version,
        )
        result = self._server.ingestor(event, None)
        payload = result.get("body") or ""
        data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
        self._send(int(result["statusCode"]), data, result.get("headers") or {})

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """parse_request's refusals (bad request line, headers, version), as JSON."""
        self._refuse(int(code), _PARSE_ERROR_REASONS.get(int(code), "bad_request"))

    def _refuse(self, status: int, reason: str, *, linger: bool = True) -> None:
        self._server.log_refusal(status, reason, self.client_address)
        self.close_connection = True
        self._linger = linger
        with contextlib.suppress(OSError):
            self._send(status, error_body(reason), {"content-type": "application/json"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        if not self.close_connection and self._server.waiting():
            # Others wait for a worker: do not hold this one for an idle keep-alive.
            self.close_connection = True
        phrase = HTTPStatus(status).phrase if status in _STATUS_CODES else ""
        lines = [
            f"{self.protocol_version} {status} {phrase}",
            f"Server: {self.server_version}",
            f"Date: {self.date_time_string()}",
            *(f"{name}: {value}" for name, value in headers.items()),
            f"Content-Length: {len(body)}",
        ]
        if self.close_connection:
            lines.append("Connection: close")
        elif self.request_version == "HTTP/1.0":
            lines.append("Connection: keep-alive")  # HTTP/1.0 clients that asked for it
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        # A client that does not read its response may hold a worker this long, no longer.
        self.connection.settimeout(self._server.limits.request_timeout)
        # One write for head + body: no Nagle/delayed-ACK stall between two small segments.
        self.wfile.write(head if self.command == "HEAD" else head + body)

    def _drain(self) -> None:
        """Half-close, then read and drop what the client still sends, for a bounded time.

        Closing a socket that has unread data makes the kernel send a reset, which can
        destroy the response before the client reads it (the "lingering close" of web
        servers). Bounded by `linger_seconds` and LINGER_BYTES, in a fixed buffer.
        """
        self.connection.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + self._server.limits.linger_seconds
        buffer = bytearray(64 * 1024)
        drained = 0
        while drained < LINGER_BYTES:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self.connection.settimeout(remaining)
            count = self.connection.recv_into(buffer)
            if count == 0:
                return
            drained += count

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the ingestor (or log_refusal) already writes one structured line per request


def serve(
    host: str,
    port: int,
    settings: Settings,
    *,
    sink: RawSink | None = None,
    log_stream: TextIO | None = None,
    limits: ServerLimits | None = None,
) -> WebhookServer:
    """A bound (not yet running) server; port 0 picks a free port (see `server.url`).

    Run it with `threading.Thread(target=server.serve_forever, daemon=True).start()`,
    stop it with `server.shutdown(); server.server_close()`. Logs go to `log_stream`
    (default stdout). The body cap is the lower of the Function URL's 6 MB and the
    handler's MAX_BODY_BYTES.
    """
    log = JsonLineLog(log_stream)
    ingestor = Ingestor(settings, sink or sink_for(settings), log=log)
    return WebhookServer(
        (host, port),
        ingestor,
        secret=settings.webhook_secret,
        body_limit=min(FUNCTION_URL_MAX_PAYLOAD, settings.max_body_bytes),
        limits=limits,
        log=log,
    )


def main(argv: Sequence[str] | None = None) -> int:
    defaults = ServerLimits()
    parser = argparse.ArgumentParser(
        prog="python -m devtools.local_server",
        description="Local Telegram webhook: stores updates like the Lambda does.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 = any free port")
    parser.add_argument("--raw-uri", help=f"overrides env {RAW_URI} (default {DEFAULT_RAW_URI})")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    parser.add_argument(
        "--workers", type=int, default=defaults.workers, help="worker threads (default 40)"
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=defaults.request_timeout,
        help="seconds for a whole request to arrive (default 10)",
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=defaults.idle_timeout,
        help="seconds a keep-alive connection may stay idle (default 5)",
    )
    args = parser.parse_args(argv)

    env = dict(os.environ)
    if args.raw_uri:
        env[RAW_URI] = args.raw_uri
    env.setdefault(RAW_URI, DEFAULT_RAW_URI)
    try:
        settings = Settings.from_env(env)
        limits = ServerLimits(
            workers=args.workers,
            request_timeout=args.request_timeout,
            idle_timeout=args.idle_timeout,
        )
    except (ConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    log_stream = open(os.devnull, "w") if args.quiet else None  # noqa: SIM115
    server = serve(args.host, args.port, settings, log_stream=log_stream, limits=limits)
    # Machine-readable first line: the bench and the demo read the port from it.
    print(
        f"listening on {server.url} (sink {settings.raw_sink}: "
        f"{settings.raw_uri or settings.firehose_stream_name})",
        file=sys.stderr,
        flush=True,
    )
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        print(
            f"note: listening on {args.host}, beyond this machine; only the secret protects it",
            file=sys.stderr,
        )
    thread = threading.Thread(target=server.serve_forever, name="webhook", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        if log_stream is not None:
            log_stream.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
