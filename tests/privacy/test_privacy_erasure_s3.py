"""Erasure in a versioned S3 raw zone (moto): no version of an object keeps the person.

The driver side of the erasure job (`glue_jobs.erasure.rewrite` over an `S3RawStore`), on a
versioned bucket holding objects with several versions, delete markers and old copies.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from erasure_builders import KEY, LEO, MIA, ZOE, dumps, embedded, message, reaction

from glue_jobs.erasure.people import People
from glue_jobs.erasure.rewrite import erase_raw, purge_stale_versions
from glue_jobs.erasure.scrub import UpdateScrubber
from glue_jobs.erasure.stores import ErasurePermissionError, S3RawStore

BUCKET = "raw-bucket"
DAY = "raw/dt=2026-11-02"
MIA_ID = str(MIA["id"])


@pytest.fixture
def versioned(s3: Any) -> Iterator[Any]:
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    yield s3


def put(s3: Any, key: str, body: str | bytes) -> str:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return str(s3.put_object(Bucket=BUCKET, Key=key, Body=data)["VersionId"])


def versions(s3: Any, key: str) -> list[tuple[str, bytes | None]]:
    """(version id, body; None for a delete marker) of exactly this key, newest first."""
    listed = s3.list_object_versions(Bucket=BUCKET, Prefix=key)
    found: list[tuple[str, bytes | None]] = []
    for version in listed.get("Versions", []):
        if version["Key"] == key:
            body = s3.get_object(Bucket=BUCKET, Key=key, VersionId=version["VersionId"])["Body"]
            found.append((version["VersionId"], body.read()))
    for marker in listed.get("DeleteMarkers", []):
        if marker["Key"] == key:
            found.append((marker["VersionId"], None))
    return found


def everything(s3: Any) -> bytes:
    """Every byte of every version under raw/ (gzip batches decompressed)."""
    listed = s3.list_object_versions(Bucket=BUCKET, Prefix="raw/")
    out = b""
    for version in listed.get("Versions", []):
        body = s3.get_object(Bucket=BUCKET, Key=version["Key"], VersionId=version["VersionId"])
        data = body["Body"].read()
        out += gzip.decompress(data) if version["Key"].endswith(".gz") else data
    return out


def test_no_version_of_any_object_keeps_her(versioned: Any) -> None:
    s3 = versioned
    reply = dumps(message(2, 11, ZOE, text="yes", reply_to_message=embedded(10, MIA, "plan")))
    mine = dumps(message(1, 10, MIA, text="my plan"))
    leo = dumps(message(3, 12, LEO, text="unrelated"))
    # A reply to her, redelivered three times (three versions of one key).
    for _ in range(3):
        put(s3, f"{DAY}/2.json", reply)
    # Her own message, redelivered once (two versions).
    put(s3, f"{DAY}/1.json", mine)
    put(s3, f"{DAY}/1.json", mine)
    # Somebody else's message whose older version quoted her (an edit of the object).
    put(s3, f"{DAY}/4.json", reply)
    put(s3, f"{DAY}/4.json", leo)
    # An object deleted long ago (delete marker on top) whose old version is hers.
    put(s3, f"{DAY}/5.json", dumps(reaction(5, MIA, 12)))
    s3.delete_object(Bucket=BUCKET, Key=f"{DAY}/5.json")
    # A batch with her line and other lines.
    batch = "\n".join([leo, mine]) + "\n"
    put(s3, f"{DAY}/part-0000.jsonl.gz", gzip.compress(batch.encode("utf-8")))
    # Somebody else's object with two versions: untouched.
    leo_versions = [put(s3, f"{DAY}/3.json", leo), put(s3, f"{DAY}/3.json", leo)]

    people = People.of([MIA["id"]], KEY).knowing(["mia_k"], ["Mia Kowalski"])
    scrubber = UpdateScrubber(people)
    store = S3RawStore(f"s3://{BUCKET}/raw", s3)
    # What the Spark scan finds: current objects that mention her (4.json's current
    # version does not; 5.json has no current version).
    candidates = [
        f"s3://{BUCKET}/{DAY}/1.json",
        f"s3://{BUCKET}/{DAY}/2.json",
        f"s3://{BUCKET}/{DAY}/part-0000.jsonl.gz",
    ]
    counts = erase_raw(store, candidates, scrubber, threads=4)
    stale = purge_stale_versions(store, scrubber, threads=4)

    assert MIA_ID.encode() not in everything(s3)
    assert b"mia_k" not in everything(s3)
    assert b"my plan" not in everything(s3)
    # The reply: one version, the scrubbed one; her own message: nothing, no delete marker.
    ((_, body),) = versions(s3, f"{DAY}/2.json")
    assert body is not None
    assert b'"reply_to_message":{"message_id":10,"date":0,' in body
    assert versions(s3, f"{DAY}/1.json") == []
    # The old copy of 4.json went; its current version stayed.
    assert [data for _, data in versions(s3, f"{DAY}/4.json")] == [leo.encode()]
    # The long-deleted object: its old version and its delete marker went.
    assert versions(s3, f"{DAY}/5.json") == []
    # The batch kept Leo's line byte for byte.
    ((_, batch_body),) = versions(s3, f"{DAY}/part-0000.jsonl.gz")
    assert batch_body is not None
    assert gzip.decompress(batch_body).decode() == leo + "\n"
    # Leo's object: both versions, untouched.
    assert sorted(version for version, _ in versions(s3, f"{DAY}/3.json")) == sorted(leo_versions)
    assert counts["objects_rewritten"] == 2
    assert counts["objects_deleted"] == 1
    # 2.json: its three versions before the rewrite; 1.json: the one beside the current
    # one; the batch: its version before the rewrite.
    assert counts["versions_purged"] == 5
    assert stale["stale_versions_purged"] == 3  # 4.json's old copy, 5.json's version + marker


def test_preflight_proves_the_permissions_and_leaves_nothing(versioned: Any) -> None:
    store = S3RawStore(f"s3://{BUCKET}/raw", versioned)
    assert store.preflight() == {"versioning": "Enabled"}
    listed = versioned.list_object_versions(Bucket=BUCKET)
    assert listed.get("Versions", []) == []
    assert listed.get("DeleteMarkers", []) == []


def test_preflight_fails_clearly_without_versioning_rights(aws_credentials: None) -> None:
    client = boto3.client("s3", region_name="us-east-1")
    stubber = Stubber(client)
    stubber.add_client_error(
        "get_bucket_versioning", service_error_code="AccessDenied", http_status_code=403
    )
    stubber.activate()
    store = S3RawStore(f"s3://{BUCKET}/raw", client)
    with pytest.raises(ErasurePermissionError, match=r"s3:GetBucketVersioning.*nothing has been"):
        store.preflight()
    stubber.assert_no_pending_responses()


def test_preflight_fails_clearly_without_delete_object_version(aws_credentials: None) -> None:
    client = boto3.client("s3", region_name="us-east-1")
    stubber = Stubber(client)
    stubber.add_response("get_bucket_versioning", {"Status": "Enabled"})
    stubber.add_response("list_object_versions", {"Versions": []})
    stubber.add_response("put_object", {"VersionId": "v1"})
    stubber.add_response(
        "delete_objects",
        {"Errors": [{"Key": "raw/_erasure_probe/x", "Code": "AccessDenied", "Message": "no"}]},
    )
    stubber.activate()
    store = S3RawStore(f"s3://{BUCKET}/raw", client)
    with pytest.raises(ErasurePermissionError, match="s3:DeleteObjectVersion"):
        store.preflight()
