"""Attacks on the local webhook server over loopback: slow clients, bodies read before the
secret, lying framing, memory growth, bursts, overload. Each test bounds itself in time
(pytest-timeout, socket timeouts) and asserts status codes, that nothing was stored, and the
resource bound that is the point of the attack."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from chaos_helpers import (
    SECRET_HEADER,
    RssSampler,
    StartWebhook,
    Webhook,
    wait_until,
    worker_threads,
)

from tests.ingest.ingest_helpers import EVENT_SECRET

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(60)]

MIB = 1024 * 1024
UPDATE = b'{"update_id":937451001,"message":{"message_id":1,"date":1763647392,"chat":{"id":-1,"type":"group","title":"t"},"text":"hi"}}'  # noqa: E501
SECRET_LINE = f"{SECRET_HEADER}: {EVENT_SECRET}\r\n".encode()


def connect(webhook: Webhook, timeout: float = 10) -> socket.socket:
    return socket.create_connection(webhook.address, timeout=timeout)


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (a reset counts as closed)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


def request(webhook: Webhook, raw: bytes) -> bytes:
    with connect(webhook) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)
        return read_until_closed(sock)


def head(content_length: bytes | None = None, *, secret: bool = True, extra: bytes = b"") -> bytes:
    lines = b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    if secret:
        lines += SECRET_LINE
    if content_length is not None:
        lines += b"Content-Length:" + content_length + b"\r\n"
    return lines + extra + b"\r\n"


def refusals(webhook: Webhook) -> list[dict[str, object]]:
    records = [json.loads(line) for line in webhook.log.getvalue().splitlines()]
    return [r for r in records if r.get("message") == "request refused by the local server"]


# ---- slow clients --------------------------------------------------------------------------


def test_thirty_half_sent_requests_do_not_hold_thirty_threads(
    start_webhook: StartWebhook,
) -> None:
    webhook = start_webhook(workers=6, request_timeout=1.0, idle_timeout=1.0)
    baseline_threads = threading.active_count()
    assert worker_threads() == 6

    slow = [connect(webhook, timeout=15) for _ in range(30)]
    for sock in slow:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Len")  # and never more
    peak_threads = baseline_threads
    started = time.monotonic()
    answers: list[bytes] = []
    for sock in slow:
        answers.append(read_until_closed(sock))  # the server must end each one by itself
        peak_threads = max(peak_threads, threading.active_count())
        sock.close()
    elapsed = time.monotonic() - started

    assert peak_threads == baseline_threads  # no thread per connection, ever
    assert [status_of(answer) for answer in answers] == [408] * 30
    # 30 connections, 6 workers, 1 s each: 5 rounds; well under the 60 s test bound.
    assert elapsed < 15
    assert webhook.stored() == []
    assert {r["reason"] for r in refusals(webhook)} == {"request_timeout"}
    # The server is free again: a real update goes through.
    assert status_of(request(webhook, head(str(len(UPDATE)).encode()) + UPDATE)) == 200
    assert webhook.stored() == ["937451001.json"]


def test_a_byte_every_200_ms_does_not_outlive_the_request_deadline(
    start_webhook: StartWebhook,
) -> None:
    """A per-recv timeout would never fire here; the request's one deadline does."""
    webhook = start_webhook(workers=2, request_timeout=1.5)
    with connect(webhook) as sock:
        started = time.monotonic()
        trickle = b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 100
        response = b""
        for byte in trickle:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.2)
            if time.monotonic() - started > 5:
                break
        response = read_until_closed(sock)
        elapsed = time.monotonic() - started

    assert status_of(response) == 408
    assert elapsed < 3.5
    assert webhook.stored() == []


def test_idle_keep_alive_connections_are_closed_without_an_answer(
    start_webhook: StartWebhook,
) -> None:
    webhook = start_webhook(workers=2, idle_timeout=0.5)
    with connect(webhook) as sock:
        sock.sendall(head(str(len(UPDATE)).encode()) + UPDATE)
        first = b""
        while b'{"ok":true}' not in first:
            first += sock.recv(4096)
        started = time.monotonic()
        rest = read_until_closed(sock)  # idle from here on

    assert status_of(first) == 200
    assert rest == b""  # closed quietly: a client reusing it must not read a stray answer
    assert time.monotonic() - started < 3


# ---- the secret before the body --------------------------------------------------------------


def test_no_secret_is_answered_401_without_waiting_for_the_body(
    start_webhook: StartWebhook,
) -> None:
    webhook = start_webhook(workers=2, request_timeout=20)
    with connect(webhook, timeout=5) as sock:
        started = time.monotonic()
        sock.sendall(head(b" 5000000", secret=False))  # the 5 MB body is never sent
        answer = sock.recv(65536)
        elapsed = time.monotonic() - started

    assert status_of(answer) == 401
    assert b"Connection: close" in answer
    assert elapsed < 2  # not the 20 s request deadline: nothing was waited for
    assert webhook.stored() == []
    (record,) = [json.loads(line) for line in webhook.log.getvalue().splitlines()]
    assert (record["status"], record["reason"]) == (401, "missing_secret")
    assert record["body_bytes"] is None


