"""A stand-in for Amazon Comprehend Medical (moto lacks it): a botocore before-call hook.

It checks each DetectPHI request's shape like the service would, then answers with
entities from a test-supplied function, or with a service error.
"""

import json
import threading

from botocore.awsrequest import AWSResponse

from steps.phi import get_engine


class ServiceError(Exception):
    def __init__(self, code: str, status: int = 400):
        self.code, self.status = code, status


class FakeComprehendMedical:
    def __init__(self, respond):
        self.respond = respond  # text -> list of (begin, end, type, score), or raises ServiceError
        self.requests: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    def __call__(self, params, **kwargs):
        """``params`` is the serialized request: check the wire shape the service receives."""
        assert params["headers"]["X-Amz-Target"] == "ComprehendMedical_20181030.DetectPHI"
        body = json.loads(params["body"])
        assert set(body) == {"Text"}, f"unexpected DetectPHI parameters {sorted(body)}"
        text = body["Text"]
        assert 0 < len(text.encode("utf-8")) < 20_000, "DetectPHI takes 1 to 19,999 UTF-8 bytes"
        with self._lock:
            self.requests.append(text)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            found = self.respond(text)
        except ServiceError as exc:
            return (AWSResponse("https://comprehendmedical", exc.status, {}, None),
                    {"Error": {"Code": exc.code, "Message": "stub"},
                     "ResponseMetadata": {"HTTPStatusCode": exc.status}})
        finally:
            with self._lock:
                self.in_flight -= 1
        entities = [{"Id": i, "BeginOffset": b, "EndOffset": e, "Score": s, "Text": text[b:e],
                     "Category": "PROTECTED_HEALTH_INFORMATION", "Type": t, "Traits": []}
                    for i, (b, e, t, s) in enumerate(found)]
        return (AWSResponse("https://comprehendmedical", 200, {}, None),
                {"Entities": entities, "ModelVersion": "stub", "ResponseMetadata": {"HTTPStatusCode": 200}})


def install(monkeypatch, respond) -> FakeComprehendMedical:
    """Route the comprehend-medical engine's DetectPHI calls to ``respond``."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    get_engine.cache_clear()
    fake = FakeComprehendMedical(respond)
    engine = get_engine("comprehend-medical")
    engine.client.meta.events.register("before-call.comprehendmedical.DetectPHI", fake)
    return fake
