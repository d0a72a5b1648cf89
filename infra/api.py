"""The REST API: AWS_IAM on every method, request bodies validated by api/schemas/*.json.

Synchronous routes call StartSyncExecution on the EXPRESS machines (their executions keep no
history): directly from mapping templates or, for the masking routes, whose bodies may carry a
patientId to key first, through a small function (docs/deploy.md). POST /executions goes through
a small function that parks inline text in the work area and then calls StartExecution on a
STANDARD machine, so the 90-day history holds only references. GET /executions/{id} calls
DescribeExecution with the caller's own credentials (so output is shown only to a caller whose
IAM policy may describe that execution). GET /image goes through a small pre-signing function.
"""

import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra import templates
from infra.functions import RUNTIME, SECRET_ARN_VARIABLE, source_code
from infra.settings import Settings
from infra.storage import WORK_PREFIX, Storage
from workflow_catalogue import errors

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "api" / "schemas"
FUNCTIONS_DIR = Path(__file__).resolve().parent
# The API-side functions share the request rules of workflow_catalogue with the local API.
CATALOGUE_DIR = FUNCTIONS_DIR.parent / "workflow_catalogue"
# StartJob and SyncJob key patientId with the steps' own code (steps/pseudonym_key.py, operators/date_shift.py).
STEPS_DIR = FUNCTIONS_DIR.parent / "steps"
JSON = "application/json"
# API Gateway gives up on an integration after 29 s (answering 504); the function that waits for a
# synchronous execution stops just after, rather than wait on for nobody.
API_TIMEOUT_SECONDS = 29


def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text())


def _method_responses() -> list[apigw.MethodResponse]:
    """Success, the refusals, and every status of the error contract (workflow_catalogue.errors)."""
    statuses = sorted({200, 400, 403, errors.TIMEOUT_STATUS, errors.DEFAULT_STATUS, *errors.STATUS_BY_ERROR.values()})
    return [apigw.MethodResponse(status_code=str(status), response_parameters={
        f"method.response.header.{name}": True for name in errors.headers_for(status)} or None)
        for status in statuses]


