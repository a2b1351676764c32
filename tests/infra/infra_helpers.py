"""Helpers for the CDK tests: synthesize a config, look things up in the template.

Reads nothing; `synthesize` writes a cloud assembly into the directory it is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template

from infra.app import build_app, describe_validation_failure
from infra.config import LakeConfig

QUICKSIGHT_USER = "arn:aws:quicksight:eu-central-1:123456789012:user/default/analyst"

FULL_CONFIG: dict[str, Any] = {
    "project_name": "tg-lake-full",
    "views_timezone": "Europe/Berlin",
    "schedule_time": "01:30",
    "schedule_timezone": "Europe/Berlin",
    "glue_worker_type": "G.2X",
    "glue_number_of_workers": 3,
    "alarm_email": "ops@example.com",
    "raw_sink": "firehose",
    "enable_quicksight": True,
    "quicksight_principal_arn": QUICKSIGHT_USER,
    "projection_start_date": "2023-06-01",
    "retain_data": False,
    "lambda_reserved_concurrency": 5,
    "lambda_timeout_seconds": 15,
    "rejected_alarm_threshold": 20,
    "glue_max_retries": 2,
    "max_catch_up_days": 7,
    "log_retention_days": 90,
    "raw_noncurrent_expiry_days": 7,
    "raw_expiry_days": 400,
    "quarantine_expiry_days": 30,
    "curated_retention_days": 365,
    "privacy_mode": "pseudonymous",
    "text_policy": "drop",
}


@dataclass(frozen=True)
class Synth:
    """One synthesized variant: the template as a dict and as an assertions.Template."""

    template: dict[str, Any]
    assertions: Any  # aws_cdk.assertions.Template
    assembly_dir: Path
    stack_name: str

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource
            for logical_id, resource in self.template["Resources"].items()
            if resource["Type"] == resource_type
        }

    def one(self, resource_type: str) -> tuple[str, dict[str, Any]]:
        found = self.resources(resource_type)
        assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
        return next(iter(found.items()))

    def role_statements(self, role_logical_id: str) -> list[dict[str, Any]]:
        """Every statement of every policy attached to the role: inline ones, and the managed
        policies CDK moves statements to when the inline policy outgrows IAM's size limit."""
        statements: list[dict[str, Any]] = []
        for policy_type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            for resource in self.resources(policy_type).values():
                roles = resource["Properties"].get("Roles", [])
                if {"Ref": role_logical_id} in roles:
                    statements += resource["Properties"]["PolicyDocument"]["Statement"]
        role = self.template["Resources"][role_logical_id]["Properties"]
        for policy in role.get("Policies", []):
            statements += policy["PolicyDocument"]["Statement"]
        return statements

    def validation_report(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads(
            (self.assembly_dir / "validation-report.json").read_text("utf-8")
        )
        return report


def synthesize(config_values: dict[str, Any], outdir: Path) -> Synth:
    config = LakeConfig(**config_values)
    app, stack = build_app(config, outdir=str(outdir))
    try:
        assembly = app.synth()
    except RuntimeError as exc:  # any unacknowledged cdk-nag finding fails the synthesis
        pytest.fail(f"synthesis failed:\n{describe_validation_failure(str(exc))}")
    artifact = assembly.get_stack_artifact(stack.artifact_id)
    template: dict[str, Any] = artifact.template
    return Synth(
        template=template,
        assertions=Template.from_json(template),
        assembly_dir=Path(assembly.directory),
        stack_name=stack.stack_name,
    )


def join(*parts: Any) -> dict[str, Any]:
    """CloudFormation `Fn::Join` with an empty separator, as CDK renders ARNs + suffixes."""
    return {"Fn::Join": ["", list(parts)]}


def get_att(logical_id: str, attribute: str = "Arn") -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id, attribute]}


def logical_id_of(synth: Synth, resource_type: str, path_part: str) -> str:
    """The logical id of the one resource of a type whose id contains `path_part`."""
    matches = [lid for lid in synth.resources(resource_type) if path_part in lid]
    assert len(matches) == 1, f"{resource_type} with {path_part!r}: {matches}"
    return matches[0]


def etl_job(synth: Synth) -> tuple[str, dict[str, Any]]:
    """The ETL Glue job (the stack also has the erasure job)."""
    logical_id = logical_id_of(synth, "AWS::Glue::Job", "ProcessingJob")
    return logical_id, synth.template["Resources"][logical_id]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
