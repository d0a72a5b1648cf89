"""The PS3.15 Basic Profile on a file that fills every attribute of Table E.1-1 with an
identifying value, at the top level and inside sequences, with private tags and SR text."""

import io

import numpy as np
import pydicom
import pytest
from pydicom.datadict import dictionary_has_tag, dictionary_VR
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from steps.imaging import profile
from steps.imaging.deid import Deidentifier
from steps.imaging.descriptors import DescriptorCleaner
from steps.imaging.release import identifying_values, residual_in_header
from steps.options import ENTITY_TYPES
from tests.imaging.images import dicom_bytes, dicom_dataset

NAME, MRN, BIRTH = "SALAZAR^CARLOS", "RQ36114734", "19610211"
STORY = "CT HEAD for SALAZAR^CARLOS, MRN RQ36114734"
KEY = b"k" * 32
DEFAULT_OPTIONS = profile.ProfileOptions()
# Command (0000) and file meta (0002) elements never sit in a stored dataset.
SKIPPED_GROUPS = (0x0000, 0x0002)
EMPTY = (None, "", b"")


def _vr(tag: int) -> str:
    return dictionary_VR(tag).split(" or ")[0] if dictionary_has_tag(tag) else "UN"


def _value(tag: int, vr: str):
    """An identifying value for the attribute: unique where the VR allows, so that its
    survival anywhere is visible."""
    token = f"ZQ{tag:08X}"
    if pydicom.datadict.keyword_for_tag(tag) in profile.CLEAN_DESCRIPTORS:
        return STORY
    return {"PN": f"{token}^CARLOS", "DA": BIRTH, "TM": "101112", "DT": BIRTH + "101112", "AS": "061Y",
            "UI": f"1.2.826.0.1.3680043.10.{tag}", "IS": str(tag % 10**8), "DS": f"{tag % 100000}.5",
            "US": 7, "SS": 7, "UL": 7, "SL": 7, "FL": 7.0, "FD": 7.0, "OB": token.encode(), "OW": token.encode(),
            "UN": token.encode(), "SQ": None}.get(vr, token)


def _reference_item(depth: int) -> Dataset:
    """What X/Z/U* and D sequences hold: instance UIDs, a name, free text with PHI, nesting."""
    item = Dataset()
    item.ReferencedSOPClassUID = pydicom.uid.SecondaryCaptureImageStorage
    item.ReferencedSOPInstanceUID = f"1.2.826.0.1.3680043.10.99.{depth}"
    item.TextValue = f"Seen {NAME.replace('^', ' ')} MRN {MRN}"
    item.PersonName = NAME
    if depth:
        item.ReferencedImageSequence = Sequence([_reference_item(depth - 1)])
    return item


def _fill(ds: Dataset, depth: int) -> None:
    for tag in profile.table():
        if tag >> 16 in SKIPPED_GROUPS:
            continue
        vr = _vr(tag)
        value = Sequence([_reference_item(depth)]) if vr == "SQ" else _value(tag, vr)
        ds.add_new(tag, vr, value)
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = NAME, MRN, BIRTH
    ds.add_new(0x60003000, "OB", b"ZQOVERLAY")  # overlay data
    ds.add_new(0x50000010, "US", 4)  # curve
    block = ds.private_block(0x0011, "HDM TEST", create=True)
    block.add_new(0x01, "LO", f"private {NAME}")


def _filled() -> Dataset:
    ds = dicom_dataset(np.zeros((8, 8), np.uint8))
    _fill(ds, depth=2)
    # A sequence outside the table holds a whole filled item: the profile applies in it too.
    nested = Dataset()
    _fill(nested, depth=1)
    ds.ProcedureCodeSequence = Sequence([nested])
    sr = Dataset()
    sr.ValueType, sr.TextValue = "TEXT", f"Patient {NAME.replace('^', ' ')} (MRN {MRN}) seen today"
    sr.ContentSequence = Sequence([_reference_item(1)])
    ds.ContentSequence = Sequence([sr])
    return ds


def _deidentified(ds: Dataset, options=DEFAULT_OPTIONS, key=KEY) -> tuple[Dataset, list[str], dict]:
    originals = identifying_values(ds, options)
    cleaner = DescriptorCleaner("builtin", 0.5, list(ENTITY_TYPES), originals)
    counts = Deidentifier(key, options, cleaner).apply(ds)
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return pydicom.dcmread(io.BytesIO(buffer.getvalue())), originals, counts


@pytest.fixture(scope="module")
def filled_and_masked():
    before = _filled()
    after, originals, counts = _deidentified(_filled())
    return before, after, originals, counts


