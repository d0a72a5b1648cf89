"""DetectText: read every word of every distinct frame with the OCR engine, one view at a time.

A view that FetchImage found to differ from an earlier one only in places is read only
there (steps.imaging.regions: the changed boxes grown by the earlier view's words they
touch, read at the scale of the frame); elsewhere its pixels are the earlier view's, and so
are its words. A view that changed in most of its area is read whole. The words (with boxes
and the view they were read in) and the document they make go to the work area, so the
text states detect PHI in it unchanged.
"""

import io
from dataclasses import replace

import numpy as np

from steps import storage
from steps.errors import phi_safe
from steps.imaging import regions
from steps.imaging.ocr import get_ocr_engine
from steps.imaging.words import Word, build_document, in_view, split_fused
from steps.log import get_logger

logger = get_logger(__name__)
# Past this share of the frame, reading the changed regions costs about what the frame does.
MAX_CHANGED_SHARE = 0.75


@phi_safe
def handler(event: dict, context=None) -> dict:
    engine = get_ocr_engine(event["options"]["ocrEngine"])
    parked = storage.read_json(event["views"])
    read_in: list[list[Word]] = []
    partly = 0
    for index, (view, change) in enumerate(zip(parked["views"], parked["changes"], strict=True)):
        rgb = np.load(io.BytesIO(storage.read_bytes(view)), allow_pickle=False)
        words = _read_changes(engine, rgb, read_in[change["base"]], change["boxes"]) if change else None
        partly += words is not None
        read_in.append(in_view(words if words is not None else split_fused(engine.read(rgb)), index))
    text, words = build_document([w for view_words in read_in for w in view_words])
    document = storage.join(event["workPrefix"], "document.txt")
    storage.write_text(document, text)
    words_ref = storage.join(event["workPrefix"], "words.json")
    storage.write_json(words_ref, [w.to_dict() for w in words])
    logger.info("read", words=len(words), views=len(read_in), read_in_part=partly, characters=len(text),
                engine=engine.name)
    return {"document": {"ref": document, "characters": len(text), "bytes": len(text.encode("utf-8"))},
            "words": words_ref, "count": len(words)}


def _read_changes(engine, rgb: np.ndarray, base: list[Word], boxes: list) -> list[Word] | None:
    """The words of a view that differs from its base view only in ``boxes`` (the changed pixels):
    the base's words clear of them, and those read in them, grown by the base's words they
    touch; None when too much changed to gain by it. A word read there that lies mostly on a
    base word clear of the change is that word cut by the region's edge: the base's stands."""
    height, width = rgb.shape[:2]
    boxes = [tuple(b) for b in boxes]
    kept = [replace(w) for w in base if not any(regions.intersect(w.box, box) for box in boxes)]
    touched = [w.box for w in base if any(regions.intersect(w.box, box) for box in boxes)]
    changed = regions.grown(boxes + touched, [], width, height, margin_share=0)
    if sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in changed) > MAX_CHANGED_SHARE * width * height:
        return None
    cut_outs = [regions.CutOut(0, r, rgb[r[1]:r[3], r[0]:r[2]]) for r in changed]
    read = split_fused([w for _, w in regions.read(engine, cut_outs, width, height)])
    return kept + [w for w in read if not any(regions.mostly_within(w.box, k.box) for k in kept)]
