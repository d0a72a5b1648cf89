"""Assertions over the synthesized CloudFormation template (aws_cdk.assertions + plain JSON)."""

import json
import re

import pytest
from aws_cdk.assertions import Match, Template

from infra.api import API_TIMEOUT_SECONDS
from infra.functions import LAMBDA_MAX_TIMEOUT_SECONDS
from infra.grants import access_for
from infra.settings import PHI_ENGINE
from infra.workflows import placeholders
from steps import pseudonym_key
from steps.imaging.dicom import DEFAULT_PIXEL_BUDGET_MB
from steps.operators import date_shift
from workflow_catalogue.naming import (
    STATEMACHINE_DIR,
    all_states,
    definition_text,
    function_table,
    state_machine_placeholder,
    workflow_names,
)

from .step_calls import placeholders_calling

pytestmark = pytest.mark.infra
XRAY = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
LOGS = {"logs:CreateLogStream", "logs:PutLogEvents"}
MANAGED_AI = {"comprehendmedical:DetectPHI", "rekognition:DetectText"}
# The functions of steps/ through which each managed service is called (the engines' registries).
SERVICE_ENTRY_POINTS = {"comprehendmedical:DetectPHI": ("get_engine",), "rekognition:DetectText": ("get_ocr_engine",)}
# steps/pseudonym_key.py, and the operators' way to it (steps/operators/registry.py).
KEY_READERS = ("job_key", "deployment_key", "job_context")


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _role_statements(synth, role_id: str) -> list[dict]:
    return [statement for policy in synth.of_type("AWS::IAM::Policy").values()
            if {"Ref": role_id} in policy["Properties"]["Roles"]
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]]


def _actions(statements) -> set[str]:
    return {action for s in statements for action in _as_list(s["Action"])}


def _step_functions(synth) -> dict[str, tuple[str, dict]]:
    """placeholder -> (logical id, resource) for every step function (tagged with its placeholder)."""
    found = {}
    for lid, resource in synth.of_type("AWS::Lambda::Function").items():
        tags = {t["Key"]: t["Value"] for t in resource["Properties"].get("Tags", [])}
        if "hdm:placeholder" in tags:
            found[tags["hdm:placeholder"]] = (lid, resource)
    return found


def _logical_id(synth, bucket) -> str:
    return synth.stack.resolve(synth.stack.get_logical_id(bucket.node.default_child))


def test_one_function_per_functions_json_entry(synth):
    assert sorted(_step_functions(synth)) == sorted(function_table())


def test_every_api_method_requires_aws_iam(synth):
    methods = synth.of_type("AWS::ApiGateway::Method")
    assert len(methods) >= 5
    assert {lid: m["Properties"]["AuthorizationType"] for lid, m in methods.items()} == {
        lid: "AWS_IAM" for lid in methods}


def test_each_function_role_grants_only_what_its_step_uses(synth):
    engines = synth.stack.settings.engines
    storage = synth.stack.storage
    buckets = {"data": _logical_id(synth, storage.data), "work": _logical_id(synth, storage.work)}
    roles = set()
    for placeholder, (_lid, function) in _step_functions(synth).items():
        access = access_for(placeholder)
        role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
        roles.add(role_id)
        statements = _role_statements(synth, role_id)
        expected = LOGS | XRAY | {action for action, names in (
            ("s3:GetObject", access.reads), ("s3:PutObject", access.writes), ("s3:DeleteObject", access.deletes),
            ("s3:ListBucket", access.lists), ("kms:Decrypt", access.reads or access.writes or access.pseudonym_key),
            ("kms:GenerateDataKey", access.writes), ("secretsmanager:GetSecretValue", access.pseudonym_key))
            if names}
        if engines == "managed":
            expected |= set(access.managed_actions)
        assert _actions(statements) == expected, placeholder
        for action, names in (("s3:GetObject", access.reads), ("s3:PutObject", access.writes),
                              ("s3:DeleteObject", access.deletes)):
            resources = [r for s in statements if action in _as_list(s["Action"]) for r in _as_list(s["Resource"])]
            assert sorted(json.dumps(r) for r in resources) == sorted(
                json.dumps({"Fn::Join": ["", [{"Fn::GetAtt": [buckets[n], "Arn"]}, "/*"]]}) for n in set(names)), (
                placeholder, action)
        listed = [r for s in statements if "s3:ListBucket" in _as_list(s["Action"]) for r in _as_list(s["Resource"])]
        assert sorted(json.dumps(r) for r in listed) == sorted(
            json.dumps({"Fn::GetAtt": [buckets[n], "Arn"]}) for n in access.lists), placeholder
    assert len(roles) == len(function_table()), "every step function has a role of its own"