def _violations(before: Dataset, after: Dataset, where: str) -> list[str]:
    """Attributes whose new state the standard's action code does not allow."""
    found = []
    for tag, category in profile.table().items():
        if tag not in before:
            continue
        old, new = before[tag], after.get(tag)
        code = profile.STANDARD_CODES[category]
        name = f"{where}{old.keyword or hex(tag)} ({code})"
        if old.keyword in profile.CLEAN_DESCRIPTORS:
            if new is not None and any(v in str(new.value).upper() for v in ("SALAZAR", "CARLOS", MRN)):
                found.append(f"{name}: cleaned text still names the patient")
            continue
        removed, emptied = new is None, new is not None and new.value in EMPTY or (
            new is not None and new.VR == "SQ" and len(new.value) == 0)
        replaced = new is not None and not emptied and new.value != old.value
        allowed = {"X": removed, "Z": emptied, "D": replaced or (old.VR == "SQ" and new is not None),
                   "U": replaced or (old.VR == "SQ" and new is not None), "Z/D": emptied or replaced,
                   "X/Z": removed or emptied, "X/D": removed or replaced,
                   "X/Z/D": removed or emptied or replaced, "X/Z/U*": removed or emptied or new is not None}[code]
        if not allowed:
            found.append(f"{name}: {'kept' if new is not None and new.value == old.value else 'wrong state'}")
        if code in ("U", "X/Z/U*") and new is not None and new.VR == "UI" and new.value:
            if not str(new.value).startswith("2.25."):
                found.append(f"{name}: not a new UID")
        if new is not None and new.VR == "SQ" and old.VR == "SQ" and len(new.value):
            found += _item_violations(old.value[0], new.value[0], f"{name} > ")
    return found


def _item_violations(old: Dataset, new: Dataset, where: str) -> list[str]:
    found = _violations(old, new, where)
    for keyword in ("ReferencedSOPInstanceUID",):
        if keyword in old and keyword in new and new[keyword].value == old[keyword].value:
            found.append(f"{where}{keyword}: UID kept")
    if "ReferencedImageSequence" in old and "ReferencedImageSequence" in new and len(new.ReferencedImageSequence):
        found += _item_violations(old.ReferencedImageSequence[0], new.ReferencedImageSequence[0],
                                  f"{where}ReferencedImageSequence > ")
    return found


def test_every_attribute_of_the_table_has_a_known_action():
    assert len(profile.table()) > 600
    assert set(profile.table().values()) == set(profile.STANDARD_CODES)
    assert {name for *_, name in profile.masked_table()} == {"X_TAGS"}  # curves and overlays


def test_no_attribute_violates_its_action_at_any_depth(filled_and_masked):
    before, after, _, _ = filled_and_masked
    assert _violations(before, after, "") == []
    nested_before, nested_after = before.ProcedureCodeSequence[0], after.ProcedureCodeSequence[0]
    assert _violations(nested_before, nested_after, "ProcedureCodeSequence > ") == []


def test_no_identifying_value_survives_anywhere(filled_and_masked):
    before, after, originals, _ = filled_and_masked
    buffer = io.BytesIO()
    after.save_as(buffer)
    data = buffer.getvalue().upper()
    assert b"ZQ" in dicom_bytes(before)  # the filled file does carry the tokens
    for value in (b"ZQ", b"SALAZAR", b"CARLOS", MRN.encode(), BIRTH.encode(), b"1.2.826.0.1.3680043.10."):
        assert value not in data, value
    assert not [t for t in after.keys() if t.is_private or (t.group & 0xFF00) in (0x5000, 0x6000)]
    assert residual_in_header(after, originals) == 0  # the verification gate agrees
    assert len(originals) > 300  # distinct values: the dates and times repeat


def test_kept_text_is_cleaned_not_dropped(filled_and_masked):
    _, after, _, counts = filled_and_masked
    assert after.StudyDescription.startswith("CT HEAD for ") and "SALAZAR" not in after.StudyDescription
    sr_text = after.ContentSequence[0].TextValue
    assert sr_text.startswith("Patient ") and MRN not in sr_text and "SALAZAR" not in sr_text
    assert counts["text_retained"] > 50 and counts["uid_changed"] > 50 and counts["text_removed"] > 300
    assert counts["text_notnull"] > 50 and counts["patid_consistent"] == 1 and counts["tag_retained"] > 0


def test_without_clean_descriptors_kept_free_text_is_removed():
    after, _, counts = _deidentified(_filled(), profile.ProfileOptions(clean_descriptors=False))
    assert "StudyDescription" not in after and "TextValue" not in after.ContentSequence[0]
    assert counts["text_retained"] == 0


def test_uids_and_patient_ids_are_keyed_consistent_under_one_key_and_unlinkable_across_keys():
    first, _, _ = _deidentified(_filled())
    again, _, _ = _deidentified(_filled())
    other, _, _ = _deidentified(_filled(), key=b"o" * 32)
    assert first.StudyInstanceUID == again.StudyInstanceUID and first.PatientID == again.PatientID
    assert first.StudyInstanceUID != other.StudyInstanceUID and first.PatientID != other.PatientID
    assert first.file_meta.MediaStorageSOPInstanceUID == first.SOPInstanceUID


def test_retain_options():
    options = profile.ProfileOptions(retain_longitudinal_temporal=True, retain_uids=True)
    before = _filled()
    after, _, counts = _deidentified(_filled(), options)
    kept_uids = [tag for tag, name in profile.table().items() if name == "U_TAGS" and tag in before]
    assert len(kept_uids) > 50 and all(after[tag].value == before[tag].value for tag in kept_uids)
    shifts = {keyword: (pydicom.valuerep.DA(before[keyword].value) - pydicom.valuerep.DA(after[keyword].value)).days
              for keyword in ("StudyDate", "SeriesDate", "AcquisitionDate", "PatientBirthDate")}
    assert len(set(shifts.values())) == 1 and 0 < shifts["StudyDate"] <= 365  # one offset per patient
    assert counts["date_shifted"] > 50