def test_expect_100_continue_with_a_wrong_secret_gets_401_not_continue(
    start_webhook: StartWebhook,
) -> None:
    webhook = start_webhook(workers=2)
    with connect(webhook, timeout=5) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4000\r\n"
            + f"{SECRET_HEADER}: wrong\r\nExpect: 100-continue\r\n\r\n".encode()
        )
        answer = sock.recv(65536)

    assert answer.startswith(b"HTTP/1.1 401 ")
    assert b"100 Continue" not in answer
    assert webhook.stored() == []


# ---- lying framing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [b" 1_49", b" +5", b"  5", b" -1", b" 0x5", b" 5\x0b", b" 5 ", b"\t5", b" 5, 5", b""],
    ids=["underscore", "plus", "two-spaces", "negative", "hex", "vtab", "trailing", "tab",
         "list", "empty"],
)  # fmt: skip
def test_content_length_that_is_not_plain_digits_is_400(
    start_webhook: StartWebhook, value: bytes
) -> None:
    webhook = start_webhook(workers=2)
    response = request(webhook, head(value) + UPDATE)

    assert status_of(response) == 400
    assert b"Connection: close" in response
    assert webhook.stored() == []


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (b"Content-Length: 5\r\nContent-Length: 5\r\n", "repeated_content_length"),
        (b"Content-Length : 5\r\n", "bad_field_name"),
        (
            b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            "content_length_with_transfer_encoding",
        ),
        (b"X-Folded: a\r\n b\r\nContent-Length: 5\r\n", "obsolete_line_folding"),
        (b"Content-Length: 5\n", "bad_line_ending"),
    ],
    ids=["repeated", "space-before-colon", "length-and-chunked", "folded", "bare-lf"],
)  # fmt: skip
def test_smuggling_shaped_heads_are_400(
    start_webhook: StartWebhook, extra: bytes, reason: str
) -> None:
    webhook = start_webhook(workers=2)
    response = request(webhook, head(extra=extra) + b"5\r\n{...}\r\n0\r\n\r\n")

    assert status_of(response) == 400
    assert json.loads(response.split(b"\r\n\r\n", 1)[1]) == {"ok": False, "error": reason}
    assert webhook.stored() == []


def test_transfer_codings_other_than_chunked_are_501(start_webhook: StartWebhook) -> None:
    webhook = start_webhook(workers=2)
    response = request(webhook, head(extra=b"Transfer-Encoding: gzip, chunked\r\n"))
    assert status_of(response) == 501
    assert webhook.stored() == []


def chunked(*chunks: bytes) -> bytes:
    return head(extra=b"Transfer-Encoding: chunked\r\n") + b"".join(chunks)


@pytest.mark.parametrize(
    ("size_line", "status"),
    [(b"-1", 400), (b"+5", 400), (b"0x5", 400), (b" 5", 400), (b"5 ", 400), (b"1_0", 400),
     (b"ffffffffffffffff", 413), (b"1" + b"0" * 40, 413), (b"", 400)],
    ids=["negative", "plus", "0x", "leading-space", "trailing-space", "underscore",
         "huge", "huge-digits", "empty"],
)  # fmt: skip
def test_chunk_sizes_that_are_not_hex_digits_under_the_cap_are_refused(
    start_webhook: StartWebhook, size_line: bytes, status: int
) -> None:
    webhook = start_webhook(workers=2)
    response = request(webhook, chunked(size_line + b"\r\n", UPDATE, b"\r\n0\r\n\r\n"))
    assert status_of(response) == status
    assert webhook.stored() == []


def test_chunks_are_capped_in_total_not_one_by_one(start_webhook: StartWebhook) -> None:
    webhook = start_webhook(workers=2)  # cap: the handler's MAX_BODY_BYTES, 1 MiB
    half = b"8" * (512 * 1024)
    chunk = b"80000\r\n" + half + b"\r\n"  # 0x80000 = 512 KiB
    response = request(webhook, chunked(chunk, chunk, b"1\r\n}\r\n0\r\n\r\n"))
    assert status_of(response) == 413
    assert webhook.stored() == []


def test_chunked_update_with_extensions_and_trailers_is_stored(
    start_webhook: StartWebhook,
) -> None:
    webhook = start_webhook(workers=2)
    size = f"{len(UPDATE):x}".encode()
    trailer = b"\r\n0\r\nX-T: 1\r\n\r\n"
    response = request(webhook, chunked(size + b";name=value\r\n", UPDATE, trailer))
    assert status_of(response) == 200
    assert webhook.stored() == ["937451001.json"]


def test_a_head_past_its_byte_budget_is_431(start_webhook: StartWebhook) -> None:
    webhook = start_webhook(workers=2, max_head_bytes=8192)
    padding = b"".join(b"X-Pad-%d: %s\r\n" % (n, b"p" * 900) for n in range(40))  # ~37 KiB
    response = request(webhook, head(b" 2", extra=padding) + b"{}")
    assert status_of(response) == 431
    assert webhook.stored() == []


