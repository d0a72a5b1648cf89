"""One error contract for both APIs: a failed execution gets the same status, body and Retry-After
from the local server as from the deployed API: its mapping templates (rendered offline) and the
function in front of its masking routes (botocore's Stubber answering StartSyncExecution).

The local side is the real application (routing, job runner, exception handlers, guard) with only
the workflow's outcome supplied; tests/server/test_api.py checks the same with a real failure over HTTP.
"""

import importlib
import json
import warnings
from datetime import UTC, datetime

import pytest
from botocore.stub import Stubber
from starlette.exceptions import StarletteDeprecationWarning

from hdm.execution import Execution, WorkflowError
from hdm.jobs import text as text_jobs
from hdm.moto_hooks.lambdas import LambdaRouter
from hdm.server.app import ServerConfig, create_app
from infra import templates
from steps.errors import StepError
from tests.infra.apigateway_vtl import render_response
from workflow_catalogue import errors

with warnings.catch_warnings():
    # Starlette's TestClient prefers a fork of httpx that the project does not install; httpx works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

# What Step Functions itself raises into our workflows (besides the steps' own errors), what the
# local Lambda routing raises, and a name nobody declared.
RUNTIME_ERRORS = ["States.Runtime", "States.TaskFailed", "States.Timeout", "States.DataLimitExceeded",
                  "States.Permissions", "States.ExceedToleratedFailureThreshold", "States.ItemReaderFailed",
                  "States.ResultWriterFailed", "Lambda.Unknown", "ResourceNotFoundException", "KeyError",
                  "NobodyDeclaredThis"]
CAUSES = {
    # As on AWS: the Lambda runtime's cause, whose stack trace must not reach the caller.
    "lambda": json.dumps({"errorMessage": "the document is empty (it's \"blank\") \u00e9\n",
                          "errorType": "X", "requestId": "r-1", "stackTrace": ["  File \"/var/task/x.py\""]}),
    "plain": "The state/task returned a result with a size exceeding the maximum number of bytes",
    "none": None,
}


def step_error_names(cls=StepError) -> set[str]:
    """Every StepError the workflows' handlers can raise: all of them are imported by now (below)."""
    names = set()
    for sub in cls.__subclasses__():
        names |= {sub.error_name()} | step_error_names(sub)
    return names


# Each handler of statemachine/functions.json imports the errors it raises (wherever they are defined).
_router = LambdaRouter()
for _function in _router.handler_paths:
    _router.handler(_function)
ERROR_NAMES = sorted(step_error_names() | set(errors.STATUS_BY_ERROR) | set(RUNTIME_ERRORS))
CASES = ([("FAILED", name, cause) for name in ERROR_NAMES for cause in ("lambda", "plain")]
         + [("FAILED", "InvalidInput", "none"), ("TIMED_OUT", None, "none"), ("TIMED_OUT", "States.Timeout", "plain"),
            ("ABORTED", None, "none")])


@pytest.fixture(scope="module")
def local_api(tmp_path_factory):
    app = create_app(ServerConfig(home=tmp_path_factory.mktemp("contract"), token=None))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_the_cases_cover_every_step_error_and_every_status_of_the_table():
    assert step_error_names() >= {"InvalidInput", "SourceUnreadable", "PhiServiceThrottled", "InternalError"}
    assert step_error_names() <= set(ERROR_NAMES)
    statuses = {errors.status_for(error, status) for status, error, _cause in CASES}
    assert statuses == {*errors.STATUS_BY_ERROR.values(), errors.TIMEOUT_STATUS, errors.DEFAULT_STATUS}


@pytest.fixture(scope="module")
def sync_function():
    with pytest.MonkeyPatch.context() as env:
        for name, value in {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
                            "AWS_DEFAULT_REGION": "us-east-1", "WORK_BUCKET": "hdm-work",
                            "STATE_MACHINES": json.dumps({"mask_text": "arn:aws:states:us-east-1:1:stateMachine:m"}),
                            "ENGINE_OPTIONS": json.dumps({"mask_text": {"engine": "builtin"}})}.items():
            env.setenv(name, value)
        yield importlib.reload(importlib.import_module("infra.start_job.handler"))


def _function_answer(module, described: dict) -> tuple[str, int, dict]:
    """POST /text/mask's answer from the deployed function, the execution ending as ``described``."""
    moment = datetime(2026, 12, 1, tzinfo=UTC)
    with Stubber(module._states) as states:
        states.add_response("start_sync_execution", {"executionArn": "arn:x", "startDate": moment,
                                                     "stopDate": moment, **described})
        answer = module.sync_handler({"resource": "/text/mask", "body": json.dumps({"text": "Seen by Dr. Smith"}),
                                      "requestContext": {"requestId": "req-1"}})
    return answer["body"], answer["statusCode"], answer["headers"]


@pytest.mark.parametrize("deployed", ["SYNC_RESPONSE", "sync function"])
@pytest.mark.parametrize(("status", "error", "cause"), CASES)
def test_local_and_deployed_answers_agree(local_api, sync_function, monkeypatch, deployed, status, error, cause):
    failed = Execution(name="mask-text-1", arn="arn:x", workflow="mask_text", status=status, error=error,
                       cause=CAUSES[cause])

    def fail(*_args, **_kwargs):
        raise WorkflowError(failed)

    monkeypatch.setattr(text_jobs, "mask_text", fail)
    local = local_api.post("/text/mask", json={"text": "Seen by Dr. Smith"})
    described = {"status": status} | ({"error": error} if error else {}) | ({"cause": CAUSES[cause]} if cause != "none"
                                                                            else {})
    if deployed == "sync function":
        text, deployed_status, deployed_headers = _function_answer(sync_function, described)
    else:
        text, deployed_status, deployed_headers = render_response(templates.SYNC_RESPONSE, body=described)
    assert local.status_code == deployed_status
    assert local.json() == json.loads(text)
    assert local.headers.get("retry-after") == deployed_headers.get("Retry-After")
    assert "stackTrace" not in local.text and "Seen by" not in local.text
    expected_status = errors.STATUS_BY_ERROR.get(error or status, errors.DEFAULT_STATUS)
    assert deployed_status == (errors.TIMEOUT_STATUS if status == "TIMED_OUT" else expected_status)


def test_the_table_is_the_issues_contract():
    table = {"InvalidInput": 400, "SourceUnreadable": 422, "ResidualPhi": 422, "TooLarge": 413,
             "States.DataLimitExceeded": 413, "PhiServiceThrottled": 503, "TransientError": 503,
             "EngineUnavailable": 503}
    assert {name: errors.status_for(name, "FAILED") for name in table} == table
    assert errors.status_for("InternalError", "FAILED") == 500 and errors.status_for(None, "TIMED_OUT") == 504
    assert errors.headers_for(503) == {"Retry-After": "5"} and errors.headers_for(422) == {}
