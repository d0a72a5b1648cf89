"""Every definition lints clean once substituted, and the moto internals we hook are where we expect."""

import inspect
import json

import moto
import pytest
from moto.awslambda_simple.models import LambdaSimpleBackend
from statelint.linter import Linter

from hdm.routing import LambdaRouter, function_table
from hdm.runtime import render_definition, workflow_names


# statelint's schema predates the S3 item reader's ReaderConfig.InputType, which AWS requires
# for a JSON file (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html).
def _statelint_gap(problem: str) -> bool:
    return problem.startswith('Field "InputType" not allowed in State Machine.States.') and problem.endswith(
        ".ItemReader.ReaderConfig")


@pytest.mark.parametrize("workflow", workflow_names())
def test_definition_is_valid_asl_after_substitution(workflow):
    definition = render_definition(workflow)
    assert "${" not in definition
    assert [problem for problem in Linter.validate(definition) if not _statelint_gap(problem)] == []


@pytest.mark.parametrize("workflow", workflow_names())
def test_every_task_retries_and_catches(workflow):
    def tasks(states):
        for name, state in states.items():
            if state["Type"] == "Task":
                yield name, state
            for branch in [state.get("ItemProcessor") or state.get("Iterator")] + state.get("Branches", []):
                if branch:
                    yield from tasks(branch["States"])

    definition = json.loads(render_definition(workflow))
    top_level = definition["States"]
    for name, state in tasks(top_level):
        assert state.get("Retry"), f"{workflow}.{name} has no Retry"
        if name in top_level:
            assert state.get("Catch"), f"{workflow}.{name} has no Catch"


def test_every_handler_in_functions_json_imports():
    router = LambdaRouter()
    assert len(router.handlers) == len(function_table())
    assert all(callable(h) for h in router.handlers.values())


def test_moto_internals_the_runtime_hooks_have_not_moved():
    """hdm.routing replaces LambdaSimpleBackend.invoke; fail loudly if moto changes it."""
    assert moto.__version__ == "5.2.5", "re-check hdm/routing.py against the new moto, then update the pin"
    params = list(inspect.signature(LambdaSimpleBackend.invoke).parameters)
    assert params == ["self", "function_name", "qualifier", "body", "headers", "response_headers"]
    from moto.stepfunctions.parser.asl.utils import boto_client  # the interpreter's Lambda calls go through it

    assert callable(boto_client.boto_client_for)
    router = LambdaRouter()
    router.install()
    try:
        assert LambdaSimpleBackend.invoke is not router._original
    finally:
        router.uninstall()
    assert LambdaSimpleBackend.invoke is router._original
