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
    (a label like "MRN:" sits a few pixels from the number it introduces). OCR boxes are
    loose: the boxes of two lines often overlap, so the padding is cut on the side that
    leaves the least of the neighbour covered, and never inside the masked word's own box."""
    result = []
    for box in masked:
        padding = padded(box)
        for neighbour in kept:
            if _area(_intersection(padding, neighbour)):
                padding = min(_trimmed(padding, box, neighbour),
                              key=lambda trim: (_area(_intersection(trim, neighbour)), -_area(trim)))
        result.append(padding)
    return result


def _trimmed(padding: Box, box: Box, kept: Box) -> list[Box]:
    """The padding cut back towards the word on each side the kept box lies on (by centres)."""
    x0, y0, x1, y1 = padding
    kx0, ky0, kx1, ky1 = kept
    options = [padding]
    if kx0 + kx1 > box[0] + box[2]:  # to the right
        options.append((x0, y0, min(x1, max(box[2], (box[2] + kx0 + 1) // 2)), y1))
    else:
        options.append((max(x0, min(box[0], (kx1 + box[0]) // 2)), y0, x1, y1))
    if ky0 + ky1 > box[1] + box[3]:  # below
        options.append((x0, y0, x1, min(y1, max(box[3], (box[3] + ky0 + 1) // 2))))
    else:
        options.append((x0, max(y0, min(box[1], (ky1 + box[1]) // 2)), x1, y1))
    return options


def _intersection(a: Box, b: Box) -> Box:
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _area(box: Box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


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
