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
