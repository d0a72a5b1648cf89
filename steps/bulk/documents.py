"""One input line of a bulk text job, and the result line it becomes.

Input lines are ``{"id", "text"}`` objects, optionally with a ``patientId`` (string),
which the result line carries through as it is. A line that is not such an object
gives a result line ``{"id", "line", "error"}`` naming what is wrong, never quoting it.
"""

import json

from steps.errors import InvalidInput

OPERATIONS = ("mask", "detect")


def _check_id(value) -> None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidInput('"id" must be a string or an integer')


def parse(raw: bytes) -> dict:
    """The document of one line, or InvalidInput naming the first problem found."""
    try:
        document = json.loads(raw)
    except ValueError:  # UnicodeDecodeError included
        raise InvalidInput("the line is not a JSON object") from None
    if not isinstance(document, dict):
        raise InvalidInput("the line is not a JSON object")
    if "id" not in document:
        raise InvalidInput('the line has no "id"')
    _check_id(document["id"])
    if not isinstance(document.get("text"), str):
        raise InvalidInput('"text" must be a string' if "text" in document else 'the line has no "text"')
    if not isinstance(document.get("patientId", ""), str):
        raise InvalidInput('"patientId" must be a string')
    return document


def line_id(raw: bytes):
    """The id of a line that failed, if it has a usable one; else None."""
    try:
        document = json.loads(raw)
        _check_id(document["id"])
    except (ValueError, TypeError, KeyError, InvalidInput):
        return None
    return document["id"]


def result(document: dict, **fields) -> dict:
    """The result line of a document: its id, its patientId if it had one, then ``fields``."""
    keys = {"id": document["id"]}
    if "patientId" in document:
        keys["patientId"] = document["patientId"]
    return {**keys, **fields}


def error(raw: bytes, number: int, name: str, message: str) -> dict:
    return {"id": line_id(raw), "line": number, "error": f"{name}: {message}"}


def encode(line: dict) -> bytes:
    return json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n"
