"""CloudTrail to the encrypted trail bucket (with object-level events on the data bucket),
and the batch schedule (EventBridge Scheduler), disabled unless asked for."""

import aws_cdk as cdk
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.settings import Settings
from infra.storage import Storage


class Trail(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, storage: Storage):
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        storage.key.add_to_resource_policy(iam.PolicyStatement(
            principals=[iam.ServicePrincipal("cloudtrail.amazonaws.com")],
            actions=["kms:GenerateDataKey*", "kms:DescribeKey"], resources=["*"],
            conditions={"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
                                       f"arn:{stack.partition}:cloudtrail:*:{stack.account}:trail/*"}}))
        log_group = logs.LogGroup(self, "Logs", encryption_key=storage.key, retention=logs.RetentionDays.ONE_YEAR,
                                  removal_policy=cdk.RemovalPolicy.RETAIN)
        self.trail = cloudtrail.Trail(
            self, "Trail", bucket=storage.trail, encryption_key=storage.key, enable_file_validation=True,
            send_to_cloud_watch_logs=True, cloud_watch_log_group=log_group, is_multi_region_trail=True,
            include_global_service_events=True)
        # Who read or wrote which document: object-level events on the data bucket.
        self.trail.add_s3_event_selector([cloudtrail.S3EventSelector(bucket=storage.data)],
                                         include_management_events=True)


class BatchSchedule(Construct):
    """Starts the batch workflow on a schedule: masks what landed under incoming/ into masked/."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, storage: Storage,
                 machine: sfn.IStateMachine):
        super().__init__(scope, construct_id)
        # Failed deliveries (after retries) land here instead of vanishing.
        self.dead_letters = dead_letters = sqs.Queue(self, "DeadLetters", encryption=sqs.QueueEncryption.KMS,
                                 encryption_master_key=storage.key, enforce_ssl=True,
                                 retention_period=cdk.Duration.days(14))
        execution_id = scheduler.ContextAttribute.execution_id
        work = f"s3://{storage.work.bucket_name}/work/{execution_id}/"
        self.schedule = scheduler.Schedule(
            self, "Schedule", description="Health Data Masking batch run (disabled by default)",
            schedule=scheduler.ScheduleExpression.expression(settings.batch_schedule),
            enabled=settings.batch_schedule_enabled,
            target=targets.StepFunctionsStartExecution(
                machine, dead_letter_queue=dead_letters, retry_attempts=3,
                input=scheduler.ScheduleTargetInput.from_object({
                    "source": f"s3://{storage.data.bucket_name}/incoming/",
                    "destination": f"s3://{storage.data.bucket_name}/masked/",
                    "workPrefix": work,
                    # The deployment's engines, as the API sets them (steps/options.py defaults to builtin).
                    "options": {"engine": settings.phi_engine, "ocrEngine": settings.ocr_engine},
                })))
