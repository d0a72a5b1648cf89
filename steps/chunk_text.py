"""ChunkText: plan overlapping chunks that each fit one DetectPHI call (offsets only)."""

from steps import storage
from steps.errors import phi_safe
from steps.log import get_logger
from steps.text.chunking import chunk_text

logger = get_logger(__name__)


@phi_safe
def handler(event: dict, context=None) -> dict:
    options = event["options"]
    text = storage.read_text(event["document"]["ref"])
    chunks = chunk_text(text, options["maxChunkBytes"], options["chunkOverlap"])
    logger.info("chunked", characters=len(text), chunks=len(chunks))
    return {"chunks": [c.to_dict() for c in chunks], "count": len(chunks)}
