"""The ASGI application: the deployed API's routes (docs/deploy.md) over the local runtime.

Synchronous routes run a job (hdm.jobs) on the thread pool and wait for its
execution; ``POST /executions`` returns at once (hdm.server.executions). The app
owns the process's one LocalRuntime for its lifetime (the lifespan).
"""

import contextlib
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse
from starlette.routing import Route

from hdm import history
from hdm.execution import WorkflowError
from hdm.jobs import image as image_jobs
from hdm.jobs import job_input
from hdm.jobs import text as text_jobs
from hdm.runtime import LocalRuntime
from hdm.server import openapi
from hdm.server.buckets import SIGNED_PREFIX, LocalBuckets, S3Buckets
from hdm.server.executions import ExecutionTracker
from hdm.server.graph import execution_graph
from hdm.server.guard import Guard
from hdm.server.validation import RequestError, parse_body, parse_query, threshold, validate
from steps import storage
from workflow_catalogue import errors, naming

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
# Names the failed execution behind an error answer (its history: GET /executions/{name}).
EXECUTION_HEADER = "X-Hdm-Execution"
CONSOLE_PAGE = Path(__file__).with_name("console.html")
SERVED_MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".dcm": "application/dicom",
                      ".txt": "text/plain; charset=utf-8", ".json": "application/json"}


@dataclass
class ServerConfig:
    home: Path
    token: str | None
    buckets: str = "local"
    url_ttl_seconds: int = 300
    # Where clients reach this server: signed URLs start with it, never with a request's Host header.
    public_url: str = "http://127.0.0.1:8080"


async def _job(function, *args, limiter: anyio.CapacityLimiter | None = None, **kwargs):
    """Run a job on the thread pool; a failed one raises WorkflowError (answered by _job_failed)."""
    return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs), limiter=limiter)


async def _body(request: Request, schema_name: str) -> dict:
    """The validated JSON body, read no further than the size limit.

    Only ``application/json`` is read: a browser page on another origin can send a form or
    ``text/plain`` without asking first, never JSON (that needs a CORS preflight)."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise RequestError("the body must be sent as Content-Type: application/json", status=415)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RequestError(f"the body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB", status=413)
        chunks.append(chunk)
    return validate(parse_body(b"".join(chunks)), schema_name)


def _query(request: Request, schema_name: str) -> dict:
    return validate(parse_query(request.query_params.multi_items()), schema_name, location="query")


def _runtime(request: Request) -> LocalRuntime:
    return request.app.state.runtime


def _ocr_slots(request: Request) -> anyio.CapacityLimiter:
    """OCR is CPU-bound and memory-hungry: image jobs beyond one per core only queue up inside."""
    return request.app.state.ocr_slots


# -- text -------------------------------------------------------------------
async def text_mask(request: Request) -> JSONResponse:
    params = await _body(request, "text_request")
    # A patientId is keyed into its token before the execution starts, as for POST /executions (hdm.jobs).
    masked = await _job(text_jobs.mask_text, _runtime(request), params["text"], patient_id=params.get("patientId"),
                        threshold=threshold(params), mode=params.get("mode"))
    return JSONResponse({"maskedText": masked})


async def text_phi(request: Request) -> JSONResponse:
    params = await _body(request, "text_request")
    found = await _job(text_jobs.detect_phi, _runtime(request), params["text"], threshold=threshold(params))
    return JSONResponse(found)


# -- images -----------------------------------------------------------------
async def image_url(request: Request) -> JSONResponse:
    params = _query(request, "image_query")
    base = request.app.state.config.public_url
    url = await run_in_threadpool(request.app.state.buckets.signed_url, base, params["s3Bucket"], params["s3Key"])
    return JSONResponse({"url": url})


async def image_text(request: Request) -> JSONResponse:
    params = _query(request, "image_query")
    source = request.app.state.buckets.existing(params["s3Bucket"], params["s3Key"])
    return JSONResponse(await _job(image_jobs.image_text, _runtime(request), source, limiter=_ocr_slots(request)))


async def image_phi(request: Request) -> JSONResponse:
    params = _query(request, "image_phi_query")
    source = request.app.state.buckets.existing(params["s3Bucket"], params["s3Key"])
    found = await _job(image_jobs.image_phi, _runtime(request), source, threshold=threshold(params),
                       limiter=_ocr_slots(request))
    return JSONResponse(found)


def _source_and_destination(buckets, params: dict) -> tuple[str | None, str]:
    """Object references of the request's source (if any) and destination; they must differ."""
    destination = buckets.ref(params["destinationBucket"], params["destinationKey"])
    if "s3Key" not in params:
        return None, destination
    if storage.same_object(buckets.ref(params["s3Bucket"], params["s3Key"]), destination):
        raise RequestError("the destination must differ from the source (s3Bucket/s3Key)")
    return buckets.existing(params["s3Bucket"], params["s3Key"]), destination


