"""Strict request framing, without sockets: Content-Length, chunked bodies, raw head lines."""

from __future__ import annotations

import io

import pytest

from devtools.http_framing import (
    CHUNKED,
    FramingError,
    body_length,
    check_head,
    read_chunked,
)

CRLF = b"\r\n"


def refused(call: object) -> tuple[int, str]:
    with pytest.raises(FramingError) as error:
        call()  # type: ignore[operator]
    return error.value.status, error.value.reason


def test_plain_digits_are_a_length() -> None:
    assert body_length(["149"], None) == 149
    assert body_length(["0"], None) == 0
    assert body_length(None, None) == 0
    assert body_length([" 7\t"], None) == 7  # OWS around a parsed value is HTTP's


@pytest.mark.parametrize("value", ["1_49", "+5", "-1", "0x5", "5\x0b", "\x0c5", "\u0665", "²", ""])
def test_anything_int_would_also_take_is_400(value: str) -> None:
    assert refused(lambda: body_length([value], None)) == (400, "bad_content_length")


def test_lengths_past_any_cap_are_413_before_int() -> None:
    assert refused(lambda: body_length(["9" * 40], None)) == (413, "body_too_large")


def test_framing_conflicts() -> None:
    assert refused(lambda: body_length(["5", "5"], None)) == (400, "repeated_content_length")
    assert refused(lambda: body_length(["5"], ["chunked"])) == (
        400,
        "content_length_with_transfer_encoding",
    )
    assert refused(lambda: body_length(None, ["gzip, chunked"]))[0] == 501
    assert body_length(None, ["Chunked"]) == CHUNKED


def test_chunks_within_the_cap_with_extensions_and_trailers() -> None:
    stream = io.BytesIO(b"5;a=b\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT")
    assert read_chunked(stream, limit=6) == b"hello!"
    assert stream.read() == b"NEXT"  # the next request is untouched


@pytest.mark.parametrize(
    ("body", "limit", "expected"),
    [
        (b"-1\r\n", 100, (400, "bad_chunk_size")),
        (b"5\r\nhello\r\n2\r\nab\r\n0\r\n\r\n", 6, (413, "body_too_large")),
        (b"ffffffffffffffffff\r\n", 100, (413, "body_too_large")),
        (b"5\r\nhelloXX0\r\n\r\n", 100, (400, "bad_chunk_end")),
        (b"5\nhello\r\n0\r\n\r\n", 100, (400, "bad_line_ending")),
        (b"5\r\nhel", 100, (400, "truncated_body")),
        (b"0\r\n" + b"X: 1\r\n" * 40 + b"\r\n", 100, (400, "too_many_trailers")),
        (b"1" * 5000 + b"\r\n", 100, (400, "framing_line_too_long")),
    ],
    ids=["negative", "over-cap-in-total", "huge", "no-crlf", "bare-lf", "truncated",
         "trailers", "long-line"],
)  # fmt: skip
def test_bad_chunked_bodies(body: bytes, limit: int, expected: tuple[int, str]) -> None:
    assert refused(lambda: read_chunked(io.BytesIO(body), limit)) == expected


def test_raw_head_lines() -> None:
    good = [b"Host: x\r\n", b"Content-Length: 5\r\n", b"Content-Length:5\r\n", CRLF]
    check_head(b"POST / HTTP/1.1\r\n", good)
    cases = {
        b"Content-Length:  5\r\n": "bad_content_length",
        b"Content-Length: 5 \r\n": "bad_content_length",
        b"Content-Length : 5\r\n": "bad_field_name",
        b" folded\r\n": "obsolete_line_folding",
        b"Host: x\n": "bad_line_ending",
    }
    for line, reason in cases.items():
        assert refused(lambda line=line: check_head(b"POST / HTTP/1.1\r\n", [line, CRLF])) == (
            400,
            reason,
        )
    assert refused(lambda: check_head(b"POST / HTTP/1.1\n", [CRLF])) == (400, "bad_line_ending")
