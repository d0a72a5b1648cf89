"""The batch states on their own: validation, batching, classification, done detection, records, manifest."""

import json
import os

import pytest

from steps import mask_batch, plan_batch, plan_object, record_result, storage, write_manifest
from steps.batch import journal, objects
from steps.errors import InvalidInput, PhiServiceThrottled
from steps.text import detection
from tests.conftest import GUIDE_NOTE, GUIDE_NOTE_MASKED


@pytest.fixture
def s3_buckets(mock_s3):
    for bucket in ("data", "work"):
        mock_s3.create_bucket(Bucket=bucket)
    return mock_s3


def _plan(tmp_path, **overrides):
    event = {"source": storage.file_ref(tmp_path / "in"), "destination": storage.file_ref(tmp_path / "out"),
             "workPrefix": storage.file_ref(tmp_path / "work"), **overrides}
    return plan_batch.handler(event)


def test_plan_batch_fills_defaults_and_splits_the_listing(tmp_path):
    (tmp_path / "in").mkdir()
    plan = _plan(tmp_path)
    assert plan["listing"] == {"Bucket": "", "Prefix": str(tmp_path / "in") + "/"}
    assert plan["destination"].endswith("/out/") and plan["maxConcurrency"] == plan_batch.DEFAULT_CONCURRENCY
    assert plan["options"]["threshold"] == 0.5
    assert plan["batches"] == {"Bucket": "", "Key": str(tmp_path / "work" / "batches.json")}
    assert json.loads((tmp_path / "work" / "batches.json").read_text()) == []


def test_plan_batch_lists_s3_and_writes_the_batches_where_the_item_reader_reads_them(s3_buckets):
    for key in ("incoming/a.txt", "incoming/ward/b.png", "incoming/ward/", "elsewhere/c.txt"):
        s3_buckets.put_object(Bucket="data", Key=key, Body=b"x")
    plan = plan_batch.handler({"source": "s3://data/incoming", "destination": "s3://data/masked/",
                               "workPrefix": "s3://work/w/"})
    assert plan["listing"] == {"Bucket": "data", "Prefix": "incoming/"}
    assert plan["batches"] == {"Bucket": "work", "Key": "w/batches.json"}
    assert plan["results"] == {"Bucket": "work", "Prefix": "w/map-results/"}
    index = json.loads(s3_buckets.get_object(Bucket="work", Key="w/batches.json")["Body"].read())
    assert index == [{"objects": "s3://work/w/batches/000000.json", "count": 2}]
    (batch,) = [storage.read_json(b["objects"]) for b in index]
    assert [o["Key"] for o in batch] == ["incoming/a.txt", "incoming/ward/b.png"]
    assert all(o["Size"] == 1 and o["ETag"] for o in batch)


def _batches(tmp_path, names, **overrides):
    for name, size in names.items():
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_bytes(b"x" * size)
    plan = _plan(tmp_path, **overrides)
    return [[o["Key"].removeprefix(plan["listing"]["Prefix"]) for o in storage.read_json(b["objects"])]
            for b in storage.read_json(storage.join(plan["workPrefix"], "batches.json"))]


def test_batches_close_at_their_size_or_at_a_few_objects_that_need_a_workflow(tmp_path):
    names = {f"n{i:02d}.txt": 10 for i in range(5)} | {f"p{i}.png": 10 for i in range(5)} | {"r.txt": 30_000}
    assert _batches(tmp_path, names, batchSize=3) == [["n00.txt", "n01.txt", "n02.txt"], ["n03.txt", "n04.txt",
                                                      "p0.png"], ["p1.png", "p2.png", "p3.png"], ["p4.png", "r.txt"]]
    long_text_is_a_workflow = _batches(tmp_path, {}, batchSize=1000, options={"maxChunkBytes": 1_000})
    assert long_text_is_a_workflow == [["n00.txt", "n01.txt", "n02.txt", "n03.txt", "n04.txt", "p0.png", "p1.png",
                                        "p2.png", "p3.png"], ["p4.png", "r.txt"]]


def test_shards_take_turns_so_each_gets_its_share_of_images_and_of_notes(tmp_path):
    names = {f"n{i:03d}.txt": 5 for i in range(60)} | {f"p{i}.png": 5 for i in range(6)}
    shares = [sum(_batches(tmp_path, names, shard={"index": i, "count": 3}), []) for i in range(3)]
    assert sorted(sum(shares, [])) == sorted(names)
    assert [(sum(n.endswith(".png") for n in share), len(share)) for share in shares] == [(2, 22)] * 3


@pytest.mark.parametrize("overrides, message", [
    ({"destination": None}, "destination must be a folder reference"),
    ({"extra": 1}, "unknown batch key(s): extra"),
    ({"maxConcurrency": 0}, "maxConcurrency must be an integer"),
    ({"batchSize": 0}, "batchSize must be an integer between 1 and 10000"),
    ({"shard": {"index": 2, "count": 2}}, "shard must be"),
    ({"options": {"threshold": 3}}, "threshold must be a number"),
])
def test_plan_batch_rejects_bad_input_with_one_clear_line(tmp_path, overrides, message):
    with pytest.raises(InvalidInput) as error:
        _plan(tmp_path, **overrides)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_plan_batch_refuses_nested_folders(tmp_path):
    with pytest.raises(InvalidInput, match="must not contain each other"):
        _plan(tmp_path, destination=storage.file_ref(tmp_path / "in" / "masked"))


