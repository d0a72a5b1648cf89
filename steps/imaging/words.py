"""OCR words, the document they make, and mapping PHI character spans back to words.

Words are grouped into lines and blocks (steps.imaging.layout) and laid out in reading
order, so the text states (ChunkText, DetectPhi, FilterPhi) work on the OCR result
as on any document; each word remembers its character span in that document.
"""

import re
from dataclasses import asdict, dataclass

from steps.imaging.layout import blocks

# Digits OCR reads for the letters they resemble ("D0B" for "DOB").
LOOKALIKES = str.maketrans("0158", "OISB")
_TRAILING = ":,;."
# OCR runs a label into its value ("MRN:372610196", "ACC#A8224298") and sex into age
# ("F44Y"); split them so the label can be kept and the value masked.
_FUSED = (re.compile(r"^([A-Za-z]{2,}[:#])(\S+)$"), re.compile(r"^([FMO])(\d{1,3}[DWMY])$"))


@dataclass
class Word:
    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in image pixels, end exclusive
    score: float
    line: int  # words with the same line number were read as one line
    begin: int = 0  # character span in the document
    end: int = 0
    view: int = 0  # the distinct frame it was read in
    block: int = 0  # words with the same block number belong to lines read together

    def to_dict(self) -> dict:
        return asdict(self)

    def same_line(self, other: "Word") -> bool:
        """Read on one line of one view."""
        return self.line == other.line and self.view == other.view

    @classmethod
    def from_dict(cls, value: dict) -> "Word":
        return cls(**{**value, "box": tuple(value["box"])})


def split_fused(words: list[Word]) -> list[Word]:
    """Split label+value words; each part gets the share of the box its characters take."""
    result = []
    for word in words:
        match = next((m for m in (p.match(word.text) for p in _FUSED) if m), None)
        if match is None:
            result.append(word)
            continue
        x0, y0, x1, y1 = word.box
        cut = x0 + round((x1 - x0) * len(match.group(1)) / len(word.text))
        result.append(Word(match.group(1), (x0, y0, cut, y1), word.score, word.line, view=word.view))
        result.append(Word(match.group(2), (cut, y0, x1, y1), word.score, word.line, view=word.view))
    return result


def token(text: str) -> str:
    """A word as compared with known values: upper case, trailing punctuation dropped."""
    return text.upper().rstrip(_TRAILING)


def in_view(words: list[Word], view: int) -> list[Word]:
    for word in words:
        word.view = view
    return words


def build_document(words: list[Word]) -> tuple[str, list[Word]]:
    """Order words by view, then block, line and position (steps.imaging.layout), and give each
    its span. Lines are numbered anew across the document, and so are blocks. Lines of a block
    are joined by a newline, or by a space after a label ("Institution Name:") so that its
    wrapped value reads as its continuation; blocks are parted by a blank line.
    Returns (text, ordered words)."""
    pieces: list[str] = []
    ordered: list[Word] = []
    cursor, line_number, block_number = 0, 0, 0
    for view in sorted({w.view for w in words}):
        for block in blocks([w for w in words if w.view == view]):
            for position, line in enumerate(block):
                if ordered:
                    joint = "\n\n" if not position else " " if ordered[-1].text.endswith(":") else "\n"
                    pieces.append(joint)
                    cursor += len(joint)
                for index, word in enumerate(line):
                    if index:
                        pieces.append(" ")
                        cursor += 1
                    word.begin, word.end = cursor, cursor + len(word.text)
                    word.line, word.block = line_number, block_number
                    pieces.append(word.text)
                    cursor = word.end
                    ordered.append(word)
                line_number += 1
            block_number += 1
    return "".join(pieces), ordered


def overlapping(words: list[Word], entities: list[dict]) -> dict[int, dict]:
    """Index of every word that overlaps a PHI span -> the (first) entity it overlaps.

    Every word of a multi-word entity is included, not only the one it begins in.
    """
    hits: dict[int, dict] = {}
    for entity in sorted(entities, key=lambda e: e["BeginOffset"]):
        for index, word in enumerate(words):
            if overlaps(word, entity):
                hits.setdefault(index, entity)
    return hits


def overlaps(word: Word, entity: dict) -> bool:
    return word.begin < entity["EndOffset"] and entity["BeginOffset"] < word.end