def _holders(synth, actions: set[str]) -> dict[str, set[str]]:
    """action -> the roles whose policies grant it."""
    holders = {}
    for policy in synth.of_type("AWS::IAM::Policy").values():
        for action in _actions(policy["Properties"]["PolicyDocument"]["Statement"]) & actions:
            holders.setdefault(action, set()).update(r["Ref"] for r in policy["Properties"]["Roles"])
    return holders


def _roles_of(synth, placeholders: set[str]) -> set[str]:
    functions = _step_functions(synth)
    return {functions[p][1]["Properties"]["Role"]["Fn::GetAtt"][0] for p in placeholders}


def test_only_the_functions_whose_steps_call_a_managed_ai_service_may_call_it(synth):
    """The rule: a role may call DetectPHI or DetectText exactly when its step's code reaches the engine
    registry that calls it (DetectPhi, MaskBatch and RenderImage's descriptor cleaning; DetectText and
    RenderImage's verification gate), and none may with the built-in engines."""
    holders = _holders(synth, MANAGED_AI)
    if synth.stack.settings.engines == "builtin":
        assert holders == {}, "the built-in engines deployment must not be able to call a managed AI service"
        return
    expected = {action: placeholders_calling(*names) for action, names in SERVICE_ENTRY_POINTS.items()}
    assert expected["comprehendmedical:DetectPHI"] >= {"DetectPhiFunctionArn", "RenderImageFunctionArn"}
    assert expected["rekognition:DetectText"] >= {"DetectTextFunctionArn", "RenderImageFunctionArn"}
    assert holders == {action: _roles_of(synth, steps) for action, steps in expected.items()}


def test_the_pseudonym_key_is_a_generated_encrypted_retained_secret(synth):
    ((secret_id, secret),) = synth.of_type("AWS::SecretsManager::Secret").items()
    props = secret["Properties"]
    assert props["KmsKeyId"] == {"Fn::GetAtt": [synth.stack.resolve(synth.stack.get_logical_id(
        synth.stack.storage.key.node.default_child)), "Arn"]}
    assert "SecretString" not in props and props["GenerateSecretString"]["PasswordLength"] >= 32
    assert secret["DeletionPolicy"] == secret["UpdateReplacePolicy"] == "Retain"
    assert synth.of_type("AWS::SecretsManager::RotationSchedule") == {}, "a rotated key breaks pseudonym consistency"
    assert secret_id in json.dumps(synth.template["Outputs"]["PseudonymKeySecretArn"])


