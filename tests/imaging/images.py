"""Real image files for the imaging tests, written by Pillow and pydicom."""

import io
import zlib

import numpy as np
import pydicom
from PIL import Image, ImageDraw, ImageFont
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

PATIENT = "SALAZAR^CARLOS"


def radiograph(lines: list[tuple[tuple[int, int], str]], size=(800, 600), font_size=28) -> Image.Image:
    """A dark x-ray-like grey image with white burned-in text at the given positions."""
    rng = np.random.default_rng(7)
    base = rng.normal(40, 6, (size[1], size[0])).clip(0, 255).astype(np.uint8)
    image = Image.fromarray(base, "L")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=font_size)
    for position, text in lines:
        draw.text(position, text, fill=235, font=font)
    return image


def text_box(position: tuple[int, int], line: str, word: str | None = None, font_size=28) -> tuple[int, int, int, int]:
    """Pixel box of ``line`` drawn at ``position`` by radiograph(), or of one ``word`` of it."""
    font = ImageFont.load_default(size=font_size)
    if word is not None:
        position = (position[0] + round(font.getlength(line[:line.index(word)])), position[1])
        line = word
    return ImageDraw.Draw(Image.new("L", (1, 1))).textbbox(position, line, font=font)


def png_bytes(image: Image.Image, **info) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    meta = PngInfo()
    for key, value in info.items():
        meta.add_text(key, value)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=meta)
    return buffer.getvalue()


def dicom_dataset(pixels: np.ndarray, photometric="MONOCHROME2", bits_stored=None) -> pydicom.Dataset:
    """A Secondary Capture dataset with identifying header values, an overlay and a private tag."""
    ds = pydicom.Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = PATIENT, "RQ36114734", "19610211"
    ds.AccessionNumber, ds.InstitutionName = "A8224298", "County General"
    ds.ReferringPhysicianName, ds.StudyDate, ds.Modality = "HOUSE^GREGORY", "20111112", "OT"
    ds.add_new(0x00091010, "LO", "private note")
    ds.add_new(0x60000010, "US", 16)  # an overlay plane's Overlay Rows
    ds.set_pixel_data(pixels, photometric, bits_stored or pixels.dtype.itemsize * 8)
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    return ds


def dicom_bytes(ds: pydicom.Dataset) -> bytes:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def deflated_multiframe(frames: int, side: int) -> bytes:
    """A Deflated Explicit VR Little Endian file of ``frames`` black 16-bit frames, written as
    a stream: the decoded pixels (frames x side x side x 2 bytes) never exist in memory."""
    from pydicom.filewriter import write_file_meta_info
    from pydicom.uid import DeflatedExplicitVRLittleEndian

    ds = dicom_dataset(np.zeros((2, 2), np.uint16))
    del ds["PixelData"]
    ds.Rows = ds.Columns = side
    ds.NumberOfFrames = frames
    header = io.BytesIO()
    ds.save_as(header, enforce_file_format=True)
    dataset_start = 132 + 12 + int.from_bytes(header.getvalue()[140:144], "little")  # after the meta group
    meta = FileMetaDataset(ds.file_meta)
    meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    out = io.BytesIO()
    out.write(b"\x00" * 128 + b"DICM")
    write_file_meta_info(out, meta, enforce_standard=True)
    size = frames * side * side * 2
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    out.write(deflate.compress(header.getvalue()[dataset_start:]))
    out.write(deflate.compress(b"\xe0\x7f\x10\x00OW\x00\x00" + size.to_bytes(4, "little")))
    chunk = bytes(min(size, 16 * 1024 * 1024))
    for start in range(0, size, len(chunk)):
        out.write(deflate.compress(chunk[:size - start]))
    out.write(deflate.flush())
    return out.getvalue()
