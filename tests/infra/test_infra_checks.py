"""cdk-nag (AwsSolutions) leaves no unsuppressed finding; cfn-lint passes on the templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file
from infra_helpers import Synth, synthesize

from infra import nag
from infra.app import build_app, report_violations
from infra.components.common import RETENTION_NAMES
from infra.components.monitoring import stale_alarm_shape
from infra.config import LOG_RETENTION_DAYS

pytestmark = pytest.mark.infra


@pytest.mark.parametrize("variant", ["default_synth", "full_synth"])
def test_cdk_nag_aws_solutions_clean(variant: str, request: pytest.FixtureRequest) -> None:
    synth: Synth = request.getfixturevalue(variant)
    # Any unacknowledged finding (error or warning) already fails the synthesis, and the
    # fixture fails with the list; the report of a clean run lists nothing at all.
    report = synth.validation_report()
    assert report_violations(report) == []
    assert all(plugin.get("conclusion") != "failure" for plugin in report["pluginReports"])


def test_a_missing_acknowledgement_fails_the_synthesis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nag gate can fail: drop one acknowledgement (GL3, a warning) and synthesize."""
    real = nag.acknowledge

    def all_but_gl3(scope: Any, rule: str, reason: str) -> None:
        if rule != "GL3":
            real(scope, rule, reason)

    monkeypatch.setattr(nag, "acknowledge", all_but_gl3)
    with pytest.raises(pytest.fail.Exception) as failure:
        synthesize({}, tmp_path)
    assert "AwsSolutions-GL3 (warning) @ telegram-lake/Processing/Job" in str(failure.value)


def test_every_acknowledgement_has_a_specific_reason(full_synth: Synth) -> None:
    acknowledged: list[tuple[str, str, str]] = []
    for logical_id, resource in full_synth.template["Resources"].items():
        rules = resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
        acknowledged += [(logical_id, rule["id"], rule["reason"]) for rule in rules]
    ids = {rule_id for _, rule_id, _ in acknowledged}
    # The findings this stack knowingly accepts (each explained in infra/nag.py).
    assert {
        "AwsSolutions-SMG4",
        "AwsSolutions-L1",
        "AwsSolutions-GL1",
        "AwsSolutions-GL3",
        "AwsSolutions-IAM5[Resource::*]",
    } <= ids
    for logical_id, rule_id, reason in acknowledged:
        assert len(reason) >= 60, f"{rule_id} on {logical_id}: reason too thin: {reason!r}"


def test_config_comes_from_cdk_context() -> None:
    """`cdk deploy -c key=value` (and cdk.json's context) reach the stack's config."""
    _, stack = build_app(context={"project_name": "ctx-lake", "views_timezone": "Asia/Tokyo"})
    assert stack.stack_name == "ctx-lake"
    assert stack.config.views_timezone == "Asia/Tokyo"
    assert stack.config.database_name == "ctx_lake"


def cfn_lint(template_path: Path) -> list[str]:
    matches = lint_file(template_path, config=ManualArgs(regions=["us-east-1", "eu-central-1"]))
    return [f"{m.rule.id} {m.message} ({m.linenumber})" for m in matches]


@pytest.mark.parametrize("variant", ["default_synth", "full_synth"])
def test_cfn_lint_clean(variant: str, request: pytest.FixtureRequest) -> None:
    synth: Synth = request.getfixturevalue(variant)
    template_path = synth.assembly_dir / f"{synth.stack_name}.template.json"
    assert template_path.is_file()
    assert cfn_lint(template_path) == []


def test_log_retention_values_match_the_cdk_enum_names() -> None:
    assert set(RETENTION_NAMES) == set(LOG_RETENTION_DAYS)


def test_stale_alarm_shape() -> None:
    assert stale_alarm_shape(24) == (1, 24)
    assert stale_alarm_shape(6) == (1, 6)
    assert stale_alarm_shape(48) == (6, 8)
    assert stale_alarm_shape(168) == (6, 28)
