"""``mode`` and ``patientId`` over HTTP against a real ``hdm serve``: the operators are chosen per
request, a patientId is keyed into a token before the execution starts (it is in no execution
input or history), bad values are refused with a 400 naming the field."""

import json
import os
import re

import numpy as np
import pydicom
import pytest
from pydicom.valuerep import DA

from steps.operators.date_shift import patient_token, shift_days
from tests.imaging.images import PATIENT as PATIENT_NAME
from tests.imaging.images import dicom_bytes, dicom_dataset
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_PHI
from tests.server.http_server import Server

KEY = b"the deployment's key, 32 bytes.."
PATIENT = "MRN-RQ36114734"
TOKEN = re.compile(r"HDM[0-9A-F]{13}")


def _served(home, key_file=None) -> Server:
    saved = os.environ.pop("HDM_PSEUDONYM_KEY_FILE", None)
    if key_file is not None:
        os.environ["HDM_PSEUDONYM_KEY_FILE"] = str(key_file)
    try:
        return Server(home)
    finally:
        os.environ.pop("HDM_PSEUDONYM_KEY_FILE", None)
        if saved is not None:
            os.environ["HDM_PSEUDONYM_KEY_FILE"] = saved


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("keyed")
    (home / "key").write_bytes(KEY)
    started = _served(home, home / "key")
    yield started
    started.stop()


def _histories(server) -> str:
    return "".join(p.read_text() for p in (server.home / "state" / "executions").glob("*.json"))


def _inputs_with_token(server, token: str) -> list[dict]:
    """The persisted inputs of the executions whose options carry this patient token."""
    records = [json.loads(p.read_text()) for p in (server.home / "state" / "executions").glob("*.json")]
    inputs = [r["input"] if isinstance(r["input"], dict) else json.loads(r["input"]) for r in records]
    return [i for i in inputs if i["options"].get("patientToken") == token]


def _scan(server, key: str):
    """A real DICOM file in the local bucket ``scans``: (its dataset, its path)."""
    ds = dicom_dataset(np.zeros((64, 64), np.uint8))
    source = server.home / "state" / "buckets" / "scans" / key
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(dicom_bytes(ds))
    return ds, source


def _refused(response, *words: str) -> None:
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    assert all(word in message for word in words), message


@pytest.mark.parametrize("mode", ["redact", "mask-chars", "hash", "surrogate"])
def test_text_mask_applies_the_requested_operator(keyed_server, mode):
    response = keyed_server.client.post("/text/mask", json={"text": GUIDE_NOTE, "mode": mode})
    assert response.status_code == 200, response.text
    masked = response.json()["maskedText"]
    assert masked.startswith("PERSON INFORMATION\nName: ") and masked.split("\n")[1] != "Name: NAME"
    assert not [value for value in GUIDE_NOTE_PHI if value in masked]
    again = keyed_server.client.post("/text/mask", json={"text": GUIDE_NOTE, "mode": mode}).json()["maskedText"]
    assert again == masked  # one deployment key: the same replacement in every request


def test_image_mask_applies_the_mode_to_the_dicom_header(keyed_server):
    ds, source = _scan(keyed_server, "ct 1.dcm")
    response = keyed_server.client.post("/image/mask", json={
        "s3Bucket": "scans", "s3Key": "ct 1.dcm", "destinationBucket": "scans", "destinationKey": "masked.dcm",
        "mode": "surrogate"})
    assert response.status_code == 200, response.text
    masked = pydicom.dcmread(source.with_name("masked.dcm"))
    token = patient_token(KEY, ds.PatientID)
    assert masked.PatientID == token and masked.PatientName and str(masked.PatientName) != PATIENT_NAME
    assert (DA(ds.StudyDate) - DA(masked.StudyDate)).days == shift_days(KEY, token)


def test_an_image_jobs_patient_id_stands_for_the_files_patient_id(keyed_server):
    ds, source = _scan(keyed_server, "ct 2.dcm")
    started = keyed_server.client.post("/executions", json={
        "workflow": "mask_image", "s3Bucket": "scans", "s3Key": "ct 2.dcm", "destinationBucket": "scans",
        "destinationKey": "masked 2.dcm", "mode": "surrogate", "patientId": PATIENT})
    described = keyed_server.wait_for_execution(started.json()["name"])
    assert described["status"] == "SUCCEEDED", described.get("error")
    masked = pydicom.dcmread(source.with_name("masked 2.dcm"))
    assert masked.PatientID == patient_token(KEY, PATIENT) != patient_token(KEY, ds.PatientID)
    assert (DA(ds.StudyDate) - DA(masked.StudyDate)).days == shift_days(KEY, patient_token(KEY, PATIENT))
    for record in (json.dumps(described), _histories(keyed_server)):
        assert PATIENT not in record and ds.PatientID not in record


