"""OCR words, the document they make, and mapping PHI character spans back to words.

The words of a line are joined by one space and lines by a newline, in reading
order, so the text states (ChunkText, DetectPhi, FilterPhi) work on the OCR result
as on any document; each word remembers its character span in that document.
"""

import re
from dataclasses import asdict, dataclass

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

    def to_dict(self) -> dict:
        return asdict(self)

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


def in_view(words: list[Word], view: int) -> list[Word]:
    for word in words:
        word.view = view
    return words


def build_document(words: list[Word]) -> tuple[str, list[Word]]:
    """Order words by view, then reading order, and give each its span; lines are numbered
    anew, one number per line of the whole document. Returns (text, ordered words)."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        lines.setdefault((word.view, word.line), []).append(word)
    ordered_lines = sorted(lines.values(), key=lambda ws: (ws[0].view, min(w.box[1] for w in ws),
                                                           min(w.box[0] for w in ws)))
    pieces: list[str] = []
    ordered: list[Word] = []
    cursor = 0
    for number, line in enumerate(ordered_lines):
        if number:
            pieces.append("\n")
            cursor += 1
        for position, word in enumerate(sorted(line, key=lambda w: w.box[0])):
            if position:
                pieces.append(" ")
                cursor += 1
            word.begin, word.end, word.line = cursor, cursor + len(word.text), number
            pieces.append(word.text)
            cursor = word.end
            ordered.append(word)
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
