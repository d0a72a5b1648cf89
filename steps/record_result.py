"""RecordResult: journal the outcome of an object that went through its own workflow.

The outcome is the child workflow's summary (entity counts, output) or its error
name; the child's work area is removed either way. Returns only the status, so the
Map's result stays small however many objects there are.
"""

import json

from steps import storage
from steps.batch import journal
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
    if "failure" in event:
        outcome = journal.record(plan, "failed", error=_error_name(event["failure"]))
    else:
        outcome = journal.record(plan, "masked", event["result"])
    with journal.Journal(event["journal"]) as batch_journal:
        batch_journal.add(outcome)
    storage.delete_prefix(plan["work"])
    logger.info("object recorded", kind=plan["kind"], status=outcome["status"], error=outcome["error"])
    return {"status": outcome["status"]}