# ---- memory --------------------------------------------------------------------------------


def stream_until_refused(sock: socket.socket, total: int) -> int:
    """Send up to `total` bytes of chunk data; return how many the server took before it
    closed the connection."""
    block = memoryview(b"a" * MIB)
    sent = 0
    try:
        while sent < total:
            sent += sock.send(block)
    except OSError:  # reset or broken pipe: the server has closed
        pass
    return sent


@pytest.mark.parametrize("secret", [False, True], ids=["no-secret", "with-secret"])
def test_a_negative_chunk_size_cannot_grow_memory(
    start_webhook: StartWebhook, secret: bool
) -> None:
    """The reproduction: no secret, chunk size -1, then an endless body: 27 -> 333 MB."""
    webhook = start_webhook(workers=2)
    raw_head = head(extra=b"Transfer-Encoding: chunked\r\n", secret=secret)
    with RssSampler() as rss, connect(webhook, timeout=5) as sock:
        sock.sendall(raw_head + b"-1\r\n")
        sent = stream_until_refused(sock, 300 * MIB)
        response = read_until_closed(sock)

    assert status_of(response) in ({401} if not secret else {400, 0})
    assert sent < 64 * MIB  # refused early: not 300 MB taken in
    assert rss.growth < 32 * MIB
    assert webhook.stored() == []


def test_an_authenticated_endless_chunked_body_stops_at_the_cap(
    start_webhook: StartWebhook,
) -> None:
    webhook = start_webhook(workers=2)
    with RssSampler() as rss, connect(webhook, timeout=5) as sock:
        sock.sendall(chunked())
        for _ in range(64):  # 64 chunks of 1 MiB, far over the 1 MiB cap
            try:
                sock.sendall(b"100000\r\n" + b"a" * MIB + b"\r\n")
            except OSError:
                break
        response = read_until_closed(sock)

    assert status_of(response) in (413, 0)  # 0: the reset beat the answer to the client
    assert rss.growth < 32 * MIB
    assert webhook.stored() == []
    assert [r["status"] for r in refusals(webhook)] == [413]


# ---- bursts and overload -------------------------------------------------------------------


def post_update(address: tuple[str, int], update_id: int, results: list[int]) -> None:
    body = b'{"update_id":%d,"message":{"message_id":1,"text":"x"}}' % update_id
    try:
        with socket.create_connection(address, timeout=30) as sock:
            sock.sendall(head(b" %d" % len(body)) + body)
            sock.shutdown(socket.SHUT_WR)
            results.append(status_of(read_until_closed(sock)))
    except OSError:
        results.append(0)


def test_a_burst_of_200_connections_is_answered_in_full(start_webhook: StartWebhook) -> None:
    webhook = start_webhook()  # the defaults: 40 workers, backlog 128
    assert webhook.server.request_queue_size == 128
    results: list[int] = []
    barrier = threading.Barrier(200)

    def client(update_id: int) -> None:
        barrier.wait(10)
        post_update(webhook.address, update_id, results)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(1, 201)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(45)
    elapsed = time.monotonic() - started

    assert sorted(results) == [200] * 200
    assert len(webhook.stored()) == 200
    assert elapsed < 30
    assert worker_threads() == 40


def test_past_the_waiting_queue_a_connection_gets_503_at_once(
    start_webhook: StartWebhook,
) -> None:
    webhook = start_webhook(workers=1, max_pending=2, request_timeout=5)
    holders = [connect(webhook) for _ in range(3)]  # one served (slowly), two waiting
    for sock in holders:
        sock.sendall(b"POST / HTTP/1.1\r\n")
    assert wait_until(webhook.server.waiting, 5)
    time.sleep(0.2)  # let the acceptor queue the second waiting one too
    with connect(webhook) as extra:
        started = time.monotonic()
        answer = read_until_closed(extra)
        elapsed = time.monotonic() - started
    for sock in holders:
        sock.close()

    assert status_of(answer) == 503
    assert b"Retry-After: 1" in answer
    assert elapsed < 2
    assert "server_busy" in {r["reason"] for r in refusals(webhook)}


@pytest.mark.slow_chaos
@pytest.mark.timeout(90)
def test_slow_clients_at_the_default_limits_are_cut_after_ten_seconds(
    start_webhook: StartWebhook,
) -> None:
    webhook = start_webhook()  # 40 workers, 10 s request deadline
    slow = [connect(webhook, timeout=30) for _ in range(30)]
    for sock in slow:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    answers = [read_until_closed(sock) for sock in slow]
    elapsed = time.monotonic() - started
    for sock in slow:
        sock.close()

    assert [status_of(answer) for answer in answers] == [408] * 30
    assert 9 < elapsed < 15
    assert worker_threads() == 40
    assert webhook.stored() == []
