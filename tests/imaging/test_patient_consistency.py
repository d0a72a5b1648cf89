"""One patient across modalities: two DICOM instances of one study and that patient's note,
masked in separate runs of the hdm command with one key, in surrogate mode. Real pydicom
files, real subprocesses, the real workflows."""

import datetime
import json
import os
import re
import subprocess
import sys

import numpy as np
import pydicom
import pytest
from pydicom.uid import generate_uid
from pydicom.valuerep import DA

from steps.operators.date_shift import patient_token, shift_days
from steps.operators.surrogates import SURROGATE_SCHEME
from tests.imaging.images import dicom_bytes, dicom_dataset
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_PHI

KEY = b"one deployment key, 32 bytes...."
MRN, STUDY_DATE, BIRTH_DATE = "RQ36114734", "20111112", "19610211"  # the guide note's patient and dates


def _hdm(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HDM_STATE_DIR": str(tmp_path / "state")}
    env.pop("HDM_PSEUDONYM_KEY_FILE", None)
    done = subprocess.run([sys.executable, "-m", "hdm.cli", *args], capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return done


def _instance(study: str, series: str) -> bytes:
    ds = dicom_dataset(np.zeros((64, 64), np.uint8))
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = study, series, generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.PatientID, ds.StudyDate, ds.PatientBirthDate, ds.StudyTime = MRN, STUDY_DATE, BIRTH_DATE, "181500"
    return dicom_bytes(ds)


@pytest.mark.slow
def test_two_instances_of_one_study_and_the_patients_note_stay_one_patient(tmp_path):
    key_file = tmp_path / "pseudonym.key"
    key_file.write_bytes(KEY)
    study = generate_uid()
    masked = []
    for index, series in enumerate((generate_uid(), generate_uid())):
        source, output = tmp_path / f"in{index}.dcm", tmp_path / f"out{index}.dcm"
        source.write_bytes(_instance(study, series))
        done = _hdm(tmp_path, "mask-image", str(source), "-o", str(output), "--mode", "surrogate",
                    "--key-file", str(key_file))
        assert json.loads(done.stdout)["surrogateScheme"] == SURROGATE_SCHEME
        masked.append(pydicom.dcmread(output))
    first, second = masked
    token = patient_token(KEY, MRN)
    assert first.PatientID == second.PatientID == token  # the keyed pseudonym, in both
    assert first.StudyInstanceUID == second.StudyInstanceUID != study  # one study stays one study
    assert first.SeriesInstanceUID != second.SeriesInstanceUID and first.SOPInstanceUID != second.SOPInstanceUID
    assert first.PatientName == second.PatientName and "SALAZAR" not in str(first.PatientName)
    days = (DA(STUDY_DATE) - DA(first.StudyDate)).days
    assert days == shift_days(KEY, token) and 1 <= days <= 365
    assert (DA(BIRTH_DATE) - DA(second.PatientBirthDate)).days == days and first.StudyTime == "181500"

    # The note of the same patient (its ED arrival is the study's day), masked in another run.
    done = _hdm(tmp_path, "mask-text", "--mode", "surrogate", "--patient", MRN, "--key-file", str(key_file),
                "--json", GUIDE_NOTE)
    note = json.loads(done.stdout)["maskedText"]
    assert not [value for value in GUIDE_NOTE_PHI if value in note]
    arrival = re.search(r"ED Arrival Time: (\d+)/(\d+)/(\d{4}) 18:15", note)
    month, day, year = map(int, arrival.groups())
    assert (datetime.date(2011, 11, 12) - datetime.date(year, month, day)).days == days
    assert datetime.date(year, month, day) == DA(first.StudyDate)  # the same day, in the note and the image


@pytest.mark.slow
def test_a_batch_without_a_key_keeps_one_study_one_study(tmp_path):
    """No key: the batch's own random key, shared by its image children and its worker processes."""
    source, output = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    study = generate_uid()
    for index in range(2):
        (source / f"{index}.dcm").write_bytes(_instance(study, generate_uid()))
    _hdm(tmp_path, "batch", str(source), str(output), "--mode", "surrogate", "--workers", "2", "--no-progress")
    first, second = (pydicom.dcmread(output / f"{index}.dcm") for index in range(2))
    assert first.StudyInstanceUID == second.StudyInstanceUID != study
    assert first.PatientID == second.PatientID != patient_token(KEY, MRN)  # not the key of the other test
    assert first.StudyDate == second.StudyDate != STUDY_DATE
