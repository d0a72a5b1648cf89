"""Run statemachine/*.asl.json on one machine with moto's Step Functions interpreter.

The definitions are the ones deployed to AWS, with the same ``${Placeholder}``
substitutions: function ARNs whose invocations hdm.routing sends to steps/
handlers in-process, and ``${<Workflow>StateMachineArn}`` for workflows that start
other workflows. Every finished execution's history is persisted (hdm.history).
"""

import contextlib
import json
import re
import shutil
import threading
import time
import uuid
from pathlib import Path

import boto3
from moto import mock_aws

from hdm import history
from hdm.execution import Execution
from hdm.interpreter import cached_interpreter
from hdm.paths import STATEMACHINE_DIR, state_dir
from hdm.routing import ACCOUNT_ID, REGION, LambdaRouter, function_arn, function_table

# AWS services the steps may call for real (engines, S3) pass through the mock;
# only Step Functions and Lambda are simulated.
PASSTHROUGH_SERVICES = ("s3", "comprehendmedical", "rekognition", "sts")
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)\}")
MAX_POLL_INTERVAL = 0.1
_FINISHED = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


def workflow_names() -> list[str]:
    return sorted(p.name.removesuffix(".asl.json") for p in STATEMACHINE_DIR.glob("*.asl.json"))


def state_machine_placeholder(workflow: str) -> str:
    return "".join(part.title() for part in workflow.split("_")) + "StateMachineArn"


def state_machine_arn(workflow: str) -> str:
    return f"arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:hdm-{workflow.replace('_', '-')}"


def substitutions() -> dict[str, str]:
    values = {placeholder: function_arn(placeholder) for placeholder in function_table()}
    values.update({state_machine_placeholder(w): state_machine_arn(w) for w in workflow_names()})
    return values


def render_definition(workflow: str) -> str:
    """The definition as deployed: every ``${Placeholder}`` substituted."""
    path = STATEMACHINE_DIR / f"{workflow}.asl.json"
    if not path.exists():
        raise ValueError(f"unknown workflow {workflow!r}; known: {', '.join(workflow_names())}")
    values = substitutions()

    def replace(match: re.Match) -> str:
        if match.group(1) not in values:
            raise ValueError(f"{path.name}: no value for placeholder ${{{match.group(1)}}}")
        return values[match.group(1)]

    return _PLACEHOLDER.sub(replace, path.read_text())


class LocalRuntime:
    """One simulated AWS account in this process; use as a context manager."""

    def __init__(self, home: Path | None = None, passthrough_services=PASSTHROUGH_SERVICES,
                 poll_interval: float = 0.005):
        self.home = Path(home) if home else state_dir()
        self.passthrough_services = list(passthrough_services)
        self.poll_interval = poll_interval
        self._mock = None
        self._caches = None
        self._router = LambdaRouter()
        self._client = None
        self._machines: dict[str, str] = {}
        self._machines_lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------
    def __enter__(self) -> "LocalRuntime":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        self._router.install()
        self._caches = cached_interpreter()
        self._caches.__enter__()
        self._mock = mock_aws(config={
            "stepfunctions": {"execute_state_machine": True},
            "lambda": {"use_docker": False},
            "core": {"mock_credentials": False, "reset_boto3_session": False,
                     "passthrough": {"services": self.passthrough_services, "urls": []}},
        })
        try:
            self._mock.start()
        except BaseException:
            self._caches.__exit__(None, None, None)
            self._router.uninstall()
            raise
        self._client = boto3.client("stepfunctions", region_name=REGION, aws_access_key_id="local",
                                    aws_secret_access_key="local")

    def close(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
            self._caches.__exit__(None, None, None)
        self._router.uninstall()
        self._machines.clear()

    @contextlib.contextmanager
    def routed(self, placeholder: str, handler):
        """Invocations of one function go to ``handler`` for the duration (bulk text: a process pool)."""
        name = function_arn(placeholder).rpartition(":")[2]
        original = self._router.handlers[name]
        self._router.handlers[name] = handler
        try:
            yield
        finally:
            self._router.handlers[name] = original

    # -- work areas --------------------------------------------------------
    @contextlib.contextmanager
    def work_area(self, execution_name: str):
        """A private directory for one execution's intermediate objects, removed afterwards."""
        path = self.home / "work" / execution_name
        path.mkdir(parents=True, mode=0o700)
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    # -- executions --------------------------------------------------------
    @staticmethod
    def new_execution_name(workflow: str) -> str:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        return f"{workflow.replace('_', '-')}-{stamp}-{uuid.uuid4().hex[:8]}"

    def state_machine(self, workflow: str) -> str:
        with self._machines_lock:
            if workflow not in self._machines:
                arn = self._client.create_state_machine(
                    name=state_machine_arn(workflow).rpartition(":")[2],
                    definition=render_definition(workflow),
                    roleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/hdm-local",
                )["stateMachineArn"]
                self._machines[workflow] = arn
            return self._machines[workflow]

    def start_execution(self, workflow: str, execution_input: dict, name: str | None = None) -> str:
        name = name or self.new_execution_name(workflow)
        return self._client.start_execution(
            stateMachineArn=self.state_machine(workflow), name=name, input=json.dumps(execution_input)
        )["executionArn"]

    def wait(self, execution_arn: str, timeout: float | None = None) -> Execution:
        deadline = None if timeout is None else time.monotonic() + timeout
        # Each poll is a full (mocked) API call: start quick for short text jobs, then back
        # off so that long image jobs do not spend their CPU on polling.
        interval = self.poll_interval
        while True:
            described = self._client.describe_execution(executionArn=execution_arn)
            if described["status"] in _FINISHED:
                break
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError("execution still running")
            time.sleep(interval)
            interval = min(interval * 1.5, MAX_POLL_INTERVAL)
        execution = Execution(
            name=described["name"], arn=execution_arn,
            workflow=described["stateMachineArn"].rpartition(":hdm-")[2].replace("-", "_"),
            status=described["status"],
            output=json.loads(described["output"]) if described.get("output") else None,
            error=described.get("error"), cause=described.get("cause"),
        )
        history.save(self.home, described, self._events(execution_arn))
        return execution

    def run(self, workflow: str, execution_input: dict, name: str | None = None) -> Execution:
        return self.wait(self.start_execution(workflow, execution_input, name))

    def _events(self, execution_arn: str) -> list[dict]:
        events, token = [], None
        while True:
            kwargs = {"executionArn": execution_arn, "maxResults": 1000}
            if token:
                kwargs["nextToken"] = token
            page = self._client.get_execution_history(**kwargs)
            events.extend(page["events"])
            token = page.get("nextToken")
            if not token:
                return events

