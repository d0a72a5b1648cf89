"""DetectPhi: run the PHI engine on one chunk; entities go to the work area."""

from steps import storage
from steps.errors import phi_safe
from steps.log import get_logger
from steps.phi import get_engine
from steps.text.entities import shift

logger = get_logger(__name__)


@phi_safe
def handler(event: dict, context=None) -> dict:
    chunk = event["chunk"]
    data = storage.read_bytes(event["document"]["ref"], chunk["byteStart"], chunk["byteEnd"])
    engine = get_engine(event["options"]["engine"])
    entities = shift(engine.detect(data.decode("utf-8")), chunk["charStart"])
    ref = storage.join(event["workPrefix"], f"detections/chunk-{chunk['index']:05d}.json")
    storage.write_json(ref, entities)
    logger.info("detected", chunk=chunk["index"], entities=len(entities), engine=engine.name)
    return {"index": chunk["index"], "entities": ref, "count": len(entities)}
