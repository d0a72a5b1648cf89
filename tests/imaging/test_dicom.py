"""DICOM decode, budget, mask and write-back on files written by pydicom (no OCR)."""

import io
import json
import subprocess
import sys

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.uid import DeflatedExplicitVRLittleEndian, JPEGLSLossless, RLELossless

from steps.errors import SourceUnreadable, TooLarge
from steps.imaging import dicom
from steps.imaging.picture import load
from tests.imaging.images import PATIENT, deflated_multiframe, dicom_bytes, dicom_dataset

BOX = (10, 5, 30, 15)


def _written(image: dicom.DicomImage, boxes_of_frame: list) -> pydicom.Dataset:
    frames = dicom.masked_frames(image, boxes_of_frame)
    out = io.BytesIO()
    dicom.write(image, frames, out)
    return pydicom.dcmread(io.BytesIO(out.getvalue()))


def _masked(data: bytes) -> tuple[pydicom.Dataset, pydicom.Dataset]:
    image = load(data).source
    return pydicom.dcmread(io.BytesIO(data)), _written(image, [[BOX]] * image.frames)


def test_monochrome2_frames_are_masked_with_their_stored_minimum_and_kept_elsewhere():
    pixels = np.random.default_rng(1).integers(100, 4000, (3, 40, 50), dtype=np.uint16)
    before, after = _masked(dicom_bytes(dicom_dataset(pixels, bits_stored=12)))
    out = after.pixel_array
    assert out.shape == (3, 40, 50)
    for index in range(3):
        assert (out[index, 5:15, 10:30] == pixels[index].min()).all()
    outside = np.ones(out.shape, bool)
    outside[:, 5:15, 10:30] = False
    assert (out[outside] == pixels[outside]).all()
    assert after.BitsStored == 12 and after.PhotometricInterpretation == "MONOCHROME2"


def test_pixel_data_read_piecewise_from_a_large_file_is_masked_and_written_back():
    pixels = np.random.default_rng(4).integers(0, 4000, (4, 256, 256), dtype=np.uint16)  # 512 KiB: deferred
    before, after = _masked(dicom_bytes(dicom_dataset(pixels, bits_stored=12)))
    assert after.NumberOfFrames == 4 and (after.pixel_array[:, 20:, 35:] == pixels[:, 20:, 35:]).all()


def test_each_frame_gets_its_own_boxes():
    pixels = np.full((3, 40, 50), 200, np.uint8)
    image = load(dicom_bytes(dicom_dataset(pixels))).source
    out = dicom.masked_frames(image, [[], [BOX], [(0, 0, 5, 5)]])
    assert (out[0] == 200).all()
    assert (out[1, 5:15, 10:30] == 200).all()  # a uniform frame's minimum is its only value
    assert out[2, 0, 0] == 200 and out.shape == (3, 40, 50)


def test_monochrome1_is_filled_with_the_maximum_so_the_box_shows_black():
    pixels = np.random.default_rng(2).integers(0, 255, (40, 50), dtype=np.uint8)
    _, after = _masked(dicom_bytes(dicom_dataset(pixels, "MONOCHROME1")))
    assert (after.pixel_array[5:15, 10:30] == pixels.max()).all()


@pytest.mark.parametrize("syntax", [RLELossless, JPEGLSLossless])
def test_lossless_compressed_input_is_masked_and_written_back_in_its_syntax(syntax):
    pixels = np.random.default_rng(3).integers(0, 255, (2, 40, 50, 3), dtype=np.uint8)
    ds = dicom_dataset(pixels, "RGB")
    ds.compress(syntax)
    before, after = _masked(dicom_bytes(ds))
    assert after.file_meta.TransferSyntaxUID == syntax and after.NumberOfFrames == 2
    assert (after.pixel_array[:, 5:15, 10:30] == 0).all()
    assert (after.pixel_array[:, 20:, 35:] == pixels[:, 20:, 35:]).all()


def test_lossy_compressed_input_is_written_uncompressed():
    before, after = _masked(open(get_testdata_file("JPEG-lossy.dcm"), "rb").read())
    assert before.file_meta.TransferSyntaxUID == pydicom.uid.JPEGExtended12Bit
    assert after.file_meta.TransferSyntaxUID == pydicom.uid.ExplicitVRLittleEndian
    assert (after.pixel_array[5:15, 10:30] == after.pixel_array.min()).all()


def test_header_values_join_the_pixel_search():
    image = load(dicom_bytes(dicom_dataset(np.zeros((40, 50), np.uint8)))).source
    values = dicom.header_values(image)
    assert PATIENT in values and "RQ36114734" in values and "19610211" in values


