"""The routes over HTTP against a real server: contracts, validation, auth, executions, logs."""

import json
import re
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from hdm.server.app import EXECUTION_HEADER, ROUTES
from infra import templates
from steps.options import IMAGE_MASK_POLICIES
from tests.infra.apigateway_vtl import render_response
from tests.notes import GUIDE_NOTE, GUIDE_NOTE_MASKED, GUIDE_NOTE_PHI

# The original solution's validate_parameters cases (source/*/test_*.py), as bodies or queries.
TEXT_CASES = [
    ({"text": "Mary Major was born on April 10, 1987"}, 200),
    ({"phiDectionThreshold": "Mary Major was born on April 16, 1987"}, 400),
    ({"text": "Mary Major was born on April 12, 1987", "phiDetectionThreshold": 0.5}, 200),
    ({"text": "Mary Major was born on April 11, 1987", "phiDetectionThreshold": 1.5}, 400),
    ({"text": "Mary Major was born on April 13, 1987", "phectionThreshold": 0.5}, 400),
]
JSON = {"Content-Type": "application/json"}
MASK_BODY = {"s3Bucket": "mybucket", "s3Key": "mykey", "destinationBucket": "myBucket", "destinationKey": "newKey"}
IMAGE_MASK_REFUSED = [
    {"s3Bucket": ["mybucket", "mybucket2"], "s3Key": "mykey"},
    {"s3Bucket": "mybucket", "s3Key": ["mykey", "mykey2"]},
    {**MASK_BODY, "destinationBucket": ["myBucket", "mybucket2"]},
    {**MASK_BODY, "destinationKey": ["newKey", "newKey2"]},
    {**MASK_BODY, "phiDetectionThreshold": "f"},
    {**MASK_BODY, "phiDetectionThreshold": [0.1, 0.2]},
    {**MASK_BODY, "phiDetectionThreshold": 2},
    {"s3Bucketa": "mybucket", "s3Key": "mykey", "destinationBucket": "myBucket", "destinationKey": "newKey"},
    {"s3Bucket": "mybucket", "s3Keya": "mykey", "destinationBucket": "myBucket", "destinationKey": "newKey"},
    {"s3Bucket": "mybucket", "s3Key": "mykey", "destinationBucketa": "myBucket", "destinationKey": "newKey"},
    {"s3Bucket": "mybucket", "s3Key": "mykey", "destinationBucket": "myBucket", "destinationKeya": "newKey"},
    {**MASK_BODY, "phiDetectionThreshold": "0.1", "asdf": "1234"},
    {**MASK_BODY, "imageMaskPolicy": "everything"},
    {"s3Bucket": "mybucket", "s3Key": "mykey", "destinationBucket": "mybucket", "destinationKey": "mykey"},
]
IMAGE_MASK_ACCEPTED = [MASK_BODY, {**MASK_BODY, "phiDetectionThreshold": "0.1"},
                       {**MASK_BODY, "phiDetectionThreshold": 0}, {**MASK_BODY, "phiDetectionThreshold": 0.1},
                       *({**MASK_BODY, "imageMaskPolicy": p} for p in IMAGE_MASK_POLICIES)]
IMAGE_QUERY_REFUSED = [
    [("s3Bucketa", "mybucket"), ("s3Key", "mykey")],
    [("s3Bucket", "mybucket"), ("s3Keya", "mykey")],
    [("s3Bucket", "mybucket"), ("s3Key", "mykey"), ("asdf", "1234")],
    [("s3Bucket", "mybucket"), ("s3Key", "mykey"), ("s3Key", "mykey2")],
    [("s3Bucket", "mybucket"), ("s3Bucket", "mybucket2"), ("s3Key", "mykey")],
    [],
]
IMAGE_PHI_REFUSED = [
    [("s3Bucket", "mybucket"), ("s3Key", "mykey"), ("phiDetectionThreshold", "f")],
    [("s3Bucket", "mybucket"), ("s3Key", "mykey"), ("phiDetectionThreshold", "0.1"), ("phiDetectionThreshold", "0.2")],
    [("s3Bucket", "mybucket"), ("s3Key", "mykey"), ("phiDectectionThreshold", "2")],
    [("s3Bucket", "mybucket"), ("s3Key", "mykey"), ("phiDetectionThreshold", "2")],
    [("s3Bucket", "mybucket"), ("s3Key", "mykey"), ("phiDetectionThreshold", "0.1"), ("asdf", "1234")],
]


