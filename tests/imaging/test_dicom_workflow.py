"""DICOM through the mask_image workflow: every frame read and masked, the pixel budget on
the CLI, keyed UIDs, and the verification gate. Real interpreter, real OCR, real files."""

import io
import json
import os
import subprocess
import sys

import numpy as np
import pydicom
import pytest

from hdm.execution import WorkflowError
from hdm.jobs.image import mask_image
from steps import detect_text, storage
from steps.errors import ResidualPhi
from steps.fetch_image import park_views
from steps.imaging import policy
from steps.imaging.masking import padded
from steps.imaging.ocr import get_ocr_engine
from steps.imaging.picture import load
from steps.imaging.profile import ProfileOptions
from steps.imaging.regions import CutOut, grown, pack
from steps.imaging.regions import read as regions_read
from steps.imaging.release import Release
from steps.imaging.words import Word, split_fused
from steps.options import ENTITY_TYPES
from steps.pseudonym_key import KEY_FILE_VARIABLE
from steps.storage import file_ref
from tests.imaging.images import deflated_multiframe, dicom_bytes, dicom_dataset, radiograph

PHI_WORDS = {"SALAZAR", "CARLOS", "372610196", "02/11/1961"}
GIB = 1024 ** 3


def _grey(lines) -> np.ndarray:
    return np.asarray(radiograph(lines), dtype=np.uint16) * 16


def _words_read(path) -> list[set[str]]:
    """The words the OCR engine reads in each frame of a DICOM file."""
    picture = load(path.read_bytes())
    engine = get_ocr_engine("rapidocr")
    return [{policy.token(w.text) for w in split_fused(engine.read(picture.ocr_view(frame)))}
            for frame in picture.iter_frames()]


@pytest.mark.slow
def test_phi_only_on_later_frames_is_read_and_masked_in_the_frame_it_is_on(runtime, tmp_path):
    first = _grey([((560, 520), "CHEST")])
    second = _grey([((30, 30), "SALAZAR, CARLOS"), ((30, 80), "MRN: 372610196"), ((560, 520), "CHEST")])
    third = _grey([((300, 300), "SALAZAR, CARLOS"), ((300, 350), "DOB: 02/11/1961"), ((560, 520), "CHEST")])
    source, out = tmp_path / "cine.dcm", tmp_path / "masked.dcm"
    source.write_bytes(dicom_bytes(dicom_dataset(np.stack([first, second, third]), bits_stored=12)))
    before = _words_read(source)
    assert not before[0] & PHI_WORDS and PHI_WORDS <= before[1] | before[2]  # legible, and on frames 2-3 only
    summary = mask_image(runtime, file_ref(source), file_ref(out))
    assert summary["frames"] == 3 and summary["maskedWords"] >= 6
    assert summary["actions"]["pixels_hidden"] == 2 and summary["actions"]["pixels_retained"] == 1
    after = _words_read(out)
    assert all(not words & PHI_WORDS for words in after) and all("CHEST" in words for words in after)
    ds = pydicom.dcmread(out)
    assert ds.BurnedInAnnotation == "NO" and ds.PatientIdentityRemoved == "YES"
    assert "113101" in {c.CodeValue for c in ds.DeidentificationMethodCodeSequence}


def test_identical_frames_share_one_view_wherever_they_are_and_only_they(tmp_path):
    a, b = np.full((40, 50), 10, np.uint8), np.full((40, 50), 10, np.uint8)
    b[0, 0] = 11  # one pixel apart: a different frame
    picture = load(dicom_bytes(dicom_dataset(np.stack([a, a, b, b, a]))))
    parked = park_views(picture, storage.folder_ref(tmp_path))
    assert parked["frameViews"] == [0, 0, 1, 1, 0] and len(parked["views"]) == 2
    assert parked["changes"] == [None, {"base": 0, "boxes": [(0, 0, 32, 32)]}]  # the pixel, a cell around it


class CountingEngine:
    """The real engine, and the sizes of what it was given."""

    def __init__(self):
        self.engine, self.shapes = get_ocr_engine("rapidocr"), []
        self.name = self.engine.name

    def read(self, rgb, side=None):
        self.shapes.append(rgb.shape[:2])
        return self.engine.read(rgb, side=side)


