"""One interface over PNG, JPEG and DICOM: decode, render each frame for OCR, mask in the same format."""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from steps.errors import InvalidInput
from steps.imaging import dicom, raster
from steps.imaging.formats import DICOM, DICOM_MAGIC_END, MEDIA_TYPES, sniff
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

    def iter_frames(self) -> Iterator:
        """Each frame as decoded (a DICOM's one at a time); a PNG or JPEG is one frame."""
        if self.format == DICOM:
            yield from dicom.iter_frames(self.source)
        else:
            yield self.source

    def ocr_view(self, frame) -> np.ndarray:
        """A frame as the 8-bit RGB the OCR engines read."""
        return dicom.ocr_view(self.source, frame) if self.format == DICOM else raster.ocr_view(frame)

    def header_values(self) -> list[str]:
        return dicom.header_values(self.source) if self.format == DICOM else []

    def clipped(self, boxes: list[Box]) -> list[Box]:
        return [clip(box, self.width, self.height) for box in boxes]


def load(data: bytes | BinaryIO) -> Picture:
    """The container recognised and the header read; a DICOM's pixels are not decoded yet
    (they are read from ``data``, which must stay open while frames are decoded)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    fmt = sniff(stream.read(DICOM_MAGIC_END))
    stream.seek(0)
    if fmt == DICOM:
        image = dicom.read(stream)
        picture = Picture(fmt, image, image.width, image.height, image.frames)
    else:
        image = raster.read(stream)
        picture = Picture(fmt, image, image.width, image.height, getattr(image, "n_frames", 1))
    if max(picture.width, picture.height) > MAX_SIDE:
        raise InvalidInput(f"the image is larger than {MAX_SIDE} pixels on a side")
    return picture
