"""RecordResult: write one object's outcome where the manifest and later runs find it.

The outcome is the child workflow's summary (entity counts, output) or its error
name; the child's work area is removed either way. Returns only the status, so the
Map's result stays small however many objects there are.
"""

import json

from steps import storage
from steps.errors import phi_safe
from steps.log import get_logger

logger = get_logger(__name__)


def _error_name(failure: dict) -> str:
    """A failed child execution surfaces as States.TaskFailed whose cause is its description."""
    try:
        described = json.loads(failure.get("Cause") or "")
    except ValueError:
        described = None
    if isinstance(described, dict):
        child_error = described.get("Error") or described.get("error")
        if child_error:
            return child_error
    return failure.get("Error") or "Unknown"


@phi_safe
def handler(event: dict, context=None) -> dict:
    plan = event["plan"]
    record = {"object": plan["object"], "kind": plan["kind"], "version": plan["version"],
              "status": "masked", "entities": 0, "entityCounts": {}, "output": None, "error": None}
    if plan["kind"] not in ("text", "image"):
        record.update(status="unsupported", error="UnsupportedType")
    elif "failure" in event:
        record.update(status="failed", error=_error_name(event["failure"]))
    else:
        summary = event["result"]
        record.update(entities=summary.get("entities", 0), entityCounts=summary.get("entityCounts", {}),
                      output=summary.get("output"))
    storage.write_json(plan["record"], record)
    storage.delete_prefix(plan["work"])
    logger.info("object recorded", kind=record["kind"], status=record["status"], error=record["error"])
    return {"status": record["status"]}
