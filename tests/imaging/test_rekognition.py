"""Rekognition DetectText engine: tiling, splitting dense tiles, de-duplication, errors (botocore Stubber)."""

import boto3
import numpy as np
import pytest
from botocore.stub import ANY, Stubber

from steps.errors import PhiServiceThrottled
from steps.imaging.ocr import rekognition
from steps.imaging.ocr.rekognition import RekognitionEngine


def _client():
    return boto3.client("rekognition", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


def _words(*boxes, text="WORD", parent=0):
    """WORD detections at relative boxes (left, top, width, height)."""
    return {"TextDetections": [
        {"DetectedText": f"{text}{i}", "Type": "WORD", "Id": i + 1, "ParentId": parent, "Confidence": 99.0,
         "Geometry": {"BoundingBox": {"Left": left, "Top": top, "Width": width, "Height": height}}}
        for i, (left, top, width, height) in enumerate(boxes)]}


def test_large_image_is_read_in_overlapping_tiles_mapped_to_image_pixels():
    client = _client()
    tiles = rekognition.tiles(2000, 900, rekognition.TILE)
    assert [t[0] for t in tiles] == [0, 488, 976] and all(t[3] == 900 for t in tiles)
    with Stubber(client) as stub:
        stub.add_response("detect_text", _words((0.5, 0.5, 0.1, 0.05)), {"Image": {"Bytes": ANY}})
        stub.add_response("detect_text", {"TextDetections": []}, {"Image": {"Bytes": ANY}})
        stub.add_response("detect_text", _words((0.0, 0.0, 0.1, 0.05)), {"Image": {"Bytes": ANY}})
        words = RekognitionEngine(client).read(np.zeros((900, 2000, 3), np.uint8))
        stub.assert_no_pending_responses()
    assert sorted(w.box for w in words) == [(512, 450, 615, 495), (976, 0, 1079, 45)]
    assert all(w.score == pytest.approx(0.99) for w in words)


def test_a_tile_at_the_100_word_limit_is_split_so_no_word_is_dropped():
    client = _client()
    dense = _words(*[((i % 10) / 10, (i // 10) / 10, 0.05, 0.03) for i in range(100)])
    with Stubber(client) as stub:
        stub.add_response("detect_text", dense, {"Image": {"Bytes": ANY}})
        for quarter in range(4):  # 25 words each, in the part of the quarter no other quarter covers
            grid = [(0.02 + 0.08 * (i % 5), 0.02 + 0.08 * (i // 5), 0.04, 0.04) for i in range(25)]
            stub.add_response("detect_text", _words(*grid, text=f"Q{quarter}_"), {"Image": {"Bytes": ANY}})
        words = RekognitionEngine(client).read(np.zeros((1000, 1000, 3), np.uint8))
        stub.assert_no_pending_responses()
    assert len(words) == 100 and {w.text[:2] for w in words} == {"Q0", "Q1", "Q2", "Q3"}
    assert rekognition.quarters((0, 0, 1000, 1000))[3][:2] == (372, 372)
    assert max(w.box[2] for w in words if w.text.startswith("Q3")) <= 372 + 628 * 0.4 + 2


def test_a_word_seen_whole_and_cut_by_two_tiles_is_kept_once_whole():
    whole = rekognition.Word("SALAZAR", (100, 10, 200, 30), 0.99, 0)
    cut = rekognition.Word("SALA", (100, 10, 150, 30), 0.99, 0)
    elsewhere = rekognition.Word("CHEST", (400, 10, 460, 30), 0.99, 0)
    kept = rekognition.deduplicate([(("a", 1), cut), (("b", 1), whole), (("b", 2), elsewhere)])
    assert [w.text for _, w in kept] == ["SALAZAR", "CHEST"]


def test_throttling_becomes_the_retryable_step_error():
    client = _client()
    with Stubber(client) as stub:
        stub.add_client_error("detect_text", "ProvisionedThroughputExceededException")
        with pytest.raises(PhiServiceThrottled):
            RekognitionEngine(client).read(np.zeros((100, 100, 3), np.uint8))
