"""POST /executions (API Gateway proxy event): start a workflow asynchronously.

Inline text is first written to the job's work area, and a ``patientId`` becomes its token
under the deployment's pseudonym key, so the STANDARD execution's input, kept in its history
for 90 days, holds only references and tokens (docs/architecture.md: PHI never rides in the
execution history). The body was already validated against api/schemas/execution_request.json.
Nothing here logs the body, keys or text.
"""

import json
import os
import re
from urllib.parse import quote

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from steps import pseudonym_key
from steps.errors import EngineUnavailable, StepError
from steps.operators.date_shift import patient_token
from steps.operators.registry import needs_key
from steps.options import DEFAULTS
from workflow_catalogue.requests import unique_keys

_s3 = boto3.client("s3")
_states = boto3.client("stepfunctions")
_DECIMAL = re.compile(r"^(\d+\.?\d*|\.\d+)$")
# Step Functions' answers that mean the request itself cannot be started.
_REFUSED = {"ExecutionAlreadyExists", "InvalidExecutionInput", "InvalidName", "ValidationException"}


def _ref(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{quote(key)}"  # the form steps/storage.py parses


def _answer(status: int, body: dict) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def _patient_token(patient_id: str) -> str:
    """The stack always configures its key: a per-job key could not be made before the job's work area."""
    key = pseudonym_key.deployment_key()
    if key is None:
        raise EngineUnavailable(f"no pseudonym key: {pseudonym_key.SECRET_ARN_VARIABLE} is not set")
    return patient_token(key, patient_id)


def handler(event: dict, context=None) -> dict:
    try:
        # API Gateway's validator cannot see duplicate keys (the last would silently win).
        body = json.loads(event.get("body") or "", object_pairs_hook=unique_keys)
    except json.JSONDecodeError:
        return _answer(400, {"message": "the body is not valid JSON"})
    except ValueError as exc:
        return _answer(400, {"message": str(exc)})
    machines = json.loads(os.environ["STATE_MACHINES"])
    if not isinstance(body, dict) or body.get("workflow") not in machines:
        return _answer(400, {"message": f"workflow must be one of {', '.join(sorted(machines))}"})
    name = event["requestContext"]["requestId"]
    work_prefix = f"s3://{os.environ['WORK_BUCKET']}/work/{name}/"
    options = dict(json.loads(os.environ["ENGINE_OPTIONS"])[body["workflow"]])
    threshold = body.get("phiDetectionThreshold")
    if threshold is not None:  # the seed accepted decimal strings; anything else is Fetch's to reject
        options["threshold"] = float(threshold) if isinstance(threshold, str) and _DECIMAL.match(threshold) \
            else threshold
    if "mode" in body:
        options["mode"] = body["mode"]
    try:
        # As the local jobs do: the patient matters to the keyed operators only.
        if "patientId" in body and needs_key(options.get("mode", DEFAULTS["mode"])):
            options["patientToken"] = _patient_token(body["patientId"])
    except StepError as exc:  # the key's secret cannot be read: its messages name no value
        return _answer(503, {"error": type(exc).__name__, "message": str(exc)})
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
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "Unknown")
        return _answer(400 if code in _REFUSED else 503, {"error": code, "message": "the job could not be started"})
    except BotoCoreError as exc:
        return _answer(503, {"error": type(exc).__name__, "message": "the job could not be started"})
    return _answer(202, {"executionArn": started["executionArn"], "startDate": started["startDate"].isoformat()})
