"""set-webhook / webhook-info against a fake Bot API server on 127.0.0.1 (never the real API)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from devtools.telegram_admin import TelegramApiError, TelegramClient, main, redact

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = "webhook-secret_for-tests"
WEBHOOK_URL = "https://abc123.lambda-url.us-east-1.on.aws/"


@dataclass
class FakeBotApi:
    """Records each call; answers from `responses[method]` as (status, JSON body)."""

    url: str
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    responses: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    state = FakeBotApi(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length) or b"{}")
            prefix = f"/bot{TOKEN}/"
            if not self.path.startswith(prefix):
                status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            else:
                method = self.path.removeprefix(prefix)
                state.calls.append((method, payload))
                default = WEBHOOK_INFO if method == "getWebhookInfo" else True
                status, body = state.responses.get(method, (200, {"ok": True, "result": default}))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


WEBHOOK_INFO = {
    "url": WEBHOOK_URL,
    "has_custom_certificate": False,
    "pending_update_count": 3,
    "last_error_date": 1763647392,
    "last_error_message": "Wrong response from the webhook: 503 Service Unavailable",
    "max_connections": 40,
    "ip_address": "3.5.140.2",
}


def run_cli(
    args: list[str], bot_api: FakeBotApi, **env: str
) -> tuple[int, dict[str, Any] | None, str]:
    out = io.StringIO()
    environ = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": bot_api.url, **env}
    code = main(args, environ=environ, stdout=out)
    return code, (json.loads(out.getvalue()) if out.getvalue() else None), out.getvalue()


def test_set_webhook_sends_secret_allowed_updates_and_max_connections(
    bot_api: FakeBotApi,
) -> None:
    code, output, _ = run_cli(
        ["set-webhook", "--url", WEBHOOK_URL, "--max-connections", "80", "--drop-pending-updates"],
        bot_api,
        WEBHOOK_SECRET=SECRET,
    )

    assert code == 0
    method, payload = bot_api.calls[0]
    assert method == "setWebhook"
    payload = {**payload, "allowed_updates": sorted(payload["allowed_updates"])}
    assert payload == {
        "url": WEBHOOK_URL,
        "secret_token": SECRET,
        "max_connections": 80,
        "drop_pending_updates": True,
        # Every type the pipeline reads or keeps; chat_member and the reaction types are
        # only sent when asked for by name.
        "allowed_updates": sorted(
            [
                "message",
                "edited_message",
                "channel_post",
                "edited_channel_post",
                "business_message",
                "edited_business_message",
                "message_reaction",
                "message_reaction_count",
                "chat_member",
                "my_chat_member",
                "chat_join_request",
                "callback_query",
                "poll",
                "poll_answer",
            ]
        ),
    }
    assert [call[0] for call in bot_api.calls] == ["setWebhook", "getWebhookInfo"]
    assert output is not None
    assert output["webhook_info"]["pending_update_count"] == 3


def test_set_webhook_defaults(bot_api: FakeBotApi) -> None:
    code, _, _ = run_cli(["set-webhook", "--url", WEBHOOK_URL], bot_api, WEBHOOK_SECRET=SECRET)

    assert code == 0
    payload = bot_api.calls[0][1]
    assert (payload["max_connections"], payload["drop_pending_updates"]) == (40, False)


def test_webhook_info_shows_pending_updates_and_last_error(bot_api: FakeBotApi) -> None:
    code, output, _ = run_cli(["webhook-info"], bot_api)

    assert code == 0
    assert output == {**WEBHOOK_INFO, "last_error_date_utc": "2025-11-20T14:03:12+00:00"}


def test_delete_webhook(bot_api: FakeBotApi) -> None:
    code, output, _ = run_cli(["delete-webhook", "--drop-pending-updates"], bot_api)

    assert (code, output) == (0, {"ok": True, "deleted": True})
    assert bot_api.calls == [("deleteWebhook", {"drop_pending_updates": True})]


def test_api_error_is_reported_without_the_token(
    bot_api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    bot_api.responses["setWebhook"] = (
        400,
        {"ok": False, "error_code": 400, "description": f"Bad Request: bot{TOKEN} is odd"},
    )

    code, output, _ = run_cli(["set-webhook", "--url", WEBHOOK_URL], bot_api, WEBHOOK_SECRET=SECRET)

    err = capsys.readouterr().err
    assert (code, output) == (1, None)
    assert "setWebhook failed (400): Bad Request" in err
    assert TOKEN not in err
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in err


def test_unreachable_api_is_reported_without_the_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = io.StringIO()
    environ = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": "http://127.0.0.1:9"}

    code = main(["webhook-info"], environ=environ, stdout=out)

    err = capsys.readouterr().err
    assert code == 1
    assert "getWebhookInfo: cannot reach http://127.0.0.1:9" in err
    assert TOKEN not in err


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["set-webhook", "--url", "http://example.com/hook"], {}, "must be https://"),
        (["set-webhook", "--url", "https://example.com:8080/"], {}, "only delivers to ports"),
        (["set-webhook", "--url", WEBHOOK_URL, "--max-connections", "101"], {}, "1 and 100"),
        (
            ["set-webhook", "--url", WEBHOOK_URL],
            {"WEBHOOK_SECRET": "has spaces"},
            "A-Z a-z 0-9 _ -",
        ),
        (["set-webhook", "--url", WEBHOOK_URL], {"WEBHOOK_SECRET": ""}, "no webhook secret"),
        (["webhook-info"], {"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN is not set"),
    ],
)
def test_bad_input_exits_2_before_calling_telegram(
    bot_api: FakeBotApi,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    code, output, _ = run_cli(args, bot_api, **{"WEBHOOK_SECRET": SECRET, **env})

    assert (code, output) == (2, None)
    assert message in capsys.readouterr().err
    assert bot_api.calls == []


def test_set_webhook_accepts_port_8443(bot_api: FakeBotApi) -> None:
    client = TelegramClient(TOKEN, api_base=bot_api.url)

    assert client.set_webhook("https://hooks.example.org:8443/telegram", SECRET) is True


def test_client_raises_typed_error(bot_api: FakeBotApi) -> None:
    bot_api.responses["getWebhookInfo"] = (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    client = TelegramClient(TOKEN, api_base=bot_api.url)

    with pytest.raises(TelegramApiError, match=r"getWebhookInfo failed \(401\): Unauthorized"):
        client.get_webhook_info()


def test_redact_hides_the_token_and_token_shaped_strings() -> None:
    text = f"https://api.telegram.org/bot{TOKEN}/x and 987654321:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"

    assert redact(text, TOKEN) == "https://api.telegram.org/bot<redacted>/x and <redacted>"
