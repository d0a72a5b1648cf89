"""PNG and JPEG keep their format, size and mode; metadata does not survive; bad input is refused."""

import io

import numpy as np
import pytest
from PIL import Image

from steps.errors import InvalidInput, SourceUnreadable
from steps.imaging import raster
from steps.imaging.picture import load
from tests.imaging.images import png_bytes

BOX = (10, 5, 30, 15)


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "P", "I;16"])
def test_png_keeps_mode_and_size_and_the_box_turns_black(mode):
    grey = np.random.default_rng(0).integers(60, 200, (40, 50), dtype=np.uint8)
    image = Image.fromarray(grey, "L")
    image = image.convert(mode) if mode != "I;16" else Image.fromarray(grey.astype(np.uint16) * 200)
    out = Image.open(io.BytesIO(_mask(_encode(image, "PNG"))))
    assert out.format == "PNG" and out.size == (50, 40) and out.mode == image.mode
    shown = np.asarray(out.convert("RGB"))
    assert (shown[5:15, 10:30] == 0).all()
    assert (shown[20:, 35:] == np.asarray(image.convert("RGB"))[20:, 35:]).all()


def _mask(data: bytes) -> bytes:
    picture = load(data)
    return raster.masked(picture.source, picture.format, picture.clipped([BOX]))


def test_jpeg_stays_jpeg_with_the_box_black_and_the_rest_close():
    rgb = np.random.default_rng(1).integers(90, 160, (40, 50, 3), dtype=np.uint8)
    data = _encode(Image.fromarray(rgb, "RGB"), "JPEG")
    out = Image.open(io.BytesIO(_mask(data)))
    assert out.format == "JPEG" and out.size == (50, 40) and out.mode == "RGB"
    shown = np.asarray(out, dtype=int)
    assert shown[7:13, 12:28].max() < 10
    original = np.asarray(Image.open(io.BytesIO(data)), dtype=int)
    assert np.abs(shown[25:, 38:] - original[25:, 38:]).mean() < 4


def test_jpeg_keeps_its_exif_orientation_and_nothing_else_of_its_exif():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    exif[0x013B] = "SALAZAR CARLOS"  # Artist
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), (120, 120, 120)).save(buffer, "JPEG", exif=exif.tobytes())
    out = _mask(buffer.getvalue())
    assert b"SALAZAR" not in out
    kept = Image.open(io.BytesIO(out)).getexif()
    assert kept.get(0x0112) == 6 and 0x013B not in kept


def test_png_text_chunks_are_dropped():
    data = png_bytes(Image.new("L", (50, 40), 80), Comment="Patient SALAZAR CARLOS")
    assert b"SALAZAR" in data
    assert b"SALAZAR" not in _mask(data)


def test_not_an_image_is_refused_by_content_not_name():
    with pytest.raises(InvalidInput, match="not a PNG, JPEG or DICOM"):
        load(b"%PDF-1.7 not an image")


def test_truncated_png_is_unreadable():
    data = png_bytes(Image.new("L", (50, 40), 80))
    with pytest.raises(SourceUnreadable, match="cannot be decoded"):
        load(data[: len(data) // 2])
