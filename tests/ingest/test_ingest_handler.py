"""The webhook handler: every status path, what is stored, and what is logged."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import ARRIVAL_DT, EVENT_SECRET, FileIngest, LogCapture, make_settings

from ingest_lambda import handler as handler_module
from ingest_lambda.handler import Ingestor
from ingest_lambda.settings import ConfigError
from ingest_lambda.storage import FileSink

LoadEvent = Callable[[str], dict[str, Any]]

# (event file, update_id, update type) written from the files in tests/events.
STORED_EVENTS = [
    ("message", 937451001, "message"),
    ("edited_message", 937451002, "edited_message"),
    ("channel_post", 937451003, "channel_post"),
    ("chat_member", 937451004, "chat_member"),
    ("my_chat_member", 937451005, "my_chat_member"),
    ("message_reaction", 937451006, "message_reaction"),
    ("message_reaction_count", 937451007, "message_reaction_count"),
    ("callback_query", 937451008, "callback_query"),
    ("poll_answer", 937451009, "poll_answer"),
    ("unknown_update_type", 937451010, "future_update_kind"),
]
MESSAGE_TEXT_FRAGMENT = "Did the nightly Glue run finish"
OUTCOME_METRICS = ("Stored", "Rejected", "Failed")


def outcome_metrics(record: dict[str, Any]) -> dict[str, Any]:
    """The outcome metric fields a log record carries (only the one that happened)."""
    return {name: record[name] for name in OUTCOME_METRICS if name in record}


def declared_metrics(record: dict[str, Any]) -> list[dict[str, str]]:
    """The metrics the record's EMF block tells CloudWatch to extract."""
    directives = record["_aws"]["CloudWatchMetrics"]
    assert len(directives) == 1
    metrics: list[dict[str, str]] = directives[0]["Metrics"]
    return metrics


def with_body(event: dict[str, Any], body: str | bytes, *, b64: bool = False) -> dict[str, Any]:
    changed = json.loads(json.dumps(event))
    if b64:
        raw = body if isinstance(body, bytes) else body.encode("utf-8")
        changed["body"] = base64.b64encode(raw).decode("ascii")
    else:
        assert isinstance(body, str)
        changed["body"] = body
    changed["isBase64Encoded"] = b64
    return changed


@pytest.mark.parametrize(("name", "update_id", "update_type"), STORED_EVENTS)
def test_every_update_type_is_stored_byte_for_byte(
    file_ingest: FileIngest, load_event: LoadEvent, name: str, update_id: int, update_type: str
) -> None:
    event = load_event(name)

    response = file_ingest.ingestor(event, None)

    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"ok": True}
    assert file_ingest.files() == [f"{ARRIVAL_DT}/{update_id}.json"]
    stored = (file_ingest.root / ARRIVAL_DT / f"{update_id}.json").read_bytes()
    assert stored == event["body"].encode("utf-8")
    record = file_ingest.log.last
    assert record["outcome"] == "stored"
    assert record["status"] == 200
    assert record["update_id"] == update_id
    assert record["update_type"] == update_type
    assert record["UpdateType"] == update_type
    assert outcome_metrics(record) == {"Stored": 1}
    assert declared_metrics(record) == [{"Name": "Stored", "Unit": "Count"}]


def test_base64_body_is_decoded_and_stored_exactly(
    file_ingest: FileIngest, load_event: LoadEvent
) -> None:
    response = file_ingest.ingestor(load_event("base64_body"), None)

    assert response["statusCode"] == 200
    stored = (file_ingest.root / ARRIVAL_DT / "937451001.json").read_bytes()
    # base64_body.json carries the same update as message.json.
    assert stored == load_event("message")["body"].encode("utf-8")
    assert "☕".encode() in stored


def test_secret_header_name_is_case_insensitive(
    file_ingest: FileIngest, load_event: LoadEvent
) -> None:
    event = load_event("secret_header_mixed_case")
    assert "X-Telegram-Bot-Api-Secret-Token" in event["headers"]

    assert file_ingest.ingestor(event, None)["statusCode"] == 200
    assert file_ingest.files() == [f"{ARRIVAL_DT}/937451001.json"]


