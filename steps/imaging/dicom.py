"""DICOM: a pixel budget before any decoding, frames decoded one at a time, every frame
masked with its own boxes, written back as valid DICOM.

Decoders (all permissively licensed): python-gdcm for the JPEG processes (baseline,
extended, lossless; 12-bit extended through steps.imaging.jpeg12), pylibjpeg-openjpeg for
JPEG 2000, pyjpegls for JPEG-LS, pydicom itself for RLE, deflate and uncompressed data.
Masked files are written RLE or JPEG-LS lossless when their source was, else uncompressed
Explicit VR Little Endian.
"""

import math
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import pydicom
from pydicom.errors import InvalidDicomError
from pydicom.filereader import _read_file_meta_info, read_preamble
from pydicom.pixels import apply_modality_lut, iter_pixels
from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, JPEGLSLossless, RLELossless

from steps.errors import SourceUnreadable, TooLarge
from steps.imaging import jpeg12
from steps.imaging.masking import Box, fill_boxes
from steps.imaging.raster import stretch_to_rgb

jpeg12.register()

PIXEL_BUDGET_VARIABLE = "HDM_PIXEL_BUDGET_MB"
DEFAULT_PIXEL_BUDGET_MB = 512
_MIB = 1024 * 1024
_INFLATE_STEP = 8 * _MIB
_DEFER_BYTES = 64 * 1024
PIXEL_DATA = 0x7FE00010
# Lossless syntaxes written back as they came (pydicom's own RLE encoder, pyjpegls for JPEG-LS).
RECOMPRESSED = (RLELossless, JPEGLSLossless)
# Header values that are identifying and may also be burned into the pixels.
PATIENT_KEYWORDS = ("PatientName", "PatientID", "OtherPatientIDs", "PatientBirthDate", "AccessionNumber",
                    "InstitutionName", "ReferringPhysicianName", "OperatorsName", "PerformingPhysicianName",
                    "StudyID", "PatientAddress", "PatientTelephoneNumbers", "PatientSex", "PatientAge", "StudyDate",
                    "SeriesDate", "AcquisitionDate", "ContentDate", "StudyTime", "SeriesTime", "AcquisitionTime",
                    "ContentTime")
_PARSE_ERRORS = (InvalidDicomError, EOFError, ValueError, KeyError, TypeError, OSError, NotImplementedError)


@dataclass
class DicomImage:
    dataset: pydicom.Dataset  # its pixel data is read only when decoded
    width: int
    height: int
    frames: int
    samples: bool
    source: BinaryIO | None = None  # the file, for decoding frame by frame; None when the dataset holds it all
    syntax: str = ExplicitVRLittleEndian  # the input's transfer syntax


def pixel_budget() -> int:
    """Bytes of decoded pixels one image may take (HDM_PIXEL_BUDGET_MB, default 512 MiB)."""
    value = os.environ.get(PIXEL_BUDGET_VARIABLE, "")
    return (int(value) if value.strip().isdigit() and int(value) > 0 else DEFAULT_PIXEL_BUDGET_MB) * _MIB


def read(stream: BinaryIO) -> DicomImage:
    """Parse the header and check the pixel budget; no pixel is decoded here."""
    budget = pixel_budget()
    try:
        deflated = _check_inflated_size(stream, budget)
        stream.seek(0)
        # Deferred: the pixel data stays in the file until frames are decoded one by one (a
        # deflated file cannot be read piecewise, so it is inflated, within the budget).
        ds = pydicom.dcmread(stream, defer_size=None if deflated else _DEFER_BYTES)
    except _PARSE_ERRORS as exc:
        raise SourceUnreadable(f"the DICOM file cannot be parsed: {type(exc).__name__}") from None
    if "PixelData" not in ds:
        raise SourceUnreadable("the DICOM file has no pixel data")
    try:
        rows, columns = int(ds.Rows), int(ds.Columns)
        frames, samples = int(ds.get("NumberOfFrames") or 1), int(ds.get("SamplesPerPixel") or 1)
        bits = int(ds.BitsAllocated)
    except (AttributeError, TypeError, ValueError):
        raise SourceUnreadable("the DICOM image pixel module is incomplete (rows, columns, bits)") from None
    decoded = rows * columns * frames * samples * math.ceil(bits / 8)
    if decoded > budget:
        raise TooLarge(f"the DICOM pixel data would decode to {decoded / _MIB:.0f} MiB ({frames} frames of "
                       f"{columns}x{rows}), over the pixel budget of {budget // _MIB} MiB ({PIXEL_BUDGET_VARIABLE})")
    if min(rows, columns, frames) < 1:
        raise SourceUnreadable("the DICOM image has no rows, columns or frames")
    syntax = ds.file_meta.get("TransferSyntaxUID") or ExplicitVRLittleEndian
    return DicomImage(ds, columns, rows, frames, samples > 1, None if deflated else stream, syntax)


