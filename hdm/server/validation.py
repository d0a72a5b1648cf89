"""Request validation from api/schemas/*.json, with messages that name the problem.

The schemas are the API Gateway request models (draft-04). What a schema cannot
say (duplicate keys, NaN, a destination equal to its source) is checked here too,
so the local API rejects exactly what the deployed one would, and more clearly.
Messages never quote submitted values: they may be PHI.
"""

import json
import re
from functools import cache
from pathlib import Path

import jsonschema

from hdm.paths import ROOT
from steps.errors import InvalidInput
from steps.options import check_mode
from workflow_catalogue.requests import DuplicateKeys, unique_keys

SCHEMA_DIR = ROOT / "api" / "schemas"
THRESHOLD = "phiDetectionThreshold"
_KEY_HINT = ("must be at most 1024 characters of '/'-separated non-empty segments, none of them '.' or '..' "
             "(a key cannot leave its bucket)")
_FIELD_HINTS = {
    THRESHOLD: "must be a number between 0 and 1",
    "text": "must be a string with at least one non-blank character",
    "s3Bucket": "must be a bucket name (letters, digits, '.', '-', '_')",
    "destinationBucket": "must be a bucket name (letters, digits, '.', '-', '_')",
    "s3Key": _KEY_HINT,
    "destinationKey": _KEY_HINT,
    "limit": "must be an integer between 1 and 1000",
    "patientId": "must be 1 to 64 characters, not blank, without control characters",
}


class RequestError(Exception):
    """A request the API refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text())


def schema_names() -> list[str]:
    return sorted(p.stem for p in Path(SCHEMA_DIR).glob("*.json"))


def _reject_constant(name: str):
    raise RequestError(f"the body is not valid JSON: {name} is not a number")


def parse_body(raw: bytes) -> object:
    """Decode a JSON body strictly: UTF-8, no duplicate keys, no NaN/Infinity."""
    if not raw.strip():
        raise RequestError("the body is empty; expected a JSON object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError("the body is not valid UTF-8") from None
    try:
        value = json.loads(text, object_pairs_hook=unique_keys, parse_constant=_reject_constant)
    except DuplicateKeys as exc:
        raise RequestError(str(exc)) from None
    except ValueError as exc:
        line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        where = f" (line {line}, column {column})" if line else ""
        raise RequestError(f"the body is not valid JSON{where}") from None
    except RecursionError:
        raise RequestError("the body is nested too deeply") from None
    try:
        broken = _holds_lone_surrogate(value)
    except RecursionError:
        raise RequestError("the body is nested too deeply") from None
    if broken:
        raise RequestError("the body is not valid JSON text: a string holds a lone UTF-16 surrogate "
                           "(an unpaired \\ud800-\\udfff escape), which is not a character")
    return value


def _holds_lone_surrogate(value) -> bool:
    """JSON's \\u escapes can spell half a UTF-16 pair, which no UTF-8 text (nor a document) can hold."""
    if isinstance(value, str):
        if value.isascii():
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_holds_lone_surrogate(k) or _holds_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_lone_surrogate(item) for item in value)
    return False


def parse_query(multi_items: list[tuple[str, str]]) -> dict[str, str]:
    """Query parameters as a dict; a parameter given twice is refused, not silently picked."""
    try:
        return unique_keys(multi_items, "query parameter(s) given more than once")
    except DuplicateKeys as exc:
        raise RequestError(str(exc)) from None


def _where(error: jsonschema.ValidationError) -> str:
    path = [str(p) for p in error.absolute_path]
    return ".".join(path) if path else "the body"


def _mode_message(mode) -> str | None:
    """The CLI's own words for a bad ``mode`` (steps.options), at any depth of the object form."""
    try:
        check_mode(mode)
    except InvalidInput as exc:
        return str(exc)
    return None


def _message(error: jsonschema.ValidationError, location: str, instance: object) -> str:
    field = error.absolute_path[-1] if error.absolute_path else None
    if error.absolute_path and error.absolute_path[0] == "mode":
        message = _mode_message(instance["mode"])
        if message is not None:
            return message
    validator = error.validator
    if validator == "additionalProperties":
        # A key's name can be PHI: say how many and where, and what is accepted, never what was sent.
        accepted = sorted(error.schema.get("properties", {}))
        unknown = set(error.instance) - set(accepted)
        return f"{len(unknown)} unknown {location} key(s) in {_where(error)}; it accepts {', '.join(accepted)}"
    if validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return f"missing required {location} key(s): {', '.join(missing)}"
    if validator == "dependencies":
        return f"{location} keys {' and '.join(sorted(error.schema['dependencies']))} must be given together"
    if validator == "type" and not error.absolute_path:
        return f"the {location} must be a JSON object"
    if validator in ("oneOf", "anyOf") and not error.absolute_path:
        forms = "; or ".join(s.get("description", "") for s in error.validator_value)
        return f"the {location} matches none of the accepted forms: {forms}"
    if validator == "enum":
        return f"{field} must be one of {', '.join(map(str, error.validator_value))}"
    if validator == "maxLength":
        return f"{field} must be at most {error.validator_value:,} characters"
    if field in _FIELD_HINTS:
        return f"{field} {_FIELD_HINTS[field]}"
    return f"{_where(error)} is invalid ({validator})"


@cache
def _ecmascript_regex(pattern: str) -> re.Pattern:
    """A schema pattern as API Gateway reads it (ECMAScript): its final ``$`` is the very end of the
    text, where Python's would also match before a trailing newline (``bucket\\n``)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator, pattern: str, instance, schema: dict):
    if validator.is_type(instance, "string") and not _ecmascript_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"does not match the pattern {pattern!r}")


_Validator = jsonschema.validators.extend(jsonschema.Draft4Validator, {"pattern": _pattern})


def validate(instance: object, schema_name: str, location: str = "body") -> dict:
    """Return the instance if it matches the schema, else raise RequestError naming one problem."""
    validator = _Validator(schema(schema_name))
    errors = sorted(validator.iter_errors(instance), key=lambda e: (len(e.absolute_path), e.validator != "type"))
    if errors:
        # The shallowest error first: an unknown key explains more than a nested mismatch.
        raise RequestError(_message(errors[0], location, instance))
    return instance


def threshold(params: dict) -> float | None:
    """The validated threshold as a float (the original API also took decimal strings)."""
    value = params.get(THRESHOLD)
    return None if value is None else float(value)
