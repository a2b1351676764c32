"""cdk-nag (AwsSolutions pack) acknowledgements, each on the narrowest construct, with why.

Reads the built stack; writes acknowledgements (CDK `Validations.of(...).acknowledge`) that
cdk-nag's policy-validation plugin honours at synth time. A new finding is never silenced by
these: IAM5 acknowledgements name the exact wildcard resource they accept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Acknowledgment, CfnResource, Stack, Validations
from aws_cdk import aws_s3 as s3
from constructs import IConstruct

from infra.components.processing import GLUE_LOG_GROUP_PREFIX
from infra.config import (
    ATHENA_RESULTS_PREFIX,
    CURATED_PREFIX,
    FIREHOSE_ERROR_PREFIX,
    QUARANTINE_PREFIX,
    RAW_PREFIX,
)

if TYPE_CHECKING:
    from infra.stack import TelegramLakeStack

PACK = "AwsSolutions"

RUNTIME_REASON = (
    "Pinned to python3.13 (supported by Lambda until 2029): the handlers are stdlib + boto3 "
    "code tested on CPython 3.11-3.13; moving to the newest runtime is a deliberate, tested "
    "change, not an automatic one."
)


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    Validations.of(scope).acknowledge(Acknowledgment(id=f"{PACK}-{rule}", reason=reason))


def wildcard(stack: Stack, bucket: s3.IBucket, prefix: str) -> str:
    """The IAM5 finding id for `arn:...:bucket/prefix/*` as cdk-nag renders it."""
    resource = bucket.node.default_child
    assert isinstance(resource, CfnResource)
    logical_id = stack.resolve(stack.get_logical_id(resource))
    return f"IAM5[Resource::<{logical_id}.Arn>/{prefix}/*]"


def add_suppressions(stack: TelegramLakeStack) -> None:
    storage = stack.storage
    ingest = stack.ingest
    processing = stack.processing
    catalog = stack.catalog

    acknowledge(
        ingest.secret,
        "SMG4",
        "The secret is Telegram's webhook secret_token: rotating it means calling setWebhook "
        "with the new value at the same moment, which a rotation Lambda cannot do safely. "
        "Rotate with `make set-webhook` after changing the secret (see README).",
    )
    acknowledge(
        stack.processing.privacy_key,
        "SMG4",
        "The privacy key keys every pseudonym in the curated zone and the register of "
        "forgotten people: a rotated key would change every pseudonym (people would appear "
        "twice) and un-forget the forgotten. It is never rotated (docs/privacy.md).",
    )
    acknowledge(ingest.function, "L1", RUNTIME_REASON)
    acknowledge(catalog.views_function, "L1", RUNTIME_REASON)
    if stack.config.raw_sink == "s3":
        acknowledge(
            ingest.role,
            wildcard(stack, storage.raw, RAW_PREFIX),
            "s3:PutObject only, on the raw prefix: object keys are dt=<day>/<update_id>.json, "
            "unknown until the update arrives.",
        )
    if ingest.firehose_role is not None:
        acknowledge(
            ingest.firehose_role,
            wildcard(stack, storage.raw, RAW_PREFIX),
            "Firehose names its batch objects itself (stream-version-timestamp-uuid) under "
            "raw/dt=<arrival day>/.",
        )
        acknowledge(
            ingest.firehose_role,
            wildcard(stack, storage.raw, FIREHOSE_ERROR_PREFIX),
            "Firehose writes records it could not deliver under firehose-errors/, names "
            "chosen by Firehose.",
        )

    acknowledge(
        processing.role,
        wildcard(stack, storage.raw, RAW_PREFIX),
        "s3:GetObject only, on the raw prefix: the job reads whichever dt=<day>/ objects its "
        "window covers.",
    )
    for prefix in (CURATED_PREFIX, QUARANTINE_PREFIX):
        acknowledge(
            processing.role,
            wildcard(stack, storage.curated, prefix),
            f"The job owns the {prefix}/ prefix: it writes, replaces and deletes partition "
            "files (names chosen by Spark) below it, nothing outside it.",
        )
    acknowledge(
        processing.role,
        "IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:"
        f"{GLUE_LOG_GROUP_PREFIX}*]",
        "Glue's continuous logging writes to log groups and streams it names itself under "
        "/aws-glue/ (e.g. /aws-glue/jobs/logs-v2, one stream per run).",
    )
    acknowledge(
        processing.role,
        "IAM5[Resource::*]",
        "cloudwatch:PutMetricData has no resource-level permissions; the statement is limited "
        "to the Glue metric namespace by a cloudwatch:namespace condition.",
    )
    acknowledge(
        processing.dead_letter_queue,
        "SQS3",
        "This queue is itself the dead-letter queue of the daily schedule (EventBridge "
        "Scheduler's DeadLetterConfig, which cdk-nag cannot see); its depth raises an alarm.",
    )
    acknowledge(
        processing.job,
        "GL1",
        "CloudWatch Logs already encrypts every log group at rest with service keys; a "
        "security configuration with a customer KMS key would add a key ($1/month), key "
        "policy for the logs service and renamed log groups, for logs that hold run counters "
        "and Spark messages, not message content.",
    )
    acknowledge(
        processing.job,
        "GL3",
        "Job bookmarks are disabled (--job-bookmark-option job-bookmark-disable): the job "
        "chooses its own arrival-date window, so there is no bookmark data to encrypt.",
    )

    acknowledge(
        catalog.views_function.role or catalog.views_function,
        wildcard(stack, storage.athena_results, ATHENA_RESULTS_PREFIX),
        "Athena writes each DDL statement's result file under the workgroup's result prefix, "
        "named by query id.",
    )

    if stack.quicksight is not None:
        policy = stack.quicksight.service_role_policy
        acknowledge(
            policy,
            "IAM5[Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/"
            f"{stack.config.database_name}/*]",
            "QuickSight reads the stack's own database: its tables and views (read-only).",
        )
        acknowledge(
            policy,
            wildcard(stack, storage.curated, CURATED_PREFIX),
            "Athena queries on QuickSight's behalf read the curated Parquet files (read-only).",
        )
        acknowledge(
            policy,
            wildcard(stack, storage.athena_results, ATHENA_RESULTS_PREFIX),
            "Athena writes QuickSight's query results under the workgroup's result prefix.",
        )