def test_redelivery_overwrites_the_same_key(file_ingest: FileIngest, load_event: LoadEvent) -> None:
    event = load_event("message")

    first = file_ingest.ingestor(event, None)
    second = file_ingest.ingestor(event, None)

    assert (first["statusCode"], second["statusCode"]) == (200, 200)
    assert file_ingest.files() == [f"{ARRIVAL_DT}/937451001.json"]


@pytest.mark.parametrize(
    ("name", "reason"), [("wrong_secret", "wrong_secret"), ("missing_secret", "missing_secret")]
)
def test_bad_or_missing_secret_is_401_and_nothing_stored(
    file_ingest: FileIngest, load_event: LoadEvent, name: str, reason: str
) -> None:
    response = file_ingest.ingestor(load_event(name), None)

    assert response["statusCode"] == 401
    assert json.loads(response["body"]) == {"ok": False, "error": "unauthorized"}
    assert file_ingest.files() == []
    record = file_ingest.log.last
    assert (record["outcome"], record["reason"], record["update_id"]) == ("rejected", reason, None)
    assert outcome_metrics(record) == {"Rejected": 1}
    assert declared_metrics(record) == [{"Name": "Rejected", "Unit": "Count"}]
    assert "not-the-secret" not in file_ingest.log.lines[-1]


def test_secret_that_is_a_prefix_of_the_real_one_is_rejected(
    file_ingest: FileIngest, load_event: LoadEvent
) -> None:
    event = load_event("message")
    event["headers"]["x-telegram-bot-api-secret-token"] = EVENT_SECRET[:-1]

    assert file_ingest.ingestor(event, None)["statusCode"] == 401
    event["headers"]["x-telegram-bot-api-secret-token"] = EVENT_SECRET + "x"
    assert file_ingest.ingestor(event, None)["statusCode"] == 401
    assert file_ingest.files() == []


def test_get_is_405_with_allow_header(file_ingest: FileIngest, load_event: LoadEvent) -> None:
    response = file_ingest.ingestor(load_event("get_request"), None)

    assert response["statusCode"] == 405
    assert response["headers"]["allow"] == "POST"
    assert file_ingest.files() == []
    assert file_ingest.log.last["reason"] == "method_not_allowed"


def test_put_with_valid_secret_and_body_is_still_405(
    file_ingest: FileIngest, load_event: LoadEvent
) -> None:
    event = load_event("message")
    event["requestContext"]["http"]["method"] = "PUT"

    assert file_ingest.ingestor(event, None)["statusCode"] == 405
    assert file_ingest.files() == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("not_json", "invalid_json"),
        ("json_array", "not_an_object"),
        ("missing_update_id", "missing_update_id"),
        ("string_update_id", "update_id_not_integer"),
    ],
)
def test_saved_invalid_bodies_are_400_with_reason(
    file_ingest: FileIngest, load_event: LoadEvent, name: str, reason: str
) -> None:
    response = file_ingest.ingestor(load_event(name), None)

    assert response["statusCode"] == 400
    assert json.loads(response["body"]) == {"ok": False, "error": reason}
    assert file_ingest.files() == []
    assert file_ingest.log.last["reason"] == reason


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"update_id": 1.0, "message": {}}', "update_id_not_integer"),
        ('{"update_id": 1e3}', "update_id_not_integer"),
        ('{"update_id": true}', "update_id_not_integer"),
        ('{"update_id": null}', "update_id_not_integer"),
        ('{"update_id": [1]}', "update_id_not_integer"),
        ('{"update_id": -1}', "update_id_out_of_range"),
        ('{"update_id": 9223372036854775808}', "update_id_out_of_range"),
        ('{"update_id": 1, "message": {"text": NaN}}', "invalid_json"),
        ('{"update_id": 1, "x": Infinity}', "invalid_json"),
        ('\ufeff{"update_id": 1}', "invalid_json"),
        ('{"update_id": 1}{"update_id": 2}', "invalid_json"),
        ('{"update_id": 1', "invalid_json"),
        ("[" * 100_000 + "]" * 100_000, "invalid_json"),
        ('"just a string"', "not_an_object"),
        ("42", "not_an_object"),
        ("null", "not_an_object"),
        ("{}", "missing_update_id"),
        ('{"message": {"update_id": 5}}', "missing_update_id"),
        ("", "empty_body"),
    ],
)
def test_invalid_bodies_are_400(
    file_ingest: FileIngest, load_event: LoadEvent, body: str, reason: str
) -> None:
    response = file_ingest.ingestor(with_body(load_event("message"), body), None)

    assert response["statusCode"] == 400
    assert file_ingest.log.last["reason"] == reason
    assert file_ingest.files() == []


