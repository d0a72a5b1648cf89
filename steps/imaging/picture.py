"""One interface over PNG, JPEG and DICOM: decode, render for OCR, mask in the same format."""

from dataclasses import dataclass

import numpy as np

from steps.errors import InvalidInput
from steps.imaging import dicom, raster
from steps.imaging.formats import DICOM, MEDIA_TYPES, sniff
from steps.imaging.masking import Box, clip

MAX_SIDE = 10_000


@dataclass
class Picture:
    format: str
    source: object  # a PIL image or a dicom.DicomImage
    width: int
    height: int
    frames: int

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    def ocr_view(self) -> np.ndarray:
        return dicom.ocr_view(self.source) if self.format == DICOM else raster.ocr_view(self.source)

    def header_values(self) -> list[str]:
        return dicom.header_values(self.source) if self.format == DICOM else []

    def masked(self, boxes: list[Box]) -> bytes:
        """Bytes of the same format with every box filled black (every frame of a DICOM)."""
        inside = [clip(box, self.width, self.height) for box in boxes]
        if self.format == DICOM:
            return dicom.masked(self.source, inside)
        return raster.masked(self.source, self.format, inside)


def load(data: bytes) -> Picture:
    fmt = sniff(data)
    if fmt == DICOM:
        image = dicom.read(data)
        picture = Picture(fmt, image, image.width, image.height, image.frames.shape[0])
    else:
        image = raster.read(data)
        picture = Picture(fmt, image, image.width, image.height, getattr(image, "n_frames", 1))
    if max(picture.width, picture.height) > MAX_SIDE:
        raise InvalidInput(f"the image is larger than {MAX_SIDE} pixels on a side")
    return picture

