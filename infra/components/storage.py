"""S3 buckets of the lake: raw (source of truth), curated (+ quarantine), Athena results,
and the server-access-log target.

Creates CloudFormation resources only; reads nothing at synth time. Every bucket blocks
public access, encrypts at rest (SSE-S3), refuses plain HTTP and TLS < 1.2, and logs access
to the access-logs bucket (the access-logs bucket itself excepted).

Retention (docs/privacy.md): raw and quarantine objects expire only when the owner sets
`raw_expiry_days` / `quarantine_expiry_days`; each such rule also expires the objects'
older versions (`raw_noncurrent_expiry_days` after they stop being current), so that an
expired update does not survive as a version.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import (
    ATHENA_RESULTS_PREFIX,
    CURATED_PREFIX,
    FIREHOSE_ERROR_PREFIX,
    QUARANTINE_PREFIX,
    RAW_PREFIX,
    LakeConfig,
)

ACCESS_LOG_EXPIRY_DAYS = 365
INCOMPLETE_UPLOAD_DAYS = 7
# S3 bills IA / Glacier IR objects as at least 128 KiB and charges per transition, so moving
# one-update-per-object files (~1-5 KiB) would cost more than it saves. Only batches
# (Firehose gz files, history imports) move.
MIN_TRANSITION_OBJECT_BYTES = 128 * 1024

_STORAGE_CLASSES = {
    "STANDARD_IA": s3.StorageClass.INFREQUENT_ACCESS,
    "INTELLIGENT_TIERING": s3.StorageClass.INTELLIGENT_TIERING,
    "GLACIER_IR": s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
}


def s3_uri(bucket: s3.IBucket, prefix: str) -> str:
    """`s3://{bucket}/{prefix}` (the bucket name is a CloudFormation token until deploy)."""
    return f"s3://{bucket.bucket_name}/{prefix}"


class LakeStorage(Construct):
    """The four buckets and the URIs the Lambda, Glue job and catalog use."""

    def __init__(self, scope: Construct, construct_id: str, *, config: LakeConfig) -> None:
        super().__init__(scope, construct_id)
        keep = config.retain_data
        data_removal = RemovalPolicy.RETAIN if keep else RemovalPolicy.DESTROY

        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-access-logs",
                    expiration=Duration.days(ACCESS_LOG_EXPIRY_DAYS),
                    abort_incomplete_multipart_upload_after=Duration.days(INCOMPLETE_UPLOAD_DAYS),
                )
            ],
            # S3 server access logging requires SSE-S3 on the target bucket.
            removal_policy=data_removal,
            auto_delete_objects=not keep,
            **_secure_defaults(),
        )

        self.raw = s3.Bucket(
            self,
            "Raw",
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="raw-to-cheaper-class",
                    transitions=[
                        s3.Transition(
                            storage_class=_STORAGE_CLASSES[config.raw_transition_storage_class],
                            transition_after=Duration.days(config.raw_transition_days),
                        )
                    ],
                    object_size_greater_than=MIN_TRANSITION_OBJECT_BYTES,
                ),
                s3.LifecycleRule(
                    # A re-delivered update overwrites its key: the old version is a copy.
                    id="expire-overwritten-versions",
                    noncurrent_version_expiration=Duration.days(config.raw_noncurrent_expiry_days),
                    abort_incomplete_multipart_upload_after=Duration.days(INCOMPLETE_UPLOAD_DAYS),
                ),
                *raw_retention_rules(config),
            ],
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="raw/",
            removal_policy=data_removal,
            auto_delete_objects=not keep,
            **_secure_defaults(),
        )

        # CloudFormation types ObjectSizeGreaterThan as a string; CDK renders a number.
        raw_resource = self.raw.node.default_child
        assert isinstance(raw_resource, s3.CfnBucket)
        raw_resource.add_property_override(
            "LifecycleConfiguration.Rules.0.ObjectSizeGreaterThan",
            str(MIN_TRANSITION_OBJECT_BYTES),
        )

        self.curated = s3.Bucket(
            self,
            "Curated",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="abort-incomplete-uploads",
                    abort_incomplete_multipart_upload_after=Duration.days(INCOMPLETE_UPLOAD_DAYS),
                ),
                *quarantine_retention_rules(config),
            ],
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="curated/",
            removal_policy=data_removal,
            auto_delete_objects=not keep,
            **_secure_defaults(),
        )

        # Query results are disposable: always deleted with the stack.
        self.athena_results = s3.Bucket(
            self,
            "AthenaResults",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-query-results",
                    expiration=Duration.days(config.athena_results_expiry_days),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                )
            ],
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="athena-results/",
            removal_policy=RemovalPolicy.DESTROY,
            auto_delete_objects=True,
            **_secure_defaults(),
        )

        self.raw_uri = s3_uri(self.raw, RAW_PREFIX)
        self.curated_uri = s3_uri(self.curated, CURATED_PREFIX)
        self.quarantine_uri = s3_uri(self.curated, QUARANTINE_PREFIX)
        self.athena_results_uri = s3_uri(self.athena_results, f"{ATHENA_RESULTS_PREFIX}/")


def _expire_prefix(prefix: str, days: int, noncurrent_days: int) -> s3.LifecycleRule:
    """Objects under `prefix/` expire after `days`; their older versions after `noncurrent_days`
    of being noncurrent (in a versioned bucket an expiry only adds a delete marker)."""
    return s3.LifecycleRule(
        id=f"expire-{prefix}",
        prefix=f"{prefix}/",
        expiration=Duration.days(days),
        noncurrent_version_expiration=Duration.days(noncurrent_days),
    )


def raw_retention_rules(config: LakeConfig) -> list[s3.LifecycleRule]:
    """The raw bucket's retention: none unless `raw_expiry_days` is set.

    Both prefixes hold raw updates: `raw/` and the records Firehose could not deliver.
    Once an expired object's last version is gone its delete marker is removed too.
    """
    if config.raw_expiry_days is None:
        return []
    return [
        *(
            _expire_prefix(prefix, config.raw_expiry_days, config.raw_noncurrent_expiry_days)
            for prefix in (RAW_PREFIX, FIREHOSE_ERROR_PREFIX)
        ),
        s3.LifecycleRule(id="remove-expired-delete-markers", expired_object_delete_marker=True),
    ]


def quarantine_retention_rules(config: LakeConfig) -> list[s3.LifecycleRule]:
    """The quarantine prefix's retention: none unless `quarantine_expiry_days` is set.

    The curated bucket is not versioned; the noncurrent clause keeps the promise should
    versioning ever be turned on.
    """
    if config.quarantine_expiry_days is None:
        return []
    return [
        _expire_prefix(
            QUARANTINE_PREFIX, config.quarantine_expiry_days, config.raw_noncurrent_expiry_days
        )
    ]


def _secure_defaults() -> dict[str, Any]:
    return {
        "encryption": s3.BucketEncryption.S3_MANAGED,
        "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
        "enforce_ssl": True,
        "minimum_tls_version": 1.2,
        "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    }
