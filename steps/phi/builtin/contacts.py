"""Internet contacts: e-mail addresses, URLs and IP addresses."""

import ipaddress
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
    ("URL", 0.85, re.compile(r"(?<![\d./])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)"
                             r"(?!\d|\.\d)"),
     re.compile(r"\d\.\d+\.\d+\.\d")),
)

# IPv6: hex groups with colons, checked by ipaddress; a clock time (08:15:30) has no "::" and too few groups.
_IPV6 = re.compile(r"[0-9a-f](?<![\w:][0-9a-f])[0-9a-f]{0,3}:(?:[0-9a-f]{1,4}:){0,6}"
                   r"(?::|(?::[0-9a-f]{1,4}){1,6}|[0-9a-f]{1,4})(?![\w:])")
_IPV6_HINT = re.compile(r":[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:")  # an address without "::" has 8 groups


def _ipv6(candidate: str) -> bool:
    if "::" not in candidate and candidate.count(":") < 7:
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


class ContactRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        for m in _IPV6.finditer(doc.lower) if "::" in doc.text or _IPV6_HINT.search(doc.lower) else ():
            if _ipv6(m.group()):
                yield Candidate(m.start(), m.end(), "URL", 0.85, "contact.ipv6")
        for entity_type, score, pattern, hints in _PATTERNS:
            if not (hints.search(doc.lower) if isinstance(hints, re.Pattern) else any(h in doc.lower for h in hints)):
                continue
            for m in pattern.finditer(doc.lower):
                yield Candidate(m.start(), m.end(), entity_type, score, f"contact.{entity_type.lower()}")
