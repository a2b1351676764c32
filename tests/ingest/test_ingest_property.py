"""Property: a JSON object with an integer update_id is stored byte for byte; anything else
is rejected (400) with nothing stored."""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import ARRIVAL_DT, EVENT_SECRET, LogCapture, fixed_clock, make_settings

from ingest_lambda.handler import Ingestor
from ingest_lambda.storage import FileSink

MAX_UPDATE_ID = 2**63 - 1
PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text without surrogates: a lone surrogate cannot be UTF-8 encoded on the wire.
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=8,
)
update_types = st.sampled_from(
    ["message", "edited_message", "chat_member", "message_reaction", "brand_new_type"]
)


@st.composite
def valid_updates(draw: st.DrawFn) -> tuple[int, bytes]:
    """(update_id, body) with the body serialised in varied but valid JSON styles."""
    update_id = draw(st.integers(min_value=0, max_value=MAX_UPDATE_ID))
    payload = draw(
        st.dictionaries(text.filter(lambda k: k != "update_id"), json_values, max_size=5)
    )
    items = [
        (draw(update_types), payload),
        *draw(st.dictionaries(text, json_values, max_size=3)).items(),
    ]
    items = [(k, v) for k, v in items if k != "update_id"]
    position = draw(st.integers(min_value=0, max_value=len(items)))
    items.insert(position, ("update_id", update_id))
    body = json.dumps(
        dict(items),
        ensure_ascii=draw(st.booleans()),
        indent=draw(st.sampled_from([None, 2])),
        separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])),
    ).encode("utf-8")
    return update_id, body


def _is_valid_update(body: bytes) -> bool:
    """The test's own oracle for 'JSON object with an integer update_id in range'."""
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=lambda name: 1 / 0)
    except (UnicodeDecodeError, ValueError, ZeroDivisionError, RecursionError):
        return False
    if not isinstance(value, dict) or "update_id" not in value:
        return False
    update_id = value["update_id"]
    return type(update_id) is int and 0 <= update_id <= MAX_UPDATE_ID


invalid_bodies = st.one_of(
    st.binary(min_size=1, max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),  # any JSON, mostly not objects
    st.dictionaries(text.filter(lambda k: k != "update_id"), json_values, max_size=4).map(
        lambda d: json.dumps(d).encode()
    ),
    json_values.filter(lambda v: type(v) is not int).map(
        lambda v: json.dumps({"update_id": v, "message": {}}).encode()
    ),
    st.integers(min_value=MAX_UPDATE_ID + 1).map(lambda i: b'{"update_id": %d}' % i),
    st.integers(max_value=-1).map(lambda i: b'{"update_id": %d}' % i),
)


def _event(template: dict[str, Any], body: bytes, b64: bool) -> dict[str, Any]:
    event = json.loads(json.dumps(template))
    if b64:
        event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    else:
        event["body"], event["isBase64Encoded"] = body.decode("utf-8"), False
    return event


@pytest.fixture
def raw_root() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="ingest-property-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _ingestor(root: Path) -> Ingestor:
    return Ingestor(make_settings(root), FileSink(root), clock=fixed_clock, log=LogCapture())


@PROPERTY_SETTINGS
@given(update=valid_updates(), b64=st.booleans())
def test_valid_updates_are_stored_byte_for_byte(
    update: tuple[int, bytes],
    b64: bool,
    raw_root: Path,
    load_event: Callable[[str], dict[str, Any]],
) -> None:
    update_id, body = update
    shutil.rmtree(raw_root / ARRIVAL_DT, ignore_errors=True)

    response = _ingestor(raw_root)(_event(load_event("message"), body, b64), None)

    assert response["statusCode"] == 200
    day = raw_root / ARRIVAL_DT
    assert [p.name for p in day.iterdir()] == [f"{update_id}.json"]
    assert (day / f"{update_id}.json").read_bytes() == body


@PROPERTY_SETTINGS
@given(body=invalid_bodies, b64=st.booleans())
def test_everything_else_is_rejected_and_nothing_stored(
    body: bytes, b64: bool, raw_root: Path, load_event: Callable[[str], dict[str, Any]]
) -> None:
    if _is_valid_update(body):
        return  # st.binary() can, rarely, produce a valid update: not this property's case
    if not b64:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            b64 = True  # raw bytes that are not text can only arrive base64-encoded
    event = _event(load_event("message"), body, b64)
    assert event["headers"]["x-telegram-bot-api-secret-token"] == EVENT_SECRET

    response = _ingestor(raw_root)(event, None)

    assert response["statusCode"] == 400
    assert not any(raw_root.iterdir())
