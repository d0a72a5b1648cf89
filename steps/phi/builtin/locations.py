"""Places and facilities: hospitals, rehabs, wards, towns and cities smaller than a state."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.lexicon import Lexicon
from steps.phi.builtin.registry import Candidate

_FACILITY = {"hospital", "hosp", "rehab", "rehabilitation", "clinic", "infirmary", "adventist", "memorial",
             "manor", "nursing", "medical", "health", "healthcare", "hospice", "sanitarium", "center", "centre",
             "institute", "university", "college", "village", "home", "house", "homes", "pavilion", "lodge"}
_PREPOSITIONS = {"to", "from", "at", "in", "of", "near", "@", "via", "into", "toward", "towards"}
_SAINT = re.compile(r"\b(?:st|saint)\b\.?[ \t]*(?=[A-Za-z])", re.I)
_HOSPITAL_CODE = re.compile(r"(?<![\w/])(?:to|from|at|@|in|by|via)[ \t]+([A-Za-z]{0,3}[Hh])\b(?![/-])", re.I)
_WARD = re.compile(r"\b(?:to|on|from|at)[ \t]+([A-Za-z][a-z]+|[A-Z]+)[ \t]+(\d{1,2})\b(?![\d/.:%])", re.I)


class LocationRecognizer:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def find(self, doc: Document) -> Iterator[Candidate]:
        yield from self._facilities(doc)
        yield from self._saints(doc)
        yield from self._places(doc)
        for m in _HOSPITAL_CODE.finditer(doc.text):
            code = m.group(1).lower()
            if code not in self.lex.not_phi and code not in self.lex.common_words and len(code) >= 2:
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.7, "location.hospital_code")
        for m in _WARD.finditer(doc.text):
            word = m.group(1).lower()
            if not self.lex.is_ordinary(word):
                yield Candidate(m.start(1), m.end(2), "ADDRESS", 0.6, "location.ward")

    def _facilities(self, doc: Document) -> Iterator[Candidate]:
        """The name words before 'Hospital', 'Rehab', 'Adventist'...: 'HOLY CROSS', 'Calvert'."""
        tokens = doc.tokens
        for i, token in enumerate(tokens):
            if token.lower not in _FACILITY or i == 0:
                continue
            start = i
            while start > 0 and i - start < 3 and self._facility_word(tokens[start - 1]) and re.fullmatch(
                    r"[ \t]+|[ \t]*[.'-][ \t]*|'s[ \t]+", doc.between(tokens[start - 1], tokens[start])):
                start -= 1
            if start < i:
                yield Candidate(tokens[start].begin, tokens[i - 1].end, "ADDRESS", 0.75, "location.facility")

    def _facility_word(self, token) -> bool:
        word = token.lower
        return word not in self.lex.not_phi and word not in _FACILITY and not word.isdigit() and (
            token.text[0].isupper() or not self.lex.is_ordinary(word))

    def _saints(self, doc: Document) -> Iterator[Candidate]:
        """'St. Mary', 'ST. JOSEPH': a saint's name after St, which is also sinus tachycardia."""
        for m in _SAINT.finditer(doc.text):
            name = re.match(r"[A-Za-z]+", doc.text[m.end():])
            if name and name.group().lower() in self.lex.first_names and name.group().lower() not in self.lex.not_phi:
                yield Candidate(m.end(), m.end() + name.end(), "ADDRESS", 0.8, "location.saint")

    def _places(self, doc: Document) -> Iterator[Candidate]:
        """Towns and cities: after a preposition when the word is also ordinary English."""
        tokens = doc.tokens
        for i, token in enumerate(tokens):
            for length in (3, 2, 1):
                if i + length > len(tokens):
                    continue
                last = tokens[i + length - 1]
                phrase = " ".join(t.lower for t in tokens[i:i + length])
                if phrase not in self.lex.places or "\n" in doc.text[token.begin:last.end]:
                    continue
                after_preposition = i > 0 and tokens[i - 1].lower in _PREPOSITIONS
                if length == 1 and (phrase in self.lex.not_phi or phrase in self.lex.eponyms):
                    break
                if length == 1 and self.lex.is_ordinary(phrase) and not after_preposition:
                    break
                if not doc.mostly_upper and not token.text[0].isupper() and not after_preposition:
                    break
                score = 0.8 if after_preposition else 0.6
                yield Candidate(token.begin, last.end, "ADDRESS", score, "location.place")
                break