@pytest.mark.slow
def test_a_frame_that_changed_in_one_place_is_read_there_and_keeps_the_other_words(tmp_path, monkeypatch):
    overlay = [((30, 30), "SALAZAR, CARLOS"), ((560, 520), "CHEST")]
    first, second = _grey(overlay), _grey([*overlay, ((300, 300), "MRN: 372610196")])
    work = storage.folder_ref(tmp_path)
    parked = park_views(load(dicom_bytes(dicom_dataset(np.stack([first, second]), bits_stored=12))), work)
    storage.write_json(storage.join(work, "frames.json"), parked)
    counting = CountingEngine()
    monkeypatch.setattr(detect_text, "get_ocr_engine", lambda name: counting)
    event = {"views": storage.join(work, "frames.json"), "workPrefix": work, "options": {"ocrEngine": "rapidocr"}}
    words = [Word.from_dict(w) for w in storage.read_json(detect_text.handler(event)["words"])]
    read = [{policy.token(w.text) for w in words if w.view == view} for view in (0, 1)]
    assert {"SALAZAR", "CARLOS", "CHEST"} <= read[0] and "372610196" not in read[0]
    assert {"SALAZAR", "CARLOS", "CHEST", "372610196"} <= read[1]
    whole, part = counting.shapes
    assert whole == (600, 800) and part[0] * part[1] < 0.2 * 600 * 800  # the second only where it changed


PEAK_PROBE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"status": done.returncode, "stderr": done.stderr,
                  "peak_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))
