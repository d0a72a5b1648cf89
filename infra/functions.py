"""One Lambda function per step (statemachine/functions.json), each with a role of its own."""

import functools
import json
import shutil
from collections import defaultdict
from pathlib import Path

import aws_cdk as cdk
import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.grants import Access, access_for
from infra.settings import Settings
from infra.storage import Storage
from steps.operators import date_shift
from workflow_catalogue import naming

ROOT = naming.ROOT
RUNTIME = lambda_.Runtime.PYTHON_3_13
# A function's timeout is this much shorter than the shortest TimeoutSeconds of the states that run
# it, so a slow call ends as a Lambda error the Retry sees rather than as a States.Timeout.
TIMEOUT_MARGIN_SECONDS = 20
LAMBDA_MAX_TIMEOUT_SECONDS = 900
# Where steps/pseudonym_key.py looks for the deployment's secret.
SECRET_ARN_VARIABLE = "HDM_PSEUDONYM_KEY_SECRET_ARN"
# The container build context is the repository, narrowed to what the image needs.
IMAGE_CONTEXT = ["*", "!requirements/steps.txt", "!steps", "!infra/lambda.Dockerfile",
                 "**/__pycache__"]


@jsii.implements(cdk.ILocalBundling)
class CopySources:
    """Bundles Python sources as they are: the zip functions need only the runtime's boto3.

    ``packages`` are copied as packages; the files of ``contents_of`` go to the top.
    """

    def __init__(self, *packages: Path, contents_of: Path | None = None):
        self.packages, self.contents_of = packages, contents_of

    def try_bundle(self, output_dir: str, *, image=None, **_options) -> bool:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        if self.contents_of is not None:
            shutil.copytree(self.contents_of, output_dir, ignore=ignore, dirs_exist_ok=True)
        for package in self.packages:
            shutil.copytree(package, Path(output_dir) / package.name, ignore=ignore, dirs_exist_ok=True)
        return True


def source_code(*packages: Path, contents_of: Path | None = None) -> lambda_.Code:
    """A zip asset of these sources, hashed on what is bundled (a package change redeploys)."""
    return lambda_.Code.from_asset(
        str(contents_of or packages[0]), asset_hash_type=cdk.AssetHashType.OUTPUT,
        bundling=cdk.BundlingOptions(image=RUNTIME.bundling_image,
                                     local=CopySources(*packages, contents_of=contents_of)))


@functools.cache
def _task_timeouts() -> dict[str, list[int]]:
    """Task Resource -> the TimeoutSeconds of every Task state that runs it, over all workflows
    (read once per synth rather than once per function)."""
    limits = defaultdict(list)
    for workflow in naming.workflow_names():
        for _name, state in naming.all_states(json.loads(naming.definition_text(workflow))["States"]):
            if state.get("Type") == "Task" and "TimeoutSeconds" in state:
                limits[state.get("Resource")].append(state["TimeoutSeconds"])
    return dict(limits)


def timeout_for(placeholder: str) -> cdk.Duration:
    """The function's timeout, derived from the TimeoutSeconds of every Task state that runs it."""
    limits = _task_timeouts().get(f"${{{placeholder}}}", [])
    if not limits:
        raise ValueError(f"no Task state with TimeoutSeconds runs ${{{placeholder}}}: its Lambda timeout would be "
                         "unbounded by the workflow; give its states a TimeoutSeconds")
    seconds = min(limits) - TIMEOUT_MARGIN_SECONDS
    if not 0 < seconds <= LAMBDA_MAX_TIMEOUT_SECONDS:
        raise ValueError(f"${{{placeholder}}}: a state TimeoutSeconds of {min(limits)} gives a Lambda timeout of "
                         f"{seconds} s, outside 1..{LAMBDA_MAX_TIMEOUT_SECONDS} s")
    return cdk.Duration.seconds(seconds)


