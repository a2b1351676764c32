"""CDK app entry point: `python -m infra.app` (or `npx aws-cdk@2 synth` from infra/).

Reads the deployment config (CDK context, env `TELEGRAM_LAKE_*`, defaults: infra.config).
Writes the cloud assembly (CloudFormation template + assets) to `$CDK_OUTDIR` when the CDK
CLI runs the app, else to `infra/cdk.out`. Applies the cdk-nag AwsSolutions pack (v3: a CDK
policy-validation plugin): any unacknowledged finding fails the synthesis, and when run
directly the app prints the findings and exits 1.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from infra.config import LakeConfig
from infra.stack import TelegramLakeStack

DEFAULT_OUTDIR = Path(__file__).resolve().parent / "cdk.out"
# CDK feature flags this app relies on (also valid when the CLI runs it: CLI context wins).
FEATURE_FLAGS: dict[str, Any] = {
    # Grant S3 server access log delivery through a bucket policy instead of ACLs, so every
    # bucket can keep ObjectOwnership=BucketOwnerEnforced (ACLs disabled).
    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True,
}


def build_app(
    config: LakeConfig | None = None,
    *,
    outdir: str | None = None,
    context: dict[str, Any] | None = None,
) -> tuple[App, TelegramLakeStack]:
    """Build the app and its one stack (cdk-nag plugin attached). Nothing is synthesized yet.

    `config` defaults to the one read from the app's context and the environment.
    """
    app = App(
        outdir=outdir,
        context={**FEATURE_FLAGS, **(context or {})},
        analytics_reporting=False,
    )
    config = config or LakeConfig.from_sources(app.node.try_get_context)
    account = os.environ.get("CDK_DEFAULT_ACCOUNT")
    region = os.environ.get("CDK_DEFAULT_REGION")
    env = Environment(account=account, region=region) if account and region else None
    stack = TelegramLakeStack(app, config.stack_name, config=config, env=env)
    # Acknowledgements are also written into the template metadata (cdk_nag.rules_to_suppress)
    # so that the reasons travel with the template for reviewers and audits.
    Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, verbose=True, write_suppressions_to_cloud_formation=True)
    )
    return app, stack


def report_violations(report: dict[str, Any]) -> list[str]:
    """`rule (severity) @ construct path` for every violation in a CDK validation report."""
    return [
        f"{violation['ruleName']} ({violation.get('severity')}) @ {construct['constructPath']}"
        for plugin in report.get("pluginReports", [])
        for violation in plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", [])
    ]


def describe_validation_failure(message: str) -> str:
    """A failed synth's error plus the violations listed in the report file it names."""
    match = re.search(r"found in: (\S+\.json)", message)
    if match is None or not Path(match.group(1)).is_file():
        return message
    report = json.loads(Path(match.group(1)).read_text("utf-8"))
    return "\n".join([message, *report_violations(report)])


def main() -> int:
    # CDK's built-in CloudFormation-schema validation takes ~20 s here and only warns;
    # `make cfn-lint` checks the same template more strictly. CDK_VALIDATION=true restores it.
    os.environ.setdefault("CDK_VALIDATION", "false")
    # The CDK CLI passes its output directory in CDK_OUTDIR; run directly, use infra/cdk.out.
    outdir = None if os.environ.get("CDK_OUTDIR") else str(DEFAULT_OUTDIR)
    app, stack = build_app(outdir=outdir)
    try:
        assembly = app.synth()
    except RuntimeError as exc:  # an unacknowledged cdk-nag finding fails the synthesis
        print(describe_validation_failure(str(exc)), file=sys.stderr)
        return 1
    for message in assembly.get_stack_artifact(stack.artifact_id).messages:
        level = str(message.level).rsplit(".", 1)[-1].lower()
        print(f"[{level}] {message.id}: {message.entry.data}", file=sys.stderr)
    print(f"synthesized {stack.stack_name} to {assembly.directory}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
