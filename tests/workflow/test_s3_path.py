"""The same definition with S3 references and inline text, as on AWS (S3 from moto)."""

import boto3
import pytest

from hdm.runtime import LocalRuntime
from tests.conftest import GUIDE_NOTE, GUIDE_NOTE_MASKED


@pytest.fixture
def s3_runtime(tmp_path, monkeypatch):
    for key, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                       "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(key, value)
    from steps import storage

    storage._s3.cache_clear()
    with LocalRuntime(home=tmp_path, passthrough_services=()) as runtime:
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="work")
        yield runtime, s3
    storage._s3.cache_clear()


def test_inline_text_with_s3_work_area_returns_masked_text_inline(s3_runtime):
    runtime, s3 = s3_runtime
    execution = runtime.run("mask_text", {"text": GUIDE_NOTE, "workPrefix": "s3://work/work/job-1/",
                                          "destination": None, "operation": "mask", "options": {}})
    assert execution.result()["maskedText"] == GUIDE_NOTE_MASKED


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