class StepFunctions(Construct):
    """``functions``: placeholder -> function; ``roles``: placeholder -> its role."""

    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, storage: Storage):
        super().__init__(scope, construct_id)
        self.functions: dict[str, lambda_.Function] = {}
        self.roles: dict[str, iam.Role] = {}
        self._zip_code = None
        for placeholder, handler in naming.function_table().items():
            access = access_for(placeholder)
            name = naming.function_name(placeholder).removesuffix("Function")
            role = iam.Role(self, f"{name}Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                            description=f"Only what the {name} step uses")
            log_group = logs.LogGroup(self, f"{name}Logs", encryption_key=storage.key,
                                      retention=logs.RetentionDays.ONE_YEAR,
                                      removal_policy=cdk.RemovalPolicy.RETAIN)
            environment = {SECRET_ARN_VARIABLE: storage.pseudonym_key.secret_arn,
                           date_shift.RANGE_VARIABLE: settings.date_shift_days} if access.pseudonym_key else None
            common = dict(role=role, log_group=log_group, timeout=timeout_for(placeholder),
                          memory_size=access.memory_mb, ephemeral_storage_size=cdk.Size.mebibytes(access.ephemeral_mb),
                          environment=environment,
                          tracing=lambda_.Tracing.ACTIVE,
                          reserved_concurrent_executions=settings.function_concurrency,
                          description=f"Health Data Masking step {name} ({handler})")
            if settings.engines == "builtin" or access.needs_packages:
                function = lambda_.DockerImageFunction(self, name, code=self._image_code(handler), **common)
            else:
                function = lambda_.Function(self, name, runtime=RUNTIME, handler=handler,
                                            code=self._zip(), **common)
            cdk.Tags.of(function).add("hdm:placeholder", placeholder)
            self._grant(role, log_group, access, settings, storage)
            self.functions[placeholder] = function
            self.roles[placeholder] = role

    def _zip(self) -> lambda_.Code:
        if self._zip_code is None:
            self._zip_code = source_code(ROOT / "steps")
        return self._zip_code

    @staticmethod
    def _image_code(handler: str) -> lambda_.DockerImageCode:
        # One image for every step; the handler is chosen by CMD. Built by `cdk deploy` (needs docker).
        return lambda_.DockerImageCode.from_image_asset(
            str(ROOT), file="infra/lambda.Dockerfile", cmd=[handler], exclude=IMAGE_CONTEXT,
            ignore_mode=cdk.IgnoreMode.DOCKER)

    @staticmethod
    def _grant(role: iam.Role, log_group: logs.LogGroup, access: Access, settings: Settings,
               storage: Storage) -> None:
        buckets = {"data": storage.data, "work": storage.work}
        statements = [iam.PolicyStatement(actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                          resources=[log_group.log_group_arn])]
        for action, names in (("s3:GetObject", access.reads), ("s3:PutObject", access.writes),
                              ("s3:DeleteObject", access.deletes)):
            if names:
                statements.append(iam.PolicyStatement(
                    actions=[action], resources=[buckets[b].arn_for_objects("*") for b in names]))
        if access.lists:
            statements.append(iam.PolicyStatement(actions=["s3:ListBucket"],
                                                  resources=[buckets[b].bucket_arn for b in access.lists]))
        # The buckets and the pseudonym key's secret are encrypted with the one key of the stack.
        kms_actions = (["kms:Decrypt"] if access.reads or access.writes or access.pseudonym_key else []) + (
            ["kms:GenerateDataKey"] if access.writes else [])
        if kms_actions:
            statements.append(iam.PolicyStatement(actions=kms_actions, resources=[storage.key.key_arn]))
        if access.pseudonym_key:
            statements.append(iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"],
                                                  resources=[storage.pseudonym_key.secret_arn]))
        if settings.engines == "managed" and access.managed_actions:
            # DetectPHI and DetectText have no resource-level permissions: "*" is the only resource.
            statements.append(iam.PolicyStatement(actions=list(access.managed_actions), resources=["*"]))
        for statement in statements:
            role.add_to_principal_policy(statement)