async def image_mask(request: Request) -> JSONResponse:
    params = await _body(request, "image_mask_request")
    source, destination = _source_and_destination(request.app.state.buckets, params)
    await _job(image_jobs.mask_image, _runtime(request), source, destination, patient_id=params.get("patientId"),
               threshold=threshold(params), imageMaskPolicy=params.get("imageMaskPolicy"), mode=params.get("mode"),
               limiter=_ocr_slots(request))
    return JSONResponse({"maskedImagePath": f"s3://{params['destinationBucket']}/{params['destinationKey']}"})


async def signed_object(request: Request) -> FileResponse:
    buckets = request.app.state.buckets
    if not isinstance(buckets, LocalBuckets):
        raise RequestError("signed local URLs are served only with local buckets", status=404)
    query = request.query_params
    path = buckets.verify(request.path_params["bucket"], request.path_params["key"],
                          query.get("expires", ""), query.get("signature", ""))
    # Only the formats this API produces get their own type; anything else downloads as bytes,
    # so no stored object can run as a page on this origin.
    media_type = SERVED_MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return FileResponse(path, media_type=media_type, headers={"X-Content-Type-Options": "nosniff"})


# -- executions ---------------------------------------------------------------
async def start_execution(request: Request) -> JSONResponse:
    params = await _body(request, "execution_request")
    source, destination = _source_and_destination(request.app.state.buckets, params)
    def build_input(work: Path) -> dict:
        # Inline text is staged in the work area and the patient keyed, so neither enters the history.
        return job_input(work, params.get("operation", "mask"),
                         {"threshold": threshold(params), "mode": params.get("mode")}, destination,
                         source=source, text=None if source else params["text"], patient_id=params.get("patientId"))

    running = await run_in_threadpool(request.app.state.tracker.launch, params["workflow"], build_input)
    return JSONResponse({"executionArn": running.arn, "name": running.name, "startDate": running.started},
                        status_code=202)


def _execution_name(identifier: str) -> str:
    """Accept an execution name or its ARN (whose last segment is the name)."""
    name = identifier.rpartition(":")[2]
    if not history.is_execution_name(name):
        raise RequestError("no execution with that name or ARN", status=404)
    return name


async def list_executions(request: Request) -> JSONResponse:
    params = _query(request, "executions_query")
    limit = int(params.get("limit", 50))
    home = request.app.state.config.home
    running = [{"name": r.name, "workflow": naming.label(r.workflow), "status": "RUNNING",
                "startDate": r.started} for r in request.app.state.tracker.running()]

    def finished() -> list[dict]:
        return history.summaries(home, limit)[0]  # an unreadable history is left out of the listing

    return JSONResponse({"executions": (running + await run_in_threadpool(finished))[:limit]})


async def describe_execution(request: Request) -> JSONResponse:
    name = _execution_name(request.path_params["id"])
    home = request.app.state.config.home
    # The tracker first: an execution leaves it only after its history is saved, so one that ends
    # between the two looks is found in the history (the other order could answer 404).
    running = request.app.state.tracker.get(name)
    if running is not None:
        return JSONResponse({"name": running.name, "executionArn": running.arn, "status": "RUNNING",
                             "workflow": naming.label(running.workflow), "startDate": running.started})
    try:
        record = await run_in_threadpool(history.load, home, name)
    except history.UnreadableHistory as exc:
        raise RequestError(str(exc), status=500) from None
    except KeyError:
        raise RequestError("no execution with that name or ARN", status=404) from None
    return JSONResponse({**history.summary(record), "executionArn": record["executionArn"],
                         "input": record["input"], "output": record["output"],
                         "states": history.state_table(record), "stateRuns": history.state_runs(record),
                         "graph": execution_graph(record)})


