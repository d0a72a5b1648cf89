"""Pixel boxes: padding, clipping and filling."""

import numpy as np

Box = tuple[int, int, int, int]  # x0, y0, x1, y1; end exclusive

# Masks grow by a share of the text height (at least a few pixels) so anti-aliased
# edges and the loose ends of a word box do not survive.
MARGIN_SHARE = 0.25
MIN_MARGIN = 3


def padded(box: Box) -> Box:
    x0, y0, x1, y1 = box
    margin = max(MIN_MARGIN, round((y1 - y0) * MARGIN_SHARE))
    return x0 - margin, y0 - margin, x1 + margin, y1 + margin


def mask_boxes(masked: list[Box], kept: list[Box]) -> list[Box]:
    """Padded boxes for the masked words, whose padding stops halfway to a kept neighbour
    (a label like "MRN:" sits a few pixels from the number it introduces)."""
    result = []
    for box in masked:
        x0, y0, x1, y1 = padded(box)
        for kx0, ky0, kx1, ky1 in kept:
            if not (kx0 < x1 and x0 < kx1 and ky0 < y1 and y0 < ky1):
                continue
            if kx0 >= box[2]:
                x1 = min(x1, max(box[2], (box[2] + kx0 + 1) // 2))
            elif kx1 <= box[0]:
                x0 = max(x0, min(box[0], (kx1 + box[0]) // 2))
            elif ky0 >= box[3]:
                y1 = min(y1, max(box[3], (box[3] + ky0 + 1) // 2))
            elif ky1 <= box[1]:
                y0 = max(y0, min(box[1], (ky1 + box[1]) // 2))
        result.append((x0, y0, x1, y1))
    return result


def clip(box: Box, width: int, height: int) -> Box:
    x0, y0, x1, y1 = box
    return max(0, x0), max(0, y0), min(width, x1), min(height, y1)


def fill_boxes(pixels: np.ndarray, boxes: list[Box], value, samples: bool) -> None:
    """Fill boxes in place; ``pixels`` is (..., rows, cols) or, with samples, (..., rows, cols, samples)."""
    for x0, y0, x1, y1 in boxes:
        if samples:
            pixels[..., y0:y1, x0:x1, :] = value
        else:
            pixels[..., y0:y1, x0:x1] = value
