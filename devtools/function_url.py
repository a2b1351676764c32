"""Lambda Function URL (payload v2.0) events built from HTTP requests.

Reads nothing and writes nothing: `build_event` turns one request's method, target, header
fields and body into the event a Function URL would hand the webhook Lambda, so the local
server and the ingest bench call the handler exactly as AWS does.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl


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