def _refused(response: httpx.Response, *words: str) -> str:
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    for word in words:
        assert word in message
    return message


# -- text ---------------------------------------------------------------------
def test_mask_text_returns_the_masked_guide_note(server):
    response = server.client.post("/text/mask", json={"text": GUIDE_NOTE})
    assert response.status_code == 200
    assert response.json() == {"maskedText": GUIDE_NOTE_MASKED}


def test_text_phi_returns_comprehend_shaped_entities(server):
    response = server.client.post("/text/phi", json={"text": GUIDE_NOTE, "phiDetectionThreshold": "0.5"})
    entities = response.json()["Entities"]
    assert {e["Text"] for e in entities} >= {"RQ36114734", "2/11/1961"}
    for entity in entities:
        assert GUIDE_NOTE[entity["BeginOffset"]:entity["EndOffset"]] == entity["Text"]
        assert entity["Score"] >= 0.5


def test_a_threshold_of_one_keeps_fewer_entities(server):
    low = server.client.post("/text/phi", json={"text": GUIDE_NOTE, "phiDetectionThreshold": 0}).json()
    high = server.client.post("/text/phi", json={"text": GUIDE_NOTE, "phiDetectionThreshold": 1}).json()
    assert len(high["Entities"]) < len(low["Entities"])


@pytest.mark.parametrize("route", ["/text/mask", "/text/phi"])
@pytest.mark.parametrize(("body", "status"), TEXT_CASES)
def test_original_text_validation_cases(server, route, body, status):
    assert server.client.post(route, json=body).status_code == status


@pytest.mark.parametrize(("raw", "words"), [
    ('{"text": "Mary Major was born on April 13, 1987", "text": 0.5}', ["duplicate key(s) in the body: 1"]),
    ('{"text": "a", "phiDetectionThreshold": 0.5, "phiDetectionThreshold": 0.7}', ["duplicate"]),
    ('{"text": "a"', ["not valid JSON"]),
    ("", ["empty"]),
    ('["text"]', ["JSON object"]),
    ('{"text": 5}', ["text"]),
    ('{"text": "   "}', ["text", "non-blank"]),
    # Blank in Python's regular expressions though not in ECMAScript's: the schema says so for both.
    ('{"text": "\\u001c\\u0085"}', ["text", "non-blank"]),
    ('{"text": "a", "phiDetectionThreshold": NaN}', ["not a number"]),
    ('{"text": "a", "phiDetectionThreshold": true}', ["phiDetectionThreshold"]),
    ('{"text": "a", "phiDetectionThreshold": -0.1}', ["phiDetectionThreshold", "between 0 and 1"]),
    ('{"text": "a", "phiDetectionThreshold": "1.01"}', ["phiDetectionThreshold"]),
    ('{"text": "a", "engine": "x"}',
     ["1 unknown body key(s) in the body; it accepts mode, patientId, phiDetectionThreshold, text"]),
    ('{}', ["missing", "text"]),
])
def test_malformed_text_bodies_are_refused_with_a_message_naming_the_problem(server, raw, words):
    _refused(server.client.post("/text/mask", content=raw.encode(), headers=JSON), *words)


def test_non_utf8_body_is_refused(server):
    _refused(server.client.post("/text/mask", content=b'{"text": "\xff\xfe"}', headers=JSON), "UTF-8")


def test_oversized_body_is_refused(server):
    response = server.client.post("/text/mask", content=b'{"text": "' + b"a" * (11 * 1024 * 1024) + b'"}',
                                  headers=JSON)
    assert response.status_code == 413


# -- image routes: validation (the jobs need no image to refuse) ------------------------------
@pytest.mark.parametrize("body", IMAGE_MASK_REFUSED)
def test_original_image_mask_validation_cases_are_refused(server, body):
    _refused(server.client.post("/image/mask", json=body))


@pytest.mark.parametrize("body", IMAGE_MASK_ACCEPTED)
def test_original_image_mask_valid_cases_pass_validation(server, body):
    # Valid bodies get past validation: the only complaint left is that the source does not exist.
    response = server.client.post("/image/mask", json=body)
    assert response.status_code == 404 and "no such object" in response.json()["message"]


