"""Point a Telegram bot at the webhook: setWebhook, getWebhookInfo, deleteWebhook.

Reads env TELEGRAM_BOT_TOKEN and the webhook secret (WEBHOOK_SECRET, or WEBHOOK_SECRET_PARAM
fetched from SSM / Secrets Manager). Calls the Bot API over HTTPS with urllib (stdlib) and
prints the JSON result to stdout. The token is part of every Bot API URL; it is redacted
from every message this module prints or raises.

    python -m devtools.telegram_admin set-webhook --url https://... [--max-connections 40]
        [--drop-pending-updates]
    python -m devtools.telegram_admin webhook-info
    python -m devtools.telegram_admin delete-webhook [--drop-pending-updates]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import urlsplit

from ingest_lambda.settings import SECRET_TOKEN_PATTERN, ConfigError, resolve_secret
from lake.telegram import ALLOWED_UPDATES

TELEGRAM_BOT_TOKEN = "TELEGRAM_BOT_TOKEN"
TELEGRAM_API_BASE = "TELEGRAM_API_BASE"
DEFAULT_API_BASE = "https://api.telegram.org"

# setWebhook: "Ports currently supported for webhooks: 443, 80, 88, 8443"; max_connections 1-100.
WEBHOOK_PORTS = (443, 80, 88, 8443)
MAX_CONNECTIONS_RANGE = range(1, 101)
DEFAULT_MAX_CONNECTIONS = 40

_TOKEN_LIKE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")


class TelegramApiError(RuntimeError):
    """A Bot API call failed; the message never contains the token."""


def redact(text: str, token: str | None) -> str:
    """`text` with the bot token (and anything shaped like one) replaced."""
    if token:
        text = text.replace(token, "<redacted>")
    return _TOKEN_LIKE.sub("<redacted>", text)


class TelegramClient:
    """Minimal Bot API client: JSON POST to `{api_base}/bot{token}/{method}`."""

    def __init__(self, token: str, *, api_base: str = DEFAULT_API_BASE, timeout: float = 30.0):
        if not token:
            raise ConfigError(f"{TELEGRAM_BOT_TOKEN} is not set")
        self._token = token
        self._api_base = api_base.rstrip("/")
        self._timeout = timeout

    def call(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        """The `result` of a successful call; TelegramApiError otherwise."""
        request = urllib.request.Request(
            f"{self._api_base}/bot{self._token}/{method}",
            data=json.dumps(dict(params or {})).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                payload = _decode(response.read())
        except urllib.error.HTTPError as exc:
            # Telegram explains errors in a JSON body sent with the 4xx/5xx status.
            payload = _decode(exc.read()) or {"description": f"HTTP {exc.code}"}
            payload.setdefault("error_code", exc.code)
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TelegramApiError(
                redact(f"{method}: cannot reach {self._api_base}: {reason}", self._token)
            ) from None
        if not payload.get("ok"):
            code = payload.get("error_code", "?")
            description = payload.get("description", "no description")
            raise TelegramApiError(redact(f"{method} failed ({code}): {description}", self._token))
        return payload.get("result")

    def set_webhook(
        self,
        url: str,
        secret_token: str,
        *,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        drop_pending_updates: bool = False,
        allowed_updates: Sequence[str] = ALLOWED_UPDATES,
    ) -> Any:
        validate_webhook_url(url)
        if not SECRET_TOKEN_PATTERN.fullmatch(secret_token):
            raise ConfigError("the webhook secret must be 1-256 characters from A-Z a-z 0-9 _ -")
        if max_connections not in MAX_CONNECTIONS_RANGE:
            raise ConfigError("max_connections must be between 1 and 100")
        return self.call(
            "setWebhook",
            {
                "url": url,
                "secret_token": secret_token,
                "max_connections": max_connections,
                "allowed_updates": list(allowed_updates),
                "drop_pending_updates": drop_pending_updates,
            },
        )

    def get_webhook_info(self) -> dict[str, Any]:
        result = self.call("getWebhookInfo")
        if not isinstance(result, dict):
            raise TelegramApiError(
                f"getWebhookInfo returned {type(result).__name__}, not an object"
            )
        return result

    def delete_webhook(self, *, drop_pending_updates: bool = False) -> Any:
        return self.call("deleteWebhook", {"drop_pending_updates": drop_pending_updates})


def validate_webhook_url(url: str) -> None:
    """Telegram only delivers to HTTPS URLs on ports 443, 80, 88 or 8443: check before calling."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigError(f"the webhook URL must be https://host/...: {url!r}")
    try:
        port = parts.port or 443
    except ValueError:
        raise ConfigError(f"bad port in {url!r}") from None
    if port not in WEBHOOK_PORTS:
        raise ConfigError(f"Telegram only delivers to ports {WEBHOOK_PORTS}, not {port}")


def describe_webhook_info(info: Mapping[str, Any]) -> dict[str, Any]:
    """getWebhookInfo with unix times also shown as ISO UTC (for humans)."""
    described = dict(info)
    for field in ("last_error_date", "last_synchronization_error_date"):
        if isinstance(info.get(field), int):
            described[field + "_utc"] = datetime.fromtimestamp(info[field], UTC).isoformat()
    return described


def _decode(raw: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return payload if isinstance(payload, dict) else {}


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
) -> int:
    """CLI entry; returns the exit code (0 ok, 1 API error, 2 configuration error)."""
    env = os.environ if environ is None else environ
    out = stdout or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m devtools.telegram_admin",
        description=f"Manage the bot's webhook. Token from env {TELEGRAM_BOT_TOKEN}.",
    )
    parser.add_argument(
        "--api-base",
        default=env.get(TELEGRAM_API_BASE) or DEFAULT_API_BASE,
        help=f"Bot API server (env {TELEGRAM_API_BASE}; default {DEFAULT_API_BASE})",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    set_cmd = commands.add_parser("set-webhook", help="setWebhook with the secret token")
    set_cmd.add_argument("--url", required=True, help="public HTTPS URL of the webhook")
    set_cmd.add_argument("--max-connections", type=int, default=DEFAULT_MAX_CONNECTIONS)
    set_cmd.add_argument("--drop-pending-updates", action="store_true")
    commands.add_parser("webhook-info", help="getWebhookInfo (pending updates, last error)")
    delete_cmd = commands.add_parser("delete-webhook", help="deleteWebhook")
    delete_cmd.add_argument("--drop-pending-updates", action="store_true")
    args = parser.parse_args(argv)

    token = env.get(TELEGRAM_BOT_TOKEN, "").strip()
    try:
        client = TelegramClient(token, api_base=args.api_base)
        if args.command == "set-webhook":
            secret = resolve_secret(env)
            client.set_webhook(
                args.url,
                secret,
                max_connections=args.max_connections,
                drop_pending_updates=args.drop_pending_updates,
            )
            result: Any = {
                "ok": True,
                "url": args.url,
                "max_connections": args.max_connections,
                "allowed_updates": list(ALLOWED_UPDATES),
                "webhook_info": describe_webhook_info(client.get_webhook_info()),
            }
        elif args.command == "webhook-info":
            result = describe_webhook_info(client.get_webhook_info())
        else:
            client.delete_webhook(drop_pending_updates=args.drop_pending_updates)
            result = {"ok": True, "deleted": True}
    except ConfigError as exc:
        print(f"error: {redact(str(exc), token)}", file=sys.stderr)
        return 2
    except TelegramApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
