"""Work areas: a live owner's area survives every sweep; a dead owner's is removed and recorded."""

import json
import os

from hdm import history, work_areas
from hdm.runtime import LocalRuntime, state_machine_arn


def test_a_sweep_keeps_the_areas_a_live_owner_holds(tmp_path):
    with work_areas.claimed(tmp_path, "mask-text-live", state_machine_arn("mask_text")) as area:
        (area / "input.txt").write_text("held")
        assert work_areas.sweep(tmp_path, record_aborted=lambda marker: None) == []
        with LocalRuntime(home=tmp_path):  # a second runtime on the same state dir sweeps at start
            pass
        assert (area / "input.txt").read_text() == "held"
    assert list((tmp_path / "work").iterdir()) == []


def test_an_ownerless_area_is_removed_and_its_execution_recorded_as_aborted(tmp_path):
    area = tmp_path / "work" / "mask-image-dead"
    area.mkdir(parents=True)
    (area / "header.json").write_text("{}")
    # What a killed owner leaves: the marker, its lock released with the process.
    (area / work_areas.MARKER).write_text(json.dumps({
        "name": area.name, "stateMachineArn": state_machine_arn("mask_image"),
        "startDate": "2026-01-02T03:04:05+00:00", "pid": os.getpid()}))
    with LocalRuntime(home=tmp_path):
        pass
    assert not area.exists()
    record = history.load(tmp_path, area.name)
    assert (record["status"], record["input"], record["output"], record["events"]) == ("ABORTED", None, None, [])
    assert history.summary(record)["workflow"] == "mask-image"
