"""Run statemachine/*.asl.json on one machine with moto's Step Functions interpreter.

The definitions are the ones deployed to AWS, with the same ``${Placeholder}``
substitutions (workflow_catalogue.naming): function ARNs whose tasks call the steps/
handlers in-process, and ``${<Workflow>StateMachineArn}`` for workflows that start
other workflows. Every execution the runtime waits for has its history persisted
(hdm.history) and is then dropped from memory (hdm.moto_hooks.executions).
"""

import errno
import json
import threading
import time
import uuid
from pathlib import Path

from hdm import history, work_areas
from hdm.execution import Execution
from hdm.moto_hooks import ACCOUNT_ID, REGION, MotoSession
from hdm.paths import state_dir
from steps.log import get_logger
from workflow_catalogue import naming

logger = get_logger(__name__)

# AWS services the steps may call for real (engines, S3) pass through the mock;
# only Step Functions (and Lambda, in-process) are simulated.
PASSTHROUGH_SERVICES = ("s3", "comprehendmedical", "rekognition", "sts")


def function_arn(placeholder: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{naming.function_resource_name(placeholder)}"


def state_machine_arn(workflow: str) -> str:
    return f"arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:{naming.state_machine_name(workflow)}"


def substitutions() -> dict[str, str]:
    values = {placeholder: function_arn(placeholder) for placeholder in naming.function_table()}
    values.update({naming.state_machine_placeholder(w): state_machine_arn(w) for w in naming.workflow_names()})
    return values


def render_definition(workflow: str) -> str:
    """The definition as deployed: every ``${Placeholder}`` substituted."""
    return naming.substitute(workflow, substitutions())


class LocalRuntime:
    """One simulated AWS account in this process; use as a context manager."""

    def __init__(self, home: Path | None = None, passthrough_services=PASSTHROUGH_SERVICES,
                 retention: history.Retention | None = None):
        self.home = Path(home) if home else state_dir()
        self.retention = retention or history.Retention.from_environment()
        self.passthrough_services = list(passthrough_services)
        self._session: MotoSession | None = None
        self._machines: dict[str, str] = {}
        self._machines_lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------
    def __enter__(self) -> "LocalRuntime":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        session = MotoSession(self.passthrough_services, cache_dir=self.home / "cache" / "parse-trees")
        session.start()
        self._session = session
        work_areas.sweep(self.home, lambda marker: history.save_aborted(self.home, marker, self.retention))
        history.expiry.check(self.home, self.retention)

    def close(self) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None
        self._machines.clear()

    @property
    def _step_functions(self):
        return self._started_session.step_functions

    @property
    def _started_session(self) -> MotoSession:
        if self._session is None:
            raise RuntimeError("the local runtime is not started")
        return self._session

    def routed(self, placeholder: str, handler):
        """Invocations of one function (its placeholder in functions.json) call ``handler(event, context)``
        instead of its step while in this block; bulk text sends MaskTextBatch to a process pool.
        The hooks are the process's, so a runtime nested in this one routes it too."""
        return self._started_session.routed(naming.function_resource_name(placeholder), handler)

    # -- work areas --------------------------------------------------------
    def work_area(self, workflow: str, execution_name: str):
        """A private directory for one execution's intermediate objects, removed afterwards; if this
        process dies first, the next runtime start removes it and records the execution as ABORTED."""
        return work_areas.claimed(self.home, execution_name, state_machine_arn(workflow))

    # -- executions --------------------------------------------------------
    @staticmethod
    def new_execution_name(workflow: str) -> str:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        return f"{naming.label(workflow)}-{stamp}-{uuid.uuid4().hex[:8]}"

    def state_machine(self, workflow: str) -> str:
        with self._machines_lock:
            if workflow not in self._machines:
                self._machines[workflow] = self._step_functions.create_state_machine(
                    naming.state_machine_name(workflow), render_definition(workflow),
                    f"arn:aws:iam::{ACCOUNT_ID}:role/{naming.resource_name('local')}")
            return self._machines[workflow]

    def start_execution(self, workflow: str, execution_input: dict, name: str | None = None) -> str:
        """Start an execution in the background; ``wait`` for it (each must be waited for once)."""
        return self._start(workflow, execution_input, name, inline=False)

    def _start(self, workflow: str, execution_input: dict, name: str | None, inline: bool) -> str:
        return self._step_functions.start(self.state_machine(workflow), name or self.new_execution_name(workflow),
                                          execution_input, inline=inline)

    def wait(self, execution_arn: str, timeout: float | None = None) -> Execution:
        """The finished execution, its history persisted; TimeoutError if it is still running."""
        step_functions = self._step_functions
        described = step_functions.wait(execution_arn, timeout)
        try:
            history.save(self.home, described, step_functions.events(execution_arn), self.retention)
        except OSError as exc:  # a full or read-only state dir costs the record, not the result
            logger.warning("history_not_saved", execution=described["name"],
                           error=errno.errorcode.get(exc.errno, type(exc).__name__))
        step_functions.forget(execution_arn)
        return Execution(
            name=described["name"], arn=execution_arn,
            workflow=naming.workflow_of_label(naming.label_of_state_machine(described["stateMachineArn"])),
            status=described["status"], output=json.loads(described["output"]) if described.get("output") else None,
            error=described.get("error"), cause=described.get("cause"),
        )

    def executions_ended(self, workflow: str) -> int:
        """How many executions of ``workflow`` have ended in this runtime (children included)."""
        return self._step_functions.ended[self.state_machine(workflow)]

    def run(self, workflow: str, execution_input: dict, name: str | None = None) -> Execution:
        """Run an execution to its end in this thread."""
        return self.wait(self._start(workflow, execution_input, name, inline=True))

