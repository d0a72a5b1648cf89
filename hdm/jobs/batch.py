"""Batch jobs: run statemachine/batch.asl.json over a local folder.

The definition is the one deployed to AWS. What differs on one machine lives here
(documented in docs/batch.md):

- Item reader and result writer. On AWS the Map lists the source with S3
  ListObjectsV2 and writes its results with S3 PutObject. PlanBatch gives a file
  folder an empty bucket; for an empty bucket, ``local_objects`` lists the folder
  (key = absolute path, ETag from mtime and size) and the result writer writes
  nothing (each object's outcome is already recorded by RecordResult). Buckets keep
  moto's own behaviour. moto evaluates the result writer's ``Bucket.$``/``Prefix.$``
  against the Map's results; AWS evaluates them against the state input, as here.
- Child executions. moto 5.2.5 passes ``states:startExecution`` parameters and
  responses through without the casing conversion AWS applies (``StateMachineArn``
  -> ``stateMachineArn``, ``output`` -> ``Output``), so the call fails; the
  conversion is restored here from botocore's service model. moto also checks a
  ``startExecution.sync:2`` child every 0.5 s, which would idle a worker per object;
  locally it checks every 50 ms.
- Speed. Per object moto would parse the child's definition (pure Python ANTLR),
  build a new boto3 client for every task and parse every JSONPath anew: most of
  the cost of a small document. Parse trees (read-only; each execution still gets
  a fresh program), clients (thread-safe) and JSONPath expressions are cached.
- Memory. moto keeps every execution forever; ``ChildPruner`` drops the finished
  child executions of a batch once their parents have seen them finish. moto also
  keeps the events of every item of a DISTRIBUTED Map in a history nobody reads (on
  AWS they belong to the item's own child execution); ``_ItemRunEvents`` drops them.
  And it appends every thread it starts (several per state) to a list it never
  empties; the pruner removes the finished ones.
"""

import contextlib
import functools
import os
import sys
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
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor
from moto.stepfunctions.parser.asl.utils import boto_client as moto_clients
from moto.stepfunctions.parser.asl.utils import json_path as moto_json_path
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.models import stepfunctions_parser_backends
from moto.stepfunctions.parser.utils import TMP_THREADS

from hdm.routing import ACCOUNT_ID, REGION
from hdm.runtime import Execution, LocalRuntime, render_definition, state_machine_arn
from steps import storage
from steps.batch import objects

WORKFLOW = "batch"
CHILD_WORKFLOWS = ("mask_text", "mask_image")
CHILD_POLL_SECONDS = 0.05
# A finished child is dropped only after its parent's sync poll has surely seen it.
PRUNE_AFTER_SECONDS = 5.0