class MaskingApi(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, settings: Settings, storage: Storage,
                 standard: dict[str, sfn.StateMachine], express: dict[str, sfn.StateMachine]):
        super().__init__(scope, construct_id)
        self._settings = settings
        self._storage = storage
        self._text_options = templates.option_pairs(self._engine_options("mask_text"))
        self._image_options = templates.option_pairs(self._engine_options("mask_image"))
        access_logs = logs.LogGroup(self, "AccessLogs", encryption_key=storage.key,
                                    retention=logs.RetentionDays.ONE_YEAR, removal_policy=cdk.RemovalPolicy.RETAIN)
        self.api = apigw.RestApi(
            self, "Api", description="Health Data Masking: find and mask PHI (AWS_IAM authorized)",
            endpoint_types=[apigw.EndpointType.REGIONAL], cloud_watch_role=True,
            cloud_watch_role_removal_policy=cdk.RemovalPolicy.RETAIN,
            default_method_options=apigw.MethodOptions(authorization_type=apigw.AuthorizationType.IAM),
            deploy_options=apigw.StageOptions(
                stage_name="v1", tracing_enabled=True, metrics_enabled=True,
                # ERROR-level execution logs without request/response bodies: those are PHI.
                logging_level=apigw.MethodLoggingLevel.ERROR, data_trace_enabled=False,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=True, http_method=True, ip=True, protocol=True, request_time=True,
                    resource_path=True, response_length=True, status=True, user=True),
                throttling_rate_limit=settings.api_rate_limit, throttling_burst_limit=settings.api_burst_limit,
            ),
        )
        self.validator = self.api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True)
        # A fixed message: the validation error string quotes key names and values, which can be PHI.
        self.api.add_gateway_response(
            "BadRequestBody", type=apigw.ResponseType.BAD_REQUEST_BODY, status_code="400",
            templates={JSON: '{"message": "the body does not match the request model of this route '
                             '(see its JSON schema in the API description)"}'})
        self._models: dict[str, apigw.IModel] = {}
        self.resource_ids: dict[str, str] = {}
        self._sync_role = self._integration_role("SyncRole", "states:StartSyncExecution", express.values())
        self.sync_job = self._sync_job(express)
        self._text_routes(express)
        self._image_routes(express)
        self._execution_routes(standard)

    # -- routes --------------------------------------------------------------
    def _sync_job(self, express: dict[str, sfn.StateMachine]) -> lambda_.Function:
        """POST /text/mask and POST /image/mask: keys a patientId, then StartSyncExecution and waits."""
        secret = self._storage.pseudonym_key.secret_arn
        return self._function(
            "SyncJob", "start_job", "POST /text/mask, /image/mask: key patientId, run an EXPRESS execution",
            handler="handler.sync_handler", timeout_seconds=API_TIMEOUT_SECONDS + 1,
            grants=[(["kms:Decrypt"], [self._storage.key.key_arn]),
                    (["secretsmanager:GetSecretValue"], [secret]),
                    (["states:StartSyncExecution"], [m.state_machine_arn for m in express.values()])],
            environment={"WORK_BUCKET": self._storage.work.bucket_name,
                         "STATE_MACHINES": self._json({w: m.state_machine_arn for w, m in express.items()}),
                         "ENGINE_OPTIONS": json.dumps({w: self._engine_options(w) for w in express}),
                         SECRET_ARN_VARIABLE: secret},
            packages=(STEPS_DIR,))

    def _engine_options(self, workflow: str) -> dict[str, str]:
        """The deployment's engines, in the options of a job of ``workflow`` that the API starts."""
        options = {"engine": self._settings.phi_engine}
        if workflow == "mask_image":
            options["ocrEngine"] = self._settings.ocr_engine
        return options

    def _proxy_method(self, path: str, function: lambda_.Function, body_schema: str) -> None:
        self._resource(path).add_method("POST", apigw.LambdaIntegration(function), request_validator=self.validator,
                                        request_models={JSON: self._model(body_schema)})

    def _text_routes(self, express: dict[str, sfn.StateMachine]) -> None:
        self._proxy_method("text/mask", self.sync_job, "text_request")
        # Detection ignores mode and patientId: the template puts neither into the execution.
        self._sync_method("text/phi", "POST", express["mask_text"], options=self._text_options,
                          body_schema="text_request", source=templates.INLINE_TEXT, operation="detect",
                          response=templates.SYNC_RESPONSE)

    def _image_routes(self, express: dict[str, sfn.StateMachine]) -> None:
        self._presign_route()
        machine = express.get("mask_image")
        if machine is None:  # the image workflow is optional until statemachine/mask_image.asl.json exists
            return
        for path, operation, query in (("image/text", "text", "image_query"), ("image/phi", "phi", "image_phi_query")):
            self._sync_method(path, "GET", machine, options=self._image_options, query_schema=query,
                              source=templates.QUERY_SOURCE,
                              operation=operation, threshold=templates.QUERY_THRESHOLD,
                              response=templates.SYNC_RESPONSE)
        self._proxy_method("image/mask", self.sync_job, "image_mask_request")

    def _execution_routes(self, standard: dict[str, sfn.StateMachine]) -> None:
        workflows = [w for w in load_schema("execution_request")["properties"]["workflow"]["enum"] if w in standard]
        # It keys a request's patientId into a token before StartExecution: it reads the pseudonym key.
        secret = self._storage.pseudonym_key.secret_arn
        self.start_job = self._function(
            "StartJob", "start_job", "POST /executions: park inline text, key patientId, start a STANDARD execution",
            grants=[(["s3:PutObject"], [self._storage.work.arn_for_objects(f"{WORK_PREFIX}*")]),
                    (["kms:GenerateDataKey", "kms:Decrypt"], [self._storage.key.key_arn]),
                    (["secretsmanager:GetSecretValue"], [secret]),
                    (["states:StartExecution"], [standard[w].state_machine_arn for w in workflows])],
            environment={"WORK_BUCKET": self._storage.work.bucket_name,
                         "STATE_MACHINES": self._json({w: standard[w].state_machine_arn for w in workflows}),
                         "ENGINE_OPTIONS": json.dumps({w: self._engine_options(w) for w in workflows}),
                         SECRET_ARN_VARIABLE: secret},
            packages=(STEPS_DIR,))
        self._proxy_method("executions", self.start_job, "execution_request")
        self._aws_method("executions/{id}", "GET", "DescribeExecution", templates.DESCRIBE_REQUEST,
                         templates.DESCRIBE_RESPONSE, credentials_passthrough=True,
                         parameters={"method.request.path.id": True})

    def _presign_route(self) -> None:
        self.presign = self._function(
            "Presign", "presign", "GET /image: pre-signed URL of a data bucket object",
            grants=[(["s3:GetObject"], [self._storage.data.arn_for_objects("*")]),
                    (["kms:Decrypt"], [self._storage.key.key_arn])],
            environment={"DATA_BUCKET": self._storage.data.bucket_name})
        self._resource("image").add_method("GET", apigw.LambdaIntegration(self.presign),
                                           request_validator=self.validator,
                                           request_parameters=self._query_parameters("image_query"))

    def _function(self, name: str, directory: str, description: str, *, grants, environment,
                  packages: tuple[Path, ...] = (), handler: str = "handler.handler",
                  timeout_seconds: int = 10) -> lambda_.Function:
        """A small API-side function (infra/<directory>/handler.py) with a role of its own, and the
        catalogue and ``packages`` beside it."""
        role = iam.Role(self, f"{name}Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=description)
        log_group = logs.LogGroup(self, f"{name}Logs", encryption_key=self._storage.key,
                                  retention=logs.RetentionDays.ONE_YEAR, removal_policy=cdk.RemovalPolicy.RETAIN)
        for actions, resources in [(["logs:CreateLogStream", "logs:PutLogEvents"], [log_group.log_group_arn]),
                                   *grants]:
            role.add_to_principal_policy(iam.PolicyStatement(actions=actions, resources=resources))
        return lambda_.Function(
            self, name, runtime=RUNTIME, handler=handler, description=description,
            code=source_code(CATALOGUE_DIR, *packages, contents_of=FUNCTIONS_DIR / directory), role=role,
            log_group=log_group, timeout=cdk.Duration.seconds(timeout_seconds), tracing=lambda_.Tracing.ACTIVE,
            reserved_concurrent_executions=self._settings.function_concurrency, environment=environment)

    def _json(self, value: dict) -> str:
        """JSON text of a dict whose values may be tokens (ARNs resolved at deploy time)."""
        return cdk.Stack.of(self).to_json_string(value)

    # -- building blocks -----------------------------------------------------
    def _sync_method(self, path: str, http_method: str, machine: sfn.StateMachine, *, options: str, source: str,
                     operation: str, response: str, body_schema: str | None = None,
                     query_schema: str | None = None, threshold: str = templates.BODY_THRESHOLD) -> None:
        request = templates.start_request(
            state_machine_arn=machine.state_machine_arn, work_bucket=self._storage.work.bucket_name,
            options=options, source=source, operation=f'\\"{operation}\\"',
            threshold=threshold)
        self._aws_method(path, http_method, "StartSyncExecution", request, response, credentials_role=self._sync_role,
                         body_schema=body_schema,
                         parameters=self._query_parameters(query_schema) if query_schema else None)

    def _aws_method(self, path: str, http_method: str, action: str, request: str, response: str, *,
                    body_schema: str | None = None, parameters: dict | None = None,
                    credentials_role: iam.IRole | None = None, credentials_passthrough: bool = False) -> None:
        integration = apigw.AwsIntegration(
            service="states", action=action, integration_http_method="POST",
            options=apigw.IntegrationOptions(
                credentials_role=credentials_role, credentials_passthrough=credentials_passthrough or None,
                passthrough_behavior=apigw.PassthroughBehavior.NEVER, request_templates={JSON: request},
                integration_responses=[
                    apigw.IntegrationResponse(status_code="200", response_templates={JSON: response}),
                    apigw.IntegrationResponse(status_code="403", selection_pattern="403",
                                              response_templates={JSON: templates.ERROR_RESPONSE}),
                    apigw.IntegrationResponse(status_code="400", selection_pattern=r"4\d{2}",
                                              response_templates={JSON: templates.ERROR_RESPONSE}),
                    apigw.IntegrationResponse(status_code="500", selection_pattern=r"5\d{2}",
                                              response_templates={JSON: templates.ERROR_RESPONSE}),
                ]))
        self._resource(path).add_method(
            http_method, integration, request_validator=self.validator,
            request_models={JSON: self._model(body_schema)} if body_schema else None,
            request_parameters=parameters, method_responses=_method_responses())

    def _resource(self, path: str) -> apigw.IResource:
        resource = self.api.root.resource_for_path(path)
        self.resource_ids[path] = resource.resource_id
        return resource

    def _model(self, schema_name: str) -> apigw.IModel:
        """One source, two users: the local API validates with the same file."""
        if schema_name not in self._models:
            schema = load_schema(schema_name)
            model = apigw.CfnModel(self, f"{schema['title']}Model", rest_api_id=self.api.rest_api_id,
                                   content_type=JSON, name=schema["title"], schema=schema,
                                   description=schema.get("description"))
            self._models[schema_name] = apigw.Model.from_model_name(self, f"{schema['title']}Ref", model.ref)
        return self._models[schema_name]

    @staticmethod
    def _query_parameters(schema_name: str) -> dict[str, bool]:
        schema = load_schema(schema_name)
        required = set(schema.get("required", []))
        return {f"method.request.querystring.{name}": name in required for name in schema["properties"]}

    def _integration_role(self, construct_id: str, action: str, machines) -> iam.Role:
        role = iam.Role(self, construct_id, assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
                        description=f"API Gateway: {action} on this app's state machines only")
        role.add_to_principal_policy(iam.PolicyStatement(
            actions=[action], resources=[m.state_machine_arn for m in machines]))
        return role
