"""Batch jobs: run statemachine/batch.asl.json over a local folder.

The definition is the one deployed to AWS. What differs on one machine lives here
(documented in docs/batch.md):

- Item reader and result writer. On AWS the Map reads PlanBatch's batches with S3
  GetObject and writes its results with S3 PutObject. A file work area has an empty
  bucket; for an empty bucket the item reader reads the local file (``_read_file``)
  and the result writer writes nothing (each object's outcome is already in the
  batch journal). Buckets keep moto's own behaviour. moto evaluates the
  result writer's ``Bucket.$``/``Prefix.$`` against the Map's results; AWS evaluates
  them against the state input, as here.
- Child executions. moto 5.2.5 passes ``states:startExecution`` parameters and
  responses through without the casing conversion AWS applies (``StateMachineArn``
  -> ``stateMachineArn``, ``output`` -> ``Output``), so the call fails; the
  conversion is restored here from botocore's service model. moto also checks a
  ``startExecution.sync:2`` child every 0.5 s, which would idle a worker per object;
  locally it checks every 50 ms.
- Memory. moto keeps every execution forever; ``ChildPruner`` drops the finished
  child executions of a batch once their parents have seen them finish. moto also
  keeps the events of every item of a DISTRIBUTED Map in a history nobody reads (on
  AWS they belong to the item's own child execution); ``_ItemRunEvents`` drops them.
  And it appends every thread it starts (several per state) to a list it never
  empties; the pruner removes the finished ones.
"""

import contextlib
import functools
import threading
import time
from pathlib import Path