def test_largest_update_id_is_accepted(file_ingest: FileIngest, load_event: LoadEvent) -> None:
    body = '{"update_id":9223372036854775807}'

    assert file_ingest.ingestor(with_body(load_event("message"), body), None)["statusCode"] == 200
    assert file_ingest.files() == [f"{ARRIVAL_DT}/9223372036854775807.json"]
    assert file_ingest.log.last["update_type"] == "unknown"


def test_missing_body_is_400(file_ingest: FileIngest, load_event: LoadEvent) -> None:
    event = load_event("message")
    del event["body"]

    assert file_ingest.ingestor(event, None)["statusCode"] == 400
    assert file_ingest.log.last["reason"] == "empty_body"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not base64 at all!", "invalid_base64"),
        ("eyJ1cGRhdGVfaWQiOjF", "invalid_base64"),  # truncated: missing padding
    ],
)
def test_broken_base64_is_400(
    file_ingest: FileIngest, load_event: LoadEvent, body: str, reason: str
) -> None:
    event = load_event("base64_body")
    event["body"] = body

    assert file_ingest.ingestor(event, None)["statusCode"] == 400
    assert file_ingest.log.last["reason"] == reason
    assert file_ingest.files() == []


def test_base64_body_that_is_not_utf8_is_400(
    file_ingest: FileIngest, load_event: LoadEvent
) -> None:
    latin1 = '{"update_id": 5, "message": {"text": "caf\u00e9"}}'.encode("latin-1")
    response = file_ingest.ingestor(with_body(load_event("message"), latin1, b64=True), None)

    assert response["statusCode"] == 400
    assert file_ingest.log.last["reason"] == "not_utf8"
    assert file_ingest.files() == []


def test_text_body_with_lone_surrogate_is_400(
    file_ingest: FileIngest, load_event: LoadEvent
) -> None:
    body = '{"update_id": 5, "message": {"text": "\ud800"}}'

    assert file_ingest.ingestor(with_body(load_event("message"), body), None)["statusCode"] == 400
    assert file_ingest.files() == []


def test_oversized_update_is_413(
    make_ingest: Callable[..., tuple[Any, LogCapture]], tmp_path: Path, load_event: LoadEvent
) -> None:
    root = tmp_path / "raw"
    event = load_event("oversized")
    assert len(event["body"].encode()) == 4374
    ingestor, log = make_ingest(FileSink(root), max_body_bytes=4096)

    assert ingestor(event, None)["statusCode"] == 413
    assert log.last["reason"] == "body_too_large"
    b64_event = with_body(event, event["body"], b64=True)
    assert ingestor(b64_event, None)["statusCode"] == 413
    assert not root.exists()

    exact, _ = make_ingest(FileSink(root), max_body_bytes=4374)
    assert exact(event, None)["statusCode"] == 200
    assert exact(b64_event, None)["statusCode"] == 200