def test_only_the_functions_whose_steps_read_the_pseudonym_key_may_read_it(synth):
    secret_ref = {"Ref": synth.stack.resolve(synth.stack.get_logical_id(
        synth.stack.storage.pseudonym_key.node.default_child))}
    readers = placeholders_calling(*KEY_READERS)
    assert readers >= {"FetchImageFunctionArn", "RenderImageFunctionArn", "FetchFunctionArn", "RenderTextFunctionArn"}
    holders = _holders(synth, {"secretsmanager:GetSecretValue", "secretsmanager:*"})
    # Beside the steps, the API's functions that start jobs: they key a request's patientId before it starts.
    api_roles = {synth.stack.resolve(synth.stack.get_logical_id(function.role.node.default_child))
                 for function in (synth.stack.api.start_job, synth.stack.api.sync_job)}
    assert holders == {"secretsmanager:GetSecretValue": _roles_of(synth, readers) | api_roles}
    for policy in synth.of_type("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if "secretsmanager:GetSecretValue" in _as_list(statement["Action"]):
                assert _as_list(statement["Resource"]) == [secret_ref]
    for placeholder, (_lid, function) in _step_functions(synth).items():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        expected = {pseudonym_key.SECRET_ARN_VARIABLE: secret_ref,
                    date_shift.RANGE_VARIABLE: synth.stack.settings.date_shift_days} if placeholder in readers else {}
        assert variables == expected, placeholder


def test_every_function_stops_before_the_states_that_run_it_time_out(synth):
    """A slow call must end as a Lambda error (Retry/Catch see it), not as the state's States.Timeout,
    and no state may wait longer than Lambda's maximum plus the margin."""
    functions = _step_functions(synth)
    runs = 0
    for workflow in workflow_names():
        for name, state in all_states(json.loads(definition_text(workflow))["States"]):
            placeholder = state.get("Resource", "").removeprefix("${").removesuffix("}")
            if state.get("Type") != "Task" or placeholder not in functions:
                continue
            timeout = functions[placeholder][1]["Properties"]["Timeout"]
            assert "TimeoutSeconds" in state, (workflow, name)
            assert timeout < state["TimeoutSeconds"] and timeout <= LAMBDA_MAX_TIMEOUT_SECONDS, (workflow, name)
            runs += 1
    assert runs >= len(functions)


def test_image_functions_fit_a_multi_frame_dicom(synth):
    """Multi-frame verification reads every distinct frame twice (DetectText, then RenderImage's gate):
    the image steps get Lambda's longest timeout band; RenderImage spools the masked file (up to the
    pixel budget) in /tmp."""
    functions = {p: f["Properties"] for p, (_lid, f) in _step_functions(synth).items()}
    for placeholder in ("FetchImageFunctionArn", "DetectTextFunctionArn", "RenderImageFunctionArn"):
        assert functions[placeholder]["Timeout"] > 600 and functions[placeholder]["MemorySize"] >= 3008, placeholder
    assert functions["RenderImageFunctionArn"]["EphemeralStorage"]["Size"] >= 2 * DEFAULT_PIXEL_BUDGET_MB


def _logical_of(value: dict) -> str:
    return value["Fn::GetAtt"][0] if "Fn::GetAtt" in value else value["Ref"]


def test_state_machine_definitions_equal_the_files_after_substitution(synth):
    """CloudFormation substitutes DefinitionSubstitutions into DefinitionString at deploy time: every
    placeholder must map to the resource the local runtime means by it, and nothing else may differ."""
    owners = {lid: placeholder for placeholder, (lid, _r) in _step_functions(synth).items()}
    owners.update({_logical_id(synth, m): state_machine_placeholder(w)
                   for w, m in synth.stack.workflows.standard.items()})
    by_kind = {}
    for lid, machine in synth.of_type("AWS::StepFunctions::StateMachine").items():
        props = machine["Properties"]
        assert isinstance(props["DefinitionString"], str), f"{lid}: the definition must be inline text"
        substitutions = props.get("DefinitionSubstitutions", {})
        for placeholder, value in substitutions.items():
            assert owners[_logical_of(value)] == placeholder, f"{lid}: ${{{placeholder}}} points elsewhere"
        matching = [w for w in workflow_names() if (STATEMACHINE_DIR / f"{w}.asl.json").read_text() ==
                    props["DefinitionString"]]
        assert len(matching) == 1, f"{lid}: its definition equals no statemachine/*.asl.json"
        assert sorted(substitutions) == placeholders(matching[0]), f"{lid}: a placeholder is left unsubstituted"
        by_kind.setdefault(props["StateMachineType"], []).append(matching[0])
    assert sorted(by_kind["STANDARD"]) == workflow_names()
    assert "mask_text" in by_kind["EXPRESS"] and "batch" not in by_kind["EXPRESS"]


def test_each_state_machine_may_invoke_only_the_functions_its_definition_names(synth):
    functions = {lid: placeholder for placeholder, (lid, _r) in _step_functions(synth).items()}
    for lid, machine in synth.of_type("AWS::StepFunctions::StateMachine").items():
        props = machine["Properties"]
        named = {p for p in props.get("DefinitionSubstitutions", {}) if p.endswith("FunctionArn")}
        statements = _role_statements(synth, props["RoleArn"]["Fn::GetAtt"][0])
        invocable = {functions[_logical_of(r)] for s in statements if "lambda:InvokeFunction" in _as_list(s["Action"])
                     for r in _as_list(s["Resource"])}
        assert named and invocable == named, lid


def test_the_batch_map_reads_its_items_only_from_the_work_area(managed):
    work = _logical_id(managed, managed.stack.storage.work)
    (batch,) = [m for m in managed.of_type("AWS::StepFunctions::StateMachine").values()
                if "PlanBatchFunctionArn" in m["Properties"].get("DefinitionSubstitutions", {})]
    statements = _role_statements(managed, batch["Properties"]["RoleArn"]["Fn::GetAtt"][0])
    readable = [r for s in statements if "s3:GetObject" in _as_list(s["Action"]) for r in _as_list(s["Resource"])]
    assert readable and all(work in json.dumps(r) and "/work/" in json.dumps(r) for r in readable)
    assert "s3:ListBucket" not in _actions(statements)


def test_state_machine_logging_excludes_execution_data(synth):
    machines = synth.of_type("AWS::StepFunctions::StateMachine")
    assert machines
    for lid, machine in machines.items():
        logging = machine["Properties"]["LoggingConfiguration"]
        assert logging["IncludeExecutionData"] is False, lid
        assert logging["Level"] == "ALL", lid
        assert machine["Properties"]["TracingConfiguration"] == {"Enabled": True}, lid


def test_api_stage_logs_without_bodies_and_is_throttled(synth):
    (stage,) = synth.of_type("AWS::ApiGateway::Stage").values()
    props = stage["Properties"]
    assert props["TracingEnabled"] is True and "AccessLogSetting" in props
    (settings,) = props["MethodSettings"]
    assert settings["DataTraceEnabled"] is False, "data trace logs full request and response bodies (PHI)"
    assert settings["LoggingLevel"] == "ERROR"
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0


def test_buckets_are_encrypted_versioned_private_tls_only_and_logged(synth):
    template = Template.from_json(synth.template)
    buckets = synth.of_type("AWS::S3::Bucket")
    access_logs = _logical_id(synth, synth.stack.storage.access_logs)
    assert len(buckets) == 4
    for lid, bucket in buckets.items():
        props = bucket["Properties"]
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}, lid
        assert set(props["PublicAccessBlockConfiguration"].values()) == {True}, lid
        (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        algorithm = rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"]
        assert algorithm == ("AES256" if lid == access_logs else "aws:kms"), lid
        if lid != access_logs:
            assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": access_logs}, lid
        template.has_resource_properties("AWS::S3::BucketPolicy", {
            "Bucket": {"Ref": lid},
            "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
                "Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])}})


def test_work_areas_expire(synth):
    work = synth.resources[_logical_id(synth, synth.stack.storage.work)]["Properties"]
    (rule,) = work["LifecycleConfiguration"]["Rules"]
    assert rule["Prefix"] == "work/" and rule["Status"] == "Enabled"
    assert rule["ExpirationInDays"] == synth.stack.settings.work_expiry_days


def test_functions_are_traced_and_bounded(synth):
    for placeholder, (_lid, function) in _step_functions(synth).items():
        props = function["Properties"]
        assert props["TracingConfig"] == {"Mode": "Active"}, placeholder
        assert props["ReservedConcurrentExecutions"] == synth.stack.settings.function_concurrency


def test_engine_choice_picks_packaging_and_engine(synth):
    engines = synth.stack.settings.engines
    functions = _step_functions(synth)
    kinds = {p: f["Properties"].get("PackageType", "Zip") for p, (_lid, f) in functions.items()}
    if engines == "builtin":
        assert set(kinds.values()) == {"Image"}
        for placeholder, (_lid, function) in functions.items():
            assert function["Properties"]["ImageConfig"]["Command"] == [function_table()[placeholder]]
    else:
        assert kinds["DetectPhiFunctionArn"] == "Zip"
    starts = [json.dumps(m["Properties"]["Integration"]["RequestTemplates"])
              for m in synth.of_type("AWS::ApiGateway::Method").values()
              if "stateMachineArn" in json.dumps(m["Properties"].get("Integration", {}).get("RequestTemplates", {}))]
    assert len(starts) >= 3
    for template in starts:  # the options of every execution the API starts name the deployment's engine
        assert f'\\\\\\"engine\\\\\\": \\\\\\"{PHI_ENGINE[engines]}\\\\\\"' in template


@pytest.mark.parametrize("path, http_method, action", [
    ("text/phi", "POST", "StartSyncExecution"), ("image/text", "GET", "StartSyncExecution"),
    ("executions/{id}", "GET", "DescribeExecution")])
def test_routes_integrate_directly_with_step_functions(managed, path, http_method, action):
    integration = managed.method(path, http_method)["Integration"]
    assert integration["Type"] == "AWS"
    uri = json.dumps(integration["Uri"])
    assert f":states:action/{action}" in uri
    if action == "DescribeExecution":  # the caller's own IAM decides whether it may see the execution
        assert "arn:" in json.dumps(integration["Credentials"]) and ":user/*" in json.dumps(integration["Credentials"])


def test_jobs_start_through_a_function_that_may_only_park_text_key_the_patient_and_start(managed):
    integration = managed.method("executions", "POST")["Integration"]
    start_job = managed.stack.resolve(managed.stack.get_logical_id(managed.stack.api.start_job.node.default_child))
    assert integration["Type"] == "AWS_PROXY" and start_job in json.dumps(integration["Uri"])
    role = managed.resources[start_job]["Properties"]["Role"]["Fn::GetAtt"][0]
    assert _actions(_role_statements(managed, role)) == LOGS | XRAY | {
        "s3:PutObject", "kms:GenerateDataKey", "kms:Decrypt", "secretsmanager:GetSecretValue",
        "states:StartExecution"}
    variables = managed.resources[start_job]["Properties"]["Environment"]["Variables"]
    assert pseudonym_key.SECRET_ARN_VARIABLE in variables  # a patientId is keyed with the deployment's key


def test_masking_routes_run_through_a_function_that_may_only_key_the_patient_and_run_express(managed):
    api = managed.stack.api
    sync_job = managed.stack.resolve(managed.stack.get_logical_id(api.sync_job.node.default_child))
    properties = managed.resources[sync_job]["Properties"]
    statements = _role_statements(managed, properties["Role"]["Fn::GetAtt"][0])
    assert _actions(statements) == LOGS | XRAY | {"kms:Decrypt", "secretsmanager:GetSecretValue",
                                                  "states:StartSyncExecution"}
    (start,) = [s for s in statements if s["Action"] == "states:StartSyncExecution"]
    express = managed.stack.workflows.express
    assert sorted(map(json.dumps, _as_list(start["Resource"]))) == sorted(
        json.dumps(managed.stack.resolve(m.state_machine_arn)) for m in express.values())
    assert properties["Handler"] == "handler.sync_handler"
    assert properties["Timeout"] == API_TIMEOUT_SECONDS + 1  # API Gateway has answered 504 by then
    variables = properties["Environment"]["Variables"]
    assert pseudonym_key.SECRET_ARN_VARIABLE in variables
    engines = json.loads(variables["ENGINE_OPTIONS"])
    assert engines["mask_text"] == {"engine": PHI_ENGINE[managed.stack.settings.engines]}
    assert set(engines) == set(express) == {"mask_text", "mask_image"} & set(workflow_names())


def test_request_bodies_are_validated_by_the_api_schemas(managed):
    models = {m["Properties"]["Name"]: m["Properties"]["Schema"]
              for m in managed.of_type("AWS::ApiGateway::Model").values()}
    schema_dir = STATEMACHINE_DIR.parent / "api" / "schemas"
    for name in ("text_request", "image_mask_request", "execution_request"):
        schema = json.loads((schema_dir / f"{name}.json").read_text())
        assert models[schema["title"]] == schema
    validators = managed.of_type("AWS::ApiGateway::RequestValidator")
    (validator_id,) = validators
    assert validators[validator_id]["Properties"]["ValidateRequestBody"] is True
    for path, http_method in (("text/mask", "POST"), ("text/phi", "POST"), ("image/mask", "POST"),
                              ("executions", "POST")):
        method = managed.method(path, http_method)
        assert method["RequestValidatorId"] == {"Ref": validator_id}
        assert "application/json" in method["RequestModels"]


def test_trail_is_encrypted_validated_and_logs_document_access(managed):
    (trail,) = managed.of_type("AWS::CloudTrail::Trail").values()
    props = trail["Properties"]
    assert props["IsLogging"] and props["EnableLogFileValidation"] and props["IsMultiRegionTrail"]
    assert "KMSKeyId" in props and "CloudWatchLogsLogGroupArn" in props
    data = _logical_id(managed, managed.stack.storage.data)
    selectors = json.dumps(props["EventSelectors"])
    assert data in selectors and "AWS::S3::Object" in selectors


def test_batch_schedule_exists_only_with_the_batch_workflow_and_is_disabled(managed, mock_s3):
    schedules = managed.of_type("AWS::Scheduler::Schedule")
    if "batch" not in workflow_names():
        assert schedules == {}
        return
    (schedule,) = schedules.values()
    assert schedule["Properties"]["State"] == "DISABLED"
    target = schedule["Properties"]["Target"]
    assert "DeadLetterConfig" in target and target["RetryPolicy"]["MaximumRetryAttempts"] > 0
    # The input must be one the batch workflow's first step accepts, with the deployment's engines
    # (it lists the source, here an empty bucket of moto's).
    from steps import plan_batch, storage

    text = "".join(p if isinstance(p, str) else f"bucket-{p['Ref'].lower()}" for p in target["Input"]["Fn::Join"][1])
    batch_input = json.loads(text.replace("<aws.scheduler.execution-id>", "run-1"))
    for name in ("source", "workPrefix"):
        mock_s3.create_bucket(Bucket=storage.parse(batch_input[name])[1])
    plan = plan_batch.handler(batch_input)
    assert plan["options"]["engine"] == "comprehend-medical" and plan["options"]["ocrEngine"] == "rekognition"
    assert plan["workPrefix"].endswith("/work/run-1/")


def test_outputs_name_the_api_its_resources_and_buckets(managed):
    outputs = managed.template["Outputs"]
    for name in ("ApiId", "ApiUrl", "RootResourceId", "DataBucket", "TextMaskResourceId", "ExecutionsResourceId",
                 "MaskTextStateMachineArn", "MaskTextExpressStateMachineArn", "PseudonymKeySecretArn"):
        assert name in outputs, name
    assert not [k for k in outputs if re.search(r"[^A-Za-z0-9]", k)]


def test_no_gateway_response_quotes_the_request(managed):
    responses = [r["Properties"] for r in managed.of_type("AWS::ApiGateway::GatewayResponse").values()]
    assert any(r["ResponseType"] == "BAD_REQUEST_BODY" for r in responses)
    for response in responses:
        assert "validationErrorString" not in json.dumps(response.get("ResponseTemplates", {}))