def _check_inflated_size(stream: BinaryIO, budget: int) -> bool:
    """Whether the dataset is deflated; if so it is inflated as a stream and refused once it
    passes the budget: pydicom would inflate all of it before reading a single header value."""
    read_preamble(stream, False)
    meta = _read_file_meta_info(stream)
    if meta.get("TransferSyntaxUID") != DeflatedExplicitVRLittleEndian:
        return False
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    inflated = 0
    try:
        while inflated <= budget and (pending := inflater.unconsumed_tail or stream.read(_INFLATE_STEP)):
            inflated += len(inflater.decompress(pending, _INFLATE_STEP))
    except zlib.error:
        raise SourceUnreadable("the deflated DICOM dataset is corrupt") from None
    if inflated > budget:
        raise TooLarge(f"the deflated DICOM dataset inflates past the pixel budget of {budget // _MIB} MiB "
                       f"({PIXEL_BUDGET_VARIABLE})")
    return True


def iter_frames(image: DicomImage) -> Iterator[np.ndarray]:
    """Each frame as stored (colour converted to RGB), decoded one at a time."""
    source = image.dataset if image.source is None else image.source
    try:
        for frame in iter_pixels(source):
            yield frame.astype(frame.dtype.newbyteorder("="), copy=False)
    except Exception as exc:  # decoder plugins raise RuntimeError, ValueError, NotImplementedError...
        raise SourceUnreadable(f"the DICOM pixel data ({pydicom.uid.UID(image.syntax).name}) cannot be decoded: "
                               f"{type(exc).__name__}") from None


def ocr_view(image: DicomImage, frame: np.ndarray) -> np.ndarray:
    """A frame as 8-bit RGB: modality LUT, min-max stretch (window tags are often
    wrong), MONOCHROME1 inverted so text reads like MONOCHROME2."""
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


def masked_frames(image: DicomImage, boxes_of_frame: list[list[Box]]) -> np.ndarray:
    """Every frame with its own boxes filled with the value that displays black, in one
    array of a storable type, (frames, rows, cols[, samples]), over a buffer that becomes
    the new pixel data as it is (no copy). The source file is let go once decoded, and the
    dataset's pixel module describes the masked frames from then on."""
    out = None
    for index, frame in enumerate(iter_frames(image)):
        if out is None:
            dtype = _storable(frame.dtype)
            out = np.frombuffer(bytearray(image.frames * frame.size * dtype.itemsize), dtype)
            out = out.reshape(image.frames, *frame.shape)
        out[index] = frame
        fill_boxes(out[index], boxes_of_frame[index], _black(image, frame), image.samples)
    _let_go_of_source(image)
    _set_pixel_module(image, out)
    return out


def _let_go_of_source(image: DicomImage) -> None:
    """Read the other deferred values (only top-level ones are deferred), then let go of the file."""
    ds = image.dataset
    for tag in list(ds.keys()):
        if tag == PIXEL_DATA:
            del ds[tag]  # not read: its frames are decoded
        else:
            ds[tag]
    ds.buffer = None
    image.source = None


def _set_pixel_module(image: DicomImage, frames: np.ndarray) -> None:
    """The dataset's pixel module for ``frames``, in Explicit VR Little Endian; the pixel data
    itself is appended by write()."""
    ds = image.dataset
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian  # set_pixel_data refuses big endian
    photometric = "RGB" if image.samples else ds.PhotometricInterpretation
    bits_stored = min(int(ds.get("BitsStored", frames.dtype.itemsize * 8)), frames.dtype.itemsize * 8)
    ds.set_pixel_data(frames[:1], photometric, bits_stored)  # one frame sets the module without a copy of all
    if image.frames > 1:
        ds.NumberOfFrames = image.frames
    del ds.PixelData


def write(image: DicomImage, frames: np.ndarray, into: BinaryIO) -> None:
    """The dataset (as it is now) then ``frames`` as its pixel data, as a Part 10 file:
    compressed again in the input's syntax when that syntax is lossless and has an encoder
    here, else uncompressed."""
    ds = image.dataset
    for tag in [t for t in ds.keys() if t > PIXEL_DATA]:  # Pixel Data must come last
        del ds[tag]
    if image.syntax in RECOMPRESSED:
        ds.compress(image.syntax, frames[0] if image.frames == 1 else frames, generate_instance_uid=False)
        pydicom.dcmwrite(into, ds, enforce_file_format=True)
        return
    # Explicit encoding arguments let pydicom re-encode a big-endian or implicit original.
    pydicom.dcmwrite(into, ds, enforce_file_format=True, little_endian=True, implicit_vr=False)
    pixels = memoryview(frames).cast("B")
    length = len(pixels) + len(pixels) % 2
    vr = b"OW" if frames.dtype.itemsize > 1 else b"OB"
    into.write(struct.pack("<HH2sHI", PIXEL_DATA >> 16, PIXEL_DATA & 0xFFFF, vr, 0, length))
    into.write(pixels)
    if length > len(pixels):
        into.write(b"\x00")


def _storable(dtype: np.dtype) -> np.dtype:
    """set_pixel_data takes (u)int8/16 only; decoders can return wider types for 16-bit data."""
    if dtype in (np.uint8, np.uint16, np.int8, np.int16):
        return dtype
    return np.dtype(np.int16 if dtype.kind == "i" else np.uint16)


def _black(image: DicomImage, frame: np.ndarray):
    """The stored value that displays black in this frame: its minimum, or its maximum for MONOCHROME1."""
    if image.samples:
        return 0
    if image.dataset.get("PhotometricInterpretation") == "MONOCHROME1":
        return frame.max()
    return frame.min()