@pytest.mark.parametrize("key, kind", [("a/b.TXT", "text"), ("x.png", "image"), ("x.JPeG", "image"),
                                       ("s/x.dcm", "image"), ("notes.txt.gz", "unsupported"),
                                       ("folder/", "folder"), ("README", "unsupported")])
def test_kind_of_goes_by_the_file_name(key, kind):
    assert objects.kind_of(key) == kind


def _object_event(tmp_path, key, etag='"1"'):
    (tmp_path / "in").mkdir(exist_ok=True)
    plan = _plan(tmp_path)
    return {"object": {"Key": key, "Size": 3, "ETag": etag}, "listing": plan["listing"],
            "destination": plan["destination"], "workPrefix": plan["workPrefix"], "options": plan["options"]}


def _journal(tmp_path) -> dict[str, dict]:
    return journal.latest(storage.file_ref(tmp_path / "out") + "/")


def _listed(tmp_path, names: dict[str, str]) -> dict:
    """PlanBatch over files of the given contents: the objects of its one batch, by name."""
    for name, text in names.items():
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_text(text)
    return _planned_names(tmp_path)


def _planned_names(tmp_path) -> list[str]:
    return [n for batch in _batches(tmp_path, {}) for n in batch]


def test_planning_leaves_out_objects_masked_from_the_same_version_whose_output_is_there(tmp_path):
    key = str(tmp_path / "in" / "ward a" / "n1.txt")
    assert _listed(tmp_path, {"ward a/n1.txt": "note", "n2.txt": "other"}) == ["n2.txt", "ward a/n1.txt"]
    planned = plan_object.handler(_object_event(tmp_path, key, etag=_etag(key)))
    assert planned["kind"] == "text" and planned["object"] == "ward a/n1.txt"
    assert storage.parse(planned["destination"])[2] == str(tmp_path / "out" / "ward a" / "n1.txt")
    record_result.handler({"plan": planned, "journal": _journal_ref(tmp_path),
                           "result": {"entities": 2, "entityCounts": {"NAME": 2}, "output": planned["destination"]}})
    assert _planned_names(tmp_path) == ["n2.txt", "ward a/n1.txt"]  # no output yet
    storage.write_text(planned["destination"], "masked")
    assert _planned_names(tmp_path) == ["n2.txt"]
    os.utime(key, ns=(0, 10**9))  # the source changed: masked again
    assert _planned_names(tmp_path) == ["n2.txt", "ward a/n1.txt"]


def _etag(path: str) -> str:
    return next(e["ETag"] for e in storage.list_entries(storage.file_ref(os.path.dirname(path))) if e["Key"] == path)


def _journal_ref(tmp_path) -> str:
    return storage.join(journal.folder(storage.file_ref(tmp_path / "out") + "/"), "test.jsonl")


def test_record_names_the_child_error_and_cleans_its_work_area(tmp_path):
    planned = plan_object.handler(_object_event(tmp_path, str(tmp_path / "in" / "bad.png")))
    storage.write_text(storage.join(planned["work"], "scratch"), "x")
    cause = json.dumps({"Status": "FAILED", "Error": "SourceUnreadable", "Cause": "{}"})
    assert record_result.handler({"plan": planned, "journal": _journal_ref(tmp_path),
                                  "failure": {"Error": "States.TaskFailed", "Cause": cause}}) == {"status": "failed"}
    record = _journal(tmp_path)["bad.png"]
    assert record["error"] == "SourceUnreadable" and record["output"] is None
    assert not list((tmp_path / "work").glob("objects/*"))


def test_the_last_line_of_an_object_wins_and_a_torn_line_is_skipped(tmp_path):
    ref = _journal_ref(tmp_path)
    plan = {"object": "a.txt", "kind": "text", "version": '"1"'}
    with journal.Journal(ref) as first:
        first.add(journal.record(plan, "failed", error="InvalidInput"))
        first.add(journal.record(plan, "masked", {"entities": 1}))
    with open(storage.parse(ref)[2], "ab") as torn:
        torn.write(b'{"object": "b.txt", "st')
    records = _journal(tmp_path)
    assert set(records) == {"a.txt"} and records["a.txt"]["status"] == "masked"
    assert journal.count_lines(storage.file_ref(tmp_path / "out") + "/") == 2