def test_a_patient_id_is_keyed_before_the_execution_starts(keyed_server):
    started = keyed_server.client.post("/executions", json={
        "workflow": "mask_text", "text": GUIDE_NOTE, "mode": "surrogate", "patientId": PATIENT,
        "destinationBucket": "out", "destinationKey": "note.txt"})
    assert started.status_code == 202, started.text
    described = keyed_server.wait_for_execution(started.json()["name"])
    assert described["status"] == "SUCCEEDED", described.get("error")
    assert described["input"]["options"]["patientToken"] == patient_token(KEY, PATIENT)
    assert described["output"]["surrogateScheme"]
    for record in (json.dumps(described), _histories(keyed_server)):
        assert "RQ36114734" not in record and PATIENT not in record
        assert not [value for value in GUIDE_NOTE_PHI if value in record]


def test_without_a_deployment_key_the_jobs_own_key_tokens_the_patient(tmp_path):
    server = _served(tmp_path)
    try:
        started = server.client.post("/executions", json={
            "workflow": "mask_text", "text": GUIDE_NOTE, "mode": "surrogate", "patientId": PATIENT,
            "destinationBucket": "out", "destinationKey": "note.txt"})
        described = server.wait_for_execution(started.json()["name"])
        assert described["status"] == "SUCCEEDED", described.get("error")
        token = described["input"]["options"]["patientToken"]
        assert TOKEN.fullmatch(token) and token != patient_token(KEY, PATIENT)
        assert PATIENT not in _histories(server) and PATIENT not in json.dumps(described)
    finally:
        server.stop()


def test_text_mask_keys_a_patient_id_as_post_executions_does(keyed_server):
    """The synchronous route takes the job path of POST /executions: the same token, the same surrogates,
    and only the token in the execution's input and history."""
    patient = "MRN-TX-5551"  # this test's own: the server's history is shared by the module
    body = {"text": GUIDE_NOTE, "mode": "surrogate", "patientId": patient}
    response = keyed_server.client.post("/text/mask", json=body)
    assert response.status_code == 200, response.text
    masked = response.json()["maskedText"]
    started = keyed_server.client.post("/executions", json={
        "workflow": "mask_text", **body, "destinationBucket": "out", "destinationKey": "same patient.txt"})
    described = keyed_server.wait_for_execution(started.json()["name"])
    assert described["status"] == "SUCCEEDED", described.get("error")
    assert (keyed_server.home / "state" / "buckets" / "out" / "same patient.txt").read_text() == masked
    other = keyed_server.client.post("/text/mask", json={**body, "patientId": "MRN-TX-5559"}).json()["maskedText"]
    assert other != masked  # another patient, another date shift
    assert len(_inputs_with_token(keyed_server, patient_token(KEY, patient))) == 2  # this route's and the job's
    history = _histories(keyed_server)
    assert patient not in history and "MRN-TX-5559" not in history and patient not in response.text


def test_image_mask_keys_a_patient_id_that_stands_for_the_files(keyed_server):
    patient = "MRN-IM-5552"
    ds, source = _scan(keyed_server, "ct 3.dcm")
    response = keyed_server.client.post("/image/mask", json={
        "s3Bucket": "scans", "s3Key": "ct 3.dcm", "destinationBucket": "scans", "destinationKey": "masked 3.dcm",
        "mode": "surrogate", "patientId": patient})
    assert response.status_code == 200, response.text
    masked = pydicom.dcmread(source.with_name("masked 3.dcm"))
    token = patient_token(KEY, patient)
    assert masked.PatientID == token != patient_token(KEY, ds.PatientID)
    assert (DA(ds.StudyDate) - DA(masked.StudyDate)).days == shift_days(KEY, token)
    (execution_input,) = _inputs_with_token(keyed_server, token)
    assert execution_input["options"]["mode"] == "surrogate"
    assert patient not in _histories(keyed_server)


