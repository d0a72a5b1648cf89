"""hdm.interpreter: moto's interpreter with cached parse trees, clients and JSONPaths, hooked where expected."""

import inspect
import subprocess
import sys

from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.utils import boto_client, json_path
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

from hdm import interpreter
from hdm.jobs import run_job
from hdm.runtime import LocalRuntime, render_definition
from tests.conftest import GUIDE_NOTE, GUIDE_NOTE_MASKED


def test_hooks_are_where_expected_and_restored():
    """Fails loudly if the moto internals patched by hdm.interpreter move (moto is pinned)."""
    originals = (AmazonStateLanguageParser.parse, json_path.parse)
    users = interpreter._client_users()
    assert users, "no interpreter module imports boto_client_for by name any more"
    # Executions and state machine creation both parse through the patched class attribute.
    assert "AmazonStateLanguageParser.parse(" in inspect.getsource(ExecutionWorker._get_evaluation_entrypoint)
    with interpreter.cached_interpreter():
        assert AmazonStateLanguageParser.parse is not originals[0] and json_path.parse is not originals[1]
        assert all(module.boto_client_for is interpreter._client_for for module in users)
    assert (AmazonStateLanguageParser.parse, json_path.parse) == originals
    assert all(module.boto_client_for is boto_client.boto_client_for for module in users)


def test_each_parse_is_a_fresh_program_from_one_cached_tree():
    definition = render_definition("mask_text")
    with interpreter.cached_interpreter():
        first, tree = AmazonStateLanguageParser.parse(definition)
        second, same_tree = AmazonStateLanguageParser.parse(definition)
    assert tree is same_tree and first is not second


def test_executions_of_one_definition_each_get_their_own_result(tmp_path):
    with LocalRuntime(home=tmp_path) as runtime:
        masked = [run_job(runtime, "mask_text", "mask", {}, text=GUIDE_NOTE + f"Visit {word}.\n")[1].decode()
                  for word in ("one", "two")]
    assert masked == [GUIDE_NOTE_MASKED + f"Visit {word}.\n" for word in ("one", "two")]


def test_the_runtime_imports_without_moto_batch_models():
    """moto.batch's __init__ would load moto's EC2 data (0.65 s a process); its utils must still import."""
    code = ("import sys, hdm.runtime, hdm.jobs.batch; from moto.batch.utils import JobStatus; "
            "assert 'moto.ec2' not in sys.modules and 'moto.batch.models' not in sys.modules, 'EC2 data loaded'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
