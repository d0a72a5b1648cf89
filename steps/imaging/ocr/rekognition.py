"""Amazon Rekognition DetectText as an OCR engine, tiled so its 100-word limit never drops text.

DetectText returns at most 100 words an image. The image is read in overlapping
tiles; a tile that comes back with 100 words is split in four and read again, so
dense text is read at whatever tile size it needs. Words seen by two overlapping
tiles are kept once (the whole word wins over a part cut by a tile edge).
"""

import math

import boto3
import cv2
import numpy as np
from botocore.config import Config

from steps.aws_calls import service_call
from steps.imaging.ocr import clean_text
from steps.imaging.words import Word

WORD_LIMIT = 100
TILE = 1024
# Wider than a long burned-in word, so every word lies whole inside at least one tile.
OVERLAP = 256
MAX_SPLITS = 3
MAX_BYTES = 5 * 1024 * 1024
_INVALID = {"InvalidImageFormatException", "ImageTooLargeException", "InvalidParameterException"}

Tile = tuple[int, int, int, int]


class RekognitionEngine:
    name = "rekognition"

    def __init__(self, client=None):
        # One attempt: Step Functions' Retry applies backoff with jitter (as for DetectPHI).
        self.client = client or boto3.client(
            "rekognition", config=Config(retries={"mode": "standard", "max_attempts": 1}))

    def read(self, rgb: np.ndarray, side: int | None = None) -> list[Word]:
        """``side`` is not needed: Rekognition reads every tile at its own pixel size."""
        height, width = rgb.shape[:2]
        found: list[tuple[tuple, Word]] = []
        for tile in tiles(width, height, TILE):
            found += self._read_tile(rgb, tile, 0)
        kept = deduplicate(found)
        line_numbers: dict[tuple, int] = {}
        for key, word in kept:
            word.line = line_numbers.setdefault(key, len(line_numbers))
        return [word for _, word in kept]

    def _read_tile(self, rgb: np.ndarray, tile: Tile, depth: int) -> list[tuple[tuple, Word]]:
        x0, y0, x1, y1 = tile
        detections = [d for d in self._detect(rgb[y0:y1, x0:x1]) if d.get("Type") == "WORD"]
        if len(detections) >= WORD_LIMIT and depth < MAX_SPLITS and min(x1 - x0, y1 - y0) > 2 * OVERLAP:
            return [w for sub in quarters(tile) for w in self._read_tile(rgb, sub, depth + 1)]
        words = []
        for detection in detections:
            text = clean_text(detection["DetectedText"])
            if not text:
                continue
            box = detection["Geometry"]["BoundingBox"]
            w, h = x1 - x0, y1 - y0
            left, top = box["Left"] * w, box["Top"] * h
            pixels = (x0 + math.floor(left), y0 + math.floor(top),
                      x0 + math.ceil(left + box["Width"] * w), y0 + math.ceil(top + box["Height"] * h))
            words.append(((tile, detection.get("ParentId")),
                          Word(text=text, box=pixels, score=float(detection["Confidence"]) / 100, line=0)))
        return words

    def _detect(self, rgb: np.ndarray) -> list[dict]:
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        ok, encoded = cv2.imencode(".png", bgr)
        if not ok or len(encoded) > MAX_BYTES:
            ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 95])
        with service_call("DetectText", "rekognition", _INVALID, "image"):
            return self.client.detect_text(Image={"Bytes": encoded.tobytes()}).get("TextDetections", [])

def _starts(length: int, size: int) -> list[int]:
    """Tile starts covering [0, length) with full-size tiles overlapping by at least OVERLAP."""
    if length <= size:
        return [0]
    count = math.ceil((length - OVERLAP) / (size - OVERLAP))
    return [round(i * (length - size) / (count - 1)) for i in range(count)]


def tiles(width: int, height: int, size: int) -> list[Tile]:
    return [(x, y, min(width, x + size), min(height, y + size))
            for y in _starts(height, size) for x in _starts(width, size)]


def quarters(tile: Tile) -> list[Tile]:
    """Four overlapping tiles covering ``tile``."""
    x0, y0, x1, y1 = tile
    width, height = x1 - x0, y1 - y0
    size_x, size_y = (width + OVERLAP) // 2, (height + OVERLAP) // 2
    return [(x0 + dx, y0 + dy, x0 + dx + size_x, y0 + dy + size_y)
            for dy in (0, height - size_y) for dx in (0, width - size_x)]


def deduplicate(found: list[tuple[tuple, Word]]) -> list[tuple[tuple, Word]]:
    """One word per place: a word mostly inside a larger one already kept is the same word
    (or the part of it a tile edge cut off)."""
    kept: list[tuple[tuple, Word]] = []
    for key, word in sorted(found, key=lambda item: -_area(item[1].box)):
        if all(_intersection(word.box, other.box) < 0.6 * _area(word.box) for _, other in kept):
            kept.append((key, word))
    return kept


def _area(box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def _intersection(a, b) -> int:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))
