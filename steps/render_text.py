"""RenderText: the masked document, or the entity list when only detection was asked.

Masking also writes where each replacement landed in the masked text (offsets, type and
operator, no values) and returns counts per operator and the surrogate scheme's version
for the job's summary.
"""

from steps import storage
from steps.errors import phi_safe
from steps.log import get_logger
from steps.operators.anonymizer import anonymize, surrogate_scheme
from steps.operators.registry import job_context
from steps.text.entities import with_text

logger = get_logger(__name__)
MASKED_ENTITIES = "masked-entities.json"


@phi_safe
def handler(event: dict, context=None) -> dict:
    text = storage.read_text(event["document"]["ref"])
    entities = storage.read_json(event["entities"])
    work_prefix = event["workPrefix"]
    if event["operation"] == "detect":
        ref = storage.join(work_prefix, "result.json")
        storage.write_json(ref, {"Entities": with_text(entities, text)})
        return {"ref": ref, "kind": "entities"}
    options = event["options"]
    mode = options["mode"]
    operators = job_context(options, event["keyPrefix"])
    masked = anonymize(text, entities, mode, operators)
    ref = storage.join(work_prefix, "result.txt")
    storage.write_text(ref, masked.text)
    entities_ref = storage.join(work_prefix, MASKED_ENTITIES)
    storage.write_json(entities_ref, masked.entities)
    summary = {"operatorCounts": masked.counts_by_operator(), **surrogate_scheme(mode)}
    logger.info("masked", entities=len(entities), **summary)
    return {"ref": ref, "kind": "maskedText", "maskedEntities": entities_ref, "summary": summary}
