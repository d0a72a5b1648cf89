"""The mask_image workflow end to end: the real ASL interpreter, the real OCR engine, real files."""

import json
import os
import subprocess
import sys

import numpy as np
import pydicom
import pytest
from PIL import Image

from hdm.execution import WorkflowError
from hdm.jobs.image import image_phi, image_text, mask_image
from steps.storage import file_ref
from tests.imaging.images import PATIENT, dicom_bytes, dicom_dataset, png_bytes, radiograph, text_box

NAME, MRN, BODY = ((30, 30), "SALAZAR, CARLOS"), ((30, 80), "MRN: 372610196"), ((560, 520), "CHEST")
PHI_VALUES = ("SALAZAR", "CARLOS", "372610196")


def _ink(image: np.ndarray, box, level: float) -> int:
    """How many pixels of the box are as bright as the burned-in text (the background is ~40)."""
    x0, y0, x1, y1 = box
    return int((image[y0:y1, x0:x1] >= level).sum())


@pytest.fixture(scope="module")
def xray_png(tmp_path_factory):
    path = tmp_path_factory.mktemp("images") / "xray.png"
    path.write_bytes(png_bytes(radiograph([NAME, MRN, BODY])))
    return path


@pytest.mark.slow
def test_mask_png_hides_phi_keeps_annotation_and_leaves_no_phi_in_history(runtime, xray_png, tmp_path):
    out = tmp_path / "masked.png"
    summary = mask_image(runtime, file_ref(xray_png), file_ref(out))
    assert summary["format"] == "png" and summary["words"] >= 5 and summary["maskedWords"] >= 3
    masked = Image.open(out)
    assert masked.format == "PNG" and masked.size == (800, 600) and masked.mode == "L"
    pixels = np.asarray(masked)
    assert _ink(np.asarray(Image.open(xray_png)), text_box(*NAME), 150) > 50
    for box in (text_box(*NAME), text_box(*MRN, "372610196")):
        assert _ink(pixels, box, 150) == 0
    chest = text_box(*BODY)
    assert (pixels[chest[1]:chest[3], chest[0]:chest[2]] == np.asarray(Image.open(xray_png))[
        chest[1]:chest[3], chest[0]:chest[2]]).all()
    persisted = b"".join(p.read_bytes() for p in runtime.home.rglob("*") if p.is_file())
    assert b"succeeded" in persisted.lower()  # the history was persisted: the next check means something
    assert not any(value.encode() in persisted for value in PHI_VALUES)


@pytest.mark.slow
def test_dicom_is_masked_on_every_frame_and_written_back_deidentified(runtime, tmp_path):
    grey = np.asarray(radiograph([NAME, BODY]), dtype=np.uint16) * 16
    source = tmp_path / "xray.dcm"
    source.write_bytes(dicom_bytes(dicom_dataset(np.stack([grey, grey]), bits_stored=12)))
    out = tmp_path / "masked.dcm"
    summary = mask_image(runtime, file_ref(source), file_ref(out), imageMaskPolicy="phi-only")
    assert summary["format"] == "dicom" and summary["frames"] == 2
    ds = pydicom.dcmread(out)
    assert str(ds.PatientName) == "" and ds.BurnedInAnnotation == "NO"
    frames = ds.pixel_array
    assert all(_ink(frame, text_box(*NAME), 150 * 16) == 0 for frame in frames)
    assert _ink(frames[1], text_box(*BODY), 150 * 16) > 50  # CHEST is not PHI and stays
    assert PATIENT.split("^")[0].encode() not in out.read_bytes()


@pytest.mark.slow
def test_image_text_and_image_phi_report_words_and_phi_with_boxes(runtime, xray_png):
    text = image_text(runtime, file_ref(xray_png))
    words = {d["DetectedText"]: d["Box"] for d in text["TextDetections"]}
    assert {"CHEST", "372610196"} <= set(words)
    x0, y0, x1, y1 = words["CHEST"]
    chest = text_box(*BODY)
    assert abs(x0 - chest[0]) < 10 and abs(y0 - chest[1]) < 10
    phi = image_phi(runtime, file_ref(xray_png))
    masked = {box["Text"] for box in phi["MaskedBoxes"]}
    assert {"372610196", "CARLOS"} <= masked and "CHEST" not in masked
    assert any(e["Type"] == "ID" and e["Boxes"] for e in phi["Entities"])


def test_not_an_image_fails_the_job_cleanly_and_writes_nothing(runtime, tmp_path):
    source = tmp_path / "note.png"
    source.write_text("Name: SALAZAR, CARLOS")
    out = tmp_path / "masked.png"
    with pytest.raises(WorkflowError) as failure:
        mask_image(runtime, file_ref(source), file_ref(out))
    assert failure.value.execution.error == "InvalidInput"
    assert "not a PNG, JPEG or DICOM" in failure.value.execution.cause
    assert not out.exists()


def test_unknown_ocr_engine_is_a_clear_input_error(runtime, xray_png, tmp_path):
    with pytest.raises(WorkflowError) as failure:
        mask_image(runtime, file_ref(xray_png), file_ref(tmp_path / "o.png"), ocrEngine="tesseract")
    assert failure.value.execution.error == "InvalidInput"
    assert "ocrEngine must be one of rapidocr, rekognition" in failure.value.execution.cause


def _hdm(tmp_path, *args):
    env = {**os.environ, "HDM_STATE_DIR": str(tmp_path / "state")}
    return subprocess.run([sys.executable, "-m", "hdm.cli", *args], capture_output=True, env=env, timeout=300)


@pytest.mark.slow
def test_cli_mask_image_prints_the_summary(xray_png, tmp_path):
    out = tmp_path / "cli.png"
    done = _hdm(tmp_path, "mask-image", str(xray_png), "-o", str(out), "--threshold", "0.4")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["output"] == file_ref(out)
    assert Image.open(out).size == (800, 600)


def test_cli_refuses_a_missing_input_in_one_line(tmp_path):
    done = _hdm(tmp_path, "image-phi", str(tmp_path / "missing.png"))
    assert done.returncode == 1
    assert done.stderr.decode().strip() == f"hdm: error: no such file: {tmp_path / 'missing.png'}"


@pytest.mark.slow
def test_an_image_without_text_skips_phi_detection_and_comes_back_unchanged(runtime, tmp_path):
    source, out = tmp_path / "blank.png", tmp_path / "masked.png"
    source.write_bytes(png_bytes(radiograph([])))
    summary = mask_image(runtime, file_ref(source), file_ref(out))
    assert summary["words"] == 0 and summary["entities"] == 0 and summary["maskedWords"] == 0
    assert (np.asarray(Image.open(out)) == np.asarray(Image.open(source))).all()
