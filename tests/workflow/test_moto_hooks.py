"""Every moto internal hdm.moto_hooks touches is where the hooks expect it (moto is pinned).

Each guard fails naming the moto version, so that an upgrade says what to re-check.
"""

import inspect
import subprocess
import sys
import threading

import pytest
from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
from moto.stepfunctions.parser.asl.component.program.program import Program
from moto.stepfunctions.parser.asl.component.state.exec import execute_state
from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.utils import json_path
from moto.stepfunctions.parser.backend import execution_worker
from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication, Execution
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.parser.utils import TMP_THREADS

from hdm.jobs import run_job
from hdm.moto_hooks import MOTO_VERSION, batch, installed, interpreter
from hdm.moto_hooks.batch import (  # moto's objects that the batch hooks patch, as they imported them
    EventManager,
    ResultWriter,
    StateTaskServiceSfn,
    distributed_map,
    item_reader_s3,
    result_writer_s3,
    sync_tasks,
)
from hdm.moto_hooks.lambdas import LambdaRouter
from hdm.moto_hooks.trees import TreeCache
from hdm.runtime import LocalRuntime, render_definition
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_MASKED


def guard(condition, touch: str) -> None:
    assert condition, f"moto {MOTO_VERSION}: {touch} has moved; re-check hdm/moto_hooks against it, then the pin"


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def calls(function, text: str) -> bool:
    return text in inspect.getsource(function)