def test_manifest_accounts_for_every_listed_object_and_compacts_the_journal(tmp_path):
    for name in ("a.txt", "b.md", "c/d.txt"):
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_text("x")
    plan = _plan(tmp_path)
    listed = lambda name: plan_object.handler(_object_event(tmp_path, str(tmp_path / "in" / name)))  # noqa: E731
    record_result.handler({"plan": listed("a.txt"), "journal": _journal_ref(tmp_path),
                           "result": {"entities": 1, "entityCounts": {"DATE": 1}, "output": "file:///o"}})
    other = storage.join(journal.folder(plan["destination"]), "other.jsonl")
    with journal.Journal(other) as second:
        second.add(journal.record(listed("b.md"), "unsupported", error="UnsupportedType"))
    result = write_manifest.handler({"listing": plan["listing"], "source": plan["source"],
                                     "destination": plan["destination"]})
    lines = (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines[:-1]]
    assert [r["object"] for r in records] == ["a.txt", "b.md", "c/d.txt"]
    assert [r["status"] for r in records] == ["masked", "unsupported", "failed"]
    assert records[2]["error"] == "NotProcessed" and "version" not in records[0] and "at" not in records[0]
    assert json.loads(lines[-1]) == {"totals": result["totals"]}
    assert result["totals"] == {"objects": 3, "masked": 1, "failed": 1, "unsupported": 1,
                                "entityCounts": {"DATE": 1}, "errors": {"NotProcessed": 1, "UnsupportedType": 1},
                                "actions": {}}
    (compacted,) = journal.journal_files(plan["destination"])
    assert "compacted-" in compacted and set(_journal(tmp_path)) == {"a.txt", "b.md"}


def _batch_event(tmp_path, files: dict[str, bytes]) -> dict:
    for name, data in files.items():
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_bytes(data)
    plan = _plan(tmp_path)
    (batch,) = storage.read_json(storage.join(plan["workPrefix"], "batches.json"))
    return {"objects": batch["objects"], "listing": plan["listing"], "destination": plan["destination"],
            "workPrefix": plan["workPrefix"], "options": plan["options"]}


def test_mask_batch_masks_short_texts_records_the_rest_and_hands_back_workflows(tmp_path):
    event = _batch_event(tmp_path, {"a.txt": GUIDE_NOTE.encode(), "empty.txt": b" \n", "b.md": b"x",
                                    "c.png": b"png", "long.txt": b"x. " * 7_000})
    result = mask_batch.handler(event)
    assert [o["Key"].rpartition("/")[2] for o in result.pop("workflows")] == ["c.png", "long.txt"]
    assert {k: result[k] for k in ("masked", "failed", "unsupported")} == {"masked": 1, "failed": 1,
                                                                          "unsupported": 1}
    assert (tmp_path / "out" / "a.txt").read_text() == GUIDE_NOTE_MASKED
    records = _journal(tmp_path)
    assert records["a.txt"]["entityCounts"] == {"DATE": 2, "ID": 1, "NAME": 1} and records["a.txt"]["version"]
    assert records["empty.txt"]["error"] == "InvalidInput" and records["b.md"]["status"] == "unsupported"
    assert set(records) == {"a.txt", "empty.txt", "b.md"}  # the workflows record their own
    assert result["journal"].startswith(journal.folder(event["destination"]))


def test_mask_batch_lets_a_throttled_service_fail_the_step_for_its_retry(tmp_path, monkeypatch):
    class Throttled:
        def detect(self, text):
            raise PhiServiceThrottled("DetectPHI throttled")

    event = _batch_event(tmp_path, {"a.txt": GUIDE_NOTE.encode(), "b.md": b"x", "c.txt": GUIDE_NOTE.encode()})
    monkeypatch.setattr(detection, "get_engine", lambda name: Throttled())
    with pytest.raises(PhiServiceThrottled):
        mask_batch.handler(event)
    assert not (tmp_path / "out" / "a.txt").exists() and set(_journal(tmp_path)) == set()
    masked_first = []

    class ThrottledOnC:
        def detect(self, text):
            if masked_first:
                raise PhiServiceThrottled("DetectPHI throttled")
            masked_first.append(text)
            return []

    monkeypatch.setattr(detection, "get_engine", lambda name: ThrottledOnC())
    with pytest.raises(PhiServiceThrottled):
        mask_batch.handler(event)
    assert set(_journal(tmp_path)) == {"a.txt", "b.md"}  # what the attempt finished is kept
    monkeypatch.undo()
    retried = mask_batch.handler(event)  # the retry does only what is left
    assert (retried["masked"], retried["unsupported"]) == (2, 1) and len(masked_first) == 1
    assert (tmp_path / "out" / "c.txt").read_text() == GUIDE_NOTE_MASKED


def test_mask_batch_records_an_unexpected_failure_by_name_and_goes_on(tmp_path, monkeypatch):
    class FailsOnOneNote:
        def detect(self, text):
            if "poison" in text:
                raise ValueError(f"cannot handle {text!r}")
            return []

    monkeypatch.setattr(detection, "get_engine", lambda name: FailsOnOneNote())
    result = mask_batch.handler(_batch_event(tmp_path, {"a.txt": b"poison SALAZAR", "b.txt": b"fine"}))
    assert result["failed"] == 1 and result["masked"] == 1
    record = _journal(tmp_path)["a.txt"]
    assert record["error"] == "InternalError" and "SALAZAR" not in json.dumps(record)
