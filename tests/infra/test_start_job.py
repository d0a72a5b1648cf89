"""The API's job-starting functions (infra/start_job/handler.py), with botocore's Stubber checking
every request they make. POST /executions: inline text is parked in the work area before the
execution starts, so the STANDARD execution's input holds only references. Both they and the
synchronous masking routes start an execution only with a patientId's keyed token."""

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


# -- POST /text/mask and POST /image/mask (sync_handler) ----------------------------------------------
KEY = b"deployment-key-0123456789"
PATIENT = "MRN-RQ36114734"
IMAGE_BODY = {"s3Bucket": "docs", "s3Key": "in/x 1.dcm", "destinationBucket": "docs", "destinationKey": "out/x.dcm"}


@pytest.fixture
def keyed(tmp_path, monkeypatch):
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY)
    monkeypatch.setenv("HDM_PSEUDONYM_KEY_FILE", str(key_file))  # stands for the stack's secret


def _sync(module, resource: str, body) -> dict:
    return module.sync_handler({"resource": resource, "body": body if isinstance(body, str) else json.dumps(body),
                                "requestContext": {"requestId": "req-1"}})


def _expect_sync(states, machine: str, outcome: dict) -> dict:
    """Queue a StartSyncExecution answer (the execution's outcome); returns the dict its input is recorded in."""
    seen = {}

    def record(params, **_kwargs):
        seen.update(params)

    states.client.meta.events.register("before-parameter-build.sfn.StartSyncExecution", record)
    moment = datetime(2026, 11, 29, tzinfo=UTC)
    states.add_response("start_sync_execution",
                        {"executionArn": f"{machine}:req-1".replace(":stateMachine:", ":execution:"),
                         "startDate": moment, "stopDate": moment, **outcome},
                        {"stateMachineArn": machine, "name": "req-1", "input": ANY})
    return seen


def test_text_mask_runs_the_express_machine_with_only_the_patients_token(start_job, keyed):
    from steps.operators.date_shift import patient_token

    module, _s3, states = start_job
    output = json.dumps({"maskedText": "Name: ANTILA, HONG", "operatorCounts": {"surrogate": 1}})
    seen = _expect_sync(states, TEXT_MACHINE, {"status": "SUCCEEDED", "output": output})
    answer = _sync(module, "/text/mask", {"text": NOTE, "mode": "surrogate", "patientId": PATIENT,
                                          "phiDetectionThreshold": ".5"})
    assert (answer["statusCode"], answer["body"]) == (200, output)
    assert "RQ36114734" not in seen["input"]
    assert json.loads(seen["input"]) == {
        "text": NOTE, "destination": None, "workPrefix": "s3://hdm-work/work/req-1/", "operation": "mask",
        "options": {"engine": "comprehend-medical", "threshold": 0.5, "mode": "surrogate",
                    "patientToken": patient_token(KEY, PATIENT)}}


def test_image_mask_takes_a_mode_per_type_as_json_and_answers_the_masked_path(start_job, keyed):
    from steps.operators.date_shift import patient_token

    module, _s3, states = start_job
    seen = _expect_sync(states, IMAGE_MACHINE, {"status": "SUCCEEDED",
                                                "output": json.dumps({"output": "s3://docs/out/x.dcm", "words": 3})})
    mode = {"NAME": "surrogate", "DATE": "surrogate", "ID": "hash"}
    answer = _sync(module, "/image/mask", IMAGE_BODY | {"mode": mode, "imageMaskPolicy": "balanced",
                                                        "patientId": PATIENT})
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"]) == {"maskedImagePath": "s3://docs/out/x.dcm"}
    execution_input = json.loads(seen["input"])
    assert execution_input["source"] == "s3://docs/in/x%201.dcm" and execution_input["destination"] == \
        "s3://docs/out/x.dcm"
    assert execution_input["options"] == {"engine": "comprehend-medical", "ocrEngine": "rekognition", "mode": mode,
                                          "imageMaskPolicy": "balanced", "patientToken": patient_token(KEY, PATIENT)}
    assert storage.parse(execution_input["source"]) == ("s3", "docs", "in/x 1.dcm")


def test_without_a_keyed_mode_the_patient_id_is_left_out(start_job):
    module, _s3, states = start_job
    seen = _expect_sync(states, TEXT_MACHINE, {"status": "SUCCEEDED", "output": "{}"})
    assert _sync(module, "/text/mask", {"text": NOTE, "mode": {"NAME": "redact"},
                                        "patientId": PATIENT})["statusCode"] == 200
    assert "RQ36114734" not in seen["input"] and "patientToken" not in json.loads(seen["input"])["options"]


@pytest.mark.parametrize(("outcome", "status", "retry_after"), [
    ({"status": "FAILED", "error": "InvalidInput", "cause": "the document is empty"}, 400, None),
    ({"status": "FAILED", "error": "SourceUnreadable", "cause": "not an image"}, 422, None),
    ({"status": "FAILED", "error": "States.DataLimitExceeded", "cause": "too big"}, 413, None),
    ({"status": "FAILED", "error": "PhiServiceThrottled",
      "cause": json.dumps({"errorMessage": "slow down", "stackTrace": ["x.py"]})}, 503, "5"),
    ({"status": "TIMED_OUT"}, 504, None),
    ({"status": "FAILED", "error": "KeyError", "cause": "{}"}, 500, None),
])
def test_a_failed_execution_is_answered_from_the_error_table(start_job, outcome, status, retry_after):
    module, _s3, states = start_job
    _expect_sync(states, TEXT_MACHINE, outcome)
    answer = _sync(module, "/text/mask", {"text": NOTE})
    assert answer["statusCode"] == status and answer["headers"].get("Retry-After") == retry_after
    body = json.loads(answer["body"])
    assert body["error"] == outcome.get("error", "TIMED_OUT") and "stackTrace" not in answer["body"]


def test_sync_refusals_start_nothing_and_echo_nothing(start_job, monkeypatch):
    module, _s3, states = start_job
    duplicated = '{"text": "a", "text": "b"}'
    assert _sync(module, "/text/mask", duplicated)["statusCode"] == 400
    too_large = _sync(module, "/text/mask", {"text": "O'Brien " * 40_000})
    assert too_large["statusCode"] == 400 and "POST /executions" in too_large["body"]
    assert "Brien" not in too_large["body"]
    monkeypatch.setenv("HDM_PSEUDONYM_KEY_FILE", "/nonexistent/key")
    unkeyed = _sync(module, "/image/mask", IMAGE_BODY | {"mode": "hash", "patientId": PATIENT})
    assert unkeyed["statusCode"] == 503 and json.loads(unkeyed["body"])["error"] == "EngineUnavailable"
    assert "RQ36114734" not in unkeyed["body"]
    states.add_client_error("start_sync_execution", service_error_code="StateMachineDoesNotExist",
                            http_status_code=400)
    not_started = _sync(module, "/image/mask", IMAGE_BODY)
    assert not_started["statusCode"] == 503 and "x 1" not in not_started["body"]
