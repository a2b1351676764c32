"""Strict HTTP/1.1 request framing for the local webhook server, and its deadline reader.

Reads a request's body framing (`Content-Length` or `Transfer-Encoding: chunked`, RFC 9112
sections 6 and 7) from already-parsed header fields, and chunked bodies from a buffered
binary stream. Writes nothing. Everything that can be refused is refused with a
`FramingError` carrying the HTTP status to answer, before memory is spent on it:

- `Content-Length` is 1*DIGIT (ASCII), once. `int()` would also take `+5`, `-1`, `1_49`,
  vertical tabs or Arabic-Indic digits; none of those is HTTP.
- a chunk size is 1*HEXDIG; a size that would take the body past the cap is refused before
  the chunk is read, so the cap holds across chunks (a negative size cannot exist).
- framing lines (chunk sizes, trailers) end in CRLF and are bounded in length and number.
- the raw header lines are checked too (`check_head`): Python's header parser accepts a
  bare LF, folded lines and `Content-Length : 5`, and strips what precedes a value. A
  front proxy that reads such a head differently from this server is how requests get
  smuggled, so anything unusual in the framing is refused: `Content-Length: N` is one
  optional space and digits, nothing else.

`DeadlineReader` is the socket side: every read gets the time left until one deadline, so a
client that trickles a byte at a time cannot stretch a request past it (a per-`recv`
timeout alone would let it), and a byte budget bounds what a request head may occupy.
"""

from __future__ import annotations

import io
import math
import re
import socket
import time
from collections.abc import Sequence

#: Longest chunk-size line (size plus extensions) or trailer line accepted, CRLF included.
MAX_FRAMING_LINE = 4096
MAX_TRAILER_LINES = 32
_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(rb"[0-9A-Fa-f]+")
# More digits than this cannot be under any cap we use (and keeps int() cheap).
_MAX_LENGTH_DIGITS = 18
# The whitespace HTTP calls OWS: the only characters allowed around a field value.
_OWS = " \t"
CRLF = b"\r\n"
# RFC 9110 5.6.2: a field name is a token.
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_RAW_CONTENT_LENGTH = re.compile(rb" ?[0-9]+")


class FramingError(Exception):
    """The request cannot be framed: answer `status` with `reason`, then close."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class HeadTooLargeError(Exception):
    """The request line and headers passed the head byte budget."""


CHUNKED = -1  # `body_length` result for a chunked body


def body_length(
    content_length: Sequence[str] | None, transfer_encoding: Sequence[str] | None
) -> int:
    """The body's length in bytes (0 without a body), or CHUNKED.

    Takes every value of each field as the header parser gave it. Both fields together are
    a request-smuggling pattern (RFC 9112 6.3): refused. A transfer coding other than
    `chunked` alone is not implemented (501).
    """
    lengths = list(content_length or [])
    codings_fields = list(transfer_encoding or [])
    if codings_fields:
        if lengths:
            raise FramingError(400, "content_length_with_transfer_encoding")
        codings = [c.strip(_OWS).lower() for field in codings_fields for c in field.split(",")]
        if codings != ["chunked"]:
            raise FramingError(501, "unsupported_transfer_encoding")
        return CHUNKED
    if not lengths:
        return 0
    if len(lengths) > 1:
        raise FramingError(400, "repeated_content_length")
    value = lengths[0].strip(_OWS)
    if not _DIGITS.fullmatch(value):
        raise FramingError(400, "bad_content_length")
    if len(value.lstrip("0")) > _MAX_LENGTH_DIGITS:
        raise FramingError(413, "body_too_large")
    return int(value)


def check_head(request_line: bytes, field_lines: Sequence[bytes]) -> None:
    """Refuse a request head that only a lenient parser would accept (see the module doc).

    `field_lines` are the header lines as received, the empty line that ends them included.
    """
    if not request_line.endswith(CRLF):
        raise FramingError(400, "bad_line_ending")
    for line in field_lines:
        if line == CRLF:
            return
        if not line.endswith(CRLF):
            raise FramingError(400, "bad_line_ending")
        if line[:1] in (b" ", b"\t"):
            raise FramingError(400, "obsolete_line_folding")
        name, colon, value = line[:-2].partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            raise FramingError(400, "bad_field_name")
        if name.lower() == b"content-length" and not _RAW_CONTENT_LENGTH.fullmatch(value):
            raise FramingError(400, "bad_content_length")
    raise FramingError(400, "bad_line_ending")  # the head never ended with an empty line


class LineRecorder:
    """A `readline` source that keeps every line it hands out (for `check_head`)."""

    def __init__(self, stream: io.BufferedIOBase) -> None:
        self._stream = stream
        self.lines: list[bytes] = []

    def readline(self, limit: int = -1) -> bytes:
        line = self._stream.readline(limit)
        self.lines.append(line)
        return line


def read_line(stream: io.BufferedIOBase) -> bytes:
    """One CRLF-terminated framing line without its CRLF; bounded by MAX_FRAMING_LINE."""
    line = stream.readline(MAX_FRAMING_LINE + 1)
    if not line:
        raise FramingError(400, "truncated_body")
    if not line.endswith(CRLF):
        reason = "framing_line_too_long" if len(line) > MAX_FRAMING_LINE else "bad_line_ending"
        raise FramingError(400, reason)
    return line[:-2]


def read_exactly(stream: io.BufferedIOBase, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise FramingError(400, "truncated_body")
    return data


def read_chunked(stream: io.BufferedIOBase, limit: int) -> bytes:
    """A chunked body (RFC 9112 7.1), at most `limit` bytes of data in total.

    Chunk extensions are ignored; trailer fields are read and dropped (the handler gets only
    the header fields, as behind a Function URL).
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        line = read_line(stream)
        size_text, semicolon, _extensions = line.partition(b";")
        if semicolon:
            size_text = size_text.rstrip(b" \t")  # BWS before the extensions
        if not _HEX.fullmatch(size_text):
            raise FramingError(400, "bad_chunk_size")
        if len(size_text.lstrip(b"0")) > 16:
            raise FramingError(413, "body_too_large")
        size = int(size_text, 16)
        if size == 0:
            break
        if total + size > limit:
            raise FramingError(413, "body_too_large")
        chunks.append(read_exactly(stream, size))
        total += size
        if read_exactly(stream, 2) != CRLF:
            raise FramingError(400, "bad_chunk_end")
    for _ in range(MAX_TRAILER_LINES + 1):
        if not read_line(stream):
            return b"".join(chunks)
    raise FramingError(400, "too_many_trailers")


class DeadlineReader(io.RawIOBase):
    """Raw reads from a socket under one absolute deadline and an optional byte budget.

    `deadline` (time.monotonic() seconds, inf for none) bounds the total wait across reads;
    past it a read raises TimeoutError. `budget` bounds how many bytes may still be received
    (HeadTooLargeError past it). `received` counts bytes since the last `reset`. Wrap it in an
    `io.BufferedReader`; it never closes the socket (the server does).
    """

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self._sock = sock
        self.deadline = math.inf
        self.budget = math.inf
        self.received = 0

    def reset(self, *, seconds: float, budget: float = math.inf) -> None:
        self.deadline = time.monotonic() + seconds
        self.budget = budget
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("request deadline passed")
        if self.received >= self.budget:
            raise HeadTooLargeError
        self._sock.settimeout(None if math.isinf(remaining) else remaining)
        count = self._sock.recv_into(buffer)
        self.received += count
        return count
