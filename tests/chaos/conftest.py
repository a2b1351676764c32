"""The fault-injection suite: attacks, crashes and failing or hanging dependencies.

Convention (every module under tests/chaos/ follows it; see README.md here):
- each module sets `pytestmark = [pytest.mark.chaos, pytest.mark.timeout(N)]`: every test is
  bounded in time by pytest-timeout, and every socket it opens has its own timeout too;
- a test that takes more than a few seconds also carries `pytest.mark.slow_chaos`:
  `make test` runs `-m "not slow_chaos"`, `make chaos` runs `-m chaos` (all of them);
- servers and clients stay on loopback (127.0.0.1); loops are bounded in count and time;
- a test asserts what a user would see (status codes, what is stored or not, log lines) and,
  where the attack is about resources, the bound itself (threads alive, RSS growth, time).

Fixtures here: a running local webhook server with small limits (`webhook`), and an RSS
sampler. Writes only under pytest's tmp_path.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from chaos_helpers import StartWebhook, Webhook

from devtools.local_server import ServerLimits, WebhookServer, serve
from tests.ingest.ingest_helpers import make_settings


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """slow_chaos without chaos would be skipped by both `make test` and `make chaos`."""
    for item in items:
        if item.get_closest_marker("slow_chaos") and not item.get_closest_marker("chaos"):
            raise pytest.UsageError(f"{item.nodeid}: slow_chaos needs the chaos marker too")


@pytest.fixture
def start_webhook(tmp_path: Path) -> Iterator[StartWebhook]:
    """Start a local webhook server with the given limits (fields of ServerLimits)."""
    started: list[tuple[WebhookServer, threading.Thread]] = []

    def _start(**limits: float) -> Webhook:
        root = tmp_path / f"raw{len(started)}"
        log = io.StringIO()
        server = serve(
            "127.0.0.1",
            0,
            make_settings(root),
            log_stream=log,
            limits=ServerLimits(**limits),  # type: ignore[arg-type]
        )
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        started.append((server, thread))
        return Webhook(server, root, log)

    yield _start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(5)
