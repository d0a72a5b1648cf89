"""Fetch: validate the job and its document; inline text is parked in the work area.

Output replaces the state: from here on only references and metadata travel.
"""

from steps import options as job_options
from steps import storage
from steps.errors import InvalidInput, phi_safe
from steps.log import get_logger
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
    document = {"ref": source, "characters": len(text), "bytes": len(text.encode("utf-8"))}
    logger.info("fetched", characters=document["characters"], operation=operation)
    return {"document": document, "workPrefix": work_prefix, "destination": destination,
            "operation": operation, "options": options}
