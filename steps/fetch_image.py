"""FetchImage: validate the job, decode the image, park an 8-bit RGB view for OCR in the work area.

The DICOM header's identifying values go to the work area too (they join the PHI
search on the pixels); the state carries only references and image metadata.
"""

import io

import numpy as np

from steps import options as job_options
from steps import storage
from steps.errors import InvalidInput, phi_safe
from steps.imaging.picture import load
from steps.log import get_logger

logger = get_logger(__name__)
MAX_IMAGE_BYTES = 512 * 1024 * 1024
OPERATIONS = ("mask", "text", "phi")


@phi_safe
def handler(event: dict, context=None) -> dict:
    options, operation, work_prefix, destination = job_options.validate_job(event, OPERATIONS)
    source = event.get("source")
    storage.parse(source)
    job_options.check_destination(destination, source)
    if storage.size(source) > MAX_IMAGE_BYTES:
        raise InvalidInput(f"the image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MiB")
    picture = load(storage.read_bytes(source))
    # A raw array: encoding and decoding a PNG would cost more than the bytes it saves.
    view = storage.join(work_prefix, "ocr-view.npy")
    buffer = io.BytesIO()
    np.save(buffer, picture.ocr_view(), allow_pickle=False)
    storage.write_bytes(view, buffer.getvalue())
    header = storage.join(work_prefix, "header.json")
    storage.write_json(header, picture.header_values())
    image = {"ref": source, "format": picture.format, "width": picture.width, "height": picture.height,
             "frames": picture.frames}
    logger.info("fetched", format=picture.format, width=picture.width, height=picture.height,
                frames=picture.frames, operation=operation)
    return {"image": image, "view": view, "header": header, "workPrefix": work_prefix,
            "destination": destination, "operation": operation, "options": options}
