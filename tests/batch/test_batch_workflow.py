"""statemachine/batch.asl.json through the real interpreter: children by type, failures recorded, resume."""

import json
import os

import numpy as np

from hdm.jobs.batch import run_batch
from tests.imaging.images import dicom_bytes, dicom_dataset
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_MASKED, GUIDE_NOTE_PHI, masked, note, tail


def _folder(root, notes=6):
    source = root / "in"
    for i in range(notes):
        (source / f"ward{i % 2}").mkdir(parents=True, exist_ok=True)
        (source / f"ward{i % 2}" / f"note{i}.txt").write_text(note(i))
    (source / "readme.md").write_text("not a clinical document")
    (source / "latin1.txt").write_bytes("Patient: Jos\xe9".encode("latin-1"))
    (source / "scan.png").write_bytes(b"not a png at all")
    return source


def _manifest(destination):
    lines = [json.loads(line) for line in (destination / "manifest.jsonl").read_text().splitlines()]
    return {r["object"]: r for r in lines[:-1]}, lines[-1]["totals"]


def test_batch_masks_by_type_records_failures_and_writes_the_manifest(runtime, tmp_path):
    source, destination = _folder(tmp_path), tmp_path / "out"
    execution = run_batch(runtime, source, destination, tmp_path / "work", max_concurrency=4)
    assert execution.status == "SUCCEEDED", execution.cause
    for i in range(6):
        assert (destination / f"ward{i % 2}" / f"note{i}.txt").read_text() == masked(i)
    records, totals = _manifest(destination)
    assert len(records) == 9 and totals["objects"] == 9
    assert totals["masked"] == 6 and totals["failed"] == 2 and totals["unsupported"] == 1
    assert totals["entityCounts"] == {"DATE": 12, "ID": 6, "NAME": 6}
    assert records["latin1.txt"]["error"] == "SourceUnreadable" and records["scan.png"]["kind"] == "image"
    assert records["scan.png"]["status"] == "failed" and records["readme.md"]["error"] == "UnsupportedType"
    assert records["ward0/note0.txt"]["output"].endswith("/out/ward0/note0.txt")
    assert not (destination / "readme.md").exists() and not (destination / "scan.png").exists()
    assert execution.output["totals"] == totals
    assert not list((tmp_path / "work").glob("objects/*"))  # every child's work area removed
    # Histories of the batch hold references and counts, never document text.
    history = b"".join(p.read_bytes() for p in (runtime.home / "executions").glob("batch-*.json"))
    assert b"MaskObjects" in history
    assert not [value for value in GUIDE_NOTE_PHI if value.encode() in history]


def test_short_texts_are_masked_in_their_batch_long_ones_by_the_text_workflow(runtime, tmp_path):
    source, destination = _folder(tmp_path, notes=8), tmp_path / "out"
    filler = "".join(tail(100 + i) for i in range(30))
    (source / "long.txt").write_text(GUIDE_NOTE + filler)
    children_before = {w: runtime.executions_ended(w) for w in ("mask_text", "mask_image")}
    execution = run_batch(runtime, source, destination, tmp_path / "work", options={"maxChunkBytes": 1_000},
                          batch_size=3)
    assert execution.status == "SUCCEEDED", execution.cause
    assert (destination / "long.txt").read_text() == GUIDE_NOTE_MASKED + filler
    assert all((destination / f"ward{i % 2}" / f"note{i}.txt").read_text() == masked(i) for i in range(8))
    assert _manifest(destination)[1]["masked"] == 9
    # Twelve objects in four batches of three; one text workflow (long.txt) and one image workflow
    # (scan.png) ran as children.
    assert len(json.loads((tmp_path / "work" / "batches.json").read_text())) == 4
    assert {w: runtime.executions_ended(w) - n for w, n in children_before.items()} == {"mask_text": 1,
                                                                                       "mask_image": 1}


def test_a_second_run_skips_done_objects_and_redoes_changed_ones(runtime, tmp_path):
    source, destination = _folder(tmp_path, notes=3), tmp_path / "out"
    run_batch(runtime, source, destination, tmp_path / "work").result()
    outputs = {p: p.stat().st_mtime_ns for p in destination.rglob("note*.txt")}
    changed = source / "ward1" / "note1.txt"
    changed.write_text(note(41))
    os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 10**9))
    run_batch(runtime, source, destination, tmp_path / "work").result()
    for path, mtime in outputs.items():
        assert (path.stat().st_mtime_ns == mtime) == (path.name != "note1.txt"), path
    assert (destination / "ward1" / "note1.txt").read_text() == masked(41)
    records, totals = _manifest(destination)
    assert totals["masked"] == 3 and len(records) == 6


def test_shards_mask_their_share_and_only_the_whole_run_writes_the_manifest(runtime, tmp_path):
    source, destination = _folder(tmp_path, notes=6), tmp_path / "out"
    for index in range(2):
        run_batch(runtime, source, destination, tmp_path / f"work{index}", shard=(index, 2)).result()
        assert not (destination / "manifest.jsonl").exists()
    assert all((destination / f"ward{i % 2}" / f"note{i}.txt").read_text() == masked(i) for i in range(6))
    assert run_batch(runtime, source, destination, tmp_path / "work").result()["totals"]["masked"] == 6
    assert (destination / "manifest.jsonl").exists()


def test_the_manifest_counts_the_dicom_de_identification_actions(runtime, tmp_path):
    source, destination = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    ds = dicom_dataset(np.full((64, 64), 30, np.uint8))
    ds.PatientName, ds.PatientID, ds.StudyDate = "SALAZAR^CARLOS", "RQ36114734", "20111112"
    (source / "scan.dcm").write_bytes(dicom_bytes(ds))
    (source / "note.txt").write_text(GUIDE_NOTE)
    execution = run_batch(runtime, source, destination, tmp_path / "work")
    assert execution.status == "SUCCEEDED", execution.cause
    records, totals = _manifest(destination)
    actions = records["scan.dcm"]["actions"]
    assert actions["patid_consistent"] == 1 and actions["uid_changed"] >= 1 and actions["text_removed"] >= 1
    assert records["note.txt"]["actions"] == {} and totals["actions"] == dict(sorted(actions.items()))
    manifest = (destination / "manifest.jsonl").read_bytes()
    assert not [value for value in ("SALAZAR", "CARLOS", "RQ36114734") if value.encode() in manifest]


def test_surrogates_of_one_job_agree_between_its_batches_and_its_child_workflows(runtime, tmp_path, monkeypatch):
    monkeypatch.delenv("HDM_PSEUDONYM_KEY_FILE", raising=False)
    source, destination = _folder(tmp_path, notes=2), tmp_path / "out"
    filler = "".join(tail(100 + i) for i in range(30))
    (source / "long.txt").write_text(GUIDE_NOTE + filler)
    execution = run_batch(runtime, source, destination, tmp_path / "work",
                          options={"maxChunkBytes": 1_000, "mode": "surrogate"})
    assert execution.status == "SUCCEEDED", execution.cause
    names = {path: (destination / path).read_text().split("\n")[1] for path in ("ward0/note0.txt", "long.txt")}
    assert names["ward0/note0.txt"] == names["long.txt"] != "Name: SALAZAR, CARLOS"  # one job, one key
    for path in ("ward0/note0.txt", "long.txt"):
        assert not [value for value in GUIDE_NOTE_PHI if value in (destination / path).read_text()]
    # The job's own key is in its work area only; no child made its own.
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("pseudonym.key")] == [
        (tmp_path / "work" / "pseudonym.key").relative_to(tmp_path)]
