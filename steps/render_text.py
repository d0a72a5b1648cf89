"""RenderText: the masked document, or the entity list when only detection was asked."""

from steps import storage
from steps.errors import phi_safe
from steps.log import get_logger
from steps.text.entities import mask, with_text

logger = get_logger(__name__)


@phi_safe
def handler(event: dict, context=None) -> dict:
    text = storage.read_text(event["document"]["ref"])
    entities = storage.read_json(event["entities"])
    if event["operation"] == "detect":
        ref = storage.join(event["workPrefix"], "result.json")
        storage.write_json(ref, {"Entities": with_text(entities, text)})
        return {"ref": ref, "kind": "entities"}
    ref = storage.join(event["workPrefix"], "result.txt")
    storage.write_text(ref, mask(text, entities, event["options"]["mode"]))
    logger.info("masked", entities=len(entities))
    return {"ref": ref, "kind": "maskedText"}
