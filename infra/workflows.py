"""State machines from statemachine/*.asl.json, as deployed: the files with their placeholders substituted.

Every workflow gets a STANDARD machine (asynchronous jobs, batches, 90 days of history);
the ones behind synchronous API routes also get an EXPRESS machine (StartSyncExecution).
"""

import json

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.storage import WORK_PREFIX, Storage
from workflow_catalogue import naming

SYNC_WORKFLOWS = ("mask_text", "mask_image")


def placeholders(workflow: str) -> list[str]:
    return naming.placeholders(naming.definition_text(workflow))


def _arn(stack: cdk.Stack, resource: str, resource_name: str) -> str:
    return stack.format_arn(service="states", resource=resource, resource_name=resource_name,
                            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME)


def machine_name(stack: cdk.Stack, construct_id: str) -> str:
    """Fixed names: a distributed Map's role must name its own machine's executions without a cycle."""
    return f"{stack.stack_name}-{construct_id}"


class Workflows(Construct):
    """``standard`` and ``express``: workflow name -> state machine."""

    def __init__(self, scope: Construct, construct_id: str, *, functions: dict[str, lambda_.IFunction],
                 storage: Storage):
        super().__init__(scope, construct_id)
        self._functions = functions
        self._storage = storage
        self.standard: dict[str, sfn.StateMachine] = {}
        self.express: dict[str, sfn.StateMachine] = {}
        # Per machine (construct path): the wildcard resources its role was granted, for infra/nag.py.
        self.execution_patterns: dict[str, list[str]] = {}
        self.writes_results: set[str] = set()
        for workflow in naming.workflow_names():
            self._standard(workflow, visiting=())
        for workflow in SYNC_WORKFLOWS:
            if workflow in self.standard:
                self.express[workflow] = self._machine(workflow, sfn.StateMachineType.EXPRESS)

    def _standard(self, workflow: str, visiting: tuple[str, ...]) -> sfn.StateMachine:
        """Create a workflow after the workflows it starts (their ARNs are substituted into it)."""
        if workflow in self.standard:
            return self.standard[workflow]
        if workflow in visiting:
            raise ValueError(f"workflows start each other in a cycle: {' -> '.join(visiting + (workflow,))}")
        for name in placeholders(workflow):
            child = naming.workflow_of_placeholder(name)
            if child is not None:
                self._standard(child, visiting + (workflow,))
        self.standard[workflow] = self._machine(workflow, sfn.StateMachineType.STANDARD)
        return self.standard[workflow]

    def _machine(self, workflow: str, kind: sfn.StateMachineType) -> sfn.StateMachine:
        construct_id = naming.camel(workflow) + ("Express" if kind == sfn.StateMachineType.EXPRESS else "")
        substitutions, functions, children = {}, [], []
        for name in placeholders(workflow):
            child = naming.workflow_of_placeholder(name)
            if child is not None:
                children.append(self.standard[child])
                substitutions[name] = self.standard[child].state_machine_arn
            elif name in self._functions:
                functions.append(self._functions[name])
                substitutions[name] = self._functions[name].function_arn
        naming.check_values(workflow, substitutions)
        stack = cdk.Stack.of(self)
        log_group = logs.LogGroup(self, f"{construct_id}Logs", encryption_key=self._storage.key,
                                  retention=logs.RetentionDays.ONE_YEAR, removal_policy=cdk.RemovalPolicy.RETAIN)
        machine = sfn.StateMachine(
            self, construct_id, state_machine_type=kind, tracing_enabled=True,
            state_machine_name=machine_name(stack, construct_id),
            definition_body=sfn.DefinitionBody.from_string(naming.definition_text(workflow)),
            definition_substitutions=substitutions,
            # Execution data (inputs, outputs) stays out of the logs (docs/architecture.md).
            logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
        )
        # from_string does not infer permissions from the definition: grant what it names.
        for function in functions:
            machine.add_to_role_policy(iam.PolicyStatement(actions=["lambda:InvokeFunction"],
                                                           resources=[function.function_arn]))
        for child in children:
            self._grant_start(machine, child)
        self._grant_map_resources(machine, machine_name(stack, construct_id), workflow)
        return machine

    def _grant_map_resources(self, machine: sfn.StateMachine, name: str, workflow: str) -> None:
        """A DISTRIBUTED Map runs child executions of its own machine, reads its items from the work
        area (an ItemReader on a JSON file) and writes its results under the work area (ResultWriter)."""
        stack, storage = cdk.Stack.of(machine), self._storage
        states = json.loads(naming.definition_text(workflow))["States"]
        for _name, state in naming.all_states(states):
            if state.get("ItemProcessor", {}).get("ProcessorConfig", {}).get("Mode") == "DISTRIBUTED":
                machine.add_to_role_policy(iam.PolicyStatement(
                    actions=["states:StartExecution"], resources=[_arn(stack, "stateMachine", name)]))
                self._grant_executions(machine, f"{name}/*")
            reader = state.get("ItemReader", {}).get("Resource", "")
            if reader.endswith(":s3:getObject"):
                machine.add_to_role_policy(iam.PolicyStatement(
                    actions=["s3:GetObject"], resources=[storage.work.arn_for_objects(f"{WORK_PREFIX}*")]))
                machine.add_to_role_policy(iam.PolicyStatement(actions=["kms:Decrypt"],
                                                               resources=[storage.key.key_arn]))
            if state.get("ResultWriter"):
                self.writes_results.add(machine.node.path)
                machine.add_to_role_policy(iam.PolicyStatement(
                    actions=["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts",
                             "s3:AbortMultipartUpload"],
                    resources=[storage.work.arn_for_objects(f"{WORK_PREFIX}*")]))
                machine.add_to_role_policy(iam.PolicyStatement(actions=["kms:GenerateDataKey", "kms:Decrypt"],
                                                               resources=[storage.key.key_arn]))

    def _grant_executions(self, machine: sfn.StateMachine, pattern: str) -> None:
        machine.add_to_role_policy(iam.PolicyStatement(
            actions=["states:DescribeExecution", "states:StopExecution"],
            resources=[_arn(cdk.Stack.of(machine), "execution", pattern)]))
        self.execution_patterns.setdefault(machine.node.path, []).append(pattern)

    def _grant_start(self, parent: sfn.StateMachine, child: sfn.StateMachine) -> None:
        """startExecution.sync:2 on a child: start, watch and stop it; the managed rule reports completion."""
        stack = cdk.Stack.of(parent)
        parent.add_to_role_policy(iam.PolicyStatement(actions=["states:StartExecution"],
                                                      resources=[child.state_machine_arn]))
        self._grant_executions(parent, f"{machine_name(stack, child.node.id)}:*")
        parent.add_to_role_policy(iam.PolicyStatement(
            actions=["events:PutTargets", "events:PutRule", "events:DescribeRule"],
            resources=[stack.format_arn(service="events", resource="rule",
                                        resource_name="StepFunctionsGetEventsForStepFunctionsExecutionRule")]))
