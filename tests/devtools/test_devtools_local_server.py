"""The local webhook server over real sockets: keep-alive, status codes, exact storage, CLI."""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devtools.local_server import WebhookServer, build_event, main, serve
from tests.ingest.ingest_helpers import EVENT_SECRET, make_settings

LoadEvent = Callable[[str], dict[str, Any]]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEADERS = {"Content-Type": "application/json", SECRET_HEADER: EVENT_SECRET}


@dataclass
class Running:
    server: WebhookServer
    root: Path
    log: io.StringIO

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.server.server_address[:2]
        return str(host), int(port)

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(*self.address, timeout=10)

    def stored(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.root).as_posix(): p.read_bytes()
            for p in sorted(self.root.rglob("*"))
            if p.is_file()
        }


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    root = tmp_path / "raw"
    log = io.StringIO()
    server = serve("127.0.0.1", 0, make_settings(root), log_stream=log)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Running(server, root, log)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def post(
    conn: http.client.HTTPConnection, body: bytes, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn.request("POST", "/", body=body, headers=HEADERS if headers is None else headers)
    response = conn.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def test_updates_over_one_keep_alive_connection(running: Running, load_event: LoadEvent) -> None:
    bodies = {
        name: load_event(name)["body"].encode("utf-8")
        for name in ("message", "edited_message", "chat_member", "message_reaction")
    }
    conn = running.connection()
    results = []
    sockets = []
    for body in bodies.values():
        results.append(post(conn, body))
        sockets.append(conn.sock)
    conn.close()

    assert [status for status, _, _ in results] == [200, 200, 200, 200]
    assert all(headers.get("connection") != "close" for _, headers, _ in results)
    assert results[0][2] == b'{"ok":true}'
    assert sockets[0] is not None
    assert all(sock is sockets[0] for sock in sockets)  # one TCP connection for all four
    stored = running.stored()
    # serve() uses the real clock: whatever today's dt= folder is, one file per update.
    assert sorted(p.rsplit("/", 1)[1] for p in stored) == [
        "937451001.json",
        "937451002.json",
        "937451004.json",
        "937451006.json",
    ]
    assert all(p.startswith("dt=20") for p in stored)
    assert set(stored.values()) == set(bodies.values())
    log_lines = running.log.getvalue().splitlines()
    assert [json.loads(line)["status"] for line in log_lines] == [200, 200, 200, 200]


def test_status_codes_over_http(running: Running, load_event: LoadEvent) -> None:
    message = load_event("message")["body"].encode("utf-8")
    conn = running.connection()

    wrong = post(conn, message, {**HEADERS, SECRET_HEADER: "wrong"})
    missing = post(conn, message, {"Content-Type": "application/json"})
    not_json = post(conn, b"{not json")
    array = post(conn, b"[1, 2]")
    conn.request("GET", "/")
    get = conn.getresponse()
    get_body = get.read()
    conn.request("HEAD", "/", headers=HEADERS)
    head = conn.getresponse()
    head_body = head.read()
    conn.close()

    assert (wrong[0], missing[0], not_json[0], array[0]) == (401, 401, 400, 400)
    assert wrong[2] == b'{"ok":false,"error":"unauthorized"}'
    assert not_json[2] == b'{"ok":false,"error":"invalid_json"}'
    assert (get.status, get.getheader("Allow"), json.loads(get_body)["ok"]) == (405, "POST", False)
    assert (head.status, head_body) == (405, b"")
    assert running.stored() == {}


def test_chunked_request_body_is_stored_exactly(running: Running, load_event: LoadEvent) -> None:
    body = load_event("callback_query")["body"].encode("utf-8")
    conn = running.connection()
    conn.request(
        "POST", "/", body=iter([body[:50], body[50:200], body[200:]]), headers=HEADERS,
        encode_chunked=True,
    )  # fmt: skip
    response = conn.getresponse()
    response.read()
    conn.close()

    assert response.status == 200
    assert list(running.stored().values()) == [body]


def test_non_utf8_bytes_reach_the_handler_and_are_rejected(running: Running) -> None:
    conn = running.connection()

    status, _, body = post(conn, '{"update_id": 5, "t": "caf\u00e9"}'.encode("latin-1"))
    conn.close()

    assert (status, body) == (400, b'{"ok":false,"error":"not_utf8"}')
    assert running.stored() == {}


def test_huge_content_length_is_refused_without_reading_it(running: Running) -> None:
    with socket.create_connection(running.address, timeout=10) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + f"{SECRET_HEADER}: {EVENT_SECRET}\r\n".encode()
            + b"Content-Length: 7000000\r\n\r\n"
        )
        response = b""
        while chunk := sock.recv(4096):  # the server closes the connection after answering
            response += chunk

    head = response.split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 413 ")
    assert "Connection: close" in head


