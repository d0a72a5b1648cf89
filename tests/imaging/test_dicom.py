"""DICOM decode, mask and write-back on files written by pydicom (no OCR)."""

import io

import numpy as np
import pydicom
import pytest
from pydicom.uid import RLELossless

from steps.errors import SourceUnreadable
from steps.imaging import dicom
from steps.imaging.picture import load
from tests.imaging.images import PATIENT, dicom_bytes, dicom_dataset

BOX = (10, 5, 30, 15)


def _masked(data: bytes) -> tuple[pydicom.Dataset, pydicom.Dataset]:
    out = load(data).masked([BOX])
    return pydicom.dcmread(io.BytesIO(data)), pydicom.dcmread(io.BytesIO(out))


def test_monochrome2_frames_are_masked_with_the_stored_minimum_and_kept_elsewhere():
    pixels = np.random.default_rng(1).integers(100, 4000, (3, 40, 50), dtype=np.uint16)
    before, after = _masked(dicom_bytes(dicom_dataset(pixels, bits_stored=12)))
    out = after.pixel_array
    assert out.shape == (3, 40, 50)
    assert (out[:, 5:15, 10:30] == pixels.min()).all()
    outside = np.ones(out.shape, bool)
    outside[:, 5:15, 10:30] = False
    assert (out[outside] == pixels[outside]).all()
    assert after.BitsStored == 12 and after.PhotometricInterpretation == "MONOCHROME2"


def test_monochrome1_is_filled_with_the_maximum_so_the_box_shows_black():
    pixels = np.random.default_rng(2).integers(0, 255, (40, 50), dtype=np.uint8)
    _, after = _masked(dicom_bytes(dicom_dataset(pixels, "MONOCHROME1")))
    assert (after.pixel_array[5:15, 10:30] == pixels.max()).all()


def test_rgb_compressed_input_is_decoded_masked_and_written_uncompressed():
    pixels = np.random.default_rng(3).integers(0, 255, (40, 50, 3), dtype=np.uint8)
    ds = dicom_dataset(pixels, "RGB")
    ds.compress(RLELossless)
    before, after = _masked(dicom_bytes(ds))
    assert after.file_meta.TransferSyntaxUID == pydicom.uid.ExplicitVRLittleEndian
    assert (after.pixel_array[5:15, 10:30] == 0).all()
    assert (after.pixel_array[20:, 35:] == pixels[20:, 35:]).all()


def test_header_is_deidentified_by_the_basic_profile():
    data = dicom_bytes(dicom_dataset(np.zeros((40, 50), np.uint8)))
    before, after = _masked(data)
    assert str(after.PatientName) == "" and after.PatientID == "" and after.PatientBirthDate == ""
    assert after.AccessionNumber == "" and str(after.ReferringPhysicianName) == ""
    assert "InstitutionName" not in after
    assert after.PatientIdentityRemoved == "YES" and after.BurnedInAnnotation == "NO"
    assert {c.CodeValue for c in after.DeidentificationMethodCodeSequence} == {"113100", "113101"}
    assert not [t for t in after.keys() if t.is_private]
    assert not [t for t in after.keys() if (t.group & 0xFF00) == 0x6000]  # overlay planes removed
    assert after.SOPInstanceUID != before.SOPInstanceUID
    assert after.file_meta.MediaStorageSOPInstanceUID == after.SOPInstanceUID
    assert after.StudyInstanceUID != before.StudyInstanceUID
    # Re-identifying the same study gives the same new Study UID (images stay linked).
    _, again = _masked(data)
    assert again.StudyInstanceUID == after.StudyInstanceUID


def test_header_values_join_the_pixel_search():
    image = dicom.read(dicom_bytes(dicom_dataset(np.zeros((40, 50), np.uint8))))
    values = dicom.header_values(image)
    assert PATIENT in values and "RQ36114734" in values and "19610211" in values


def test_undecodable_pixel_data_is_refused_with_a_clear_error():
    ds = dicom_dataset(np.zeros((40, 50), np.uint8))
    ds.file_meta.TransferSyntaxUID = pydicom.uid.JPEGBaseline8Bit  # claims JPEG, holds raw bytes
    ds["PixelData"].value = pydicom.encaps.encapsulate([b"\x00" * 100])
    with pytest.raises(SourceUnreadable, match=r"DICOM pixel data \(JPEG Baseline"):
        load(dicom_bytes(ds))


def test_dicom_without_pixels_is_refused():
    ds = dicom_dataset(np.zeros((4, 4), np.uint8))
    del ds["PixelData"]
    with pytest.raises(SourceUnreadable, match="no pixel data"):
        load(dicom_bytes(ds))
