"""The same definition with S3 references and inline text, as on AWS (S3 from moto)."""

import base64
import json

import boto3
import pytest

from hdm.jobs.batch import run_batch_input
from hdm.jobs.bulk_text import run_bulk_text
from hdm.runtime import LocalRuntime
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_MASKED, masked, note


@pytest.fixture
def s3_runtime(tmp_path, fake_aws):
    with LocalRuntime(home=tmp_path, passthrough_services=()) as runtime:
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="work")
        yield runtime, s3


def test_inline_text_with_s3_work_area_returns_masked_text_inline(s3_runtime):
    runtime, s3 = s3_runtime
    execution = runtime.run("mask_text", {"text": GUIDE_NOTE, "workPrefix": "s3://work/work/job-1/",
                                          "destination": None, "operation": "mask", "options": {}})
    assert execution.result()["maskedText"] == GUIDE_NOTE_MASKED


def test_inline_surrogates_with_the_jobs_own_key_in_the_s3_work_area(s3_runtime, monkeypatch):
    monkeypatch.delenv("HDM_PSEUDONYM_KEY_FILE", raising=False)
    runtime, s3 = s3_runtime
    execution = runtime.run("mask_text", {"text": GUIDE_NOTE, "workPrefix": "s3://work/work/job-9/",
                                          "destination": None, "operation": "mask",
                                          "options": {"mode": "surrogate"}})
    result = execution.result()
    spans = [result["maskedText"][e["BeginOffset"]:e["EndOffset"]] for e in result["entities"]]
    assert [e["Type"] for e in result["entities"]] == ["NAME", "ID", "DATE", "DATE"]
    assert not set(spans) & {"SALAZAR, CARLOS", "RQ36114734", "11/12/2011", "2/11/1961"}
    assert result["operatorCounts"] == {"surrogate": 4} and result["surrogateScheme"] == "1"
    key = s3.get_object(Bucket="work", Key="work/job-9/pseudonym.key")["Body"].read()
    assert len(key) == 32
    history = b"".join(p.read_bytes() for p in (runtime.home / "executions").glob("mask-text-*.json"))
    assert b'"operatorCounts"' in history  # this job's history, which holds counts, never the key
    for encoded in (key.hex().encode(), base64.b64encode(key)):
        assert encoded not in history


def test_s3_source_and_destination(s3_runtime):
    runtime, s3 = s3_runtime
    s3.put_object(Bucket="work", Key="in/note.txt", Body=GUIDE_NOTE.encode())
    execution = runtime.run("mask_text", {"source": "s3://work/in/note.txt", "workPrefix": "s3://work/work/job-2/",
                                          "destination": "s3://work/out/note.txt", "operation": "mask",
                                          "options": {}})
    assert execution.result()["output"] == "s3://work/out/note.txt"
    assert s3.get_object(Bucket="work", Key="out/note.txt")["Body"].read().decode() == GUIDE_NOTE_MASKED


def test_missing_s3_source_is_a_named_failure(s3_runtime):
    runtime, _ = s3_runtime
    execution = runtime.run("mask_text", {"source": "s3://work/in/missing.txt", "workPrefix": "s3://work/w/3/",
                                          "destination": "s3://work/out/x.txt", "operation": "mask",
                                          "options": {}})
    assert (execution.status, execution.error) == ("FAILED", "SourceUnreadable")


def test_a_batch_reads_its_batches_from_the_work_bucket_and_masks_a_bucket_prefix(s3_runtime):
    runtime, s3 = s3_runtime
    s3.create_bucket(Bucket="data")
    for i in range(3):
        s3.put_object(Bucket="data", Key=f"incoming/ward{i}/note{i}.txt", Body=note(i).encode())
    s3.put_object(Bucket="data", Key="incoming/scan.tiff", Body=b"II*")
    execution = run_batch_input(runtime, {"source": "s3://data/incoming/", "destination": "s3://data/masked/",
                                          "workPrefix": "s3://work/batch-1/"})
    assert execution.status == "SUCCEEDED", execution.cause
    for i in range(3):
        assert s3.get_object(Bucket="data", Key=f"masked/ward{i}/note{i}.txt")["Body"].read().decode() == masked(i)
    manifest = s3.get_object(Bucket="data", Key="masked/manifest.jsonl")["Body"].read().decode().splitlines()
    assert json.loads(manifest[-1])["totals"]["masked"] == 3 and len(manifest) == 5
    # The item reader read PlanBatch's batches from the work bucket; moto's result writer wrote there too.
    assert s3.list_objects_v2(Bucket="work", Prefix="batch-1/batches.json")["KeyCount"] == 1


def test_a_bulk_text_job_streams_an_s3_object_into_another(s3_runtime, tmp_path):
    runtime, s3 = s3_runtime
    s3.create_bucket(Bucket="data")
    lines = [json.dumps({"id": i, "text": note(i)}) for i in range(9)]
    s3.put_object(Bucket="data", Key="in/notes.jsonl", Body="\n".join(lines).encode())
    execution = run_bulk_text(runtime, {"source": "s3://data/in/notes.jsonl", "destination": "s3://data/out/n.jsonl",
                                        "workPrefix": "s3://work/work/job-1/", "operation": "mask", "options": {},
                                        "batchSize": 4})
    assert execution.result()["documents"] == 9
    body = s3.get_object(Bucket="data", Key="out/n.jsonl")["Body"].read().decode()
    assert [json.loads(line)["maskedText"] for line in body.splitlines()] == [masked(i) for i in range(9)]
    # The Map read the batches from the work bucket; moto's result writer wrote its results there.
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="work", Prefix="work/job-1/")["Contents"]]
    assert "work/job-1/batches.json" in keys and any("/map-results/" in k for k in keys)
