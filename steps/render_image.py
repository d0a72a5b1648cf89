"""RenderImage: the masked image, or the words read, or the PHI found with its boxes.

A word is masked when it overlaps a PHI entity (every word of the entity), when it
matches an identifying DICOM header value, or, under the default ``all-text``
policy, when it is not known annotation vocabulary (steps.imaging.policy). Each frame
is masked with the boxes of the words read in it. A DICOM leaves through the
verification gate (steps.imaging.release), and its summary counts the actions taken.
"""

import tempfile
from collections import Counter

from steps import pseudonym_key, storage
from steps.errors import phi_safe
from steps.imaging import policy, raster
from steps.imaging.formats import DICOM, EXTENSIONS
from steps.imaging.masking import mask_boxes
from steps.imaging.ocr import get_ocr_engine
from steps.imaging.picture import load
from steps.imaging.profile import ProfileOptions
from steps.imaging.release import Release
from steps.imaging.words import Word, overlapping, overlaps
from steps.log import get_logger
from steps.operators.anonymizer import surrogate_scheme
from steps.text.entities import with_text

logger = get_logger(__name__)


@phi_safe
def handler(event: dict, context=None) -> dict:
    image, operation, work, options = event["image"], event["operation"], event["workPrefix"], event["options"]
    actions, summary = Counter(), {}
    words = [Word.from_dict(w) for w in storage.read_json(event["words"])]
    if operation == "text":
        ref = storage.join(work, "result.json")
        storage.write_json(ref, text_detections(words, image["width"], image["height"]))
        return {"ref": ref, "kind": "entities", "maskedWords": 0, "maskedByReason": {}, "actions": {}}
    entities = storage.read_json(event["entities"]) if event.get("entities") else []
    hits = overlapping(words, entities)
    header = policy.header_seeds(storage.read_json(event["header"]))
    reasons = policy.decide(words, hits, header, options["imageMaskPolicy"])
    counts = dict(sorted(Counter(reasons.values()).items()))
    if operation == "phi":
        ref = storage.join(work, "result.json")
        text = storage.read_text(event["document"]["ref"])
        storage.write_json(ref, phi_locations(text, words, entities, reasons, image))
        kind = "entities"
    else:
        with storage.opened(image["ref"]) as stream:
            picture = load(stream)
            ref = storage.join(work, f"result.{EXTENSIONS[picture.format]}")
            actions = _write_masked(picture, words, reasons, storage.read_json(event["views"]), options,
                                    event["keyPrefix"], ref)
            if picture.format == DICOM:  # its header values went through the mode's operators
                summary = surrogate_scheme(options["mode"])
        kind = "image"
    logger.info("rendered", operation=operation, words=len(words), masked=len(reasons), by_reason=counts,
                actions=dict(actions))
    return {"ref": ref, "kind": kind, "maskedWords": len(reasons), "maskedByReason": counts,
            "actions": dict(sorted(actions.items())), "summary": summary}


def _write_masked(picture, words: list[Word], reasons: dict[int, str], views: dict, options: dict, key_prefix: str,
                  ref: str) -> Counter:
    """Mask each frame with its view's boxes and write the result; a DICOM through the gate."""
    frame_views = views["frameViews"]
    boxes = [picture.clipped(boxes) for boxes in boxes_by_view(words, reasons, len(views["views"]))]
    if picture.format != DICOM:
        storage.write_bytes(ref, raster.masked(picture.source, picture.format, boxes[0]), picture.media_type)
        return Counter()
    release = Release(pseudonym_key.job_key(key_prefix), ProfileOptions.from_job(options),
                      get_ocr_engine(options["ocrEngine"]), options["engine"], options["threshold"],
                      options["entityTypes"])
    pixel_phi = [words[i].text for i, reason in reasons.items() if reason != policy.REASON_TEXT]
    # A file, not bytes: the pixel data alone may take the whole pixel budget.
    with tempfile.TemporaryFile() as spool:
        actions = release.masked_file(picture.source, boxes, frame_views, words, pixel_phi, spool)
        spool.seek(0)
        storage.write_bytes(ref, spool, picture.media_type)
    return actions


def boxes_by_view(words: list[Word], reasons: dict[int, str], views: int) -> list[list]:
    """The mask boxes of each view: its masked words' boxes, padded up to its kept words."""
    return [mask_boxes([w.box for i, w in enumerate(words) if i in reasons and w.view == view],
                       [w.box for i, w in enumerate(words) if i not in reasons and w.view == view])
            for view in range(views)]


def _relative(box, width: int, height: int) -> dict:
    x0, y0, x1, y1 = box
    return {"Left": x0 / width, "Top": y0 / height, "Width": (x1 - x0) / width, "Height": (y1 - y0) / height}


def text_detections(words: list[Word], width: int, height: int) -> dict:
    """Words in the shape of Rekognition's DetectText WORD detections, plus pixel boxes."""
    return {"Width": width, "Height": height, "TextDetections": [
        {"Id": i, "Type": "WORD", "DetectedText": w.text, "Confidence": round(w.score * 100, 3),
         "LineId": w.line, "Box": list(w.box), "Geometry": {"BoundingBox": _relative(w.box, width, height)}}
        for i, w in enumerate(words)
    ]}


def phi_locations(text: str, words: list[Word], entities: list[dict], reasons: dict[int, str],
                  image: dict) -> dict:
    """PHI entities (DetectPHI shape) with the boxes of their words, and every box the mask covers."""
    located = with_text(entities, text)
    for entity in located:
        entity["Boxes"] = [list(w.box) for w in words if overlaps(w, entity)]
    masked = [{"Box": list(words[i].box), "Reason": reason, "Text": words[i].text}
              for i, reason in sorted(reasons.items())]
    return {"Width": image["width"], "Height": image["height"], "Entities": located, "MaskedBoxes": masked}