"""


@pytest.mark.slow
def test_a_deflated_decompression_bomb_is_refused_by_the_cli_in_bounded_memory(tmp_path):
    bomb, out = tmp_path / "bomb.dcm", tmp_path / "out.dcm"
    bomb.write_bytes(deflated_multiframe(frames=30, side=4096))  # 0.94 GiB decoded
    assert bomb.stat().st_size < 2 * 1024 * 1024
    env = {**os.environ, "HDM_STATE_DIR": str(tmp_path / "state")}
    command = [sys.executable, "-m", "hdm.cli", "mask-image", str(bomb), "-o", str(out)]
    probe = subprocess.run([sys.executable, "-c", PEAK_PROBE, *command], capture_output=True, text=True,
                           env=env, timeout=600)
    result = json.loads(probe.stdout)
    assert result["status"] == 1
    assert "TooLarge" in result["stderr"] and "pixel budget of 512 MiB" in result["stderr"]
    assert result["peak_bytes"] < 1.5 * GIB
    assert not out.exists()


def _job(runtime, tmp_path, name: str) -> pydicom.Dataset:
    source, out = tmp_path / f"{name}.dcm", tmp_path / f"{name}-masked.dcm"
    ds = dicom_dataset(np.full((64, 64), 30, np.uint8))
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.10.7.1"
    source.write_bytes(dicom_bytes(ds))
    mask_image(runtime, file_ref(source), file_ref(out))
    return pydicom.dcmread(out)


@pytest.mark.slow
def test_uids_are_keyed_by_the_key_file_and_random_per_job_without_one(runtime, tmp_path, monkeypatch):
    key = tmp_path / "pseudonym.key"
    key.write_bytes(os.urandom(32))
    monkeypatch.setenv(KEY_FILE_VARIABLE, str(key))
    keyed = [_job(runtime, tmp_path, f"keyed{i}").StudyInstanceUID for i in range(2)]
    monkeypatch.delenv(KEY_FILE_VARIABLE)
    unkeyed = [_job(runtime, tmp_path, f"unkeyed{i}").StudyInstanceUID for i in range(2)]
    assert keyed[0] == keyed[1] and keyed[0].startswith("2.25.")
    assert len({keyed[0], *unkeyed}) == 3  # a random key per job: unlinkable across jobs
    assert not list(runtime.home.rglob("pseudonym.key"))  # the job key went with its work area


@pytest.mark.slow
def test_an_identifying_value_left_in_a_kept_attribute_fails_the_gate_and_writes_nothing(runtime, tmp_path):
    ds = dicom_dataset(np.full((64, 64), 30, np.uint8))
    ds.Manufacturer = "SALAZAR IMAGING"  # outside the profile's table, so kept: the gate must see the name
    source, out = tmp_path / "kept.dcm", tmp_path / "kept-masked.dcm"
    source.write_bytes(dicom_bytes(ds))
    with pytest.raises(WorkflowError) as failed:
        mask_image(runtime, file_ref(source), file_ref(out))
    assert failed.value.execution.error == "ResidualPhi"
    assert "SALAZAR" not in failed.value.execution.cause
    assert not out.exists()


def _gate_case():
    """A 12-bit frame with a name burned in, the gate that checks it, and the words read in it."""
    picture = load(dicom_bytes(dicom_dataset(_grey([((30, 30), "SALAZAR, CARLOS")]), bits_stored=12)))
    engine = get_ocr_engine("rapidocr")
    release = Release(b"k" * 32, ProfileOptions(), engine, "builtin", 0.5, list(ENTITY_TYPES))
    words = split_fused(engine.read(picture.ocr_view(next(picture.iter_frames()))))
    return picture.source, release, words


@pytest.mark.slow
def test_burned_in_text_that_escaped_the_mask_fails_the_gate(tmp_path):
    image, release, words = _gate_case()
    assert {"SALAZAR", "CARLOS"} <= {policy.token(w.text) for w in words}
    out = io.BytesIO()
    with pytest.raises(ResidualPhi, match="2 identifying word"):
        release.masked_file(image, [[]], [0], words, [], out)  # no boxes: the name is still there
    assert out.getvalue() == b""


@pytest.mark.slow
def test_a_mask_box_beside_the_text_fails_the_gate_through_the_re_read():
    """The box touches both words (so neither counts as unchanged) but hides none of their
    ink: only reading the changed region again shows the name."""
    image, release, words = _gate_case()
    named = [w.box for w in words if policy.token(w.text) in {"SALAZAR", "CARLOS"}]
    x0, x1, bottom = min(b[0] for b in named), max(b[2] for b in named), max(b[3] for b in named)
    out = io.BytesIO()
    with pytest.raises(ResidualPhi, match="2 identifying word"):
        release.masked_file(image, [[(x0, bottom - 1, x1, bottom + 12)]], [0], words, [], out)
    assert out.getvalue() == b""


@pytest.mark.slow
def test_a_mask_over_the_name_passes_the_gate():
    image, release, words = _gate_case()
    boxes = [padded(w.box) for w in words if policy.token(w.text) in {"SALAZAR", "CARLOS"}]
    out = io.BytesIO()
    release.masked_file(image, [boxes], [0], words, [], out)
    assert pydicom.dcmread(io.BytesIO(out.getvalue())).BurnedInAnnotation == "NO"


def test_regions_grow_to_whole_words_and_merge():
    words = [(10, 10, 60, 30), (90, 10, 140, 30), (10, 200, 60, 220)]  # 6 px around each joins them
    regions = grown([(15, 12, 30, 28), (62, 12, 95, 28)], words, 300, 300)
    assert regions == [(4, 4, 146, 36)]  # both words of the line, one region, the far word left out
    apart = grown([(15, 12, 30, 28), (120, 12, 130, 28)], words, 300, 300)
    assert apart == [(4, 4, 66, 36), (84, 4, 146, 36)]
    assert grown([(0, 0, 10, 10)], [], 300, 300) == [(0, 0, 16, 16)]  # clipped to the frame


def test_cut_outs_are_packed_onto_sheets_no_larger_than_the_frame_without_overlap():
    cut_outs = [CutOut(i, (0, 0, 150, 40), np.full((40, 150, 3), 50 * i, np.uint8)) for i in range(1, 5)]
    sheets = pack(cut_outs, 400, 100)
    assert len(sheets) == 2 and sorted(c.key for sheet in sheets for *_, c in sheet) == [1, 2, 3, 4]
    for sheet in sheets:
        assert all(x + 150 <= 400 and y + 40 <= 100 for x, y, _ in sheet)
        assert len({(x, y) for x, y, _ in sheet}) == len(sheet)
    assert pack([], 400, 100) == []


@pytest.mark.slow
def test_words_read_in_cut_outs_come_back_in_their_frame_coordinates():
    frame = np.asarray(radiograph([((300, 200), "SALAZAR")]).convert("RGB"))
    whole = [w for w in get_ocr_engine("rapidocr").read(frame) if w.text == "SALAZAR"]
    region = grown([whole[0].box], [], frame.shape[1], frame.shape[0])[0]
    cut_out = CutOut(7, region, frame[region[1]:region[3], region[0]:region[2]])
    [(key, word)] = regions_read(get_ocr_engine("rapidocr"), [cut_out], frame.shape[1], frame.shape[0])
    assert key == 7 and word.text == "SALAZAR"
    # the same place, give or take the detector's margin around the ink (a quarter of the text height)
    assert all(abs(a - b) <= 10 for a, b in zip(word.box, whole[0].box, strict=True))