import botocore.session
from botocore import xform_name
from moto.stepfunctions.parser.asl.component.state.exec.state_map.item_reader.eval import (
    resource_eval_s3 as item_reader_s3,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration import (
    distributed_iteration_component as distributed_map,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval import (
    resource_eval_s3 as result_writer_s3,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.result_writer_decl import (
    ResultWriter,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_callback as sync_tasks,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
    StateTaskServiceSfn,
)
from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager
from moto.stepfunctions.parser.models import stepfunctions_parser_backends
from moto.stepfunctions.parser.utils import TMP_THREADS

from hdm.execution import Execution
from hdm.routing import ACCOUNT_ID, REGION
from hdm.runtime import LocalRuntime, state_machine_arn
from steps import storage

WORKFLOW = "batch"
CHILD_WORKFLOWS = ("mask_text", "mask_image")
CHILD_POLL_SECONDS = 0.05
# A finished child is dropped only after its parent's sync poll has surely seen it.
PRUNE_AFTER_SECONDS = 5.0


class _ItemRunEvents(EventManager):
    """The event manager of a DISTRIBUTED Map's items: numbers events, keeps none."""

    def _publish_history_event(self, *args, **kwargs) -> None:
        pass


def _unless_bucket(original, local):
    """moto's S3 handler for a Map, except for an empty bucket (a local folder): ``local`` serves it."""
    def handler(env, resource_runtime_part, state_credentials):
        if env.stack[-1].get("Bucket"):
            return original(env, resource_runtime_part, state_credentials)
        local(env, env.stack.pop())

    return handler


def _read_file(env, parameters: dict) -> None:
    env.stack.append(Path(parameters["Key"]).read_text(encoding="utf-8"))


def _write_no_results(env, parameters: dict) -> None:
    env.stack.pop()  # the state input the parameters were read from; the journal holds the results
    env.stack.append({"ResultWriterDetails": {"Bucket": "", "Key": parameters["Prefix"]}})


def _write_results(self, env) -> None:
    """ResultWriter with its parameters read from the Map's input, as on AWS."""
    env.stack.pop()  # the Map's results; the S3 writer does not write them either
    env.stack.append(env.states.get_input())
    self.parargs.eval(env=env)
    self.resource_eval.eval_resource(env=env)


@functools.cache
def _sfn_operations() -> dict:
    """snake_case action -> botocore operation model of Step Functions."""
    model = botocore.session.get_session().get_service_model("stepfunctions")
    return {xform_name(name): model.operation_model(name) for name in model.operation_names}


def _normalise_parameters(original):
    def normalise_parameters(self, parameters, boto_service_name=None, service_action_name=None):
        original(self, parameters, boto_service_name, service_action_name)
        operation = _sfn_operations()[self._get_boto_service_action(service_action_name)]
        self._to_boto_request(parameters, operation.input_shape)

    return normalise_parameters


def _normalise_response(self, response, boto_service_name=None, service_action_name=None):
    operation = _sfn_operations()[self._get_boto_service_action(service_action_name)]
    self._from_boto_response(response, operation.output_shape)


@contextlib.contextmanager
def local_batch_support():
    """Install the local item reader, result writer and child-execution fixes for the duration."""
    reader, writer = item_reader_s3.ResourceEvalS3, result_writer_s3.ResourceEvalS3
    saved = (reader._handle_get_object, writer._handle_put_object, sync_tasks._DELAY_SECONDS_SYNC_CONDITION_CHECK,
             StateTaskServiceSfn._normalise_parameters, ResultWriter._eval_body)
    reader._handle_get_object = staticmethod(_unless_bucket(saved[0], _read_file))
    writer._handle_put_object = staticmethod(_unless_bucket(saved[1], _write_no_results))
    sync_tasks._DELAY_SECONDS_SYNC_CONDITION_CHECK = CHILD_POLL_SECONDS
    StateTaskServiceSfn._normalise_parameters = _normalise_parameters(saved[3])
    StateTaskServiceSfn._normalise_response = _normalise_response
    ResultWriter._eval_body = _write_results
    distributed_map.EventManager = _ItemRunEvents
    try:
        yield
    finally:
        reader._handle_get_object = staticmethod(saved[0])
        writer._handle_put_object = staticmethod(saved[1])
        sync_tasks._DELAY_SECONDS_SYNC_CONDITION_CHECK = saved[2]
        StateTaskServiceSfn._normalise_parameters = saved[3]
        del StateTaskServiceSfn._normalise_response
        ResultWriter._eval_body = saved[4]
        distributed_map.EventManager = EventManager


class ChildPruner:
    """Forget finished child executions and threads so a batch of any size keeps bounded memory."""

    def __init__(self, runtime: LocalRuntime, interval: float = 1.0):
        self._runtime = runtime
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hdm-child-pruner", daemon=True)
        self.pruned = 0

    def __enter__(self) -> "ChildPruner":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self.prune()

    def prune(self, older_than: float = PRUNE_AFTER_SECONDS) -> None:
        backend = stepfunctions_parser_backends[ACCOUNT_ID][REGION]
        cutoff = time.time() - older_than
        for workflow in CHILD_WORKFLOWS:
            arn = state_machine_arn(workflow)
            machine = next((m for m in backend.state_machines if m.arn == arn), None)
            if machine is None:
                continue
            for execution in list(machine.executions):
                stopped = getattr(execution, "stop_date", None)
                if execution.status != "RUNNING" and stopped is not None and stopped.timestamp() < cutoff:
                    machine.executions.remove(execution)  # atomic; concurrent appends are kept
                    self.pruned += 1
        for thread in [t for t in TMP_THREADS if t.ident is not None and not t.is_alive()]:
            TMP_THREADS.remove(thread)


def run_batch(runtime: LocalRuntime, source_dir: Path, destination_dir: Path, work_dir: Path,
              options: dict | None = None, max_concurrency: int | None = None,
              shard: tuple[int, int] | None = None, batch_size: int | None = None) -> Execution:
    """Mask every file under ``source_dir`` into ``destination_dir``; returns the finished execution."""
    execution_input = {"source": storage.folder_ref(source_dir), "destination": storage.folder_ref(destination_dir),
                       "workPrefix": storage.folder_ref(work_dir), "options": options or {}}
    for key, value in (("maxConcurrency", max_concurrency), ("batchSize", batch_size)):
        if value is not None:
            execution_input[key] = value
    if shard is not None:
        execution_input["shard"] = {"index": shard[0], "count": shard[1]}
    return run_batch_input(runtime, execution_input)


def run_batch_input(runtime: LocalRuntime, execution_input: dict) -> Execution:
    """The batch workflow on any input (folders or buckets), with the local support installed."""
    # The children must exist before the interpreter starts them (this also parses each
    # definition once, not once per racing thread).
    for workflow in (WORKFLOW, *CHILD_WORKFLOWS):
        runtime.state_machine(workflow)
    with local_batch_support(), ChildPruner(runtime):
        return runtime.run(WORKFLOW, execution_input)