def test_undecodable_pixel_data_is_refused_with_a_clear_error():
    ds = dicom_dataset(np.zeros((40, 50), np.uint8))
    ds.file_meta.TransferSyntaxUID = pydicom.uid.JPEGBaseline8Bit  # claims JPEG, holds raw bytes
    ds["PixelData"].value = pydicom.encaps.encapsulate([b"\x00" * 100])
    image = load(dicom_bytes(ds)).source
    with pytest.raises(SourceUnreadable, match=r"DICOM pixel data \(JPEG Baseline"):
        list(dicom.iter_frames(image))


def test_dicom_without_pixels_is_refused():
    ds = dicom_dataset(np.zeros((4, 4), np.uint8))
    del ds["PixelData"]
    with pytest.raises(SourceUnreadable, match="no pixel data"):
        load(dicom_bytes(ds))


def test_the_pixel_budget_is_read_from_the_header_before_decoding(monkeypatch):
    data = dicom_bytes(dicom_dataset(np.zeros((4, 64, 64), np.uint16)))  # 32 KiB decoded
    monkeypatch.setenv(dicom.PIXEL_BUDGET_VARIABLE, "1")
    assert load(data).frames == 4
    big = dicom_dataset(np.zeros((1, 4, 4), np.uint16))
    big.Rows = big.Columns = 1024  # the header claims 2 MiB: refused without looking at the pixels
    with pytest.raises(TooLarge, match=r"2 MiB \(1 frames of 1024x1024\), over the pixel budget of 1 MiB"):
        load(dicom_bytes(big))


def test_a_deflated_file_is_refused_while_inflating_past_the_budget(monkeypatch):
    data = deflated_multiframe(frames=3, side=1024)  # 6 MiB inflated, a few KiB on disk
    assert len(data) < 64 * 1024
    monkeypatch.setenv(dicom.PIXEL_BUDGET_VARIABLE, "4")
    with pytest.raises(TooLarge, match="deflated DICOM dataset inflates past the pixel budget of 4 MiB"):
        load(data)
    monkeypatch.setenv(dicom.PIXEL_BUDGET_VARIABLE, "8")
    picture = load(data)
    assert picture.source.dataset.file_meta.TransferSyntaxUID == DeflatedExplicitVRLittleEndian
    assert picture.frames == 3 and sum(int(f.max()) for f in picture.iter_frames()) == 0


# Decoders other than the GPL one: the probe runs as if pylibjpeg-libjpeg were not installed
# (its plugin entry points hidden) and fails on any import of it.
SYNTAX_PROBE = """
import importlib.abc, importlib.metadata as metadata, io, json, sys
all_entry_points = metadata.entry_points
def entry_points(**select):
    found = all_entry_points(**select)
    return metadata.EntryPoints(ep for ep in found if not ep.value.startswith("libjpeg"))
metadata.entry_points = entry_points
class NoGpl(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "libjpeg":
            raise ImportError("pylibjpeg-libjpeg is GPL")
sys.meta_path.insert(0, NoGpl())
import pydicom
from pydicom.data import get_testdata_file
from steps.imaging import dicom
from steps.imaging.picture import load
done = {}
for name in json.loads(sys.argv[1]):
    image = load(open(get_testdata_file(name), "rb").read()).source
    syntax = str(image.dataset.file_meta.TransferSyntaxUID.name)
    frames = dicom.masked_frames(image, [[(0, 0, 8, 8)]] * image.frames)
    written = io.BytesIO()
    dicom.write(image, frames, written)
    out = pydicom.dcmread(io.BytesIO(written.getvalue()))
    done[name] = [syntax, list(out.pixel_array.shape)]
print(json.dumps(done))
"""
SYNTAX_FILES = ["JPEG-lossy.dcm", "JPGExtended.dcm", "SC_rgb_jpeg_gdcm.dcm", "SC_rgb_jpeg_dcmtk.dcm",
                "JPEG2000.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_RLE.dcm", "image_dfl.dcm",
                "MR_small_bigendian.dcm"]


def test_every_transfer_syntax_is_read_masked_and_written_back_without_gpl_decoders():
    assert all(get_testdata_file(name) for name in SYNTAX_FILES)  # shipped inside the pydicom wheel
    done = subprocess.run([sys.executable, "-c", SYNTAX_PROBE, json.dumps(SYNTAX_FILES)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    assert results["JPEG-lossy.dcm"][0].startswith("JPEG Extended")
    assert set(results) == set(SYNTAX_FILES)
