"""The text workflow through moto's real ASL interpreter, over the real definition."""

import json
import re
import threading

import pytest

from hdm import history
from hdm.execution import WorkflowError
from hdm.jobs.text import detect_phi, mask_text
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_MASKED, GUIDE_NOTE_PHI
from tests.workflow.fake_comprehend import ServiceError

NAME = re.compile(r"\b[A-Z]{4,}(?: [A-Z]{4,})*\b")


def names(text):
    return [(m.start(), m.end(), "NAME", 0.99) for m in NAME.finditer(text)]


def last_history(runtime):
    return history.load(runtime.home, history.names(runtime.home, 1)[0])


def test_guide_note_is_masked_by_the_builtin_engine(runtime):
    assert mask_text(runtime, GUIDE_NOTE) == GUIDE_NOTE_MASKED


def test_history_holds_no_input_text_and_no_detected_value(runtime):
    detect_phi(runtime, GUIDE_NOTE)
    mask_text(runtime, GUIDE_NOTE)
    for name in history.names(runtime.home, 2):
        raw = (runtime.home / "executions" / f"{name}.json").read_text()
        assert json.loads(raw)["status"] == "SUCCEEDED"
        for value in GUIDE_NOTE_PHI + ("PERSON INFORMATION", "Arrival"):
            assert value not in raw
    assert not list((runtime.home / "work").iterdir()), "work areas are removed after each job"


def test_detect_returns_entities_in_comprehend_medical_shape(runtime):
    entities = detect_phi(runtime, GUIDE_NOTE)["Entities"]
    assert {e["Text"] for e in entities} >= {"RQ36114734", "11/12/2011", "2/11/1961"}
    for e in entities:
        assert set(e) == {"Id", "BeginOffset", "EndOffset", "Score", "Text", "Category", "Type", "Traits"}
        assert GUIDE_NOTE[e["BeginOffset"]:e["EndOffset"]] == e["Text"]


def test_redact_mode_and_entity_type_filter(runtime):
    masked = mask_text(runtime, GUIDE_NOTE, mode="redact", entityTypes=["DATE"])
    assert "11/12/2011" not in masked and "2/11/1961" not in masked
    assert "RQ36114734" in masked, "IDs were excluded by the type filter"
    assert masked.count("*****") == 2


def test_threshold_drops_low_scores(runtime, comprehend):
    comprehend(lambda text: [(0, 6, "NAME", 0.4), (7, 12, "NAME", 0.9)])
    assert mask_text(runtime, "Carlos Smith is here", engine="comprehend-medical", threshold=0.5) \
        == "Carlos NAME is here"
    assert mask_text(runtime, "Carlos Smith is here", engine="comprehend-medical", threshold=0.3) \
        == "NAME NAME is here"


def test_throttled_chunk_is_retried_and_succeeds(runtime, comprehend):
    calls = []

    def respond(text):
        calls.append(text)
        if len(calls) == 1:
            raise ServiceError("ThrottlingException")
        return names(text)

    comprehend(respond)
    assert mask_text(runtime, "Seen by CARLOS today", engine="comprehend-medical") == "Seen by NAME today"
    assert len(calls) == 2
    detect_runs = [r for r in history.state_runs(last_history(runtime)) if r["state"] == "DetectChunkPhi"]
    assert [(r["status"], r["retries"], r["errors"]) for r in detect_runs] == \
        [("succeeded", 1, ["PhiServiceThrottled"])]


def test_rejected_chunk_is_caught_and_ends_in_a_named_failure(runtime, comprehend):
    def respond(text):
        raise ServiceError("InvalidRequestException")

    fake = comprehend(respond)
    with pytest.raises(WorkflowError) as failure:
        mask_text(runtime, "Seen by CARLOS today", engine="comprehend-medical")
    execution = failure.value.execution
    assert (execution.status, execution.error) == ("FAILED", "InvalidInput")
    assert "DetectPHI rejected the text" in execution.cause
    assert len(fake.requests) == 1, "invalid input is not retried"
    record = last_history(runtime)
    assert record["events"][-1]["type"] == "ExecutionFailed"
    assert any(e["type"] == "FailStateEntered" for e in record["events"])


def test_empty_document_fails_in_fetch_with_invalid_input(runtime):
    with pytest.raises(WorkflowError) as failure:
        mask_text(runtime, " \n ")
    assert failure.value.execution.error == "InvalidInput"
    assert "empty" in failure.value.execution.cause


def test_chunks_run_in_parallel_within_max_concurrency(runtime, comprehend):
    three_in_flight = threading.Event()
    fakes = []

    def respond(text):
        # Hold every call until three are in flight at once (the wait only guards against a hang).
        if fakes[0].in_flight >= 3:
            three_in_flight.set()
        three_in_flight.wait(timeout=60)
        return names(text)

    fake = comprehend(respond)
    fakes.append(fake)
    text = "\n".join(f"Line {i}: visit with CARLOS, no complaints reported." for i in range(600))
    masked = mask_text(runtime, text, engine="comprehend-medical", maxChunkBytes=4000, maxConcurrency=3)
    assert "CARLOS" not in masked and masked.count("NAME") == 600
    assert len(fake.requests) >= 8
    assert fake.max_in_flight == 3, "the Map ran chunks side by side, no more than MaxConcurrency at once"


def test_entity_straddling_a_chunk_boundary_is_found_once(runtime, comprehend):
    fake = comprehend(names)
    filler = "the patient rested well overnight. " * 60
    text = filler + "Family meeting with SALAZAR CARLOS about discharge. " + filler
    detected = detect_phi(runtime, text, engine="comprehend-medical", maxChunkBytes=2200, chunkOverlap=300)
    assert len(fake.requests) >= 2
    pieces = [t for t in fake.requests if "SALAZAR" in t or "CARLOS" in t]
    assert len(pieces) >= 2, "the name sits in the overlap of two chunks"
    assert [(e["Text"], e["Type"]) for e in detected["Entities"]] == [("SALAZAR CARLOS", "NAME")]


@pytest.mark.slow
def test_one_megabyte_note(runtime):
    line = "Pt seen 03/14/2019, call (617) 555-0199 or email jdoe@example.org. Stable.\n"
    text = line * (1_000_000 // len(line) + 1)
    masked = mask_text(runtime, text)
    assert masked.count("DATE") == masked.count("PHONE_OR_FAX") == masked.count("EMAIL") == text.count("\n")
    assert "555-0199" not in masked and "03/14/2019" not in masked
    record = last_history(runtime)
    assert record["output"]["chunks"] >= 50
