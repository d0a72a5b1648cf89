"""Cells of a table whose column header names a kind of PHI: | Date | Clinician | Location |.

A header row is a line of two or more short cells, split by '|', tabs or runs of three or more spaces,
none holding a digit, one of them a header word below. Each following row with as many cells (up to a
blank line) gives the cells under those headers, whatever their casing: a table cell has no sentence
around it to judge a name or a place by.
"""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.lexicon import Lexicon
from steps.phi.builtin.registry import Candidate

_HEADERS = {
    "NAME": {"name", "patient", "clinician", "physician", "doctor", "provider", "nurse", "attending", "surgeon",
             "author", "contact", "relative", "caregiver", "referrer", "consultant", "gp", "pcp", "next of kin",
             "seen by", "signed by", "reviewed by", "patient name", "full name"},
    "ADDRESS": {"location", "facility", "hospital", "clinic", "ward", "city", "town", "address", "practice",
                "institution", "centre", "center", "place of birth", "residence"},
    "DATE": {"date", "dob", "date of birth", "admitted", "discharged", "visit date", "date seen", "admission",
             "discharge", "appointment"},
}
_KIND_OF_HEADER = {header: kind for kind, headers in _HEADERS.items() for header in headers}
_HEADER_WORDS = frozenset(word for header in _KIND_OF_HEADER for word in header.split())
_SEPARATOR = re.compile(r"[ \t]*\|[ \t]*|[ \t]*\t[ \t]*|[ ]{3,}")


def _has_separator(text: str, begin: int, end: int) -> bool:
    """Whether _SEPARATOR occurs in text[begin:end], by substring: each of its forms holds a pipe, a tab or three
    spaces, and each of those is one (the regex would be tried at every position of every line)."""
    return text.find("|", begin, end) >= 0 or text.find("\t", begin, end) >= 0 or text.find("   ", begin, end) >= 0


def _cells(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """(begin, end) of each cell of the line text[begin:end]; a line's outer pipes open no cell."""
    cells, start = [], begin
    for m in _SEPARATOR.finditer(text, begin, end):
        cells.append((start, m.start()))
        start = m.end()
    cells.append((start, end))
    line = text[begin:end].strip()
    if line.startswith("|"):
        cells = cells[1:]
    if line.endswith("|"):
        cells = cells[:-1]
    return cells


class TableRecognizer:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        if _HEADER_WORDS.isdisjoint(doc.positions) or not _has_separator(text, 0, len(text)):
            return  # no header, or no line with cells
        columns: dict[int, str] = {}  # cell index -> kind, under the last header row
        width = 0
        position = 0
        while position <= len(text):
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            cells = _cells(text, position, end) if _has_separator(text, position, end) else []
            if len(cells) < 2:
                columns = {} if not text[position:end].strip() or not cells else columns
            elif self._header(text, cells):
                columns = {i: _KIND_OF_HEADER[text[b:e].strip().lower()] for i, (b, e) in enumerate(cells)
                           if text[b:e].strip().lower() in _KIND_OF_HEADER}
                width = len(cells)
            elif columns and len(cells) == width:
                for i, kind in columns.items():
                    begin, stop = cells[i]
                    value = text[begin:stop].strip()
                    if value and not all(w.lower() in self.lex.not_phi for w in re.findall(r"[A-Za-z]+", value)):
                        begin += len(text[begin:stop]) - len(text[begin:stop].lstrip())
                        yield Candidate(begin, begin + len(value), kind, 0.8, f"table.{kind.lower()}")
            position = end + 1

    @staticmethod
    def _header(text: str, cells: list[tuple[int, int]]) -> bool:
        values = [text[b:e].strip().lower() for b, e in cells]
        return any(v in _KIND_OF_HEADER for v in values) and all(
            len(v.split()) <= 4 and not any(c.isdigit() for c in v) for v in values)
