"""Names of the stack's CloudFormation outputs (shared by the stack and infra.post_deploy).

No imports of aws_cdk here: the post-deploy helper reads outputs with boto3 only.
"""

from __future__ import annotations

WEBHOOK_URL = "WebhookUrl"
WEBHOOK_SECRET_ARN = "WebhookSecretArn"
WEBHOOK_SECRET_NAME = "WebhookSecretName"
RAW_BUCKET = "RawBucketName"
CURATED_BUCKET = "CuratedBucketName"
ATHENA_RESULTS_BUCKET = "AthenaResultsBucketName"
ACCESS_LOGS_BUCKET = "AccessLogsBucketName"
RAW_URI = "RawUri"
CURATED_URI = "CuratedUri"
QUARANTINE_URI = "QuarantineUri"
GLUE_JOB = "GlueJobName"
ERASURE_JOB = "ErasureJobName"
ATHENA_WORKGROUP = "AthenaWorkGroup"
GLUE_DATABASE = "GlueDatabase"
ALARM_TOPIC = "AlarmTopicArn"
FIREHOSE_STREAM = "FirehoseStreamName"
VIEWS_TIMEZONE = "ViewsTimezone"
QUICKSIGHT_DATA_SOURCE = "QuickSightDataSourceId"
QUICKSIGHT_ANALYSIS = "QuickSightAnalysisId"
PRIVACY_KEY_SECRET_ARN = "PrivacyKeySecretArn"
