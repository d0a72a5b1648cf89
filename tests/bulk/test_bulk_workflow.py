"""statemachine/bulk_text.asl.json through the real interpreter, in-process and with worker processes."""

import json

from hdm.jobs.bulk_text import job_input, run_bulk_text
from hdm.workers import process_pool
from steps.phi import get_engine
from tests.notes import GUIDE_NOTE_PHI, masked, note


def _source(path, count: int, bad_at: int | None = None):
    with open(path, "w") as notes:
        for i in range(count):
            line = "{not json" if i == bad_at else json.dumps({"id": i, "patientId": f"P-{i}", "text": note(i)})
            notes.write(line + "\n")
    return path


def _results(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_one_execution_masks_every_line_in_input_order(runtime, tmp_path):
    source = _source(tmp_path / "in.jsonl", 23, bad_at=7)
    execution = run_bulk_text(runtime, job_input(source, tmp_path / "out.jsonl", tmp_path / "work", "mask", {},
                                                 batch_size=4, max_concurrency=3))
    output = execution.result()
    results = _results(tmp_path / "out.jsonl")
    assert [r["id"] for r in results] == [*range(7), None, *range(8, 23)]
    assert all(r["maskedText"] == masked(r["id"]) and r["patientId"] == f"P-{r['id']}"
               for r in results if r["id"] is not None)
    assert results[7] == {"id": None, "line": 8, "error": "InvalidInput: the line is not a JSON object"}
    assert output["documents"] == 23 and output["failed"] == 1 and output["lines"] == 23
    # One execution, its history holding references and counts only: no text, no patient id.
    saved = (runtime.home / "executions" / f"{execution.name}.json").read_text()
    assert "MaskBatches" in saved and "AssembleBulkText" in saved
    assert "P-3" not in saved and not [value for value in GUIDE_NOTE_PHI if value in saved]


def test_worker_processes_give_the_same_results(runtime, tmp_path):
    source = _source(tmp_path / "in.jsonl", 30)
    pool = process_pool(2, get_engine, "builtin")
    try:
        run_bulk_text(runtime, job_input(source, tmp_path / "pooled.jsonl", tmp_path / "w1", "detect", {},
                                         batch_size=4, max_concurrency=3), pool).result()
    finally:
        pool.shutdown()
    run_bulk_text(runtime, job_input(source, tmp_path / "inline.jsonl", tmp_path / "w2", "detect", {},
                                     batch_size=7)).result()
    assert (tmp_path / "pooled.jsonl").read_bytes() == (tmp_path / "inline.jsonl").read_bytes()
    assert len(_results(tmp_path / "pooled.jsonl")) == 30


def test_a_missing_source_fails_the_execution_by_name(runtime, tmp_path):
    execution = run_bulk_text(runtime, job_input(tmp_path / "missing.jsonl", tmp_path / "out.jsonl",
                                                 tmp_path / "work", "mask", {}))
    assert (execution.status, execution.error) == ("FAILED", "SourceUnreadable")
    assert not (tmp_path / "out.jsonl").exists()
