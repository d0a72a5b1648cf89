"""The bulk text states one by one: cutting a stream into batches, one batch's lines, assembling."""

import json
from datetime import date

import pytest

from hdm.jobs.text import detect_phi
from steps import assemble_bulk_text, mask_text_batch, plan_bulk_text, storage
from steps.bulk import documents, parts
from steps.errors import InternalError, InvalidInput, PhiServiceThrottled
from steps.text import detection
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_MASKED


def _spans(data: bytes, piece: int) -> list[tuple[int, int]]:
    return list(plan_bulk_text.line_spans(data[i:i + piece] for i in range(0, len(data), piece)))


@pytest.mark.parametrize("piece", [1, 3, 7, 1000])
def test_line_spans_are_the_same_whatever_the_pieces_of_the_stream(piece):
    data = b'{"a": 1}\n\n{"b": 22}\nlast without newline'
    expected = [(0, 9), (9, 10), (10, 20), (20, len(data))]
    assert _spans(data, piece) == expected
    assert _spans(data + b"\n", piece) == expected[:-1] + [(20, len(data) + 1)]
    assert _spans(b"", piece) == []


def test_batches_hold_at_most_batch_size_lines_and_an_oversized_line_goes_alone(monkeypatch):
    monkeypatch.setattr(plan_bulk_text, "MAX_DOCUMENT_BYTES", 50)
    spans = [(0, 10), (10, 20), (20, 30), (30, 100), (100, 110)]
    assert list(plan_bulk_text.batches(spans, 2)) == [
        {"firstLine": 0, "lines": 2, "byteStart": 0, "byteEnd": 20},
        {"firstLine": 2, "lines": 1, "byteStart": 20, "byteEnd": 30},
        {"firstLine": 3, "lines": 1, "byteStart": 30, "byteEnd": 100, "tooLarge": True},
        {"firstLine": 4, "lines": 1, "byteStart": 100, "byteEnd": 110},
    ]


@pytest.mark.parametrize(("raw", "message"), [
    (b"{oops", "not a JSON object"),
    (b"[1, 2]", "not a JSON object"),
    (b"\xff\xfe", "not a JSON object"),
    (b'{"text": "x"}', 'no "id"'),
    (b'{"id": true, "text": "x"}', '"id" must be a string or an integer'),
    (b'{"id": 1}', 'no "text"'),
    (b'{"id": 1, "text": ["x"]}', '"text" must be a string'),
    (b'{"id": 1, "text": "x", "patientId": 5}', '"patientId" must be a string'),
])
def test_a_bad_line_is_named_without_quoting_it(raw, message):
    with pytest.raises(InvalidInput, match=message):
        documents.parse(raw)


def _job(tmp_path, lines: list, operation="mask", **extra) -> dict:
    source = tmp_path / "notes.jsonl"
    source.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return {"source": storage.file_ref(source), "destination": storage.file_ref(tmp_path / "out.jsonl"),
            "workPrefix": storage.folder_ref(tmp_path / "work"), "operation": operation, "options": {}, **extra}


def _run_batches(plan: dict) -> None:
    for batch in storage.read_json(storage.file_ref(plan["batches"]["Key"])):
        mask_text_batch.handler({"batch": batch, "source": plan["source"], "workPrefix": plan["workPrefix"],
                                 "operation": plan["operation"], "options": plan["options"]})


def test_each_line_becomes_one_result_line_in_input_order_and_bad_lines_say_why(tmp_path):
    lines = [{"id": 1, "text": GUIDE_NOTE}, "{oops", {"id": "p", "patientId": "P-9", "text": "Seen on 3/4/2021"},
             "", {"id": 4, "text": 4}, {"id": 5, "text": "   "}]
    plan = plan_bulk_text.handler(_job(tmp_path, lines, batchSize=2))
    assert plan["plan"] == {"lines": 6, "batches": 3, "resumedLines": 0}
    _run_batches(plan)
    output = assemble_bulk_text.handler({"workPrefix": plan["workPrefix"], "destination": plan["destination"],
                                         "plan": plan["plan"]})
    results = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert results == [
        {"id": 1, "maskedText": GUIDE_NOTE_MASKED},
        {"id": None, "line": 2, "error": "InvalidInput: the line is not a JSON object"},
        {"id": "p", "patientId": "P-9", "maskedText": "Seen on DATE"},
        {"id": 4, "line": 5, "error": 'InvalidInput: "text" must be a string'},
        {"id": 5, "maskedText": "   "},
    ]
    assert output == {"output": plan["destination"], "lines": 6, "documents": 5, "failed": 2,
                      "errors": {"InvalidInput": 2}, "entityCounts": {"DATE": 3, "ID": 1, "NAME": 1},
                      "operatorCounts": {"type": 5}, "resumedLines": 0}


def test_a_text_longer_than_one_call_gets_what_the_text_workflow_finds(tmp_path, runtime):
    filler = "Stable overnight, eating well, walking the ward. " * 60
    text = GUIDE_NOTE + "\n" + filler + GUIDE_NOTE
    assert len(text.encode()) > 2 * 1000  # three chunks at least
    plan = plan_bulk_text.handler({**_job(tmp_path, [{"id": "long", "text": text}], operation="detect"),
                                   "options": {"maxChunkBytes": 1000}})
    _run_batches(plan)
    [part] = (tmp_path / "work" / "parts").glob("*.jsonl")
    entities = json.loads(part.read_text())["Entities"]
    assert entities == detect_phi(runtime, text, maxChunkBytes=1000)["Entities"]
    assert [e["Text"] for e in entities].count("RQ36114734") == 2