def local_objects(folder: str) -> list[dict]:
    """Every file under an absolute folder path, in the shape of S3 ListObjectsV2 ``Contents``."""
    items = []
    for ref in storage.list_objects(storage.file_ref(folder)):
        path = storage.parse(ref)[2]
        stat = os.stat(path)
        items.append({"Key": path, "Size": stat.st_size, "ETag": f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'})
    return items


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


def _list_folder(env, parameters: dict) -> None:
    env.stack.append(local_objects(parameters["Prefix"]))


def _write_no_results(env, parameters: dict) -> None:
    env.stack.pop()  # the state input the parameters were read from; the records are the results
    env.stack.append({"ResultWriterDetails": {"Bucket": "", "Key": parameters["Prefix"]}})


def _write_results(self, env) -> None:
    """ResultWriter with its parameters read from the Map's input, as on AWS."""
    env.stack.pop()  # the Map's results; the S3 writer does not write them either
    env.stack.append(env.states.get_input())
    self.parargs.eval(env=env)
    self.resource_eval.eval_resource(env=env)


@functools.lru_cache(maxsize=64)
def _parse_tree(definition: str):
    return AmazonStateLanguageParser.parse(definition)[1]


def _evaluation_entrypoint(self):
    """A fresh program per execution from a cached (read-only) parse tree."""
    return Preprocessor().visit(_parse_tree(self._evaluation_details.state_machine_details.definition))


_cached_client = functools.lru_cache(maxsize=32)(moto_clients.boto_client_for)


def _client_for(region: str, service: str, state_credentials=None):
    # moto's clients ignore the credentials (one local account), so one client per service will do.
    return _cached_client(region, service)


def _client_users() -> list:
    return [module for name, module in list(sys.modules.items())
            if name.startswith("moto.stepfunctions.parser.") and getattr(module, "boto_client_for", None)
            is moto_clients.boto_client_for]


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
    saved = (reader._handle_list_objects_v2, writer._handle_put_object, sync_tasks._DELAY_SECONDS_SYNC_CONDITION_CHECK,
             StateTaskServiceSfn._normalise_parameters, ResultWriter._eval_body,
             ExecutionWorker._get_evaluation_entrypoint)
    reader._handle_list_objects_v2 = staticmethod(_unless_bucket(saved[0], _list_folder))
    writer._handle_put_object = staticmethod(_unless_bucket(saved[1], _write_no_results))
    sync_tasks._DELAY_SECONDS_SYNC_CONDITION_CHECK = CHILD_POLL_SECONDS
    StateTaskServiceSfn._normalise_parameters = _normalise_parameters(saved[3])
    StateTaskServiceSfn._normalise_response = _normalise_response
    ResultWriter._eval_body = _write_results
    ExecutionWorker._get_evaluation_entrypoint = _evaluation_entrypoint
    client_users = _client_users()
    for module in client_users:
        module.boto_client_for = _client_for
    distributed_map.EventManager = _ItemRunEvents
    parse_json_path = moto_json_path.parse
    moto_json_path.parse = functools.lru_cache(maxsize=1024)(parse_json_path)
    try:
        yield
    finally:
        reader._handle_list_objects_v2 = staticmethod(saved[0])
        writer._handle_put_object = staticmethod(saved[1])
        sync_tasks._DELAY_SECONDS_SYNC_CONDITION_CHECK = saved[2]
        StateTaskServiceSfn._normalise_parameters = saved[3]
        del StateTaskServiceSfn._normalise_response
        ResultWriter._eval_body = saved[4]
        ExecutionWorker._get_evaluation_entrypoint = saved[5]
        for module in client_users:
            module.boto_client_for = moto_clients.boto_client_for
        moto_json_path.parse = parse_json_path
        distributed_map.EventManager = EventManager
        _cached_client.cache_clear()  # clients are bound to this mock's lifetime


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


def progress_count(destination_dir: Path) -> int:
    """Objects with a record under ``destination_dir``: done, failed or unsupported, this run or before."""
    records = storage.parse(objects.records_prefix(folder_ref(destination_dir)))[2]
    try:
        return sum(1 for entry in os.scandir(records) if not entry.name.startswith("."))  # not writes in flight
    except FileNotFoundError:
        return 0


def folder_ref(path: str | os.PathLike) -> str:
    return storage.file_ref(path) + "/"


def run_batch(runtime: LocalRuntime, source_dir: Path, destination_dir: Path, work_dir: Path,
              options: dict | None = None, max_concurrency: int | None = None,
              shard: tuple[int, int] | None = None) -> Execution:
    """Mask every file under ``source_dir`` into ``destination_dir``; returns the finished execution."""
    execution_input = {"source": folder_ref(source_dir), "destination": folder_ref(destination_dir),
                       "workPrefix": folder_ref(work_dir), "options": options or {}}
    if max_concurrency is not None:
        execution_input["maxConcurrency"] = max_concurrency
    if shard is not None:
        execution_input["shard"] = {"index": shard[0], "count": shard[1]}
    # The children must exist before the interpreter starts them; parse each definition once,
    # not once per racing thread.
    for workflow in (WORKFLOW, *CHILD_WORKFLOWS):
        runtime.state_machine(workflow)
        _parse_tree(render_definition(workflow))
    with local_batch_support(), ChildPruner(runtime):
        return runtime.run(WORKFLOW, execution_input)
