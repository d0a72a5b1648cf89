"""DICOM: decode every frame, render for OCR, mask every frame, write back valid DICOM.

Decoders: pylibjpeg (JPEG baseline/extended/lossless, JPEG 2000), pyjpegls (JPEG-LS),
pydicom itself (RLE, deflate, uncompressed). Masked files are written uncompressed
Explicit VR Little Endian (set_pixel_data converts), with a new SOP Instance UID and
the header de-identified (steps.imaging.deid).
"""

import io
from dataclasses import dataclass

import numpy as np
import pydicom
from pydicom.errors import InvalidDicomError
from pydicom.pixels import apply_modality_lut

from steps.errors import SourceUnreadable
from steps.imaging.deid import deidentify
from steps.imaging.masking import Box, fill_boxes
from steps.imaging.raster import stretch_to_rgb

# Header values that are identifying and may also be burned into the pixels.
PATIENT_KEYWORDS = ("PatientName", "PatientID", "OtherPatientIDs", "PatientBirthDate", "AccessionNumber",
                    "InstitutionName", "ReferringPhysicianName", "OperatorsName", "PerformingPhysicianName",
                    "StudyID", "PatientAddress", "PatientTelephoneNumbers")


@dataclass
class DicomImage:
    dataset: pydicom.Dataset
    frames: np.ndarray  # (frames, rows, cols[, samples]) as stored (colour converted to RGB)
    samples: bool

    @property
    def width(self) -> int:
        return self.frames.shape[2]

    @property
    def height(self) -> int:
        return self.frames.shape[1]


def read(data: bytes) -> DicomImage:
    try:
        ds = pydicom.dcmread(io.BytesIO(data))
    except (InvalidDicomError, EOFError, ValueError, KeyError, TypeError, OSError) as exc:
        raise SourceUnreadable(f"the DICOM file cannot be parsed: {type(exc).__name__}") from None
    if "PixelData" not in ds:
        raise SourceUnreadable("the DICOM file has no pixel data")
    syntax = ds.file_meta.get("TransferSyntaxUID")
    try:
        pixels = ds.pixel_array
    except Exception as exc:  # decoder plugins raise RuntimeError, ValueError, NotImplementedError...
        name = syntax.name if syntax is not None else "unknown transfer syntax"
        raise SourceUnreadable(f"the DICOM pixel data ({name}) cannot be decoded: {type(exc).__name__}") from None
    samples = int(ds.get("SamplesPerPixel", 1)) > 1
    single = pixels.ndim == (3 if samples else 2)
    frames = pixels[None, ...] if single else pixels
    return DicomImage(ds, frames.astype(frames.dtype.newbyteorder("=")), samples)


def ocr_view(image: DicomImage) -> np.ndarray:
    """The first frame as 8-bit RGB: modality LUT, min-max stretch (window tags are often
    wrong), MONOCHROME1 inverted so text reads like MONOCHROME2."""
    frame = image.frames[0]
    if image.samples:
        return frame if frame.dtype == np.uint8 else stretch_to_rgb(frame.mean(axis=2))
    grey = np.asarray(apply_modality_lut(frame, image.dataset), dtype=np.float64)
    if image.dataset.get("PhotometricInterpretation") == "MONOCHROME1":
        grey = grey.max() - grey
    return stretch_to_rgb(grey)


def header_values(image: DicomImage) -> list[str]:
    """Identifying header values (names split into their components) to look for in the pixels."""
    values = []
    for keyword in PATIENT_KEYWORDS:
        element = image.dataset.get(keyword)
        if element in (None, ""):
            continue
        for value in (element if isinstance(element, (list, pydicom.multival.MultiValue)) else [element]):
            text = str(value).strip()
            if text:
                values.append(text)
    return values


def masked(image: DicomImage, boxes: list[Box]) -> bytes:
    """Every frame masked, header de-identified, overlays removed, as a Part 10 file."""
    ds = image.dataset
    frames = image.frames.copy()
    fill_boxes(frames, boxes, _black(image), image.samples)
    photometric = "RGB" if image.samples else ds.PhotometricInterpretation
    array = frames[0] if frames.shape[0] == 1 else frames
    if not ds.original_encoding[1]:  # big endian: set_pixel_data refuses it
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
    bits_stored = min(int(ds.get("BitsStored", array.dtype.itemsize * 8)), array.dtype.itemsize * 8)
    ds.set_pixel_data(_storable(array), photometric, bits_stored)
    deidentify(ds)
    buffer = io.BytesIO()
    # Explicit encoding arguments let pydicom re-encode a big-endian original.
    pydicom.dcmwrite(buffer, ds, enforce_file_format=True, implicit_vr=ds.file_meta.TransferSyntaxUID.is_implicit_VR,
                     little_endian=True)
    return buffer.getvalue()


def _storable(array: np.ndarray) -> np.ndarray:
    """set_pixel_data takes (u)int8/16 only; pixel_array can return wider types for 16-bit data."""
    if array.dtype in (np.uint8, np.uint16, np.int8, np.int16):
        return array
    return array.astype(np.int16 if array.dtype.kind == "i" else np.uint16)


def _black(image: DicomImage):
    """The stored value that displays black: the minimum, or the maximum for MONOCHROME1."""
    if image.samples:
        return 0
    if image.dataset.get("PhotometricInterpretation") == "MONOCHROME1":
        return image.frames.max()
    return image.frames.min()
