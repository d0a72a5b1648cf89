"""Executions started asynchronously keep their work area until they end, and not a moment longer."""

import pytest

from hdm import history
from hdm.runtime import LocalRuntime
from hdm.server.executions import ExecutionTracker
from steps import storage
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_MASKED


def test_close_waits_for_running_executions_then_no_work_area_is_left(tmp_path):
    outputs = [tmp_path / "out" / f"{i}.txt" for i in range(3)]

    def job(output):
        def build_input(work):
            source = storage.file_ref(work / "input.txt")
            storage.write_text(source, GUIDE_NOTE)
            return {"source": source, "destination": storage.file_ref(output), "workPrefix": storage.file_ref(work),
                    "operation": "mask", "options": {}}
        return build_input

    with LocalRuntime(home=tmp_path / "state") as runtime:
        tracker = ExecutionTracker(runtime)  # not started: only close() drains, so nothing ends early
        launched = [tracker.launch("mask_text", job(output)) for output in outputs]
        assert all((tmp_path / "state" / "work" / r.name / "input.txt").is_file() for r in launched)
        assert {r.name for r in tracker.running()} == {r.name for r in launched}
        tracker.close(drain_seconds=60)
    assert tracker.running() == []
    assert list((tmp_path / "state" / "work").iterdir()) == []
    assert [o.read_text() for o in outputs] == [GUIDE_NOTE_MASKED] * 3
    assert {history.load(tmp_path / "state", r.name)["status"] for r in launched} == {"SUCCEEDED"}


def test_a_start_that_fails_leaves_no_work_area(tmp_path):
    with LocalRuntime(home=tmp_path / "state") as runtime:
        tracker = ExecutionTracker(runtime)

        def broken_input(work):
            (work / "partial").write_text("staged")
            raise OSError("disk full")

        with pytest.raises(OSError, match="disk full"):
            tracker.launch("mask_text", broken_input)
        tracker.close()
    assert list((tmp_path / "state" / "work").iterdir()) == []
    assert tracker.running() == []
