"""The API's functions that start workflows (API Gateway proxy events). A ``patientId`` becomes
its token under the deployment's pseudonym key before the execution starts, so no execution's
input or history holds a patient's identity (docs/architecture.md).

- ``handler``, POST /executions: inline text is first written to the job's work area, then
  StartExecution on a STANDARD machine, whose input stays in its history for 90 days: it holds
  only references and tokens. Answers 202.
- ``sync_handler``, POST /text/mask and POST /image/mask: StartSyncExecution on an EXPRESS
  machine (no history; its logs leave execution data out), text inline as API Gateway's
  templates put it for the other synchronous routes, and the answer from the error table the
  local API answers from (workflow_catalogue.errors).

Bodies were already validated against api/schemas. Nothing here logs the body, keys or text.
"""

import json
import os
import re
from urllib.parse import quote

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from steps import pseudonym_key
from steps.errors import EngineUnavailable, StepError
from steps.operators.registry import with_patient
from workflow_catalogue import errors
from workflow_catalogue.requests import unique_keys

_s3 = boto3.client("s3")
_states = boto3.client("stepfunctions")
_DECIMAL = re.compile(r"^(\d+\.?\d*|\.\d+)$")
# Step Functions' answers that mean the request itself cannot be started.
_REFUSED = {"ExecutionAlreadyExists", "InvalidExecutionInput", "InvalidName", "ValidationException"}
# The workflow behind each synchronous route (its EXPRESS machine is in STATE_MACHINES).
SYNC_WORKFLOWS = {"/text/mask": "mask_text", "/image/mask": "mask_image"}
# Step Functions' limit on an execution's input, in UTF-8 bytes.
MAX_INPUT_BYTES = 262_144
_JSON = {"Content-Type": "application/json"}


class Refused(Exception):
    """A request answered without starting anything: ``answer`` is the proxy response."""

    def __init__(self, status: int, body: dict):
        super().__init__(status)
        self.answer = _answer(status, body)


def _ref(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{quote(key)}"  # the form steps/storage.py parses


def _answer(status: int, body: dict, headers: dict | None = None) -> dict:
    return {"statusCode": status, "headers": {**_JSON, **(headers or {})}, "body": json.dumps(body)}


def _body(event: dict) -> dict:
    try:
        # API Gateway's validator cannot see duplicate keys (the last would silently win).
        body = json.loads(event.get("body") or "", object_pairs_hook=unique_keys)
    except json.JSONDecodeError:
        raise Refused(400, {"message": "the body is not valid JSON"}) from None
    except ValueError as exc:
        raise Refused(400, {"message": str(exc)}) from None
    if not isinstance(body, dict):
        raise Refused(400, {"message": "the body must be a JSON object"})
    return body


def _deployment_key() -> bytes:
    """The stack always configures its key: a per-job key could not be made before the job's work area."""
    key = pseudonym_key.deployment_key()
    if key is None:
        raise EngineUnavailable(f"no pseudonym key: {pseudonym_key.SECRET_ARN_VARIABLE} is not set")
    return key


def _options(body: dict, workflow: str) -> dict:
    """The deployment's engines for ``workflow``, and the body's options; a patientId as its token."""
    options = dict(json.loads(os.environ["ENGINE_OPTIONS"])[workflow])
    threshold = body.get("phiDetectionThreshold")
    if threshold is not None:  # the seed accepted decimal strings; anything else is Fetch's to reject
        options["threshold"] = float(threshold) if isinstance(threshold, str) and _DECIMAL.match(threshold) \
            else threshold
    for name in ("mode", "imageMaskPolicy"):  # a mode may be an object: it rides as JSON
        if name in body:
            options[name] = body[name]
    try:
        return with_patient(options, body.get("patientId"), _deployment_key)
    except StepError as exc:  # the key's secret cannot be read: its messages name no value
        raise Refused(503, {"error": type(exc).__name__, "message": str(exc)}) from None


def _not_started(exc: Exception) -> dict:
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "Unknown")
        return _answer(400 if code in _REFUSED else 503, {"error": code, "message": "the job could not be started"})
    return _answer(503, {"error": type(exc).__name__, "message": "the job could not be started"})


def handler(event: dict, context=None) -> dict:
    try:
        body = _body(event)
        machines = json.loads(os.environ["STATE_MACHINES"])
        if body.get("workflow") not in machines:
            raise Refused(400, {"message": f"workflow must be one of {', '.join(sorted(machines))}"})
        options = _options(body, body["workflow"])
    except Refused as refused:
        return refused.answer
    name = event["requestContext"]["requestId"]
    work_prefix = f"s3://{os.environ['WORK_BUCKET']}/work/{name}/"
    try:
        if "text" in body:
            key = f"work/{name}/input.txt"
            _s3.put_object(Bucket=os.environ["WORK_BUCKET"], Key=key, Body=body["text"].encode("utf-8"),
                           ContentType="text/plain; charset=utf-8")
            source = _ref(os.environ["WORK_BUCKET"], key)
        else:
            source = _ref(body["s3Bucket"], body["s3Key"])
        execution_input = {"source": source, "workPrefix": work_prefix, "operation": body.get("operation", "mask"),
                           "destination": _ref(body["destinationBucket"], body["destinationKey"]),
                           "options": options}
        started = _states.start_execution(stateMachineArn=machines[body["workflow"]], name=name,
                                          input=json.dumps(execution_input))
    except (ClientError, BotoCoreError) as exc:
        return _not_started(exc)
    return _answer(202, {"executionArn": started["executionArn"], "startDate": started["startDate"].isoformat()})


def sync_handler(event: dict, context=None) -> dict:
    workflow = SYNC_WORKFLOWS[event["resource"]]
    try:
        body = _body(event)
        options = _options(body, workflow)
    except Refused as refused:
        return refused.answer
    name = event["requestContext"]["requestId"]
    execution_input = {"destination": None, "workPrefix": f"s3://{os.environ['WORK_BUCKET']}/work/{name}/",
                       "operation": "mask", "options": options}
    if workflow == "mask_text":
        execution_input["text"] = body["text"]
    else:
        execution_input.update(source=_ref(body["s3Bucket"], body["s3Key"]),
                               destination=_ref(body["destinationBucket"], body["destinationKey"]))
    encoded = json.dumps(execution_input)
    if len(encoded.encode("utf-8")) > MAX_INPUT_BYTES:
        return _answer(400, {"error": "InvalidExecutionInput",
                             "message": "the request is larger than a synchronous execution's input (256 KiB): "
                                        "put the document in the data bucket and use POST /executions"})
    try:
        result = _states.start_sync_execution(stateMachineArn=json.loads(os.environ["STATE_MACHINES"])[workflow],
                                              name=name, input=encoded)
    except (ClientError, BotoCoreError) as exc:
        return _not_started(exc)
    if result["status"] == "SUCCEEDED":
        if workflow == "mask_text":  # the workflow's output as it is, as the other routes answer
            return {"statusCode": 200, "headers": dict(_JSON), "body": result["output"]}
        return _answer(200, {"maskedImagePath": json.loads(result["output"])["output"]})
    status = errors.status_for(result.get("error"), result["status"])
    return _answer(status, errors.body(result.get("error"), result["status"], result.get("cause")),
                   headers=errors.headers_for(status))
