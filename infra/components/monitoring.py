"""Alarms and notifications: one SNS topic for everything that needs a human.

Creates CloudFormation resources only:
- Lambda `Errors` and `Throttles` (the function crashed or was refused capacity),
- failed requests: the handler answered 5xx because the raw sink failed or it hit a bug
  (Telegram retries; a handled 503 is not a Lambda error),
- no update stored for `stale_alarm_hours`,
- every Glue run that ends FAILED, TIMEOUT, STOPPED or ERROR (EventBridge "Glue Job State
  Change" rule; nothing to poll, and it fires within seconds of the run ending).

The webhook alarms watch the handler's own EMF metrics (see ingest_lambda.handler): each
request publishes its outcome metric also without dimensions, the total an alarm needs.
Namespace and metric names come from `lake.metrics`, shared with the handler.
"""

from __future__ import annotations

import math

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.config import LakeConfig
from lake import metrics

GLUE_FAILED_STATES = ["FAILED", "TIMEOUT", "STOPPED", "ERROR"]
ALARM_PERIOD = Duration.minutes(5)


def stale_alarm_shape(hours: int) -> tuple[int, int]:
    """(period in hours, number of periods) covering `hours`.

    1-hour periods up to a day (a sliding window, hour by hour); beyond that 6-hour periods,
    so periods x count stays within CloudWatch's 7-day evaluation limit.
    """
    if hours <= 24:
        return 1, hours
    return 6, math.ceil(hours / 6)


def webhook_total(metric_name: str, period: Duration) -> cloudwatch.Metric:
    """Sum of one of the handler's outcome metrics over all update types (no dimensions)."""
    return cloudwatch.Metric(
        namespace=metrics.NAMESPACE,
        metric_name=metric_name,
        period=period,
        statistic="Sum",
    )


class Monitoring(Construct):
    """SNS topic (+ optional e-mail), CloudWatch alarms, Glue failure rule."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: LakeConfig,
        function: lambda_.IFunction,
        glue_job_name: str,
    ) -> None:
        super().__init__(scope, construct_id)

        self.topic = sns.Topic(
            self,
            "Alarms",
            display_name=f"{config.project_name} alarms",
            enforce_ssl=True,
        )
        if config.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        action = cw_actions.SnsAction(self.topic)

        self.alarms: dict[str, cloudwatch.Alarm] = {}

        def add_alarm(name: str, alarm: cloudwatch.Alarm) -> None:
            alarm.add_alarm_action(action)
            self.alarms[name] = alarm

        add_alarm(
            "LambdaErrors",
            function.metric_errors(period=ALARM_PERIOD, statistic="Sum").create_alarm(
                self,
                "LambdaErrors",
                alarm_description="The webhook Lambda raised (crash, timeout, bad config).",
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        )
        add_alarm(
            "LambdaThrottles",
            function.metric_throttles(period=ALARM_PERIOD, statistic="Sum").create_alarm(
                self,
                "LambdaThrottles",
                alarm_description=(
                    "Webhook invocations were throttled (concurrency limit); Telegram retries, "
                    "but a steady rate means the limit is too low."
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        )

        add_alarm(
            "StorageFailures",
            webhook_total(metrics.FAILED, ALARM_PERIOD).create_alarm(
                self,
                "StorageFailuresAlarm",
                alarm_description=(
                    "The webhook answered 5xx: the raw sink (S3/Firehose) failed or the "
                    "handler hit a bug. Telegram retries for a while; look at the log."
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        )
        if config.stale_alarm_hours:
            period_hours, periods = stale_alarm_shape(config.stale_alarm_hours)
            add_alarm(
                "NoUpdates",
                webhook_total(metrics.STORED, Duration.hours(period_hours)).create_alarm(
                    self,
                    "NoUpdatesAlarm",
                    alarm_description=(
                        f"No Telegram update stored for {config.stale_alarm_hours} h: webhook "
                        "unset or broken (check `webhook-info`), or the group is just quiet."
                    ),
                    threshold=1,
                    evaluation_periods=periods,
                    datapoints_to_alarm=periods,
                    comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                    # The handler publishes Stored only when it stores: no data point at
                    # all (nothing stored, or no request reached the function) is the alarm.
                    treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
                ),
            )

        self.glue_rule = events.Rule(
            self,
            "GlueRunFailed",
            description=f"Glue job {glue_job_name} ended FAILED/TIMEOUT/STOPPED/ERROR",
            event_pattern=events.EventPattern(
                source=["aws.glue"],
                detail_type=["Glue Job State Change"],
                detail={"jobName": [glue_job_name], "state": GLUE_FAILED_STATES},
            ),
        )
        self.glue_rule.add_target(
            targets.SnsTopic(
                self.topic,
                message=events.RuleTargetInput.from_text(
                    f"Glue job {events.EventField.from_path('$.detail.jobName')} run "
                    f"{events.EventField.from_path('$.detail.jobRunId')} ended "
                    f"{events.EventField.from_path('$.detail.state')}: "
                    f"{events.EventField.from_path('$.detail.message')}"
                ),
            )
        )
