"""FetchImage: validate the job, decode the image frame by frame, park an 8-bit RGB view of
every distinct frame for OCR in the work area.

Frames whose decoded pixels are equal share one view (and so one read), wherever they are
in the file; ``frames.json`` maps every frame to its view. A view that differs from the
view before it only in places (a cine's moving image under a fixed overlay) records where
(``changes``: the earlier view and the boxes of the changed pixels), so that DetectText
reads only there and keeps the earlier view's words elsewhere. The DICOM header's identifying values go
to the work area too (they join the PHI search on the pixels); the state carries only
references and image metadata.
"""

import hashlib
import io

import numpy as np

from steps import options as job_options
from steps import pseudonym_key, storage
from steps.errors import InvalidInput, phi_safe
from steps.imaging.picture import load
from steps.imaging.regions import changed_boxes
from steps.log import get_logger

logger = get_logger(__name__)
MAX_IMAGE_BYTES = 512 * 1024 * 1024
OPERATIONS = ("mask", "text", "phi")


def park_views(picture, work_prefix: str) -> dict:
    """Write one view per distinct frame; returns the views, each frame's view, and what
    changed in each view since the one before it (None: read it whole)."""
    views, frame_views, changes, seen, previous = [], [], [], {}, None
    for frame in picture.iter_frames():
        key = _fingerprint(frame)
        if key not in seen:
            rgb = picture.ocr_view(frame)
            changes.append(None if previous is None or previous.shape != rgb.shape
                           else {"base": len(views) - 1, "boxes": changed_boxes(previous, rgb)})
            # A raw array: encoding and decoding a PNG would cost more than the bytes it saves.
            ref = storage.join(work_prefix, f"ocr-view-{len(views)}.npy")
            buffer = io.BytesIO()
            np.save(buffer, rgb, allow_pickle=False)
            storage.write_bytes(ref, buffer.getvalue())
            seen[key], previous = len(views), rgb
            views.append(ref)
        frame_views.append(seen[key])
    return {"views": views, "frameViews": frame_views, "changes": changes}


def _fingerprint(frame) -> tuple:
    """Equal for frames with equal pixels (a PIL image, the one frame of a PNG or JPEG, is its own)."""
    if not isinstance(frame, np.ndarray):
        return ("image", id(frame))
    return frame.shape, frame.dtype.str, hashlib.blake2b(np.ascontiguousarray(frame).data, digest_size=32).digest()


@phi_safe
def handler(event: dict, context=None) -> dict:
    options, operation, work_prefix, destination = job_options.validate_job(event, OPERATIONS)
    source = event.get("source")
    storage.parse(source)
    job_options.check_destination(destination, source)
    if storage.size(source) > MAX_IMAGE_BYTES:
        raise InvalidInput(f"the image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MiB")
    views = storage.join(work_prefix, "frames.json")
    with storage.opened(source) as stream:
        picture = load(stream)
        storage.write_json(views, park_views(picture, work_prefix))
    # The job's own key, when no deployment key is set, is made here, in the work area; a child of a
    # batch job shares its parent's (keyPrefix: the parent's work area), so one study stays one study.
    key_prefix = event.get("keyPrefix", work_prefix)
    storage.parse(key_prefix)
    pseudonym_key.job_key(key_prefix)
    header = storage.join(work_prefix, "header.json")
    storage.write_json(header, picture.header_values())
    image = {"ref": source, "format": picture.format, "width": picture.width, "height": picture.height,
             "frames": picture.frames}
    logger.info("fetched", format=picture.format, width=picture.width, height=picture.height,
                frames=picture.frames, operation=operation)
    return {"image": image, "views": views, "header": header, "workPrefix": work_prefix, "keyPrefix": key_prefix,
            "destination": destination, "operation": operation, "options": options}
