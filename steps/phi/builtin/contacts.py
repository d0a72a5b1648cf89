"""Internet contacts: e-mail addresses, URLs and IP addresses."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate

_PATTERNS = (
    ("EMAIL", 0.95, re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("URL", 0.9, re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[\w/]", re.I)),
    ("URL", 0.7, re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io)\b(?:/[^\s<>\"']*)?", re.I)),
    ("URL", 0.85, re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")),
)


class ContactRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        for entity_type, score, pattern in _PATTERNS:
            for m in pattern.finditer(doc.text):
                yield Candidate(m.start(), m.end(), entity_type, score, f"contact.{entity_type.lower()}")
