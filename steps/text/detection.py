"""PHI detection on a whole text in one call: the text workflow's chunking and filtering, without its states.

The text workflow spreads the chunks of a long document over a Map; steps that handle
many documents in one invocation (MaskBatch, MaskTextBatch) run the same functions
here, one chunk after the other.
"""

from steps.phi import get_engine
from steps.text.chunking import chunk_text
from steps.text.entities import select, shift


def detect_entities(text: str, options: dict) -> list[dict]:
    """The entities a job keeps (options as validated by steps.options), in document offsets."""
    engine = get_engine(options["engine"])
    if len(text.encode("utf-8")) <= options["maxChunkBytes"]:
        return select(engine.detect(text), options)
    found = []
    for chunk in chunk_text(text, options["maxChunkBytes"], options["chunkOverlap"]):
        found.extend(shift(engine.detect(text[chunk.charStart:chunk.charEnd]), chunk.charStart))
    return select(found, options)
