"""The OpenAPI document of the local API, generated from the route table and api/schemas.

Request schemas are the draft-04 files API Gateway uses, translated where OpenAPI
3.1 (JSON Schema 2020-12) spells a keyword differently, so the document, the
validation and the deployed models cannot drift apart.
"""

from collections.abc import Callable
from dataclasses import dataclass

from hdm import __version__
from hdm.server.validation import schema

_ERROR = {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]}
_ERRORS = {
    "400": "the request is invalid; the message names the problem",
    "401": "missing or wrong bearer token",
    "404": "no such object or execution",
    "413": "the body is too large",
    "422": "the source object cannot be read as a document or image",
    "429": "the PHI or OCR service is throttling; retry later",
    "503": "an engine or dependency is unavailable",
}
_ENTITY = {"type": "object", "properties": {
    "BeginOffset": {"type": "integer"}, "EndOffset": {"type": "integer"}, "Type": {"type": "string"},
    "Score": {"type": "number"}, "Text": {"type": "string"}}}
_EXECUTION = {"type": "object", "properties": {"name": {"type": "string"}, "status": {"type": "string"},
                                                "workflow": {"type": "string"}}, "required": ["name", "status"]}
SUCCESS_SCHEMAS = {
    "/text/mask": {"type": "object", "properties": {"maskedText": {"type": "string"}}, "required": ["maskedText"]},
    "/text/phi": {"type": "object", "properties": {"Entities": {"type": "array", "items": _ENTITY}},
                  "required": ["Entities"]},
    "/image": {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]},
    "/image/text": {"type": "object", "properties": {
        "Width": {"type": "integer"}, "Height": {"type": "integer"},
        "TextDetections": {"type": "array", "items": {"type": "object", "properties": {
            "DetectedText": {"type": "string"}, "Confidence": {"type": "number"}}}}},
        "required": ["TextDetections"]},
    "/image/phi": {"type": "object", "properties": {"Entities": {"type": "array", "items": _ENTITY}},
                   "required": ["Entities"]},
    "/image/mask": {"type": "object", "properties": {"maskedImagePath": {"type": "string"}},
                    "required": ["maskedImagePath"]},
    "/executions": {"type": "object", "properties": {"executionArn": {"type": "string"},
                                                     "executions": {"type": "array", "items": _EXECUTION}}},
    "/executions/{id}": _EXECUTION,
}


@dataclass(frozen=True)
class ApiRoute:
    method: str
    path: str
    endpoint: Callable
    summary: str
    body: str | None = None
    query: str | None = None
    success: int = 200


def to_openapi_schema(draft4: dict) -> dict:
    """A draft-04 schema as OpenAPI 3.1 reads it (``dependencies`` became ``dependentRequired``)."""
    result = {}
    for key, value in draft4.items():
        if key == "$schema":
            continue
        if key == "dependencies":
            key = "dependentRequired"
        if isinstance(value, dict):
            value = to_openapi_schema(value) if key != "properties" else {
                name: to_openapi_schema(sub) for name, sub in value.items()}
        elif isinstance(value, list):
            value = [to_openapi_schema(v) if isinstance(v, dict) else v for v in value]
        result[key] = value
    return result


def _operation(route: ApiRoute) -> dict:
    operation = {"summary": route.summary, "operationId": route.endpoint.__name__,
                 "responses": {str(route.success): {"description": "success", "content": {
                     "application/json": {"schema": SUCCESS_SCHEMAS[route.path]}}}}}
    for status, description in _ERRORS.items():
        operation["responses"][status] = {"description": description,
                                          "content": {"application/json": {"schema": _ERROR}}}
    parameters = []
    if route.query:
        query = schema(route.query)
        parameters += [{"name": name, "in": "query", "required": name in query.get("required", []),
                        "schema": to_openapi_schema(sub)} for name, sub in query["properties"].items()]
    if "{id}" in route.path:
        parameters.append({"name": "id", "in": "path", "required": True,
                           "description": "execution name or ARN", "schema": {"type": "string"}})
    if parameters:
        operation["parameters"] = parameters
    if route.body:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": to_openapi_schema(schema(route.body))}}}
        operation["responses"]["415"] = {"description": "the body is not sent as application/json",
                                         "content": {"application/json": {"schema": _ERROR}}}
    return operation


def document(routes: list[ApiRoute]) -> dict:
    paths: dict[str, dict] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Health Data Masking (local)", "version": __version__,
                 "description": "The deployed API's routes and bodies, served on one machine."},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }
