"""Shared fixtures: a local runtime with a private state directory, and moto's S3."""

import boto3
import pytest
from moto import mock_aws

from hdm.runtime import LocalRuntime
from steps import storage

# Defined in tests/notes.py; re-exported for the test modules that still read them from here.
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_MASKED, GUIDE_NOTE_PHI  # noqa: F401


@pytest.fixture(autouse=True)
def _private_state_dir(tmp_path, monkeypatch):
    """Nothing a test runs may write to the user's real state directory."""
    monkeypatch.setenv("HDM_STATE_DIR", str(tmp_path / "hdm-state"))


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    with LocalRuntime(home=tmp_path_factory.mktemp("runtime")) as rt:
        yield rt


@pytest.fixture
def fake_aws(monkeypatch):
    """Test credentials and region for boto3; the steps' S3 client is built afresh inside the mock in use."""
    for key, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                       "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(key, value)
    storage._s3.cache_clear()
    yield
    storage._s3.cache_clear()


@pytest.fixture
def mock_s3(fake_aws):
    """moto's S3 alone (no runtime); yields a client."""
    with mock_aws():
        yield boto3.client("s3")
