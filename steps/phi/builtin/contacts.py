"""Internet contacts: e-mail addresses, URLs and IP addresses."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate

# (type, score, pattern, a cheap test first: substrings one of which the text must hold, or a quick pattern)
_PATTERNS = (
    ("EMAIL", 0.95, re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), ("@",)),
    ("URL", 0.9, re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+[\w/]"), ("http", "www.")),
    ("URL", 0.7, re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io)\b(?:/[^\s<>\"']*)?"),
     (".com", ".org", ".net", ".edu", ".gov", ".io")),
    ("URL", 0.85, re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])"),
     re.compile(r"\d\.\d+\.\d+\.\d")),
)


class ContactRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        for entity_type, score, pattern, hints in _PATTERNS:
            if not (hints.search(doc.lower) if isinstance(hints, re.Pattern) else any(h in doc.lower for h in hints)):
                continue
            for m in pattern.finditer(doc.lower):
                yield Candidate(m.start(), m.end(), entity_type, score, f"contact.{entity_type.lower()}")
