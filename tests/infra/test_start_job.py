"""POST /executions' function (infra/start_job/handler.py): inline text is parked in the work
area before the execution starts, so the STANDARD execution's input holds only references."""

import importlib
import json
from datetime import UTC, datetime

import pytest
from botocore.stub import ANY, Stubber

from steps import storage

pytestmark = pytest.mark.infra
TEXT_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:HealthDataMasking-MaskText"
IMAGE_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:HealthDataMasking-MaskImage"
NOTE = "Name: O'Brien, \"Bob\"\nDOB: 2/11/1961"


@pytest.fixture
def start_job(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
                        "AWS_DEFAULT_REGION": "us-east-1", "WORK_BUCKET": "hdm-work",
                        "STATE_MACHINES": json.dumps({"mask_text": TEXT_MACHINE, "mask_image": IMAGE_MACHINE}),
                        "ENGINE_OPTIONS": json.dumps({"mask_text": {"engine": "comprehend-medical"},
                                                      "mask_image": {"engine": "comprehend-medical",
                                                                     "ocrEngine": "rekognition"}})}.items():
        monkeypatch.setenv(name, value)
    module = importlib.reload(importlib.import_module("infra.start_job.handler"))
    with Stubber(module._s3) as s3, Stubber(module._states) as states:
        yield module, s3, states
        s3.assert_no_pending_responses()
        states.assert_no_pending_responses()


def _post(module, body) -> tuple[int, dict]:
    answer = module.handler({"body": json.dumps(body), "requestContext": {"requestId": "req-1"}})
    return answer["statusCode"], json.loads(answer["body"])


def _expect_start(states, machine: str) -> dict:
    """Queue a StartExecution answer; returns the dict its input is recorded in."""
    seen = {}

    def record(params, **_kwargs):
        seen.update(params)

    states.client.meta.events.register("before-parameter-build.sfn.StartExecution", record)
    execution = f"{machine}:req-1".replace(":stateMachine:", ":execution:")
    states.add_response("start_execution", {"executionArn": execution, "startDate": datetime(2026, 11, 29, tzinfo=UTC)},
                        {"stateMachineArn": machine, "name": "req-1", "input": ANY})
    return seen


def test_inline_text_is_parked_and_only_its_reference_starts_the_job(start_job):
    module, s3, states = start_job
    s3.add_response("put_object", {}, {"Bucket": "hdm-work", "Key": "work/req-1/input.txt",
                                       "Body": NOTE.encode("utf-8"), "ContentType": "text/plain; charset=utf-8"})
    seen = _expect_start(states, TEXT_MACHINE)
    status, body = _post(module, {"workflow": "mask_text", "text": NOTE, "destinationBucket": "docs",
                                  "destinationKey": "masked/note 1.txt", "phiDetectionThreshold": ".5"})
    assert status == 202 and body["executionArn"].endswith(":execution:HealthDataMasking-MaskText:req-1")
    execution_input = json.loads(seen["input"])
    assert "O'Brien" not in seen["input"] and "text" not in execution_input
    assert execution_input == {"source": "s3://hdm-work/work/req-1/input.txt",
                               "destination": "s3://docs/masked/note%201.txt",
                               "workPrefix": "s3://hdm-work/work/req-1/", "operation": "mask",
                               "options": {"engine": "comprehend-medical", "threshold": 0.5}}
    assert storage.parse(execution_input["destination"]) == ("s3", "docs", "masked/note 1.txt")


def test_an_object_job_starts_the_chosen_workflow_with_its_engines(start_job):
    module, _s3, states = start_job
    seen = _expect_start(states, IMAGE_MACHINE)
    status, _body = _post(module, {"workflow": "mask_image", "s3Bucket": "docs", "s3Key": "in/x.dcm",
                                   "destinationBucket": "docs", "destinationKey": "out/x.dcm", "operation": "phi"})
    assert status == 202
    execution_input = json.loads(seen["input"])
    assert execution_input["source"] == "s3://docs/in/x.dcm" and execution_input["operation"] == "phi"
    assert execution_input["options"] == {"engine": "comprehend-medical", "ocrEngine": "rekognition"}


def test_refusals_name_the_problem_without_echoing_the_request(start_job):
    module, _s3, states = start_job
    assert _post(module, {"workflow": "batch"}) == (400, {"message": "workflow must be one of mask_image, mask_text"})
    answer = module.handler({"body": "{not json", "requestContext": {"requestId": "req-1"}})
    assert answer["statusCode"] == 400
    duplicated = '{"workflow": "mask_text", "text": "a", "text": "b", "destinationBucket": "d", "destinationKey": "k"}'
    answer = module.handler({"body": duplicated, "requestContext": {"requestId": "req-1"}})
    assert answer["statusCode"] == 400
    assert json.loads(answer["body"]) == {"message": "duplicate key(s) in the body: 1"}
    states.add_client_error("start_execution", service_error_code="ExecutionAlreadyExists", http_status_code=400)
    status, body = _post(module, {"workflow": "mask_image", "s3Bucket": "docs", "s3Key": "secret-name.png",
                                  "destinationBucket": "docs", "destinationKey": "o.png"})
    assert status == 400 and body["error"] == "ExecutionAlreadyExists" and "secret-name" not in json.dumps(body)


def test_a_patient_id_starts_the_job_only_as_its_keyed_token(start_job, tmp_path, monkeypatch):
    from steps.operators.date_shift import patient_token

    key_file = tmp_path / "key"
    key_file.write_bytes(b"deployment-key-0123456789")
    monkeypatch.setenv("HDM_PSEUDONYM_KEY_FILE", str(key_file))  # stands for the stack's secret
    module, _s3, states = start_job
    seen = _expect_start(states, IMAGE_MACHINE)
    status, _body = _post(module, {"workflow": "mask_image", "s3Bucket": "docs", "s3Key": "in/x.dcm",
                                   "destinationBucket": "docs", "destinationKey": "out/x.dcm",
                                   "mode": "surrogate", "patientId": "MRN-RQ36114734"})
    assert status == 202 and "RQ36114734" not in seen["input"]
    options = json.loads(seen["input"])["options"]
    assert options["mode"] == "surrogate"
    assert options["patientToken"] == patient_token(b"deployment-key-0123456789", "MRN-RQ36114734")


def test_a_patient_id_without_a_readable_key_starts_nothing(start_job, monkeypatch):
    monkeypatch.setenv("HDM_PSEUDONYM_KEY_FILE", "/nonexistent/key")
    module, _s3, _states = start_job
    status, body = _post(module, {"workflow": "mask_image", "s3Bucket": "docs", "s3Key": "in/x.dcm",
                                  "destinationBucket": "docs", "destinationKey": "out/x.dcm",
                                  "mode": "hash", "patientId": "MRN-RQ36114734"})
    assert status == 503 and body["error"] == "EngineUnavailable" and "RQ36114734" not in json.dumps(body)


def test_a_patient_id_without_a_keyed_mode_starts_the_job_without_it(start_job):
    module, _s3, states = start_job
    seen = _expect_start(states, IMAGE_MACHINE)
    status, _body = _post(module, {"workflow": "mask_image", "s3Bucket": "docs", "s3Key": "in/x.dcm",
                                   "destinationBucket": "docs", "destinationKey": "out/x.dcm",
                                   "patientId": "MRN-RQ36114734"})
    assert status == 202 and "RQ36114734" not in seen["input"]
    assert "patientToken" not in json.loads(seen["input"])["options"]
