"""Reading only part of a frame: regions around what changed, cut out and packed onto sheets.

Both the first read of a cine frame that differs from the one before only in places
(steps.detect_text) and the verification gate's re-read of the masked pixels
(steps.imaging.release) read regions, not whole frames. A region is grown by a margin and
by every word box it touches, so no word is read cut in two; the cut-outs of many regions
(and frames) are packed onto a few sheets no larger than a frame, SHEET_GAP apart on black,
and read at the scale of a frame (the engine's ``side``), so the text in them is read at the
size it has in a whole frame, and the cost is the area read, not the frame again.
"""

from dataclasses import dataclass, replace

import cv2
import numpy as np

from steps.imaging.masking import Box, clip
from steps.imaging.ocr import OcrEngine
from steps.imaging.words import Word

# A region reaches this share of its height beyond what changed (at least a few pixels), so
# letters at its edges are read with it.
MARGIN_SHARE, MIN_MARGIN = 0.5, 6
SHEET_GAP = 24  # pixels between cut-outs on a sheet: wider than the space between two words
CELL = 16  # changed pixels are grouped by cells of this side, neighbouring cells joined


@dataclass(frozen=True)
class CutOut:
    key: int  # whose region it is (a view)
    region: Box  # where it lies in its frame
    pixels: np.ndarray


def grown(boxes: list[Box], word_boxes: list[Box], width: int, height: int, margin_share: float = MARGIN_SHARE
          ) -> list[Box]:
    """Each box grown by a margin (``margin_share`` of its height: boxes of text; 0 for boxes
    of anything else, a few pixels), then by every word box it touches (with a few pixels
    around it), again until no region cuts a word; overlapping regions merged."""
    regions = []
    for x0, y0, x1, y1 in boxes:
        if x1 > x0 and y1 > y0:
            margin = max(MIN_MARGIN, round((y1 - y0) * margin_share))
            regions.append((x0 - margin, y0 - margin, x1 + margin, y1 + margin))
    around = [(x0 - MIN_MARGIN, y0 - MIN_MARGIN, x1 + MIN_MARGIN, y1 + MIN_MARGIN) for x0, y0, x1, y1 in word_boxes]
    while True:
        wider = merged([_with_words(region, around) for region in regions])
        if wider == regions:
            return [clip(region, width, height) for region in regions]
        regions = wider


def _with_words(region: Box, word_boxes: list[Box]) -> Box:
    for word in word_boxes:
        if intersect(region, word):
            region = union(region, word)
    return region


def changed_boxes(before: np.ndarray, after: np.ndarray) -> list[Box]:
    """Boxes around the pixels that differ between two views of one size, changes within a
    cell of one another in one box."""
    height, width = after.shape[:2]
    differs = np.any(before != after, axis=2) if after.ndim == 3 else before != after
    rows, columns = -(-height // CELL), -(-width // CELL)
    padded = np.zeros((rows * CELL, columns * CELL), bool)
    padded[:height, :width] = differs
    cells = padded.reshape(rows, CELL, columns, CELL).any(axis=(1, 3)).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(cells, np.ones((3, 3), np.uint8)), 8)
    boxes = [(int(x) * CELL, int(y) * CELL, int(x + w) * CELL, int(y + h) * CELL) for x, y, w, h, _ in stats[1:count]]
    return merged([clip(box, width, height) for box in boxes])


def read(engine: OcrEngine, cut_outs: list[CutOut], width: int, height: int) -> list[tuple[int, Word]]:
    """The words in the cut-outs of frames of ``width`` x ``height``, each with its cut-out's key
    and its box in its frame."""
    found = []
    for placed in pack(cut_outs, width, height):
        sheet = np.zeros((max(y + c.pixels.shape[0] for _, y, c in placed),
                          max(x + c.pixels.shape[1] for x, _, c in placed), 3), np.uint8)
        for x, y, cut_out in placed:
            sheet[y:y + cut_out.pixels.shape[0], x:x + cut_out.pixels.shape[1]] = cut_out.pixels
        for word in engine.read(sheet, side=max(width, height)):
            x, y, cut_out = _under(placed, word.box)
            x0, y0 = cut_out.region[:2]
            box = (word.box[0] - x + x0, word.box[1] - y + y0, word.box[2] - x + x0, word.box[3] - y + y0)
            found.append((cut_out.key, replace(word, box=clip(box, *cut_out.region[2:]))))
    return found


def pack(cut_outs: list[CutOut], width: int, height: int) -> list[list[tuple[int, int, CutOut]]]:
    """The cut-outs placed in rows, tallest first, onto as few sheets of at most ``width`` x
    ``height`` as they need (a cut-out is never larger than its frame); (x, y, cut-out) each."""
    sheets, placed, x, y, row = [], [], 0, 0, 0
    for cut_out in sorted(cut_outs, key=lambda c: -c.pixels.shape[0]):
        h, w = cut_out.pixels.shape[:2]
        if x and x + w > width:
            x, y, row = 0, y + row + SHEET_GAP, 0
        if placed and y + h > height:
            sheets.append(placed)
            placed, x, y, row = [], 0, 0, 0
        placed.append((x, y, cut_out))
        x, row = x + w + SHEET_GAP, max(row, h)
    if placed:
        sheets.append(placed)
    return sheets


def _under(placed: list[tuple[int, int, CutOut]], box: Box) -> tuple[int, int, CutOut]:
    """The placed cut-out the centre of ``box`` lies in (else the nearest: a box read across a gap)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2

    def distance(item):
        x, y, cut_out = item
        h, w = cut_out.pixels.shape[:2]
        return max(x - cx, cx - (x + w), 0) + max(y - cy, cy - (y + h), 0)

    return min(placed, key=distance)


def intersect(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def mostly_within(inner: Box, outer: Box) -> bool:
    """At least half of ``inner``'s area lies in ``outer``."""
    overlap = _area((max(inner[0], outer[0]), max(inner[1], outer[1]), min(inner[2], outer[2]),
                     min(inner[3], outer[3])))
    return overlap * 2 >= _area(inner) > 0


def _area(box: Box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def merged(regions: list[Box]) -> list[Box]:
    """Overlapping regions joined, until none overlap."""
    result: list[Box] = []
    for region in regions:
        while overlapping := [r for r in result if intersect(r, region)]:
            for other in overlapping:
                result.remove(other)
                region = union(region, other)
        result.append(region)
    return result
