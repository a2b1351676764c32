"""Alarms and notifications: one SNS topic for everything that needs a human.

Creates CloudFormation resources only:
- the topic, encrypted with its own KMS key (whose policy lets CloudWatch and EventBridge
  use it); its policy lets CloudWatch alarms of this account and the one Glue rule publish,
  each named by `aws:SourceArn`;
- Lambda `Errors` and `Throttles` (the function crashed or was refused capacity),
- failed requests: the handler answered 5xx because the raw sink failed or it hit a bug
  (Telegram retries; a handled 503 is not a Lambda error),
- rejected requests (401/4xx) over `rejected_alarm_threshold` in REJECTED_ALARM_MINUTES,
- no update stored for `stale_alarm_hours`,
- every Glue run that ends FAILED, TIMEOUT, STOPPED or ERROR (EventBridge "Glue Job State
  Change" rule; nothing to poll, and it fires within seconds of the run ending),
- a scheduled start that failed (a message in the schedule's dead-letter queue),
- a scheduled run that could not take every missed day (the job's catch-up marker line,
  `lake.metrics.CATCH_UP_BOUND_EXCEEDED`, counted by a metric filter on its log groups).

The webhook alarms watch the handler's own EMF metrics (see ingest_lambda.handler): each
request publishes its outcome metric also without dimensions, the total an alarm needs.
Namespace and metric names come from `lake.metrics`, shared with the handler.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import jsii
from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk.interfaces import aws_events as events_refs
from constructs import Construct

from infra.config import REJECTED_ALARM_MINUTES, LakeConfig
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


@jsii.implements(events.IRuleTarget)
class TopicTarget:
    """An EventBridge rule -> SNS topic target whose publish grant names its one rule.

    CDK's `SnsTopic` target grants `events.amazonaws.com` sns:Publish on the topic with no
    condition: any rule, in any account, could then publish to it. Here the grant carries
    `aws:SourceArn` = the rule's ARN.
    """

    def __init__(self, topic: sns.ITopic, message: events.RuleTargetInput) -> None:
        self._topic = topic
        self._message = message

    def bind(self, rule: events_refs.IRuleRef, id: str | None = None) -> events.RuleTargetConfig:
        self._topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="GlueFailureRulePublishes",
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self._topic.topic_arn],
                conditions={"ArnEquals": {"aws:SourceArn": rule.rule_ref.rule_arn}},
            )
        )
        return events.RuleTargetConfig(arn=self._topic.topic_arn, input=self._message)


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
        dead_letter_queue: sqs.IQueue,
        glue_log_groups: Sequence[logs.ILogGroup],
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)

        self.key = kms.Key(
            self,
            "AlarmsKey",
            description=f"{config.project_name}: encrypts the alarm topic",
            enable_key_rotation=True,
            pending_window=Duration.days(7),
            removal_policy=RemovalPolicy.DESTROY,
        )
        # The publishers of an encrypted topic need the key: CloudWatch (alarms) and
        # EventBridge (the Glue rule). Who may publish at all is the topic policy's job.
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AlarmPublishersUseTheKey",
                principals=[
                    iam.ServicePrincipal("cloudwatch.amazonaws.com"),
                    iam.ServicePrincipal("events.amazonaws.com"),
                ],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
            )
        )
        self.topic = sns.Topic(
            self,
            "Alarms",
            display_name=f"{config.project_name} alarms",
            enforce_ssl=True,
            master_key=self.key,
        )
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AlarmsOfThisAccountPublish",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions={
                    "ArnLike": {
                        "aws:SourceArn": stack.format_arn(
                            service="cloudwatch",
                            resource="alarm",
                            resource_name="*",
                            arn_format=ArnFormat.COLON_RESOURCE_NAME,
                        )
                    },
                    "StringEquals": {"aws:SourceAccount": stack.account},
                },
            )
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
        if config.rejected_alarm_threshold:
            add_alarm(
                "RejectedRequests",
                webhook_total(
                    metrics.REJECTED, Duration.minutes(REJECTED_ALARM_MINUTES)
                ).create_alarm(
                    self,
                    "RejectedRequestsAlarm",
                    alarm_description=(
                        f"The webhook rejected {config.rejected_alarm_threshold} or more "
                        f"requests (401/4xx) in {REJECTED_ALARM_MINUTES} minutes: a rotated "
                        "secret without `make set-webhook-deployed` (every delivery is a 401), "
                        "or someone probing the URL. Read the log's `reason` field."
                    ),
                    threshold=config.rejected_alarm_threshold,
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
            TopicTarget(
                self.topic,
                events.RuleTargetInput.from_text(
                    f"Glue job {events.EventField.from_path('$.detail.jobName')} run "
                    f"{events.EventField.from_path('$.detail.jobRunId')} ended "
                    f"{events.EventField.from_path('$.detail.state')}: "
                    f"{events.EventField.from_path('$.detail.message')}"
                ),
            )
        )

        add_alarm(
            "ScheduleFailedStarts",
            dead_letter_queue.metric_approximate_number_of_messages_visible(
                period=ALARM_PERIOD, statistic="Maximum"
            ).create_alarm(
                self,
                "ScheduleFailedStartsAlarm",
                alarm_description=(
                    "The daily schedule could not start the Glue job (its start is in the "
                    "dead-letter queue; a failed start emits no Glue state change). The next "
                    "scheduled run catches up; read the message, then purge the queue."
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        )

        # The job says it left days behind in one log line; count it in either log group
        # (stdout/stderr go to "output", log4j/GlueLogger lines to "error").
        for log_group in glue_log_groups:
            logs.MetricFilter(
                self,
                f"CatchUpBound{log_group.node.id}",
                log_group=log_group,
                metric_namespace=metrics.NAMESPACE,
                metric_name=metrics.CATCH_UP_BOUND_EXCEEDED_METRIC,
                filter_pattern=logs.FilterPattern.literal(f'"{metrics.CATCH_UP_BOUND_EXCEEDED}"'),
                metric_value="1",
            )
        add_alarm(
            "CatchUpBoundExceeded",
            cloudwatch.Metric(
                namespace=metrics.NAMESPACE,
                metric_name=metrics.CATCH_UP_BOUND_EXCEEDED_METRIC,
                period=ALARM_PERIOD,
                statistic="Sum",
            ).create_alarm(
                self,
                "CatchUpBoundExceededAlarm",
                alarm_description=(
                    f"A scheduled Glue run could not take every missed arrival day (more than "
                    f"max_catch_up_days = {config.max_catch_up_days}). The days it left are in "
                    "its log line; backfill them with start-job --start-date/--end-date."
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        )