def test_a_mode_per_entity_type_is_applied_per_type(keyed_server):
    response = keyed_server.client.post("/text/mask", json={
        "text": GUIDE_NOTE, "mode": {"NAME": "surrogate", "ID": "hash", "DATE": "redact"}})
    assert response.status_code == 200, response.text
    lines = response.json()["maskedText"].split("\n")
    assert lines[1] != "Name: NAME" and "," in lines[1]  # a surrogate keeps the form LAST, FIRST
    assert re.fullmatch(r"MRN: ID-[0-9A-F]{16}", lines[2])
    assert lines[3] == "ED Arrival Time: ***** 18:15" and lines[5] == "DOB: *****"
    assert not [value for value in GUIDE_NOTE_PHI if value in response.text]


def test_text_phi_accepts_and_ignores_mode_and_patient_id(keyed_server):
    response = keyed_server.client.post("/text/phi", json={
        "text": GUIDE_NOTE, "mode": {"NAME": "hash"}, "patientId": PATIENT})
    assert response.status_code == 200, response.text
    assert {e["Type"] for e in response.json()["Entities"]} >= {"NAME", "DATE"}
    assert PATIENT not in _histories(keyed_server)


IMAGE_BODY = {"s3Bucket": "b", "s3Key": "k", "destinationBucket": "b", "destinationKey": "o"}
JOB_BODY = {"workflow": "mask_text", "text": "a", "destinationBucket": "o", "destinationKey": "k"}


@pytest.mark.parametrize(("path", "body", "message"), [
    (path, body | {"mode": mode}, message)
    for path, body in (("/text/mask", {"text": "a"}), ("/image/mask", IMAGE_BODY), ("/executions", JOB_BODY))
    for mode, message in (
        ("encrypt", "mode must be one of type, redact, mask-chars, surrogate, hash, or an object mapping entity "
                    "types to them"),
        ({}, "mode must be one of type, redact, mask-chars, surrogate, hash, or an object mapping entity types to "
             "them"),
        (["type"], "mode must be one of type, redact, mask-chars, surrogate, hash, or an object mapping entity "
                   "types to them"),
        ({"NAME": "encrypt"}, "mode for NAME must be one of type, redact, mask-chars, surrogate, hash"),
        ({"NAME": "hash", "DATE": ["redact"]}, "mode for DATE must be one of type, redact, mask-chars, surrogate, "
                                               "hash"),
        ({"Carlos Salazar": "hash"}, "mode names an unknown entity type; the types are NAME, AGE, DATE, ID, "
                                     "ADDRESS, PHONE_OR_FAX, EMAIL, URL, PROFESSION"),
    )])
def test_bad_modes_get_the_clis_words(keyed_server, path, body, message):
    response = keyed_server.client.post(path, json=body)
    assert (response.status_code, response.json()) == (400, {"message": message})


@pytest.mark.parametrize(("path", "body", "words"), [
    ("/text/mask", {"text": "a", "mode": "encrypt"}, ["mode", "surrogate"]),
    ("/text/mask", {"text": "a", "patientId": "P\n7"}, ["patientId"]),
    ("/image/mask", IMAGE_BODY | {"mode": "Surrogate"}, ["mode"]),
    ("/image/mask", IMAGE_BODY | {"patientId": "   "}, ["patientId"]),
    ("/executions", JOB_BODY | {"patientId": ""}, ["patientId"]),
    ("/executions", JOB_BODY | {"patientId": "   "}, ["patientId"]),
    ("/executions", JOB_BODY | {"patientId": "P\n7"}, ["patientId"]),
    ("/executions", JOB_BODY | {"patientId": "P" * 65}, ["patientId"]),
    ("/executions", JOB_BODY | {"patientId": 7}, ["patientId"]),
    ("/executions", JOB_BODY | {"mode": "tokenize"}, ["mode"]),
    ("/executions", {"workflow": "bulk_text", "s3Bucket": "i", "s3Key": "n.jsonl", "destinationBucket": "o",
                     "destinationKey": "k", "patientId": PATIENT}, ["bulk_text", "patientId"]),
])
def test_bad_modes_and_patient_ids_are_refused(keyed_server, path, body, words):
    response = keyed_server.client.post(path, json=body)
    _refused(response, *words)
    assert PATIENT not in response.text and "P\n7" not in response.text
