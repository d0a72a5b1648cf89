"""Image routes over HTTP on a real server: OCR, PHI locations, masking, signed download, async jobs."""

import io
from pathlib import Path

import httpx
import jsonschema
import pytest
from PIL import Image, ImageDraw, ImageFont

from hdm.server.openapi import SUCCESS_SCHEMAS
from tests.imaging.images import deflated_multiframe

pytestmark = pytest.mark.slow
LINES = ("Name: SALAZAR, CARLOS", "MRN: RQ36114734", "PA CHEST")


@pytest.fixture(scope="module")
def scan(server):
    """A PNG with burned-in PHI, written by Pillow into the local bucket "scans"."""
    image = Image.new("L", (900, 300), 0)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=40)
    for row, line in enumerate(LINES):
        draw.text((30, 30 + 80 * row), line, fill=255, font=font)
    path = server.home / "state" / "buckets" / "scans" / "ward 7" / "xray.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return {"s3Bucket": "scans", "s3Key": "ward 7/xray.png"}


def _words(server, query: dict) -> list[str]:
    response = server.client.get("/image/text", params=query)
    assert response.status_code == 200, response.text
    jsonschema.validate(response.json(), SUCCESS_SCHEMAS["/image/text"])  # the documented shape
    return [d["DetectedText"] for d in response.json()["TextDetections"]]


def test_image_text_reads_the_burned_in_words(server, scan):
    assert {"RQ36114734", "CHEST"} <= set(_words(server, scan))


def test_image_phi_locates_the_name_and_the_id(server, scan):
    found = server.client.get("/image/phi", params={**scan, "phiDetectionThreshold": "0.5"}).json()
    jsonschema.validate(found, SUCCESS_SCHEMAS["/image/phi"])
    assert {e["Type"] for e in found["Entities"]} >= {"NAME", "ID"}
    assert all(e["Boxes"] for e in found["Entities"])


def test_image_mask_writes_a_masked_png_that_get_image_serves(server, scan):
    response = server.client.post("/image/mask", json={**scan, "destinationBucket": "scans",
                                                       "destinationKey": "masked/xray.png"})
    assert response.json() == {"maskedImagePath": "s3://scans/masked/xray.png"}
    words = _words(server, {"s3Bucket": "scans", "s3Key": "masked/xray.png"})
    assert "RQ36114734" not in words and "CHEST" in words
    url = server.client.get("/image", params={"s3Bucket": "scans", "s3Key": "masked/xray.png"}).json()["url"]
    downloaded = httpx.get(url)
    assert downloaded.status_code == 200
    assert Image.open(io.BytesIO(downloaded.content)).size == (900, 300)


def test_a_file_that_is_no_image_is_refused(server):
    path = server.home / "state" / "buckets" / "scans" / "notes.png"
    path.parent.mkdir(parents=True, exist_ok=True)  # in any order: the scan fixture may not have run
    path.write_bytes(b"Name: SALAZAR, CARLOS")
    response = server.client.get("/image/text", params={"s3Bucket": "scans", "s3Key": "notes.png"})
    assert response.status_code == 400 and "PNG, JPEG or DICOM" in response.json()["message"]


def test_image_execution_runs_asynchronously(server, scan):
    response = server.client.post("/executions", json={"workflow": "mask_image", **scan,
                                                       "destinationBucket": "out", "destinationKey": "x.png"})
    assert response.status_code == 202
    described = server.wait_for_execution(response.json()["name"])
    assert described["status"] == "SUCCEEDED", described
    assert Image.open(server.home / "state" / "buckets" / "out" / "x.png").format == "PNG"
    assert any(n["state"] == "DetectText" and n["status"] == "succeeded" for n in described["graph"]["nodes"])


def test_no_phi_or_object_keys_in_the_logs(server, scan):
    # Its own requests (whatever else ran before): a masking job and a refused one, both logged.
    response = server.client.post("/image/mask", json={**scan, "destinationBucket": "scans",
                                                       "destinationKey": "ward 7/xray masked for the log test.png"})
    assert response.status_code == 200, response.text
    assert server.client.get("/image/phi", params={**scan, "phiDetectionThreshold": "2"}).status_code == 400
    logs = server.logs()
    assert '"route": "/image/mask"' in logs
    for value in ("SALAZAR", "CARLOS", "RQ36114734", "ward 7", "xray"):
        assert value not in logs


def test_a_decompression_bomb_is_413_and_the_server_stays_in_bounded_memory(server):
    bomb = server.home / "state" / "buckets" / "scans" / "bomb.dcm"
    bomb.parent.mkdir(parents=True, exist_ok=True)  # run alone, no other test has made the bucket
    bomb.write_bytes(deflated_multiframe(frames=30, side=4096))  # 0.94 GiB decoded, about 1 MB on disk
    response = server.client.post("/image/mask", json={"s3Bucket": "scans", "s3Key": "bomb.dcm",
                                                       "destinationBucket": "scans", "destinationKey": "bomb-out.dcm"})
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["error"] == "TooLarge" and "pixel budget" in body["message"]
    assert not (server.home / "state" / "buckets" / "scans" / "bomb-out.dcm").exists()
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    peak_kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    assert peak_kib * 1024 < 1.5 * 1024**3  # the whole server's peak so far, OCR models included
