"""DICOM header values under each mode (steps.imaging.header_values through the de-identifier),
on real pydicom datasets written and read back."""

import io

import numpy as np
import pydicom
import pytest
from pydicom.valuerep import DA

from steps.imaging import profile
from steps.imaging.deid import Deidentifier
from steps.imaging.descriptors import DescriptorCleaner
from steps.imaging.release import identifying_values, residual_in_header
from steps.operators.date_shift import patient_token, shift_days
from steps.operators.surrogates import SURROGATE_SCHEME
from steps.options import ENTITY_TYPES
from tests.imaging.images import dicom_dataset

KEY, OTHER_KEY = b"k" * 32, b"o" * 32
NAME, MRN, INSTITUTION = "SALAZAR^CARLOS", "RQ36114734", "County General"


def _dataset() -> pydicom.Dataset:
    ds = dicom_dataset(np.zeros((8, 8), np.uint8))
    ds.StudyDate, ds.StudyTime, ds.PatientBirthDate = "20111112", "101500", "19610211"
    ds.ConsultingPhysicianName = ["WILSON^JAMES", "CUDDY^LISA"]
    return ds


def _masked(mode: str, key: bytes = KEY, token: str | None = None) -> tuple[pydicom.Dataset, int]:
    ds = _dataset()
    options = profile.ProfileOptions.from_job({"dicomProfile": {"cleanDescriptors": True,
                                                                "retainLongitudinalTemporal": False,
                                                                "retainUids": False},
                                               "mode": mode, "patientToken": token})
    originals = identifying_values(ds, options)
    cleaner = DescriptorCleaner("builtin", 0.5, list(ENTITY_TYPES), originals)
    Deidentifier(key, options, cleaner).apply(ds)
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    after = pydicom.dcmread(io.BytesIO(buffer.getvalue()))
    return after, residual_in_header(after, originals)


@pytest.mark.parametrize("mode", ["type", "redact", "mask-chars", "surrogate", "hash"])
def test_no_original_value_survives_in_any_mode_and_the_patient_is_its_keyed_token(mode):
    after, residual = _masked(mode)
    assert residual == 0  # the verification gate finds none of the originals in the new header
    text = str(after).upper()
    for original in ("SALAZAR", "CARLOS", MRN, INSTITUTION.upper(), "HOUSE", "GREGORY", "WILSON", "CUDDY",
                     "19610211", "20111112"):
        assert original not in text, (mode, original)
    assert after.PatientID == patient_token(KEY, MRN)


def test_type_keeps_the_basic_profile():
    after, _ = _masked("type")
    assert not after.PatientName and after.InstitutionName == "ANONYMIZED" and not after.StudyDate
    assert "LongitudinalTemporalInformationModified" not in after


def test_redact_and_mask_chars_replace_names_and_text():
    redacted, _ = _masked("redact")
    assert redacted.PatientName == "*****" and redacted.InstitutionName == "*****"
    masked, _ = _masked("mask-chars")
    assert str(masked.PatientName) == "*******^******"  # the PN components stay apart
    assert masked.InstitutionName == "*" * len(INSTITUTION)
    assert [str(n) for n in masked.ConsultingPhysicianName] == ["******^*****", "*****^****"]


def test_hash_is_a_keyed_token_consistent_under_one_key():
    first, _ = _masked("hash")
    again, _ = _masked("hash")
    other, _ = _masked("hash", key=OTHER_KEY)
    assert first.PatientName == again.PatientName != other.PatientName
    assert first.PatientName != first.ReferringPhysicianName  # two people, two tokens
    assert len(first.AccessionNumber or "") <= 16


def test_surrogate_keeps_the_time_between_events_and_names_in_pn_form():
    after, _ = _masked("surrogate")
    days = shift_days(KEY, patient_token(KEY, MRN))
    assert (DA("20111112") - DA(after.StudyDate)).days == days
    assert (DA("19610211") - DA(after.PatientBirthDate)).days == days
    assert after.StudyTime == "101500"  # whole days: the time of day is kept
    family, given = str(after.PatientName).split("^")[:2]
    assert family and given and family.isupper() and "SALAZAR" not in family
    assert after.LongitudinalTemporalInformationModified == "MODIFIED"
    (equipment,) = after.ContributingEquipmentSequence
    assert equipment.SoftwareVersions == f"surrogate scheme {SURROGATE_SCHEME}"
    assert equipment.PurposeOfReferenceCodeSequence[0].CodeValue == "109104"
    again, _ = _masked("surrogate")
    assert again.PatientName == after.PatientName  # one key, one surrogate
    assert _masked("surrogate", key=OTHER_KEY)[0].PatientName != after.PatientName


def test_surrogate_records_the_modified_dates_option():
    options = profile.ProfileOptions.from_job({"dicomProfile": {"cleanDescriptors": True,
                                                                "retainLongitudinalTemporal": False,
                                                                "retainUids": False}, "mode": "surrogate"})
    assert ("113107", "Retain Longitudinal Temporal Information Modified Dates Option") in options.codes()


def test_a_requested_patient_token_stands_for_the_patient_id():
    token = patient_token(KEY, "note-patient-7")
    after, _ = _masked("surrogate", token=token)
    assert after.PatientID == token
    assert (DA("20111112") - DA(after.StudyDate)).days == shift_days(KEY, token)