@pytest.mark.parametrize("route", ["/image", "/image/text", "/image/phi"])
@pytest.mark.parametrize("query", IMAGE_QUERY_REFUSED)
def test_original_image_query_cases_are_refused(server, route, query):
    _refused(server.client.get(route, params=query))


@pytest.mark.parametrize("query", IMAGE_PHI_REFUSED)
def test_original_image_phi_query_cases_are_refused(server, query):
    _refused(server.client.get("/image/phi", params=query))


@pytest.mark.parametrize("threshold", [None, "0.1", "0", "1", ".5"])
def test_original_image_phi_valid_queries_pass_validation(server, threshold):
    query = {"s3Bucket": "mybucket", "s3Key": "mykey"} | ({"phiDetectionThreshold": threshold} if threshold else {})
    assert server.client.get("/image/phi", params=query).status_code == 404


@pytest.mark.parametrize("key", ["../outside", "a/../../outside", "/etc/passwd/../../x/../.."])
def test_keys_cannot_leave_their_bucket(server, key):
    _refused(server.client.get("/image", params={"s3Bucket": "b", "s3Key": key}), "bucket")


@pytest.mark.parametrize("bucket", ["..", ".", "a/b", ""])
def test_bucket_names_are_plain(server, bucket):
    _refused(server.client.get("/image", params={"s3Bucket": bucket, "s3Key": "k"}), "s3Bucket")


# -- signed URLs -----------------------------------------------------------------
def _put(server, bucket: str, key: str, data: bytes) -> Path:
    path = server.home / "state" / "buckets" / bucket / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_get_image_returns_a_signed_url_served_by_the_same_server(server):
    _put(server, "scans", "chest/xray 1.png", b"\x89PNG fake bytes")
    url = server.client.get("/image", params={"s3Bucket": "scans", "s3Key": "chest/xray 1.png"}).json()["url"]
    assert url.startswith(server.url + "/objects/scans/")
    fetched = httpx.get(url)  # no bearer token: the signature is the credential
    assert fetched.status_code == 200 and fetched.content == b"\x89PNG fake bytes"
    assert fetched.headers["content-type"] == "image/png"
    assert httpx.get(url.replace("scans/chest", "scans/other")).status_code == 403
    assert httpx.get(url[:-1] + ("0" if url[-1] != "0" else "1")).status_code == 403
    expires = int(url.split("expires=")[1].split("&")[0])
    assert 0 < expires - time.time() <= 300


def test_signed_objects_of_other_types_download_as_bytes(server):
    _put(server, "scans", "page.html", b"<script>alert(1)</script>")
    url = server.client.get("/image", params={"s3Bucket": "scans", "s3Key": "page.html"}).json()["url"]
    fetched = httpx.get(url)
    assert fetched.headers["content-type"] == "application/octet-stream"
    assert fetched.headers["x-content-type-options"] == "nosniff"


def test_get_image_of_a_missing_object_is_404(server):
    assert server.client.get("/image", params={"s3Bucket": "scans", "s3Key": "nope.png"}).status_code == 404


# -- auth and contract -----------------------------------------------------------------------
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}])
@pytest.mark.parametrize(("method", "path"), [("POST", "/text/mask"), ("GET", "/executions"),
                                              ("GET", "/image"), ("POST", "/executions")])
def test_every_api_route_needs_the_token(server, headers, method, path):
    response = httpx.request(method, server.url + path, headers=headers, json={"text": GUIDE_NOTE})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_openapi_document_lists_exactly_the_routes(server):
    document = httpx.get(server.url + "/openapi.json").json()
    served = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert served == {(r.method, r.path) for r in ROUTES}
    assert document["paths"]["/text/mask"]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "required"] == ["text"]


def test_an_unsupported_method_lists_the_allowed_ones(server):
    response = server.client.request("PUT", "/executions")
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


