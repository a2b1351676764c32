"""Local webhook server: HTTP requests in, Function URL v2.0 events through the real handler.

Reads HTTP requests on a local socket (127.0.0.1:8080 by default) and the environment
(RAW_URI, default `file://./.lake/raw` resolved against the working directory, and
WEBHOOK_SECRET or WEBHOOK_SECRET_PARAM). Writes raw updates through the same `Ingestor` the
Lambda uses, so status codes, storage layout and log lines are identical.

    python -m devtools.local_server --host 127.0.0.1 --port 8080

HTTP/1.1 with keep-alive (Telegram reuses connections). `serve(host, port, settings)`
returns a server that the caller runs (`serve_forever` in a thread) and stops (`shutdown`).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO, cast
from urllib.parse import parse_qsl

from ingest_lambda.handler import Ingestor, JsonLineLog
from ingest_lambda.settings import RAW_URI, ConfigError, Settings
from ingest_lambda.storage import RawSink, sink_for

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_RAW_URI = "file://./.lake/raw"
# Lambda Function URLs refuse request payloads over 6 MB before the function runs; refuse
# the same here without reading them, and close the connection (the body is not drained).
FUNCTION_URL_MAX_PAYLOAD = 6 * 1024 * 1024
_STATUS_CODES = frozenset(int(code) for code in HTTPStatus)
_HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class WebhookServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that carries the ingestor its request handlers call."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], ingestor: Ingestor) -> None:
        super().__init__(address, _WebhookRequestHandler)
        self.ingestor = ingestor

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"


class _WebhookRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    disable_nagle_algorithm = True  # small responses must not wait for delayed ACKs
    server_version = "telegram-lake-local"
    sys_version = ""

    def _handle(self) -> None:
        body = self._read_body()
        if body is None:
            return
        event = build_event(
            method=self.command,
            target=self.path,
            headers=self.headers.items(),
            body=body,
            source_ip=str(self.client_address[0]),
            protocol=self.request_version,
        )
        server = cast(WebhookServer, self.server)
        result = server.ingestor(event, None)
        payload = result.get("body") or ""
        data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
        self._send(int(result["statusCode"]), data, result.get("headers") or {})

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return b""
        try:
            length = int(length_header)
            if length < 0:
                raise ValueError
        except ValueError:
            self._send_error(400, "bad Content-Length")
            return None
        if length > FUNCTION_URL_MAX_PAYLOAD:
            self._send_error(413, "payload too large")
            return None
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                self._send_error(400, "bad chunk")
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > FUNCTION_URL_MAX_PAYLOAD:
                self._send_error(413, "payload too large")
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)  # CRLF after each chunk

    def _send_error(self, status: int, message: str) -> None:
        self.close_connection = True
        body = json.dumps({"ok": False, "error": message}).encode()
        self._send(status, body, {"content-type": "application/json"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
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
        # One write for head + body: no Nagle/delayed-ACK stall between two small segments.
        self.wfile.write(head if self.command == "HEAD" else head + body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the ingestor already writes one structured line per request


for _method in _HTTP_METHODS:
    setattr(_WebhookRequestHandler, f"do_{_method}", _WebhookRequestHandler._handle)


def build_event(
    *,
    method: str,
    target: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    source_ip: str = "127.0.0.1",
    protocol: str = "HTTP/1.1",
    now: float | None = None,
) -> dict[str, Any]:
    """A Lambda Function URL (payload v2.0) event for one HTTP request.

    Header names are lowercased and repeated headers joined with "," as Function URLs do.
    A UTF-8 body is passed as text (`isBase64Encoded` false); any other bytes are
    base64-encoded so the handler still receives them exactly.
    """
    now = time.time() if now is None else now
    path, _, query = target.partition("?")
    lowered: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        lowered[key] = f"{lowered[key]},{value}" if key in lowered else value
    try:
        text, is_base64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_base64 = base64.b64encode(body).decode("ascii"), True
    host = lowered.get("host", "localhost")
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path or "/",
        "rawQueryString": query,
        "headers": lowered,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "local",
            "domainName": host,
            "domainPrefix": host.split(".", 1)[0],
            "http": {
                "method": method.upper(),
                "path": path or "/",
                "protocol": protocol,
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": is_base64,
    }
    if body:
        event["body"] = text
    if query:
        params: dict[str, str] = {}
        for name, value in parse_qsl(query, keep_blank_values=True):
            params[name] = f"{params[name]},{value}" if name in params else value
        event["queryStringParameters"] = params
    return event


def serve(
    host: str,
    port: int,
    settings: Settings,
    *,
    sink: RawSink | None = None,
    log_stream: TextIO | None = None,
) -> WebhookServer:
    """A bound (not yet running) server; port 0 picks a free port (see `server.url`).

    Run it with `threading.Thread(target=server.serve_forever, daemon=True).start()`,
    stop it with `server.shutdown(); server.server_close()`. Logs go to `log_stream`
    (default stdout).
    """
    ingestor = Ingestor(settings, sink or sink_for(settings), log=JsonLineLog(log_stream))
    return WebhookServer((host, port), ingestor)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.local_server",
        description="Local Telegram webhook: stores updates like the Lambda does.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 = any free port")
    parser.add_argument("--raw-uri", help=f"overrides env {RAW_URI} (default {DEFAULT_RAW_URI})")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    args = parser.parse_args(argv)

    env = dict(os.environ)
    if args.raw_uri:
        env[RAW_URI] = args.raw_uri
    env.setdefault(RAW_URI, DEFAULT_RAW_URI)
    try:
        settings = Settings.from_env(env)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    log_stream = open(os.devnull, "w") if args.quiet else None  # noqa: SIM115
    server = serve(args.host, args.port, settings, log_stream=log_stream)
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
