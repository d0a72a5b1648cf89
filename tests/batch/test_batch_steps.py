"""The batch states on their own: validation, classification, done detection, records, manifest."""

import json

import pytest

from steps import plan_batch, plan_object, record_result, storage, write_manifest
from steps.batch import objects
from steps.errors import InvalidInput


def _plan(tmp_path, **overrides):
    event = {"source": storage.file_ref(tmp_path / "in"), "destination": storage.file_ref(tmp_path / "out"),
             "workPrefix": storage.file_ref(tmp_path / "work"), **overrides}
    return plan_batch.handler(event)


def test_plan_batch_fills_defaults_and_splits_the_listing(tmp_path):
    plan = _plan(tmp_path)
    assert plan["listing"] == {"Bucket": "", "Prefix": str(tmp_path / "in") + "/"}
    assert plan["destination"].endswith("/out/") and plan["maxConcurrency"] == plan_batch.DEFAULT_CONCURRENCY
    assert plan["shard"] == {"index": 0, "count": 1} and plan["options"]["threshold"] == 0.5
    s3 = plan_batch.handler({"source": "s3://data/incoming", "destination": "s3://data/masked/",
                             "workPrefix": "s3://work/w/"})
    assert s3["listing"] == {"Bucket": "data", "Prefix": "incoming/"}
    assert s3["results"] == {"Bucket": "work", "Prefix": "w/map-results/"}


@pytest.mark.parametrize("overrides, message", [
    ({"destination": None}, "destination must be a folder reference"),
    ({"extra": 1}, "unknown batch key(s): extra"),
    ({"maxConcurrency": 0}, "maxConcurrency must be an integer"),
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


def test_shards_split_the_objects_without_overlap():
    names = [f"n{i}.txt" for i in range(200)]
    shares = [{n for n in names if objects.in_shard(n, {"index": i, "count": 3})} for i in range(3)]
    assert set().union(*shares) == set(names) and sum(len(s) for s in shares) == 200
    assert all(len(s) > 40 for s in shares)


def _object_event(tmp_path, key, etag='"1"'):
    plan = _plan(tmp_path)
    return {"object": {"Key": key, "Size": 3, "ETag": etag}, "listing": plan["listing"],
            "destination": plan["destination"], "workPrefix": plan["workPrefix"], "shard": plan["shard"]}


def test_an_object_is_done_only_when_masked_from_the_same_version_and_output_present(tmp_path):
    key = str(tmp_path / "in" / "ward a" / "n1.txt")
    planned = plan_object.handler(_object_event(tmp_path, key))
    assert planned["kind"] == "text" and planned["object"] == "ward a/n1.txt" and not planned["done"]
    assert storage.parse(planned["destination"])[2] == str(tmp_path / "out" / "ward a" / "n1.txt")
    record_result.handler({"plan": planned, "result": {"entities": 2, "entityCounts": {"NAME": 2},
                                                       "output": planned["destination"]}})
    assert not plan_object.handler(_object_event(tmp_path, key))["done"]  # no output yet
    storage.write_text(planned["destination"], "masked")
    assert plan_object.handler(_object_event(tmp_path, key))["done"]
    assert not plan_object.handler(_object_event(tmp_path, key, etag='"2"'))["done"]  # source changed


def test_record_names_the_child_error_and_cleans_its_work_area(tmp_path):
    planned = plan_object.handler(_object_event(tmp_path, str(tmp_path / "in" / "bad.png")))
    storage.write_text(storage.join(planned["work"], "scratch"), "x")
    cause = json.dumps({"Status": "FAILED", "Error": "SourceUnreadable", "Cause": "{}"})
    assert record_result.handler({"plan": planned, "failure": {"Error": "States.TaskFailed", "Cause": cause}}) == {
        "status": "failed"}
    record = storage.read_json(planned["record"])
    assert record["error"] == "SourceUnreadable" and record["output"] is None
    assert not (tmp_path / "work" / "objects").exists() or not any((tmp_path / "work" / "objects").iterdir())


def test_manifest_accounts_for_every_listed_object(tmp_path):
    for name in ("a.txt", "b.md", "c/d.txt"):
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_text("x")
    plan = _plan(tmp_path)
    listed = lambda name: _object_event(tmp_path, str(tmp_path / "in" / name))  # noqa: E731
    record_result.handler({"plan": plan_object.handler(listed("a.txt")),
                           "result": {"entities": 1, "entityCounts": {"DATE": 1}, "output": "file:///o"}})
    record_result.handler({"plan": plan_object.handler(listed("b.md"))})
    result = write_manifest.handler({"listing": plan["listing"], "source": plan["source"],
                                     "destination": plan["destination"]})
    lines = (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines[:-1]]
    assert [r["object"] for r in records] == ["a.txt", "b.md", "c/d.txt"]
    assert [r["status"] for r in records] == ["masked", "unsupported", "failed"]
    assert records[2]["error"] == "NotProcessed" and "version" not in records[0]
    assert json.loads(lines[-1]) == {"totals": result["totals"]}
    assert result["totals"] == {"objects": 3, "masked": 1, "failed": 1, "unsupported": 1,
                                "entityCounts": {"DATE": 1}, "errors": {"NotProcessed": 1, "UnsupportedType": 1}}
