"""``hdm batch`` as a user runs it: a real process, killed half-way with a signal, then resumed."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from PIL import Image

from hdm import history
from steps import storage
from steps.batch import journal
from tests.imaging.images import png_bytes, radiograph
from tests.notes import masked, note

TEXT_NOTES = 194
NAME_LINE = ((40, 30), "SALAZAR, CARLOS  MRN RQ36114734")


def _hdm(*args: str, state_dir) -> list[str]:
    return [sys.executable, "-m", "hdm.cli", "--state-dir", str(state_dir), *args]


def _mixed_folder(source) -> dict[str, str]:
    """200 files: notes in nested folders, two small images, and four that cannot be masked."""
    expected = {}
    for i in range(TEXT_NOTES):
        name = f"unit{i % 7}/day{i % 3}/note{i:03d}.txt"
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(note(i))
        expected[name] = "masked"
    image = radiograph([NAME_LINE], size=(480, 200), font_size=22)
    (source / "images").mkdir()
    (source / "images" / "chest.png").write_bytes(png_bytes(image))
    image.save(source / "images" / "hand.jpg", "JPEG", quality=90)
    expected.update({"images/chest.png": "masked", "images/hand.jpg": "masked"})
    (source / "images" / "broken.dcm").write_bytes(b"DICM? no")
    (source / "empty.txt").write_text("  \n")
    (source / "latin1.txt").write_bytes("Jos\xe9".encode("latin-1"))
    (source / "scan.tiff").write_bytes(b"II*\x00")
    expected.update({"images/broken.dcm": "failed", "empty.txt": "failed", "latin1.txt": "failed",
                     "scan.tiff": "unsupported"})
    assert len(expected) == 200
    return expected


def _records(destination) -> list[dict]:
    """The last journaled outcome of each object (a line being written may be torn: skipped)."""
    return list(journal.latest(storage.file_ref(destination) + "/").values())


@pytest.mark.slow
def test_batch_killed_half_way_resumes_and_accounts_for_every_file(tmp_path):
    source, destination, state = tmp_path / "in", tmp_path / "out", tmp_path / "state"
    source.mkdir()
    expected = _mixed_folder(source)

    run = subprocess.Popen(_hdm("batch", str(source), str(destination), "--no-progress", state_dir=state),
                           start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(_records(destination)) < 60:
        assert run.poll() is None, run.stderr.read().decode()
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.1)
    killed_areas = {p.name for p in (state / "work").iterdir() if not p.name.startswith(".")}
    os.killpg(run.pid, signal.SIGKILL)  # the command and its workers, at once, mid-write
    run.wait()
    assert killed_areas and killed_areas <= {p.name for p in (state / "work").iterdir()}
    done_before = {r["object"] for r in _records(destination) if r["status"] == "masked"}
    assert 60 <= len(_records(destination)) < 200 and not (destination / "manifest.jsonl").exists()
    untouched = {name: (destination / name).stat().st_mtime_ns for name in done_before}

    resumed = subprocess.run(_hdm("batch", str(source), str(destination), state_dir=state),
                             capture_output=True, text=True, timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    assert "200/200" in resumed.stderr and "file/s" in resumed.stderr  # tqdm bar: count and rate
    assert "196 masked, 3 failed, 1 unsupported" in resumed.stderr
    # The killed run's work areas are gone, and its executions are on record as ABORTED.
    assert list((state / "work").iterdir()) == []
    assert {history.load(state, name)["status"] for name in killed_areas} == {"ABORTED"}

    # Every maskable input has exactly one complete output at its own relative path, nothing else.
    outputs = {str(p.relative_to(destination)) for p in destination.rglob("*")
               if p.is_file() and ".hdm-batch" not in p.parts}
    assert outputs == {name for name, status in expected.items() if status == "masked"} | {"manifest.jsonl"}
    for i in range(TEXT_NOTES):
        assert (destination / f"unit{i % 7}/day{i % 3}/note{i:03d}.txt").read_text() == masked(i)
    for name in ("images/chest.png", "images/hand.jpg"):
        with Image.open(destination / name) as output, Image.open(source / name) as original:
            assert output.size == original.size and output.format == original.format
            assert not np.array_equal(np.asarray(output), np.asarray(original))  # the name line was masked
    # Files masked before the kill were skipped, not redone.
    assert {name: (destination / name).stat().st_mtime_ns for name in done_before} == untouched

    lines = (destination / "manifest.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines[:-1]]
    assert {r["object"]: r["status"] for r in records} == expected and len(records) == 200
    errors = {r["object"]: r["error"] for r in records if r["error"]}
    assert errors == {"images/broken.dcm": "InvalidInput", "empty.txt": "InvalidInput",
                      "latin1.txt": "SourceUnreadable", "scan.tiff": "UnsupportedType"}
    assert json.loads(lines[-1])["totals"]["masked"] == 196


def test_batch_refuses_an_output_folder_inside_the_input(tmp_path):
    (tmp_path / "in").mkdir()
    result = subprocess.run(_hdm("batch", str(tmp_path / "in"), str(tmp_path / "in" / "out"),
                                 state_dir=tmp_path / "state"), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == "hdm: error: IN_DIR and OUT_DIR must not contain each other"
    assert not (tmp_path / "in" / "out").exists()
