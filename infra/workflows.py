"""State machines from statemachine/*.asl.json, as deployed: the files with their placeholders substituted.

Every workflow gets a STANDARD machine (asynchronous jobs, batches, 90 days of history);
the ones behind synchronous API routes also get an EXPRESS machine (StartSyncExecution).
"""

import re
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.storage import Storage

STATEMACHINE_DIR = Path(__file__).resolve().parent.parent / "statemachine"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)\}")
SYNC_WORKFLOWS = ("mask_text", "mask_image")
STATE_MACHINE_SUFFIX = "StateMachineArn"


def workflow_names() -> list[str]:
    return sorted(p.name.removesuffix(".asl.json") for p in STATEMACHINE_DIR.glob("*.asl.json"))


def camel(workflow: str) -> str:
    return "".join(part.title() for part in workflow.split("_"))


def definition_text(workflow: str) -> str:
    return (STATEMACHINE_DIR / f"{workflow}.asl.json").read_text()


def placeholders(workflow: str) -> list[str]:
    return sorted(set(PLACEHOLDER.findall(definition_text(workflow))))


class Workflows(Construct):
    """``standard`` and ``express``: workflow name -> state machine."""

    def __init__(self, scope: Construct, construct_id: str, *, functions: dict[str, lambda_.IFunction],
                 storage: Storage):
        super().__init__(scope, construct_id)
        self._functions = functions
        self._storage = storage
        self.standard: dict[str, sfn.StateMachine] = {}
        self.express: dict[str, sfn.StateMachine] = {}
        for workflow in workflow_names():
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
        known = workflow_names()
        for name in placeholders(workflow):
            child = self._workflow_of(name)
            if child is not None:
                if child not in known:
                    raise ValueError(f"{workflow}.asl.json: ${{{name}}} names no statemachine/*.asl.json")
                self._standard(child, visiting + (workflow,))
        self.standard[workflow] = self._machine(workflow, sfn.StateMachineType.STANDARD)
        return self.standard[workflow]

    @staticmethod
    def _workflow_of(placeholder: str) -> str | None:
        if not placeholder.endswith(STATE_MACHINE_SUFFIX):
            return None
        camel_name = placeholder.removesuffix(STATE_MACHINE_SUFFIX)
        return re.sub(r"(?<!^)(?=[A-Z])", "_", camel_name).lower()

    def _machine(self, workflow: str, kind: sfn.StateMachineType) -> sfn.StateMachine:
        construct_id = camel(workflow) + ("Express" if kind == sfn.StateMachineType.EXPRESS else "")
        substitutions, functions, children = {}, [], []
        for name in placeholders(workflow):
            child = self._workflow_of(name)
            if child is not None:
                children.append(self.standard[child])
                substitutions[name] = self.standard[child].state_machine_arn
            elif name in self._functions:
                functions.append(self._functions[name])
                substitutions[name] = self._functions[name].function_arn
            else:
                raise ValueError(f"{workflow}.asl.json: no value for placeholder ${{{name}}}")
        log_group = logs.LogGroup(self, f"{construct_id}Logs", encryption_key=self._storage.key,
                                  retention=logs.RetentionDays.ONE_YEAR, removal_policy=cdk.RemovalPolicy.RETAIN)
        machine = sfn.StateMachine(
            self, construct_id, state_machine_type=kind, tracing_enabled=True,
            definition_body=sfn.DefinitionBody.from_string(definition_text(workflow)),
            definition_substitutions=substitutions,
            # Execution data (inputs, outputs) stays out of the logs; see DESIGN.md.
            logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
        )
        # from_string does not infer permissions from the definition: grant what it names.
        for function in functions:
            machine.add_to_role_policy(iam.PolicyStatement(actions=["lambda:InvokeFunction"],
                                                           resources=[function.function_arn]))
        for child in children:
            self._grant_start(machine, child)
        return machine

    @staticmethod
    def _grant_start(parent: sfn.StateMachine, child: sfn.StateMachine) -> None:
        """startExecution.sync:2 on a child: start, watch and stop it; the managed rule reports completion."""
        stack = cdk.Stack.of(parent)
        parent.add_to_role_policy(iam.PolicyStatement(actions=["states:StartExecution"],
                                                      resources=[child.state_machine_arn]))
        executions = stack.format_arn(service="states", resource="execution",
                                      resource_name=f"{child.state_machine_name}:*",
                                      arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME)
        parent.add_to_role_policy(iam.PolicyStatement(actions=["states:DescribeExecution", "states:StopExecution"],
                                                      resources=[executions]))
        parent.add_to_role_policy(iam.PolicyStatement(
            actions=["events:PutTargets", "events:PutRule", "events:DescribeRule"],
            resources=[stack.format_arn(service="events", resource="rule",
                                        resource_name="StepFunctionsGetEventsForStepFunctionsExecutionRule")]))
