"""Client mistakes get a 4xx that says what is wrong, never a 500."""

import pytest
from PIL import Image

LONE_SURROGATE_BODY = ('{"text": "a \\ud800", "workflow": "mask_text", '
                       '"destinationBucket": "out", "destinationKey": "k"}')


@pytest.mark.parametrize("route", ["/text/mask", "/text/phi", "/executions"])
def test_a_lone_surrogate_is_a_400_that_names_the_problem(server, route):
    body = LONE_SURROGATE_BODY if route == "/executions" else '{"text": "a \\ud800"}'
    response = server.client.post(route, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert "lone UTF-16 surrogate" in response.json()["message"]


def test_a_surrogate_pair_is_still_a_character(server):
    response = server.client.post("/text/mask", content='{"text": "Seen \\ud83d\\ude00 today"}',
                                  headers={"Content-Type": "application/json"})
    assert response.status_code == 200 and "\U0001f600" in response.json()["maskedText"]


@pytest.fixture(scope="module")
def scans(server):
    root = server.home / "state" / "buckets" / "destinations"
    (root / "a folder").mkdir(parents=True)
    (root / "a file").write_text("not a folder")
    Image.new("L", (64, 32), 200).save(root / "in.png")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("destination_key", ["a folder", "a file/masked.png"])
def test_a_destination_that_cannot_be_a_file_is_a_400(server, scans, destination_key):
    response = server.client.post("/image/mask", json={"s3Bucket": "destinations", "s3Key": "in.png",
                                                       "destinationBucket": "destinations",
                                                       "destinationKey": destination_key})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "InvalidInput"
    assert "destination is a folder, or lies under a file" in response.json()["message"]
    assert (scans / "a folder").is_dir() and (scans / "a file").read_text() == "not a folder"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_a_body_not_sent_as_json_is_a_415(server, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = server.client.post("/text/mask", content=b'{"text": "Seen by Dr. Smith"}', headers=headers)
    assert response.status_code == 415, response.text
    assert "application/json" in response.json()["message"]


def test_json_with_a_charset_is_accepted(server):
    response = server.client.post("/text/mask", content=b'{"text": "Seen today"}',
                                  headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.status_code == 200, response.text


def test_signed_urls_start_with_the_bound_address_whatever_the_host_header(server, scans):
    response = server.client.get("/image", params={"s3Bucket": "destinations", "s3Key": "in.png"},
                                 headers={"Host": "attacker.example"})
    assert response.status_code == 200, response.text
    assert response.json()["url"].startswith(f"{server.url}/objects/destinations/in.png?")


def test_a_trailing_newline_does_not_pass_for_the_end_of_a_bucket_name(server):
    response = server.client.get("/image", params={"s3Bucket": "destinations\n", "s3Key": "in.png"})
    assert response.status_code == 400 and "s3Bucket" in response.json()["message"]


@pytest.mark.parametrize("route", ["/text/mask", "/executions"])
def test_a_byte_order_mark_alone_is_blank_text_on_every_route(server, route):
    body = {"text": "\ufeff"}
    if route == "/executions":
        body.update(workflow="mask_text", destinationBucket="out", destinationKey="k")
    response = server.client.post(route, json=body)
    assert response.status_code == 400 and "text" in response.json()["message"]


def test_text_over_the_limit_is_told_the_limit(server):
    response = server.client.post("/text/mask", json={"text": "a" * 5_000_001})
    assert response.status_code == 400
    assert response.json()["message"] == "text must be at most 5,000,000 characters"


@pytest.mark.parametrize(("raw", "message"), [
    ('{"text": "a", "Mary Major": 1}',
     "1 unknown body key(s) in the body; it accepts mode, patientId, phiDetectionThreshold, text"),
    ('{"text": "a", "Mary Major": 1, "Mary Major": 2}', "duplicate key(s) in the body: 1"),
])
def test_unknown_or_repeated_key_names_are_never_echoed(server, raw, message):
    response = server.client.post("/text/mask", content=raw.encode(), headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()) == (400, {"message": message})
