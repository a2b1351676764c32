"""Fixtures for the CDK tests: each stack variant is synthesized once per test session.

Synthesizing costs seconds (the jsii Node.js process, cdk-nag), so the two variants below
are session-scoped and shared by every infra test module:
- `default_synth`: the default config (S3 raw sink, no QuickSight, no e-mail),
- `full_synth`:    every option on (Firehose raw sink, QuickSight, e-mail, Berlin times).
Writes the cloud assemblies into a pytest temp dir.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

# Before aws_cdk starts its Node.js process: Node 20 is past its jsii support window (the
# banner is noise in test output), and CDK's built-in template validation is skipped
# because cfn-lint runs on the same template in test_infra_checks (and takes ~20 s).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CDK_VALIDATION", "false")

if TYPE_CHECKING:
    from infra_helpers import Synth

# infra_helpers is imported inside the fixtures: it loads aws_cdk (seconds), which the
# CDK-free tests in this folder (config, assets, post-deploy, views handler) do not need.


@pytest.fixture(scope="session")
def default_synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synth]:
    from infra_helpers import synthesize  # noqa: PLC0415

    yield synthesize({}, tmp_path_factory.mktemp("cdk-default"))


@pytest.fixture(scope="session")
def full_synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synth]:
    from infra_helpers import FULL_CONFIG, synthesize  # noqa: PLC0415

    yield synthesize(FULL_CONFIG, tmp_path_factory.mktemp("cdk-full"))
