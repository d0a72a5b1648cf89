"""Street addresses, PO boxes and ZIP codes."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate

_SUFFIX = (r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|court|ct|way|place|pl|terrace|ter|"
           r"parkway|pkwy|highway|hwy|circle|cir|square|sq|trail|turnpike|pike")
_STREET = re.compile(rf"\d(?<!\w\d)\d{{0,4}}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][A-Za-z'-]+\s+){{1,3}}(?:{_SUFFIX})\b\.?", re.I)
_PO_BOX = re.compile(r"\bp\.?\s*o\.?\s+box\s+\d+\b")
_STATE_ZIP = re.compile(r"\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI"
                        r"|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\.?,?\s+(\d{5}(?:-\d{4})?)\b")
_CITY_STATE_ZIP = re.compile(r"\b([A-Z][A-Za-z]+(?:[ \t][A-Z][A-Za-z]+)?),?[ \t]+(?:[A-Z]{2})\.?,?[ \t]+\d{5}\b")
_FIVE_DIGITS = re.compile(r"\d{5}")
_ZIP_PLUS4 = re.compile(r"\d(?<![\d-]\d)\d{4}-\d{4}(?![\d-])")


class AddressRecognizer:
    def __init__(self, not_phi: frozenset[str]):
        self.not_phi = not_phi

    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for m in _STREET.finditer(text):
            words = m.group().split()[1:-1]
            if not any(w.lower().strip(".") in self.not_phi for w in words):
                yield Candidate(m.start(), m.end(), "ADDRESS", 0.9, "address.street")
        for m in _PO_BOX.finditer(doc.lower) if "box" in doc.lower else ():
            yield Candidate(m.start(), m.end(), "ADDRESS", 0.9, "address.po_box")
        if _FIVE_DIGITS.search(text):
            for m in _STATE_ZIP.finditer(text):
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.9, "address.zip")
            for m in _CITY_STATE_ZIP.finditer(text):  # "Boston, MA 02115": the town before a state and ZIP
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.85, "address.city")
        for m in _ZIP_PLUS4.finditer(text):
            yield Candidate(m.start(), m.end(), "ADDRESS", 0.8, "address.zip")
