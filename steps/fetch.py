"""Fetch: validate the job and its document; inline text is parked in the work area.

Output replaces the state: from here on only references and metadata travel (the key's
work area, never a key).
"""

from steps import options as job_options
from steps import storage
from steps.errors import InvalidInput, phi_safe
from steps.log import get_logger
from steps.operators.registry import job_context
from steps.text.document import read_document

logger = get_logger(__name__)
OPERATIONS = ("mask", "detect")


@phi_safe
def handler(event: dict, context=None) -> dict:
    options, operation, work_prefix, destination = job_options.validate_job(event, OPERATIONS)
    if ("text" in event) == ("source" in event):
        raise InvalidInput("give exactly one of 'text' or 'source'")
    if "text" in event:
        if not isinstance(event["text"], str):
            raise InvalidInput("text must be a string")
        source = storage.join(work_prefix, "input.txt")
        storage.write_text(source, event["text"])
    else:
        source = event["source"]
    text = read_document(source)
    job_options.check_destination(destination, source)
    # The job's own key, when no deployment key is set, is made here, once, before any step reads it.
    # A child of a batch job shares its parent's (keyPrefix: the parent's work area).
    key_prefix = event.get("keyPrefix", work_prefix)
    storage.parse(key_prefix)
    job_context(options, key_prefix)
    document = {"ref": source, "characters": len(text), "bytes": len(text.encode("utf-8"))}
    logger.info("fetched", characters=document["characters"], operation=operation)
    return {"document": document, "workPrefix": work_prefix, "keyPrefix": key_prefix, "destination": destination,
            "operation": operation, "options": options}
