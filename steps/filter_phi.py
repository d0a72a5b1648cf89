"""FilterPhi: merge chunk detections by global offsets, keep by score and type."""

from steps import storage
from steps.errors import phi_safe
from steps.log import get_logger
from steps.text.entities import counts_by_type, select

logger = get_logger(__name__)


@phi_safe
def handler(event: dict, context=None) -> dict:
    found = [e for d in event["detections"] for e in storage.read_json(d["entities"])]
    kept = select(found, event["options"])
    ref = storage.join(event["workPrefix"], "entities.json")
    storage.write_json(ref, kept)
    counts = counts_by_type(kept)
    logger.info("filtered", found=len(found), kept=len(kept), by_type=counts)
    return {"entities": ref, "count": len(kept), "countsByType": counts}
