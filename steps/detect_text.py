"""DetectText: read every word of every distinct frame with the OCR engine, one view at a time.

The words (with boxes and the view they were read in) and the document they make go
to the work area, so the text states detect PHI in it unchanged.
"""

import io

import numpy as np

from steps import storage
from steps.errors import phi_safe
from steps.imaging.ocr import get_ocr_engine
from steps.imaging.words import build_document, in_view, split_fused
from steps.log import get_logger

logger = get_logger(__name__)


@phi_safe
def handler(event: dict, context=None) -> dict:
    engine = get_ocr_engine(event["options"]["ocrEngine"])
    views, read = storage.read_json(event["views"])["views"], []
    for index, view in enumerate(views):
        rgb = np.load(io.BytesIO(storage.read_bytes(view)), allow_pickle=False)
        read.extend(in_view(split_fused(engine.read(rgb)), index))
    text, words = build_document(read)
    document = storage.join(event["workPrefix"], "document.txt")
    storage.write_text(document, text)
    words_ref = storage.join(event["workPrefix"], "words.json")
    storage.write_json(words_ref, [w.to_dict() for w in words])
    logger.info("read", words=len(words), views=len(views), characters=len(text), engine=engine.name)
    return {"document": {"ref": document, "characters": len(text), "bytes": len(text.encode("utf-8"))},
            "words": words_ref, "count": len(words)}
