"""Every definition lints clean once substituted; every task retries; every handler imports."""

import json

import pytest
from statelint.linter import Linter

from hdm.moto_hooks.lambdas import LambdaRouter
from hdm.runtime import render_definition
from workflow_catalogue.naming import all_states, function_table, workflow_names


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
    top_level = json.loads(render_definition(workflow))["States"]
    for name, state in all_states(top_level):
        if state["Type"] != "Task":
            continue
        assert state.get("Retry"), f"{workflow}.{name} has no Retry"
        if name in top_level:
            assert state.get("Catch"), f"{workflow}.{name} has no Catch"


def test_every_handler_in_functions_json_imports():
    router = LambdaRouter()
    assert len(router.handler_paths) == len(function_table())
    assert all(callable(router.handler(name)) for name in router.handler_paths)
