"""Store: promote a finished artifact from the work area to its destination.

Only this state writes the destination, in one atomic write, after every other
state has succeeded: a failed job leaves no output behind. Without a destination
(the synchronous API) the artifact is returned inline instead.
"""

import json

from steps import storage
from steps.errors import InvalidInput, phi_safe
from steps.log import get_logger

logger = get_logger(__name__)
KINDS = ("maskedText", "entities", "image")


@phi_safe
def handler(event: dict, context=None) -> dict:
    artifact, destination = event["artifact"], event.get("destination")
    if artifact["kind"] not in KINDS:
        raise InvalidInput(f"unknown artifact kind {artifact['kind']!r}")
    result = {**(event.get("summary") or {}), **artifact.get("summary", {})}
    if destination is not None:
        storage.copy(artifact["ref"], destination)
        result["output"] = destination
    elif artifact["kind"] == "maskedText":
        result["maskedText"] = storage.read_text(artifact["ref"])
        result["entities"] = storage.read_json(artifact["maskedEntities"])
    elif artifact["kind"] == "entities":
        result.update(json.loads(storage.read_bytes(artifact["ref"])))
    else:
        raise InvalidInput("an image result needs a destination")
    logger.info("stored", kind=artifact["kind"], inline=destination is None)
    return result