def test_default_limit_is_one_mebibyte(file_ingest: FileIngest, load_event: LoadEvent) -> None:
    prefix, suffix = '{"update_id":77,"message":{"text":"', '"}}'
    fits = prefix + "a" * (1_048_576 - len(prefix) - len(suffix)) + suffix
    too_big = prefix + "a" * (1_048_577 - len(prefix) - len(suffix)) + suffix
    assert (len(fits), len(too_big)) == (1_048_576, 1_048_577)

    message = load_event("message")
    assert file_ingest.ingestor(with_body(message, too_big), None)["statusCode"] == 413
    assert file_ingest.ingestor(with_body(message, fits), None)["statusCode"] == 200


def test_multibyte_text_counts_bytes_not_characters(
    make_ingest: Callable[..., tuple[Any, LogCapture]], tmp_path: Path, load_event: LoadEvent
) -> None:
    body = '{"update_id":1,"t":"' + "я" * 50 + '"}'  # 72 characters, 122 UTF-8 bytes
    ingestor, _ = make_ingest(FileSink(tmp_path / "raw"), max_body_bytes=100)

    assert ingestor(with_body(load_event("message"), body), None)["statusCode"] == 413


class FailingSink:
    def __init__(self) -> None:
        self.calls = 0

    def put(self, update_id: int, body: bytes, arrived_at: datetime) -> str:
        self.calls += 1
        raise OSError("disk full")


def test_storage_failure_is_503_so_telegram_retries(
    make_ingest: Callable[..., tuple[Any, LogCapture]], load_event: LoadEvent
) -> None:
    sink = FailingSink()
    ingestor, log = make_ingest(sink)

    response = ingestor(load_event("message"), None)

    assert response["statusCode"] == 503
    assert sink.calls == 1
    record = log.last
    assert (record["outcome"], record["reason"], record["level"]) == (
        "failed",
        "storage_failed",
        "ERROR",
    )
    assert record["error"] == "OSError: disk full"
    assert outcome_metrics(record) == {"Failed": 1}
    assert declared_metrics(record) == [{"Name": "Failed", "Unit": "Count"}]


def test_unexpected_error_is_500_not_a_crash(
    tmp_path: Path, log_capture: LogCapture, load_event: LoadEvent
) -> None:
    def broken_clock() -> datetime:
        raise RuntimeError("clock broke")

    settings = make_settings(tmp_path / "raw")
    ingestor = Ingestor(settings, FileSink(tmp_path / "raw"), clock=broken_clock, log=log_capture)

    response = ingestor(load_event("message"), None)

    assert response["statusCode"] == 500
    assert json.loads(response["body"]) == {"ok": False, "error": "internal error"}
    record = log_capture.last
    assert (record["reason"], record["error"]) == ("internal_error", "RuntimeError: clock broke")
    assert outcome_metrics(record) == {"Failed": 1}
    assert declared_metrics(record) == [{"Name": "Failed", "Unit": "Count"}]
    assert not (tmp_path / "raw").exists()


def test_log_line_is_emf_and_never_holds_secret_or_text(
    file_ingest: FileIngest, load_event: LoadEvent
) -> None:
    file_ingest.ingestor(load_event("message"), None)
    file_ingest.ingestor(load_event("wrong_secret"), None)

    for line in file_ingest.log.lines:
        assert "\n" not in line
        assert EVENT_SECRET not in line
        assert MESSAGE_TEXT_FRAGMENT not in line
    stored, rejected = file_ingest.log.records
    # Two dimension sets: by UpdateType, and the empty set, which publishes the same value
    # as a metric without dimensions (the alarms' total).
    assert stored["_aws"] == {
        "Timestamp": 1763683199500,  # 2025-11-20T23:59:59.5Z in ms
        "CloudWatchMetrics": [
            {
                "Namespace": "TelegramLake",
                "Dimensions": [["UpdateType"], []],
                "Metrics": [{"Name": "Stored", "Unit": "Count"}],
            }
        ],
    }
    assert (stored["UpdateType"], stored["Stored"]) == ("message", 1)
    # Zeros are not emitted: each metric name x UpdateType ever published is billed.
    assert "Rejected" not in stored
    assert "Failed" not in stored
    assert stored["request_id"] == "00000000-0000-0000-0000-0000c0ffee00"
    assert stored["body_bytes"] == 374
    assert stored["location"].endswith("/dt=2025-11-20/937451001.json")
    assert isinstance(stored["latency_ms"], float)
    assert rejected["_aws"]["CloudWatchMetrics"] == [
        {
            "Namespace": "TelegramLake",
            "Dimensions": [["UpdateType"], []],
            "Metrics": [{"Name": "Rejected", "Unit": "Count"}],
        }
    ]
    assert (rejected["UpdateType"], rejected["Rejected"], rejected["status"]) == ("none", 1, 401)
    assert "Stored" not in rejected
    assert "Failed" not in rejected


