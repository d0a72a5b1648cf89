"""The pseudonym key: from a key file, from a Secrets Manager secret, or random per job."""

import boto3
import pytest
from moto import mock_aws

from steps import pseudonym_key, storage
from steps.errors import EngineUnavailable


@pytest.fixture
def no_deployment_key(monkeypatch):
    monkeypatch.delenv(pseudonym_key.KEY_FILE_VARIABLE, raising=False)
    monkeypatch.delenv(pseudonym_key.SECRET_ARN_VARIABLE, raising=False)


def test_a_key_file_is_the_key_of_every_job(tmp_path, monkeypatch, no_deployment_key):
    key = tmp_path / "key"
    key.write_bytes(b"0123456789abcdef0123\n")
    monkeypatch.setenv(pseudonym_key.KEY_FILE_VARIABLE, str(key))
    assert pseudonym_key.job_key(storage.folder_ref(tmp_path / "a")) == b"0123456789abcdef0123"
    assert pseudonym_key.job_key(storage.folder_ref(tmp_path / "b")) == b"0123456789abcdef0123"
    assert not (tmp_path / "a").exists()  # nothing written to the work area


def test_a_short_or_missing_key_file_is_refused_without_quoting_it(tmp_path, monkeypatch, no_deployment_key):
    short = tmp_path / "short"
    short.write_bytes(b"secret")
    monkeypatch.setenv(pseudonym_key.KEY_FILE_VARIABLE, str(short))
    with pytest.raises(EngineUnavailable, match="shorter than 16 bytes") as refused:
        pseudonym_key.job_key(storage.folder_ref(tmp_path))
    assert "secret" not in str(refused.value)
    monkeypatch.setenv(pseudonym_key.KEY_FILE_VARIABLE, str(tmp_path / "missing"))
    with pytest.raises(EngineUnavailable, match="cannot be read: FileNotFoundError"):
        pseudonym_key.job_key(storage.folder_ref(tmp_path))


def test_on_aws_the_key_is_a_secrets_manager_secret(tmp_path, monkeypatch, fake_aws, no_deployment_key):
    with mock_aws():
        arn = boto3.client("secretsmanager").create_secret(Name="hdm-key", SecretBinary=b"k" * 32)["ARN"]
        monkeypatch.setenv(pseudonym_key.SECRET_ARN_VARIABLE, arn)
        assert pseudonym_key.job_key(storage.folder_ref(tmp_path)) == b"k" * 32


def test_without_a_deployment_key_each_job_draws_its_own_once(tmp_path, no_deployment_key):
    first, second = storage.folder_ref(tmp_path / "job1"), storage.folder_ref(tmp_path / "job2")
    key = pseudonym_key.job_key(first)
    assert len(key) == 32 and pseudonym_key.job_key(first) == key  # kept in the work area for the job's steps
    assert pseudonym_key.job_key(second) != key


def test_keyed_digests_differ_by_purpose_and_key():
    digest = pseudonym_key.keyed_digest(b"a" * 16, "uid", "1.2.3")
    assert digest == pseudonym_key.keyed_digest(b"a" * 16, "uid", "1.2.3")
    assert digest != pseudonym_key.keyed_digest(b"a" * 16, "patient-id", "1.2.3")
    assert digest != pseudonym_key.keyed_digest(b"b" * 16, "uid", "1.2.3")
