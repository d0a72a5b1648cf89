"""The whole deployment in one stack: storage, step functions, workflows, API, trail, schedule."""

import re

import aws_cdk as cdk
from constructs import Construct

from infra.api import MaskingApi
from infra.audit import BatchSchedule, Trail
from infra.functions import StepFunctions
from infra.settings import Settings
from infra.storage import Storage
from infra.workflows import Workflows
from workflow_catalogue import naming


class HealthDataMaskingStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        self.settings = settings
        self.storage = Storage(self, "Storage", work_expiry_days=settings.work_expiry_days)
        self.steps = StepFunctions(self, "Steps", settings=settings, storage=self.storage)
        self.workflows = Workflows(self, "Workflows", functions=self.steps.functions, storage=self.storage)
        self.api = MaskingApi(self, "Api", settings=settings, storage=self.storage,
                              standard=self.workflows.standard, express=self.workflows.express)
        self.trail = Trail(self, "Audit", storage=self.storage)
        self.schedule = None
        if "batch" in self.workflows.standard:
            self.schedule = BatchSchedule(self, "Batch", settings=settings, storage=self.storage,
                                          machine=self.workflows.standard["batch"])
        self._outputs()

    def _outputs(self) -> None:
        """The original's outputs (API id, resource ids, bucket) plus what a caller needs next."""
        api = self.api.api
        cdk.CfnOutput(self, "ApiId", value=api.rest_api_id)
        cdk.CfnOutput(self, "ApiUrl", value=api.url)
        cdk.CfnOutput(self, "RootResourceId", value=api.rest_api_root_resource_id)
        for path, resource_id in self.api.resource_ids.items():
            name = "".join(part.title() for part in re.split(r"[^A-Za-z0-9]+", path) if part)
            cdk.CfnOutput(self, f"{name}ResourceId", value=resource_id, description=f"/{path}")
        cdk.CfnOutput(self, "DataBucket", value=self.storage.data.bucket_name)
        cdk.CfnOutput(self, "WorkBucket", value=self.storage.work.bucket_name)
        cdk.CfnOutput(self, "PseudonymKeySecretArn", value=self.storage.pseudonym_key.secret_arn,
                      description="the pseudonym key: back it up; a new key gives new pseudonyms and UIDs")
        for kind, machines in (("", self.workflows.standard), ("Express", self.workflows.express)):
            for workflow, machine in machines.items():
                cdk.CfnOutput(self, f"{naming.camel(workflow)}{kind}StateMachineArn", value=machine.state_machine_arn)
