"""The local raw store keeps no object versions: nothing stale to scrub, and asking it for a
version is an error that names the object, never an empty read."""

from __future__ import annotations

from pathlib import Path

import pytest

from glue_jobs.erasure.stores import LocalRawStore, StaleVersion


def test_a_local_raw_zone_has_no_stale_versions_to_purge(tmp_path: Path) -> None:
    day = tmp_path / "raw" / "dt=2026-01-01"
    day.mkdir(parents=True)
    (day / "1.json").write_text('{"update_id": 1}', encoding="utf-8")
    store = LocalRawStore(str(tmp_path / "raw"))
    assert list(store.stale_versions()) == []
    assert store.purge([]) == 0


def test_asking_a_local_raw_zone_for_a_version_names_the_object(tmp_path: Path) -> None:
    store = LocalRawStore(str(tmp_path / "raw"))
    version = StaleVersion(
        uri="file:/raw/dt=2026-01-01/1.json", version_id="v1", is_delete_marker=False
    )
    with pytest.raises(
        LookupError, match=r"1\.json: local files keep no versions, so there is no v1"
    ):
        store.read_version(version)
