"""PNG and JPEG: decode, render for OCR, mask and re-encode in the same format and mode."""

import io
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageColor, ImageDraw, UnidentifiedImageError

from steps.errors import SourceUnreadable
from steps.imaging.formats import JPEG
from steps.imaging.masking import Box

# Decompression-bomb guard: larger than any radiograph we expect.
Image.MAX_IMAGE_PIXELS = 100_000_000
JPEG_QUALITY = 95
EXIF_ORIENTATION = 0x0112


def read(stream: BinaryIO) -> Image.Image:
    try:
        image = Image.open(stream)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise SourceUnreadable(f"the image cannot be decoded: {type(exc).__name__}") from None
    return image


def ocr_view(image: Image.Image) -> np.ndarray:
    """8-bit RGB for the OCR engine; high-bit-depth greys are stretched to full range."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        return stretch_to_rgb(np.asarray(image, dtype=np.float64))
    return np.asarray(image.convert("RGB"))


def stretch_to_rgb(grey: np.ndarray) -> np.ndarray:
    low, high = float(grey.min()), float(grey.max())
    scaled = (grey - low) * (255.0 / (high - low)) if high > low else np.zeros_like(grey)
    return np.repeat(scaled.astype(np.uint8)[..., None], 3, axis=2)


def masked(image: Image.Image, fmt: str, boxes: list[Box]) -> bytes:
    """The image with every box filled black, re-encoded without its metadata (which can hold PHI)."""
    out = image.copy()
    out.info.clear()
    draw = ImageDraw.Draw(out)
    black = _black(image)
    for x0, y0, x1, y1 in boxes:
        if x1 > x0 and y1 > y0:
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=black)
    buffer = io.BytesIO()
    if fmt == JPEG:
        out.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0, exif=_orientation_only(image))
    else:
        # Level 1: about four times faster than the default for some 15% more bytes.
        out.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def _orientation_only(image: Image.Image) -> bytes:
    """EXIF with nothing but the orientation, so the masked copy displays the way its source
    did (the rest of EXIF can name a person, a place or a device)."""
    exif = Image.Exif()
    orientation = image.getexif().get(EXIF_ORIENTATION)
    if orientation:
        exif[EXIF_ORIENTATION] = orientation
    return exif.tobytes()


def _black(image: Image.Image):
    """The value that shows black in this mode (for a palette, its darkest entry)."""
    if image.mode == "P":
        palette = np.asarray(image.getpalette(), dtype=np.int32).reshape(-1, 3)
        return int(palette.sum(axis=1).argmin())
    if image.mode == "CMYK":
        return (0, 0, 0, 255)
    return ImageColor.getcolor("black", image.mode)