# -- executions -------------------------------------------------------------------------------
def test_post_executions_returns_at_once_and_cleans_its_work_area(server):
    response = server.client.post("/executions", json={
        "workflow": "mask_text", "text": GUIDE_NOTE, "destinationBucket": "out", "destinationKey": "notes/1.txt"})
    assert response.status_code == 202
    started = response.json()
    assert started["executionArn"].endswith(":" + started["name"])
    described = server.wait_for_execution(started["executionArn"])
    assert described["status"] == "SUCCEEDED"
    assert (server.home / "state" / "buckets" / "out" / "notes" / "1.txt").read_text() == GUIDE_NOTE_MASKED
    assert [s["state"] for s in described["states"]][:2] == ["Fetch", "ChunkText"]
    assert {n["state"]: n["status"] for n in described["graph"]["nodes"]}["JobFailed"] == "not run"
    deadline = time.monotonic() + 5
    while (server.home / "state" / "work" / started["name"]).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not (server.home / "state" / "work" / started["name"]).exists()


def test_a_failed_execution_reports_its_error_and_the_failing_state(server):
    _put(server, "in", "latin1.txt", "Patient résumé".encode("latin-1"))
    started = server.client.post("/executions", json={
        "workflow": "mask_text", "s3Bucket": "in", "s3Key": "latin1.txt",
        "destinationBucket": "out", "destinationKey": "latin1.txt"}).json()
    described = server.wait_for_execution(started["name"])
    assert described["status"] == "FAILED" and described["error"] == "SourceUnreadable"
    fetch = next(n for n in described["graph"]["nodes"] if n["state"] == "Fetch")
    assert fetch["status"] == "error" and fetch["errors"] == ["SourceUnreadable"]  # caught by its Catch
    assert next(n for n in described["graph"]["nodes"] if n["state"] == "JobFailed")["status"] == "failed"
    assert not (server.home / "state" / "buckets" / "out" / "latin1.txt").exists()
    listed = server.client.get("/executions", params={"limit": "5"}).json()["executions"]
    assert started["name"] in [e["name"] for e in listed] and len(listed) <= 5


def test_post_executions_runs_a_bulk_text_job_over_a_jsonl_object(server):
    lines = [{"id": "a", "text": GUIDE_NOTE}, {"id": "b", "patientId": "P-7", "text": "No PHI here."}, "not json",
             {"id": "d", "text": GUIDE_NOTE}]
    _put(server, "in", "notes.jsonl", "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode())
    started = server.client.post("/executions", json={
        "workflow": "bulk_text", "s3Bucket": "in", "s3Key": "notes.jsonl", "destinationBucket": "out",
        "destinationKey": "notes.masked.jsonl"})
    assert started.status_code == 202
    described = server.wait_for_execution(started.json()["name"])
    assert described["status"] == "SUCCEEDED", described.get("error")
    results = [json.loads(line) for line in
               (server.home / "state" / "buckets" / "out" / "notes.masked.jsonl").read_text().splitlines()]
    assert results == [{"id": "a", "maskedText": GUIDE_NOTE_MASKED},
                       {"id": "b", "patientId": "P-7", "maskedText": "No PHI here."},
                       {"id": None, "line": 3, "error": "InvalidInput: the line is not a JSON object"},
                       {"id": "d", "maskedText": GUIDE_NOTE_MASKED}]
    assert described["output"]["documents"] == 4 and described["output"]["failed"] == 1
    assert [s["state"] for s in described["states"]][:2] == ["PlanBulkText", "MaskBatches"]
    history = json.dumps(described)
    assert "P-7" not in history and not [value for value in GUIDE_NOTE_PHI if value in history]


def test_a_bulk_text_job_takes_no_inline_text(server):
    _refused(server.client.post("/executions", json={
        "workflow": "bulk_text", "text": "a", "destinationBucket": "o", "destinationKey": "k"}), "bulk_text")


@pytest.mark.parametrize(("body", "words"), [
    ({"workflow": "mask_text", "text": "a", "s3Bucket": "in", "s3Key": "k", "destinationBucket": "o",
      "destinationKey": "k"}, ["not both"]),
    ({"workflow": "mask_image", "text": "a", "destinationBucket": "o", "destinationKey": "k"}, ["mask_image"]),
    ({"workflow": "batch", "text": "a", "destinationBucket": "o", "destinationKey": "k"}, ["workflow"]),
    ({"workflow": "mask_text", "text": "a"}, ["missing", "destinationBucket"]),
    ({"workflow": "mask_text", "s3Bucket": "in", "destinationBucket": "o", "destinationKey": "k"}, ["together"]),
    ({"workflow": "mask_text", "text": "a", "operation": "phi", "destinationBucket": "o", "destinationKey": "k"},
     ["mask_text"]),
])
def test_bad_execution_requests_are_refused(server, body, words):
    _refused(server.client.post("/executions", json=body), *words)


@pytest.mark.parametrize("destination_key", ["note.txt", "alias.txt"])
def test_execution_destination_equal_to_source_is_refused(server, destination_key):
    source = _put(server, "in", "note.txt", GUIDE_NOTE.encode())
    alias = source.with_name("alias.txt")
    if not alias.exists():
        alias.symlink_to(source)  # the same object under another name is the same object
    body = {"workflow": "mask_text", "s3Bucket": "in", "s3Key": "note.txt", "destinationBucket": "in",
            "destinationKey": destination_key}
    _refused(server.client.post("/executions", json=body), "differ")
    assert source.read_text() == GUIDE_NOTE


def test_unknown_execution_is_404(server):
    assert server.client.get("/executions/no-such-execution").status_code == 404
    # Not a name Step Functions allows (and longer than a file name may be): 404, not a crash.
    assert server.client.get("/executions/" + "\u1e70\u0301" * 200).status_code == 404


# -- concurrency ---------------------------------------------------------------------------------
NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@pytest.mark.slow
def test_fifty_concurrent_text_requests_each_get_their_own_answer(server):
    labels = [f"{NUMBERS[i // 10]} {NUMBERS[i % 10]}" for i in range(50)]
    texts = [f"Case {label}.\n{GUIDE_NOTE}" for label in labels]

    def call(text: str) -> httpx.Response:
        return server.client.post("/text/mask", json={"text": text})

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(call, texts))
    assert [r.status_code for r in responses] == [200] * 50
    for label, response in zip(labels, responses, strict=True):
        assert response.json()["maskedText"] == f"Case {label}.\n{GUIDE_NOTE_MASKED}"


