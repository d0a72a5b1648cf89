"""GET /image's pre-signing function (infra/presign/handler.py) on API Gateway proxy events."""

import importlib
import json
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.infra


@pytest.fixture
def presign(monkeypatch):
    # Signing is local: fake credentials, no network.
    for name, value in {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
                        "AWS_DEFAULT_REGION": "us-east-1", "DATA_BUCKET": "hdm-data"}.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(importlib.import_module("infra.presign.handler"))


def _call(presign, query):
    answer = presign.handler({"queryStringParameters": query})
    return answer["statusCode"], json.loads(answer["body"])


def test_signs_a_short_lived_url_for_a_data_bucket_object(presign):
    status, body = _call(presign, {"s3Bucket": "hdm-data", "s3Key": "incoming/x ray.png"})
    assert status == 200
    url = urlparse(body["url"])
    assert url.hostname.startswith("hdm-data.") and url.path == "/incoming/x%20ray.png"
    assert parse_qs(url.query)["X-Amz-Expires"] == [str(presign.EXPIRES_SECONDS)] == [str(body["expiresIn"])]


@pytest.mark.parametrize("query, message", [
    (None, "s3Bucket and s3Key are required"), ({"s3Bucket": "hdm-data"}, "s3Bucket and s3Key are required"),
    ({"s3Bucket": "someone-elses", "s3Key": "a.png"}, "s3Bucket must be the deployment's data bucket")])
def test_refuses_what_it_may_not_sign(presign, query, message):
    assert _call(presign, query) == (400, {"message": message})