def test_lambda_context_request_id_wins(
    file_ingest: FileIngest, load_event: LoadEvent, lambda_context: Any
) -> None:
    file_ingest.ingestor(load_event("message"), lambda_context)

    assert file_ingest.log.last["request_id"] == "c6af9ac6-7b61-11e6-9a41-93e812345678"


def test_odd_type_names_become_unknown_dimension(
    file_ingest: FileIngest, load_event: LoadEvent
) -> None:
    body = '{"update_id": 12, "Weird Type!": {}}'

    assert file_ingest.ingestor(with_body(load_event("message"), body), None)["statusCode"] == 200
    assert file_ingest.log.last["UpdateType"] == "unknown"


@pytest.fixture
def fresh_default_ingestor() -> Any:
    handler_module.default_ingestor.cache_clear()
    yield
    handler_module.default_ingestor.cache_clear()


@pytest.mark.usefixtures("fresh_default_ingestor")
def test_lambda_entry_point_reads_env_once(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    load_event: LoadEvent,
    lambda_context: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("WEBHOOK_SECRET_PARAM", "RAW_SINK", "MAX_BODY_BYTES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAW_URI", (tmp_path / "raw").as_uri())
    monkeypatch.setenv("WEBHOOK_SECRET", EVENT_SECRET)

    response = handler_module.handler(load_event("message"), lambda_context)
    # Settings are read once per container: a later env change does not apply.
    monkeypatch.setenv("WEBHOOK_SECRET", "changed-after-cold-start")
    second = handler_module.handler(load_event("edited_message"), lambda_context)

    assert (response["statusCode"], second["statusCode"]) == (200, 200)
    stored = sorted((tmp_path / "raw").rglob("*.json"))  # real clock: today's dt= folder
    assert [p.name for p in stored] == ["937451001.json", "937451002.json"]
    assert all(p.parent.name.startswith("dt=20") for p in stored)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["status"], line["request_id"]) for line in lines] == [
        (200, "c6af9ac6-7b61-11e6-9a41-93e812345678"),
        (200, "c6af9ac6-7b61-11e6-9a41-93e812345678"),
    ]


@pytest.mark.usefixtures("fresh_default_ingestor")
def test_lambda_entry_point_without_secret_fails_clearly(
    monkeypatch: pytest.MonkeyPatch, load_event: LoadEvent
) -> None:
    for name in ("WEBHOOK_SECRET", "WEBHOOK_SECRET_PARAM", "RAW_SINK"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAW_URI", "s3://raw-bucket/telegram")

    with pytest.raises(ConfigError, match="no webhook secret configured"):
        handler_module.handler(load_event("message"), None)


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_cold_start_in_lambda_fails_at_init_without_secret(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"WEBHOOK_SECRET", "WEBHOOK_SECRET_PARAM", "RAW_SINK"}
    }
    env.update({"AWS_LAMBDA_FUNCTION_NAME": "telegram-lake-ingest", "RAW_URI": str(tmp_path)})

    result = _python("import ingest_lambda.handler", env)

    assert result.returncode != 0
    assert "ConfigError: no webhook secret configured" in result.stderr


def test_importing_the_handler_does_not_import_boto3() -> None:
    env = {key: value for key, value in os.environ.items() if key != "AWS_LAMBDA_FUNCTION_NAME"}

    result = _python("import sys, ingest_lambda.handler; print('boto3' in sys.modules)", env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