# -- one guard per touch ------------------------------------------------------------
def test_moto_batch_registers_without_its_ec2_data():
    """hooks/imports.py: moto.batch.__init__ would load moto's EC2 data (0.65 s a process)."""
    code = ("import sys, hdm.runtime; from moto.batch.utils import JobStatus; "
            "assert 'moto.ec2' not in sys.modules and 'moto.batch.models' not in sys.modules, 'EC2 data loaded'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    guard(result.returncode == 0, f"moto.batch's package layout ({result.stderr[-300:]})")


def test_parser_entry_point():
    guard(calls(ExecutionWorker._get_evaluation_entrypoint, "AmazonStateLanguageParser.parse("),
          "the interpreter's parse call (ExecutionWorker._get_evaluation_entrypoint)")
    program, tree = AmazonStateLanguageParser.parse(render_definition("mask_text"))
    guard(program is not None and tree is not None, "AmazonStateLanguageParser.parse's (program, tree) result")


def test_json_path_parsers_are_looked_up_by_module():
    guard(calls(json_path.extract_json, "parse(path)"), "json_path.extract_json's parse call")
    guard(calls(result_path.ResultPath._eval_body, "parse(self.result_path_src)"), "ResultPath's parse call")
    patched = {json_path.parse, result_path.parse}
    importers = [name for name, module in list(sys.modules.items())
                 if name.startswith("moto.") and module not in (json_path, result_path)
                 and getattr(module, "parse", None) in patched]
    guard(importers == [], f"a JSONPath parser imported by name in {importers}")


def test_client_factory_users():
    guard(interpreter.client_users(), "boto_client_for's importers")
    guard(parameters(interpreter._boto_client_for) == ["region", "service", "state_credentials"],
          "boto_client_for's signature")


def test_lambda_invocation_point():
    guard(parameters(lambda_eval_utils._invoke_lambda_function) == ["parameters", "region", "state_credentials"],
          "lambda_eval_utils._invoke_lambda_function's signature")
    guard(calls(lambda_eval_utils.execute_lambda_function_integration, "_invoke_lambda_function("),
          "execute_lambda_function_integration's call of _invoke_lambda_function")


def test_execution_end_and_start():
    guard(calls(ExecutionWorker._execution_logic, "self._execution_communication.terminated()"),
          "ExecutionWorker._execution_logic's end notification")
    guard(callable(BaseExecutionWorkerCommunication.terminated), "BaseExecutionWorkerCommunication.terminated")
    guard(calls(ExecutionWorker.start, "Thread(target=self._execution_logic"), "ExecutionWorker.start's thread")


def test_thread_hand_offs():
    guard(calls(Program.eval, "threading.Thread(target=super().eval") and issubclass(Program, EvalComponent),
          "Program.eval's watcher thread")
    guard(calls(Program.eval, "self.timeout_seconds"), "Program.eval's TimeoutSeconds")
    guard(execute_state.Thread is threading.Thread and calls(execute_state.ExecutionState._evaluate_with_timeout,
                                                             "Thread(target=_exec_and_notify"),
          "execute_state's per-state thread")
    guard(execution_worker.Thread is threading.Thread, "execution_worker's thread")


def test_backend_called_directly():
    guard(parameters(StepFunctionsParserBackend.start_execution)[:4]
          == ["self", "state_machine_arn", "name", "execution_input"], "the backend's start_execution")
    guard(all(callable(getattr(Execution, m, None)) for m in ("to_describe_output", "to_history_output")),
          "Execution's describe and history outputs")
    guard(isinstance(TMP_THREADS, list), "moto's TMP_THREADS list")


def test_batch_touch_points():
    for handler in (item_reader_s3.ResourceEvalS3._handle_get_object,
                    result_writer_s3.ResourceEvalS3._handle_put_object):
        guard(parameters(handler) == ["env", "resource_runtime_part", "state_credentials"], handler.__qualname__)
    guard(isinstance(sync_tasks._DELAY_SECONDS_SYNC_CONDITION_CHECK, (int, float)),
          "state_task_service_callback._DELAY_SECONDS_SYNC_CONDITION_CHECK")
    guard(parameters(StateTaskServiceSfn._normalise_parameters)
          == ["self", "parameters", "boto_service_name", "service_action_name"], "_normalise_parameters")
    guard(all(callable(getattr(StateTaskServiceSfn, m, None)) for m in
              ("_normalise_response", "_to_boto_request", "_from_boto_response", "_get_boto_service_action")),
          "StateTaskService's boto conversions")
    guard("_normalise_response" not in vars(StateTaskServiceSfn), "StateTaskServiceSfn's own _normalise_response")
    guard(parameters(ResultWriter._eval_body) == ["self", "env"], "ResultWriter._eval_body")
    guard(distributed_map.EventManager is EventManager and callable(EventManager._publish_history_event),
          "the DISTRIBUTED Map's EventManager")


# -- one lifecycle --------------------------------------------------------------------
def _owners_state(patches) -> list:
    return [vars(p.owner).get(p.attribute) for p in patches]


def test_patches_install_with_the_first_session_and_leave_with_the_last(tmp_path):
    patches = interpreter.patches(LambdaRouter()) + batch.patches()
    before = _owners_state(patches)
    assert not installed.active
    with LocalRuntime(home=tmp_path / "a"):
        during = _owners_state(patches)
        with LocalRuntime(home=tmp_path / "b") as inner:
            assert inner.run("mask_text", {"text": GUIDE_NOTE, "workPrefix": "file://" + str(tmp_path / "w") + "/",
                                           "destination": None, "operation": "mask", "options": {}}).status \
                == "SUCCEEDED"
        assert installed.active and _owners_state(patches) == during, "the inner runtime left them in place"
    assert not installed.active
    assert _owners_state(patches) == before, "every patched attribute is the very object it was"
    assert [a is not b for a, b in zip(before, during, strict=True)] == [True] * len(patches)


def test_a_definition_is_parsed_once_per_process(tmp_path):
    definition = render_definition("mask_text")
    with LocalRuntime(home=tmp_path):
        first, tree = AmazonStateLanguageParser.parse(definition)
        assert AmazonStateLanguageParser.parse(definition) == (first, tree)


def test_a_parsed_tree_is_cached_on_disk_for_the_next_process(tmp_path):
    definition = render_definition("mask_text")
    TreeCache(tmp_path).tree(definition)
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    cached = TreeCache(tmp_path)
    assert cached._load(definition) is not None, "a new process loads the tree instead of parsing"
    assert cached._load(definition + " ") is None


def test_a_cached_tree_is_not_loaded_from_a_directory_others_may_write(tmp_path):
    definition = render_definition("mask_text")
    directory = tmp_path / "trees"
    TreeCache(directory).tree(definition)
    assert TreeCache(directory)._load(definition) is not None
    directory.chmod(0o777)
    assert TreeCache(directory)._load(definition) is None


def test_executions_of_one_definition_each_get_their_own_result(tmp_path):
    with LocalRuntime(home=tmp_path) as runtime:
        masked = [run_job(runtime, "mask_text", "mask", {}, text=GUIDE_NOTE + f"Visit {word}.\n")[1].decode()
                  for word in ("one", "two")]
    assert masked == [GUIDE_NOTE_MASKED + f"Visit {word}.\n" for word in ("one", "two")]


@pytest.mark.parametrize("inline", [True, False])
def test_a_waited_execution_is_dropped_from_moto_once_its_history_is_saved(tmp_path, inline):
    def dead_threads() -> int:
        return sum(not t.is_alive() and t.ident is not None for t in TMP_THREADS)

    dead_before = dead_threads()
    with LocalRuntime(home=tmp_path) as runtime:
        execution_input = {"text": GUIDE_NOTE, "workPrefix": "file://" + str(tmp_path / "w") + "/",
                           "destination": None, "operation": "mask", "options": {}}
        for _ in range(3):
            if inline:
                runtime.run("mask_text", execution_input).result()
            else:
                runtime.wait(runtime.start_execution("mask_text", execution_input)).result()
        step_functions = runtime._session.step_functions
        assert step_functions.held() == 0 and step_functions.dropped == 3
        assert runtime.executions_ended("mask_text") == 3
        assert len(list((tmp_path / "executions").glob("*.json"))) == 3
    # Emptied of the dead at each end (the worker thread of the last execution was still running at its own).
    assert dead_threads() <= dead_before + 1, "moto's thread list keeps dead threads"


def test_a_second_process_runs_the_workflow_from_the_cached_tree(tmp_path):
    command = [sys.executable, "-m", "hdm.cli", "--state-dir", str(tmp_path), "mask-text", GUIDE_NOTE]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    cached = list((tmp_path / "cache" / "parse-trees").glob("*.pickle"))
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert len(cached) == 1
    assert first.stdout == second.stdout == GUIDE_NOTE_MASKED + "\n", first.stderr + second.stderr


def test_a_routed_function_calls_its_replacement_for_the_block_only(tmp_path):
    from steps import detect_phi

    calls_seen = []

    def elsewhere(event, context=None):
        calls_seen.append(sorted(event))
        return detect_phi.handler(event, context)

    def mask(runtime) -> str:
        return run_job(runtime, "mask_text", "mask", {}, text=GUIDE_NOTE)[1].decode()

    with LocalRuntime(home=tmp_path) as runtime:
        with runtime.routed("DetectPhiFunctionArn", elsewhere):
            assert mask(runtime) == GUIDE_NOTE_MASKED
            with pytest.raises(RuntimeError, match="already go elsewhere"):
                runtime.routed("DetectPhiFunctionArn", detect_phi.handler).__enter__()
        routed_calls = len(calls_seen)
        assert mask(runtime) == GUIDE_NOTE_MASKED
    assert routed_calls >= 1 and len(calls_seen) == routed_calls, "the step's own handler runs after the block"
    with pytest.raises(RuntimeError, match="not started"):
        runtime.routed("DetectPhiFunctionArn", elsewhere)