def test_a_second_plan_leaves_out_the_batches_already_done(tmp_path):
    lines = [{"id": i, "text": f"Note {i} seen on 3/4/2021"} for i in range(7)]
    job = _job(tmp_path, lines, batchSize=3)
    first = plan_bulk_text.handler(job)
    batch = storage.read_json(storage.file_ref(first["batches"]["Key"]))[1]
    mask_text_batch.handler({"batch": batch, "source": first["source"], "workPrefix": first["workPrefix"],
                             "operation": "mask", "options": first["options"]})
    again = plan_bulk_text.handler(job)
    assert again["plan"] == {"lines": 7, "batches": 2, "resumedLines": 3}
    assert [b["firstLine"] for b in storage.read_json(storage.file_ref(again["batches"]["Key"]))] == [0, 6]
    # A different cut of the same lines is not the batch on file.
    assert plan_bulk_text.handler({**job, "batchSize": 2})["plan"]["resumedLines"] == 0


def test_a_rerun_with_another_batch_size_assembles_its_own_batches_only(tmp_path):
    lines = [{"id": i, "text": f"Note {i} seen on 3/4/2021"} for i in range(7)]
    job = _job(tmp_path, lines, batchSize=3)
    _run_batches(plan_bulk_text.handler(job))
    plan = plan_bulk_text.handler({**job, "batchSize": 2})
    assert plan["plan"] == {"lines": 7, "batches": 3, "resumedLines": 1}  # the last line is the same batch
    assert sorted(p.name for p in (tmp_path / "work" / "parts").iterdir()) == ["000000000006.json",
                                                                              "000000000006.jsonl"]
    _run_batches(plan)
    output = assemble_bulk_text.handler({"workPrefix": plan["workPrefix"], "destination": plan["destination"],
                                         "plan": plan["plan"]})
    results = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in results] == list(range(7)) and output["documents"] == 7


def test_assembling_refuses_a_gap_and_leaves_no_output(tmp_path):
    lines = [{"id": i, "text": "x"} for i in range(4)]
    plan = plan_bulk_text.handler(_job(tmp_path, lines, batchSize=2))
    _run_batches(plan)
    storage.delete(parts.summary_ref(plan["workPrefix"], 0))
    with pytest.raises(InternalError, match="lines 1 to 2 are missing"):
        assemble_bulk_text.handler({"workPrefix": plan["workPrefix"], "destination": plan["destination"],
                                    "plan": plan["plan"]})
    assert not (tmp_path / "out.jsonl").exists() and not list(tmp_path.glob(".out.jsonl*"))


@pytest.mark.parametrize(("change", "message"), [
    ({"destination": None}, "needs a destination"),
    ({"operation": "text"}, "operation must be one of mask, detect"),
    ({"batchSize": 0}, "batchSize must be an integer"),
    ({"shard": 1}, "unknown bulk text key"),
])
def test_a_bad_job_is_refused_by_the_planner(tmp_path, change, message):
    with pytest.raises(InvalidInput, match=message):
        plan_bulk_text.handler({**_job(tmp_path, []), **change})


def test_a_throttled_service_fails_the_batch_for_its_retry_and_commits_nothing(tmp_path, monkeypatch):
    class Throttled:
        def detect(self, text):
            raise PhiServiceThrottled("slow down")

    plan = plan_bulk_text.handler(_job(tmp_path, [{"id": 1, "text": "Seen on 3/4/2021"}]))
    monkeypatch.setattr(detection, "get_engine", lambda name: Throttled())
    with pytest.raises(PhiServiceThrottled):
        _run_batches(plan)
    assert parts.summaries(plan["workPrefix"]) == []  # the batch is not done: a rerun does it


def test_surrogate_lines_of_one_patient_share_a_shift_and_carry_no_identity_in_the_state(tmp_path, monkeypatch):
    key = tmp_path / "pseudonym.key"
    key.write_bytes(bytes(range(32)))
    monkeypatch.setenv("HDM_PSEUDONYM_KEY_FILE", str(key))
    lines = [{"id": "a", "patientId": "MRN-0417", "text": "Admission date: 03/14/2019"},
             {"id": "b", "patientId": "MRN-0417", "text": "Discharge date: 03/22/2019"},
             {"id": "c", "patientId": "MRN-0999", "text": "Discharge date: 03/22/2019"}]
    job = _job(tmp_path, lines, batchSize=2)
    job["options"] = {"mode": "surrogate"}
    plan = plan_bulk_text.handler(job)
    assert "MRN-0417" not in json.dumps(plan)
    _run_batches(plan)
    output = assemble_bulk_text.handler({"workPrefix": plan["workPrefix"], "destination": plan["destination"],
                                         "plan": plan["plan"]})
    a, b, c = (json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines())
    admitted, discharged = a["maskedText"].split(": ")[1], b["maskedText"].split(": ")[1]
    assert "03/14/2019" not in admitted and "03/22/2019" not in discharged
    m1, d1, y1 = map(int, admitted.split("/"))
    m2, d2, y2 = map(int, discharged.split("/"))
    assert (date(y2, m2, d2) - date(y1, m1, d1)).days == 8
    assert a["patientToken"] == b["patientToken"] != c["patientToken"]
    assert "MRN-0" not in (tmp_path / "out.jsonl").read_text()  # the token stands for the identity
    assert c["maskedText"] != b["maskedText"]  # another patient, another shift (under this key)
    assert a["surrogateScheme"] == "1" and output["operatorCounts"] == {"surrogate": 3}
