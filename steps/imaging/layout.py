"""Lines and blocks: OCR words grouped as a reader sees them.

The OCR engine returns text boxes, not lines: one visual line can come as several boxes
("Name:" and "John Stiles"), and boxes at the same height in two corners of the screen are
not one line. Words whose boxes share most of their height form a line, unless a wide gap
parts them (two columns); lines that follow each other closely and overlap horizontally form
a block, so a label and its wrapped value ("Institution Name:" over "Community Clinic") are
read together, and the document gives the PHI engine blocks in reading order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from steps.imaging.words import Word

# Boxes on one line share at least half the height of the smaller one.
SAME_LINE_OVERLAP = 0.5
# Text on one line is of one size: a box more than twice as tall is something else.
MAX_HEIGHT_RATIO = 2.0
# A horizontal gap wider than this many text heights separates two columns.
COLUMN_GAP = 2.5
# The next line of a block starts within this many text heights below the previous one; OCR
# boxes are loose, so the box of the next line may also start a little above the last one's end.
BLOCK_GAP = 0.8
BLOCK_OVERLAP = 0.5


def _height(words: list[Word]) -> float:
    return max(1.0, sum(w.box[3] - w.box[1] for w in words) / len(words))


def _top(words: list[Word]) -> int:
    return min(w.box[1] for w in words)


def _bottom(words: list[Word]) -> int:
    return max(w.box[3] for w in words)


def _left(words: list[Word]) -> int:
    return min(w.box[0] for w in words)


def _right(words: list[Word]) -> int:
    return max(w.box[2] for w in words)


def _same_line(row: list[Word], word: Word) -> bool:
    """Compared with the line's first word, not its growing extent: a tall glyph or logo
    spanning two lines must not chain them into one."""
    first = row[0].box
    heights = sorted((first[3] - first[1], word.box[3] - word.box[1]))
    overlap = min(first[3], word.box[3]) - max(first[1], word.box[1])
    return heights[1] <= MAX_HEIGHT_RATIO * max(1, heights[0]) and overlap >= SAME_LINE_OVERLAP * max(1, heights[0])


def lines(words: list[Word]) -> list[list[Word]]:
    """Words of one view grouped into visual lines, each left to right, split at column gaps."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        row = next((r for r in rows if _same_line(r, word)), None)
        if row is None:
            rows.append([word])
        else:
            row.append(word)
    result = []
    for row in rows:
        row.sort(key=lambda w: w.box[0])
        limit = COLUMN_GAP * _height(row)
        current = [row[0]]
        for word in row[1:]:
            if word.box[0] - current[-1].box[2] > limit:
                result.append(current)
                current = []
            current.append(word)
        result.append(current)
    return sorted(result, key=lambda line: (_top(line), _left(line)))


def _continues(block: list[list[Word]], line: list[Word]) -> bool:
    last = block[-1]
    height = max(_height(last), _height(line))
    below = -BLOCK_OVERLAP * height <= _top(line) - _bottom(last) <= BLOCK_GAP * height
    aligned = min(_right(last), _right(line)) > max(_left(last), _left(line)) or \
        abs(_left(last) - _left(line)) <= height
    return below and aligned


def blocks(words: list[Word]) -> list[list[list[Word]]]:
    """Words of one view as blocks of lines, in reading order (top to bottom, then left to right)."""
    result: list[list[list[Word]]] = []
    for line in lines(words):
        block = next((b for b in result if _continues(b, line)), None)
        if block is None:
            result.append([line])
        else:
            block.append(line)
    return sorted(result, key=lambda b: (_top(b[0]), _left(b[0])))