def test_a_failed_job_answers_as_the_deployed_api_would(server):
    """A real failure over HTTP, against the mapping template rendered on the same execution."""
    _put(server, "in", "notes.png", b"not an image at all")
    response = server.client.get("/image/text", params={"s3Bucket": "in", "s3Key": "notes.png"})
    record = server.client.get(f"/executions/{response.headers[EXECUTION_HEADER]}").json()
    assert record["status"] == "FAILED"
    text, status, headers = render_response(templates.SYNC_RESPONSE, body={
        "status": record["status"], "error": record["error"], "cause": record["cause"]})
    assert (response.status_code, response.json()) == (status, json.loads(text))
    assert response.json()["error"] == "InvalidInput" and response.json()["message"]
    assert "retry-after" not in response.headers and not headers


# -- no PHI at rest or in logs (whatever else ran on this server before) ---------------------------
def test_no_phi_in_server_logs_or_execution_histories(server):
    assert server.client.post("/text/mask", json={"text": GUIDE_NOTE}).status_code == 200
    server.client.post("/text/phi", json={"text": GUIDE_NOTE, "phiDetectionThreshold": 7})  # refused, logged
    _put(server, "scans", "chest/xray 1.png", b"\x89PNG fake bytes")
    assert server.client.get("/image", params={"s3Bucket": "scans", "s3Key": "chest/xray 1.png"}).status_code == 200
    assert server.client.get("/image/text", params={"s3Bucket": "in", "s3Key": "latin1 never.txt"}).status_code == 404
    logs = server.logs()
    assert '"route": "/text/mask"' in logs  # the access log is on
    histories = "".join(p.read_text() for p in (server.home / "state" / "executions").glob("*.json"))
    assert histories
    for value in (*GUIDE_NOTE_PHI, "Mary Major", "résumé"):
        assert value not in logs
        assert value not in histories
    for key in ("xray 1", "latin1"):  # object keys (often patient-named files) stay out of the logs
        assert key not in logs


def test_token_file_is_private_when_generated(tmp_path):
    from hdm.commands.serve import api_token

    token, generated = api_token(tmp_path)
    assert generated and len(token) >= 32
    assert stat.S_IMODE((tmp_path / "api-token").stat().st_mode) == 0o600
    assert api_token(tmp_path) == (token, False)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token), "URL-safe: it travels in the console's URL fragment"