# -- console and contract --------------------------------------------------------
async def console(request: Request) -> HTMLResponse:
    return HTMLResponse(CONSOLE_PAGE.read_text())


async def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(openapi.document(ROUTES))


ROUTES = [
    openapi.ApiRoute("POST", "/text/mask", text_mask, "Mask PHI in a text", body="text_request"),
    openapi.ApiRoute("POST", "/text/phi", text_phi, "List the PHI entities of a text", body="text_request"),
    openapi.ApiRoute("GET", "/image", image_url, "A time-limited signed URL of an image", query="image_query"),
    openapi.ApiRoute("GET", "/image/text", image_text, "Text detected in an image", query="image_query"),
    openapi.ApiRoute("GET", "/image/phi", image_phi, "PHI located in an image", query="image_phi_query"),
    openapi.ApiRoute("POST", "/image/mask", image_mask, "Mask PHI in an image into a new object",
                     body="image_mask_request"),
    openapi.ApiRoute("POST", "/executions", start_execution, "Start a workflow asynchronously",
                     body="execution_request", success=202),
    openapi.ApiRoute("GET", "/executions", list_executions, "Recent executions, running first then newest",
                     query="executions_query"),
    openapi.ApiRoute("GET", "/executions/{id}", describe_execution,
                     "Status, timing, output, each state's runs, retries and errors"),
]
PUBLIC_ROUTES = [
    Route("/", console, methods=["GET"]),
    Route("/openapi.json", openapi_document, methods=["GET"]),
    Route(SIGNED_PREFIX + "/{bucket}/{key:path}", signed_object, methods=["GET"]),
]


async def _refused(request: Request, exc: RequestError) -> JSONResponse:
    return JSONResponse({"message": str(exc)}, status_code=exc.status)


async def _job_failed(request: Request, exc: WorkflowError) -> JSONResponse:
    """The deployed API's answer to a failed execution, from the same table (workflow_catalogue.errors)."""
    execution = exc.execution
    status = errors.status_for(execution.error, execution.status)
    return JSONResponse(errors.body(execution.error, execution.status, execution.cause), status_code=status,
                        headers={**errors.headers_for(status), EXECUTION_HEADER: execution.name})


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    return JSONResponse({"message": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    # The exception's message could quote a document: only its class leaves the server.
    return JSONResponse({"message": f"internal error ({type(exc).__name__})"}, status_code=500)


def _api_routes() -> list[Route]:
    """One Route per path, dispatching on the method, so 405 answers list every allowed method."""
    by_path: dict[str, dict] = {}
    for route in ROUTES:
        by_path.setdefault(route.path, {})[route.method] = route.endpoint

    def dispatcher(endpoints: dict):
        async def endpoint(request: Request):
            return await endpoints["GET" if request.method == "HEAD" else request.method](request)
        return endpoint

    return [Route(path, dispatcher(endpoints), methods=list(endpoints)) for path, endpoints in by_path.items()]


def create_app(config: ServerConfig) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        with LocalRuntime(home=config.home) as runtime:
            app.state.runtime = runtime
            app.state.ocr_slots = anyio.CapacityLimiter(os.cpu_count() or 1)
            app.state.tracker = ExecutionTracker(runtime)
            app.state.tracker.start()
            try:
                yield
            finally:
                await run_in_threadpool(app.state.tracker.close)

    handlers = {RequestError: _refused, WorkflowError: _job_failed, HTTPException: _http_error,
                Exception: _internal_error}
    app = Starlette(routes=_api_routes() + PUBLIC_ROUTES, lifespan=lifespan, exception_handlers=handlers)
    app.state.config = config
    app.state.buckets = (LocalBuckets(config.home / "buckets", config.url_ttl_seconds) if config.buckets == "local"
                         else S3Buckets(config.url_ttl_seconds))
    public_paths = {route.path for route in PUBLIC_ROUTES if "{" not in route.path}
    return Guard(app, token=config.token, public_paths=public_paths, public_prefixes=(SIGNED_PREFIX + "/",))
