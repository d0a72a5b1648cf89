"""The pseudonym key: the one secret behind every keyed replacement (new DICOM UIDs, shifted
dates, and the surrogates' pseudonyms).

Where it comes from, first match wins:
- ``HDM_PSEUDONYM_KEY_FILE``: a path to a file holding the key (never the key itself in
  the environment); ``hdm mask-image --key-file PATH`` sets it for the local runtime;
- ``HDM_PSEUDONYM_KEY_SECRET_ARN``: an AWS Secrets Manager secret (binary or string);
- otherwise a random key per job, written once in the job's work area: replacements are
  consistent within the job and unlinkable across jobs.
Without the key the replacements cannot be reversed or linked to their originals.
"""

import hashlib
import hmac
import os
import secrets
from functools import lru_cache

from steps import storage
from steps.errors import EngineUnavailable, SourceUnreadable

KEY_FILE_VARIABLE = "HDM_PSEUDONYM_KEY_FILE"
SECRET_ARN_VARIABLE = "HDM_PSEUDONYM_KEY_SECRET_ARN"
JOB_KEY_NAME = "pseudonym.key"
MIN_KEY_BYTES = 16


def job_key(work_prefix: str) -> bytes:
    """The deployment's key, or else this job's own random key (created on first use)."""
    configured = deployment_key()
    if configured is not None:
        return configured
    ref = storage.join(work_prefix, JOB_KEY_NAME)
    try:
        return storage.read_bytes(ref)
    except SourceUnreadable:
        key = secrets.token_bytes(32)
        storage.write_bytes(ref, key)
        return key


def deployment_key() -> bytes | None:
    path, arn = os.environ.get(KEY_FILE_VARIABLE), os.environ.get(SECRET_ARN_VARIABLE)
    return _configured_key(path or None, None if path else arn or None)


@lru_cache(maxsize=4)
def _configured_key(path: str | None, arn: str | None) -> bytes | None:
    if path is not None:
        try:
            with open(path, "rb") as f:
                key = f.read().strip()
        except OSError as exc:
            raise EngineUnavailable(f"the pseudonym key file cannot be read: {type(exc).__name__}") from None
    elif arn is not None:
        key = _secret(arn)
    else:
        return None
    if len(key) < MIN_KEY_BYTES:
        raise EngineUnavailable(f"the pseudonym key is shorter than {MIN_KEY_BYTES} bytes")
    return key


def _secret(arn: str) -> bytes:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        value = boto3.client("secretsmanager").get_secret_value(SecretId=arn)
    except (BotoCoreError, ClientError) as exc:
        raise EngineUnavailable(f"the pseudonym key secret cannot be read: {type(exc).__name__}") from None
    return value["SecretBinary"] if "SecretBinary" in value else value["SecretString"].strip().encode()


def keyed_digest(key: bytes, purpose: str, value: str) -> bytes:
    """HMAC-SHA256 of ``value``; ``purpose`` separates the uses of one key (a UID and a
    pseudonym of the same string must not be linkable)."""
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()


def fingerprint(key: bytes) -> str:
    """A short name of the key that tells two keys apart and reveals nothing of either."""
    return keyed_digest(key, "key-fingerprint", "").hex()[:16]
