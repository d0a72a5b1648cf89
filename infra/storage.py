"""Encryption key and buckets: every bucket KMS-encrypted, versioned, private, TLS-only, logged."""

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

# Per-execution work areas live under this prefix of the work bucket (docs/architecture.md).
WORK_PREFIX = "work/"


class Storage(Construct):
    """``data``: documents in and masked results out; ``work``: per-execution intermediates;
    ``trail``: CloudTrail; ``access_logs``: server access logs of the other three."""

    def __init__(self, scope: Construct, construct_id: str, *, work_expiry_days: int):
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.key = kms.Key(self, "Key", enable_key_rotation=True, alias=f"alias/{stack.stack_name}",
                           description="Health Data Masking: buckets, logs, trail, queues")
        # CloudWatch Logs encrypts the log groups with this key.
        self.key.add_to_resource_policy(iam.PolicyStatement(
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources=["*"],
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                    f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:*"}},
        ))
        # S3 server access logs cannot be delivered to a KMS-encrypted bucket: SSE-S3 here only.
        self.access_logs = s3.Bucket(
            self, "AccessLogs", encryption=s3.BucketEncryption.S3_MANAGED, enforce_ssl=True, versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL, object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        # An interrupted multipart upload (a bulk text result, assembled in parts) is not left to bill.
        self.data = self._bucket("Data", "data/", lifecycle_rules=[s3.LifecycleRule(
            id="AbortIncompleteUploads", abort_incomplete_multipart_upload_after=cdk.Duration.days(1))])
        self.work = self._bucket("Work", "work/", lifecycle_rules=[s3.LifecycleRule(
            id="ExpireWorkAreas", prefix=WORK_PREFIX, expiration=cdk.Duration.days(work_expiry_days),
            noncurrent_version_expiration=cdk.Duration.days(1),
            abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
        )])
        self.trail = self._bucket("Trail", "trail/")

    def _bucket(self, construct_id: str, log_prefix: str, **extra) -> s3.Bucket:
        return s3.Bucket(
            self, construct_id, encryption=s3.BucketEncryption.KMS, encryption_key=self.key, bucket_key_enabled=True,
            enforce_ssl=True, versioned=True, block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED, server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix=log_prefix, removal_policy=cdk.RemovalPolicy.RETAIN, **extra,
        )
