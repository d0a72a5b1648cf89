"""The API's VTL mapping templates, taken from the synthesized template and rendered offline:
request bodies become the execution inputs the workflows expect, answers become the seed's."""

import json

import pytest

from infra import templates
from steps import options as job_options
from steps import storage
from steps.errors import InvalidInput

from .apigateway_vtl import render

pytestmark = pytest.mark.infra
TRICKY_TEXT = "Name: O'Brien, \"Bob\"\nDOB: 2/11/1961\t\\ café 🙂 </script>"


def _resolve(value) -> str:
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        return value["Fn::Join"][0].join(_resolve(p) for p in value["Fn::Join"][1])
    if "Ref" in value:
        return f"ref:{value['Ref']}"
    return f"ref:{value['Fn::GetAtt'][0]}.{value['Fn::GetAtt'][1]}"


def _request_template(synth, path, http_method) -> str:
    return _resolve(synth.method(path, http_method)["Integration"]["RequestTemplates"]["application/json"])


def _response_template(synth, path, http_method) -> str:
    (ok,) = [r for r in synth.method(path, http_method)["Integration"]["IntegrationResponses"]
             if r["StatusCode"] == "200"]
    return _resolve(ok["ResponseTemplates"]["application/json"])


def _ref(synth, construct) -> str:
    return _resolve(synth.stack.resolve(construct))


def _start(synth, path, http_method, **request):
    text, status = render(_request_template(synth, path, http_method), **request)
    assert status is None
    body = json.loads(text)
    return body, json.loads(body["input"])


@pytest.mark.parametrize("threshold, expected", [(".5", 0.5), ("1.", 1.0), (0.25, 0.25), (1, 1), (None, None)])
def test_text_phi_body_becomes_a_mask_text_detection_input(managed, threshold, expected):
    request = {"text": TRICKY_TEXT} | ({} if threshold is None else {"phiDetectionThreshold": threshold})
    body, execution_input = _start(managed, "text/phi", "POST", body=request)
    work = _ref(managed, managed.stack.storage.work.bucket_name)
    assert body["stateMachineArn"] == _ref(managed, managed.stack.workflows.express["mask_text"].state_machine_arn)
    assert body["name"] == "req-1"
    options = {"engine": "comprehend-medical"} | ({} if expected is None else {"threshold": expected})
    assert execution_input == {"text": TRICKY_TEXT, "destination": None, "workPrefix": f"s3://{work}/work/req-1/",
                               "operation": "detect", "options": options}
    assert job_options.validate(execution_input["options"])["engine"] == "comprehend-medical"


def test_text_phi_puts_neither_mode_nor_patient_id_into_the_execution(managed):
    """Detection ignores both; the schema it shares with POST /text/mask accepts them."""
    request = {"text": "x", "mode": {"NAME": "surrogate", "ID": "hash"}, "patientId": "MRN-RQ36114734"}
    body, execution_input = _start(managed, "text/phi", "POST", body=request)
    assert "RQ36114734" not in json.dumps(body) and set(execution_input["options"]) == {"engine"}


@pytest.mark.parametrize("path", ["text/mask", "image/mask"])
def test_masking_routes_go_through_the_function_that_keys_the_patient(managed, path):
    if path not in managed.stack.api.resource_ids:
        pytest.skip("statemachine/mask_image.asl.json is not in this tree: no image routes")
    integration = managed.method(path, "POST")["Integration"]
    sync_job = managed.stack.resolve(managed.stack.get_logical_id(managed.stack.api.sync_job.node.default_child))
    assert integration["Type"] == "AWS_PROXY" and sync_job in json.dumps(integration["Uri"])


def test_query_values_cannot_inject_json(managed):
    if "image/phi" not in managed.stack.api.resource_ids:
        pytest.skip("statemachine/mask_image.asl.json is not in this tree: no image routes to render")
    query = {"s3Bucket": "docs", "s3Key": 'x", "destination": "s3://evil/k', "phiDetectionThreshold": '0.5, "mode": "x'}
    _body, execution_input = _start(managed, "image/phi", "GET", query=query)
    assert storage.parse(execution_input["source"]) == ("s3", "docs", query["s3Key"])
    assert execution_input["destination"] is None
    assert execution_input["options"]["threshold"] == "not a number"
    with pytest.raises(InvalidInput, match="threshold must be a number"):
        job_options.validate(execution_input["options"])


def test_sync_answers_are_the_workflow_output_or_a_status_from_its_error(managed):
    template = _response_template(managed, "text/phi", "POST")
    output = {"maskedText": "Name: NAME", "entities": 1}
    text, status = render(template, body={"status": "SUCCEEDED", "output": json.dumps(output)})
    assert status is None and json.loads(text) == output
    for error, expected in (("InvalidInput", 400), ("States.DataLimitExceeded", 413), ("PhiServiceThrottled", 503),
                            ("InternalError", 500)):
        failed = {"status": "FAILED", "error": error, "cause": "the document is empty (it's \"blank\")"}
        text, status = render(template, body=failed)
        assert status == expected
        assert json.loads(text) == {"error": error, "message": failed["cause"]}


@pytest.mark.parametrize(("path", "http_method", "template"), [
    ("text/phi", "POST", "SYNC_RESPONSE"), ("image/text", "GET", "SYNC_RESPONSE"),
    ("image/phi", "GET", "SYNC_RESPONSE")])
def test_deployed_answers_are_the_templates_the_contract_test_renders(managed, path, http_method, template):
    """tests/server/test_error_contract.py renders infra.templates; these are what the stack deploys."""
    if path not in managed.stack.api.resource_ids:
        pytest.skip(f"no {path} route in this tree")
    assert _response_template(managed, path, http_method) == getattr(templates, template)
    declared = {r["StatusCode"]: r.get("ResponseParameters", {}) for r in managed.method(path, http_method)[
        "MethodResponses"]}
    assert {"422", "413", "503", "504"} <= set(declared)
    assert declared["503"] == {"method.response.header.Retry-After": True}


def test_execution_answers(managed):
    describe = _response_template(managed, "executions/{id}", "GET")
    running, _ = render(describe, body={"executionArn": "a", "status": "RUNNING", "startDate": 1.0})
    assert json.loads(running) == {"executionArn": "a", "status": "RUNNING", "startDate": 1.0}
    done, _ = render(describe, body={"executionArn": "a", "status": "SUCCEEDED", "startDate": 1.0, "stopDate": 2.0,
                                     "output": json.dumps({"output": "s3://docs/o.txt", "entities": 3})})
    assert json.loads(done)["output"] == {"output": "s3://docs/o.txt", "entities": 3}
    failed, _ = render(describe, body={"executionArn": "a", "status": "FAILED", "startDate": 1.0, "stopDate": 2.0,
                                       "error": "InvalidInput", "cause": "the document is empty"})
    assert json.loads(failed)["error"] == "InvalidInput"
    request, _ = render(_request_template(managed, "executions/{id}", "GET"),
                        path={"id": "arn%3Aaws%3Astates%3Ar%3A1%3Aexecution%3Am%3Areq-1"})
    assert json.loads(request) == {"executionArn": "arn:aws:states:r:1:execution:m:req-1"}