def test_build_event_is_a_function_url_v2_event() -> None:
    event = build_event(
        method="post",
        target="/hook?a=1&b=&a=2",
        headers=[
            ("Host", "127.0.0.1:8080"),
            ("X-Telegram-Bot-Api-Secret-Token", "s3cr3t"),
            ("Accept", "a"),
            ("accept", "b"),
        ],
        body=b'{"update_id":1}',
        now=1763647392.25,
    )

    assert event["version"] == "2.0"
    assert event["rawPath"] == "/hook"
    assert event["rawQueryString"] == "a=1&b=&a=2"
    assert event["queryStringParameters"] == {"a": "1,2", "b": ""}
    assert event["headers"] == {
        "host": "127.0.0.1:8080",
        "x-telegram-bot-api-secret-token": "s3cr3t",
        "accept": "a,b",
    }
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["requestContext"]["timeEpoch"] == 1763647392250
    assert event["requestContext"]["time"] == "20/Nov/2025:14:03:12 +0000"
    assert (event["body"], event["isBase64Encoded"]) == ('{"update_id":1}', False)

    binary = build_event(method="POST", target="/", headers=[], body=b"\xff\x00")
    assert (binary["body"], binary["isBase64Encoded"]) == ("/wA=", True)
    assert "body" not in build_event(method="GET", target="/", headers=[], body=b"")


def test_cli_defaults_to_dot_lake_raw_under_cwd(
    tmp_path: Path, load_event: LoadEvent, repo_root: Path
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"RAW_URI", "RAW_SINK", "WEBHOOK_SECRET_PARAM", "MAX_BODY_BYTES"}
    }
    env["WEBHOOK_SECRET"] = EVENT_SECRET
    # Run from tmp_path, but import this checkout's packages (not an installed copy).
    env["PYTHONPATH"] = str(repo_root)
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.local_server", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first_line = process.stderr.readline()
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", first_line)
        assert match, first_line
        assert f"{tmp_path}/.lake/raw" in first_line
        conn = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=10)
        status, _, _ = post(conn, load_event("poll_answer")["body"].encode())
        conn.close()
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)

    assert status == 200
    assert [p.name for p in (tmp_path / ".lake" / "raw").glob("dt=*/*.json")] == ["937451009.json"]
    assert json.loads(out.splitlines()[0])["update_type"] == "poll_answer"


def test_cli_without_secret_exits_2_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    monkeypatch.delenv("WEBHOOK_SECRET_PARAM", raising=False)

    assert main(["--port", "0", "--raw-uri", "file:///tmp/unused"]) == 2
    assert "no webhook secret configured" in capsys.readouterr().err


def _read_response(sock: socket.socket) -> tuple[str, bytes]:
    """One HTTP response with Content-Length from a raw socket: (head, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += sock.recv(4096)
    return head.decode(), body


def test_expect_100_continue_like_curl_sends_for_big_bodies(
    running: Running, load_event: LoadEvent
) -> None:
    body = load_event("oversized")["body"].encode()  # 4,374 bytes: curl would send Expect
    with socket.create_connection(running.address, timeout=10) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + f"{SECRET_HEADER}: {EVENT_SECRET}\r\n".encode()
            + f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n".encode()
        )
        interim = b""
        while b"\r\n\r\n" not in interim:
            interim += sock.recv(4096)
        sock.sendall(body)
        head, response_body = _read_response(sock)

    assert interim.startswith(b"HTTP/1.1 100 Continue")
    assert head.startswith("HTTP/1.1 200 ")
    assert response_body == b'{"ok":true}'
    assert list(running.stored().values()) == [body]


def test_http_1_0_keep_alive_is_honoured(running: Running) -> None:
    request = (
        b"POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 15\r\n"
        + f"{SECRET_HEADER}: {EVENT_SECRET}\r\n\r\n".encode()
        + b'{"update_id":1}'
    )
    with socket.create_connection(running.address, timeout=10) as sock:
        sock.sendall(request)
        first, _ = _read_response(sock)
        sock.sendall(request)  # same socket: the server kept it open
        second, _ = _read_response(sock)

    assert "Connection: keep-alive" in first
    assert first.startswith("HTTP/1.1 200 ")
    assert second.startswith("HTTP/1.1 200 ")
