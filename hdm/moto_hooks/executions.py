"""moto's Step Functions backend of the local account, called directly, with bounded memory.

Through the Step Functions API every start, poll and history read of an execution
would go through boto3 and moto's response serializer (a history read alone cost
more than the workflow's own steps). The local runtime is in the same process, so it
calls the backend: an execution's description and events are read from moto's
objects, and its end is signalled (hdm.moto_hooks.interpreter.Completion).

moto keeps every execution forever (and every thread it started). Here a finished
execution is dropped once its waiter has read it (its history is persisted by then);
one nobody waits for (a child execution, which its parent polls) after
``CHILD_SECONDS``; and at most ``MAX_UNREAD`` finished executions wait to be read.
"""

import collections
import json
import threading
import time

from moto.stepfunctions.parser.models import stepfunctions_parser_backends
from moto.stepfunctions.parser.utils import TMP_THREADS

from hdm.moto_hooks.interpreter import completion, inline_start
from workflow_catalogue import naming

# A finished child is dropped only after its parent's sync poll has surely seen it.
CHILD_SECONDS = 5.0
MAX_UNREAD = 1000
_FINISHED = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


class LocalStepFunctions:
    def __init__(self, account_id: str, region: str):
        self.account_id, self.region = account_id, region
        self._started: dict[str, object] = {}  # ARN -> moto Execution, until read after its end
        self._unread: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._ended_children: collections.deque = collections.deque()
        self._machines: dict[str, object] = {}
        self._lock = threading.Lock()
        self.dropped = 0
        self.ended: collections.Counter[str] = collections.Counter()  # state machine ARN -> executions ended

    @property
    def backend(self):
        return stepfunctions_parser_backends[self.account_id][self.region]

    def listen(self) -> None:
        completion.listeners.append(self._ended)

    def stop_listening(self) -> None:
        if self._ended in completion.listeners:
            completion.listeners.remove(self._ended)

    # -- API ----------------------------------------------------------------------
    def create_state_machine(self, name: str, definition: str, role_arn: str) -> str:
        machine = self.backend.create_state_machine(name=name, definition=definition, roleArn=role_arn)
        self._machines[machine.arn] = machine
        return machine.arn

    def start(self, machine_arn: str, name: str, execution_input: dict, inline: bool = False) -> str:
        """Start an execution; ``inline`` runs it to its end in this thread before returning."""
        arn = naming.execution_arn(machine_arn, name)
        completion.expect(arn)
        with self._lock:
            self._started[arn] = None  # ours, not a child: known before an inline run ends
        try:
            if inline:
                with inline_start():
                    execution = self._start(machine_arn, name, execution_input)
            else:
                execution = self._start(machine_arn, name, execution_input)
        except BaseException:
            completion.discard(arn)
            with self._lock:
                self._started.pop(arn, None)
            raise
        return execution.exec_arn

    def _start(self, machine_arn: str, name: str, execution_input: dict):
        execution = self.backend.start_execution(machine_arn, name, json.dumps(execution_input))
        with self._lock:
            self._started[execution.exec_arn] = execution
        return execution

    def wait(self, arn: str, timeout: float | None = None) -> dict:
        """The finished execution's description (as DescribeExecution's), else TimeoutError."""
        execution = self._execution(arn)
        ended = completion.expect(arn)
        if not ended.wait(timeout) and execution.status not in _FINISHED:
            raise TimeoutError("execution still running")
        return describe(execution)

    def events(self, arn: str) -> list[dict]:
        return list(self._execution(arn).to_history_output()["events"])

    def forget(self, arn: str) -> None:
        """Drop a finished execution that has been read."""
        completion.discard(arn)
        with self._lock:
            execution = self._started.pop(arn, None)
            self._unread.pop(arn, None)
        if execution is not None:
            self._drop(execution)

    def _execution(self, arn: str):
        try:
            return self._started[arn]
        except KeyError:
            raise KeyError(f"no execution {arn.rpartition(':')[2]} in this runtime") from None

    # -- memory -------------------------------------------------------------------
    def _ended(self, execution) -> None:
        now = time.monotonic()
        expired = []
        with self._lock:
            self.ended[execution.state_machine.arn] += 1
            if execution.exec_arn in self._started:
                self._started[execution.exec_arn] = execution
                self._unread[execution.exec_arn] = None
                while len(self._unread) > MAX_UNREAD:
                    arn, _ = self._unread.popitem(last=False)
                    expired.append(self._started.pop(arn))
            else:
                self._ended_children.append((now, execution))
            while self._ended_children and now - self._ended_children[0][0] > CHILD_SECONDS:
                expired.append(self._ended_children.popleft()[1])
        for old in expired:
            completion.discard(old.exec_arn)
            self._drop(old)
        for thread in [t for t in TMP_THREADS if t.ident is not None and not t.is_alive()]:
            TMP_THREADS.remove(thread)

    def _drop(self, execution) -> None:
        machine = self._machines.get(execution.state_machine.arn)
        if machine is not None:
            try:
                machine.executions.remove(execution)  # atomic; concurrent appends are kept
            except ValueError:
                return
            self.dropped += 1

    def held(self) -> int:
        """Executions moto still holds (running, or finished and not yet dropped)."""
        return sum(len(m.executions) for m in self._machines.values())


def describe(execution) -> dict:
    described = execution.to_describe_output()
    described["status"] = execution.status
    return described
