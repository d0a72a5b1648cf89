"""Ages over 89 (Safe Harbor lets younger ages stay)."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate

_OLD = r"(?:9\d|1[0-1]\d)"
_WITH_UNIT = re.compile(r"(9(?<![\d.]9)\d|1(?<![\d.]1)[01]\d)\s*-?\s*"
                        r"(?:y/?o|y\.o\.?|yrs?\.?\s*-?old|years?\s*-?old|yr|yrs|years?"
                        r"|yom|yof|year\s+old|y\b)")
_WITH_LABEL = re.compile(rf"\b(?:age|aged|age:)\s*({_OLD})(?!\.?\d)")  # "age 93." ends a sentence; "age 93.5" is no age
_DECADE = re.compile(r"\b(?:in\s+(?:his|her|their)\s+)(9\d)'?s\b")
# "my father is 93", "who is 91", "a woman of 94": a person, then the age alone.
# "Dad (Walter, 92)": a name and an age in parentheses.
_NAME_AGE = re.compile(rf"\([ \t]*[a-z][a-z'-]+,[ \t]*({_OLD})[ \t]*\)")
# The age is scanned for first (a digit is quick to find), the person before it checked after.
_AGE_ALONE = re.compile(r"(9(?<![\w.]9)\d|1(?<![\w.]1)[01]\d)"
                        r"(?=[ \t]*(?:[.,;:)!?]|$|and\b|but\b|now\b|today\b|this\b|next\b|with\b|who\b|lives?\b))"
                        r"(?!\.\d)",
                        re.M)
# "my grandmother in Provo is 90": a few words may stand between the person and the verb, none of them a
# measurement ("the patient's heart rate is 96").
_PERSON_IS = re.compile(r"\b(?:he|she|who|i|father|mother|dad|mom|mum|grandmother|grandfather|grandma|grandpa"
                        r"|husband|wife|patient|pt|man|woman|gentleman|lady)(?:(?:[ \t]+[\w'-]+){0,5}?[ \t]+"
                        r"(?:is|was|am|turned|turns|of)|'s|'m)[ \t]+$")
_MEASURED = re.compile(r"\b(?:rate|hr|bp|pressure|sat|sats|saturation|spo2|o2|temp|temperature|pulse|weight|wt|glucose"
                       r"|sugar|score|level|count|percent|volume|output|intake|rr|fio2|peep|map|cvp)\b")
_LINE_START = re.compile(rf"(?m)^[ \t]*({_OLD})(?=\s+(?:s/p|y|m\b|f\b|male|female|man|woman|gentleman|lady|"
                         r"w/|with|admitted|pt|patient))")


class AgeRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        words = doc.positions
        for pattern, score, needs in ((_WITH_UNIT, 0.9, None), (_WITH_LABEL, 0.9, {"age", "aged"}),
                                      (_DECADE, 0.85, {"his", "her", "their"}), (_LINE_START, 0.7, None)):
            if needs is not None and needs.isdisjoint(words):
                continue
            for m in pattern.finditer(doc.lower):
                yield Candidate(m.start(1), m.end(1), "AGE", score, "age.over_89")
        for m in _NAME_AGE.finditer(doc.lower) if "(" in doc.text else ():
            yield Candidate(m.start(1), m.end(1), "AGE", 0.8, "age.over_89")
        for m in _AGE_ALONE.finditer(doc.lower):  # "my father is 93", "who is 91", "a woman of 94"
            person = _PERSON_IS.search(doc.lower, max(0, m.start() - 60), m.start())
            if person and not _MEASURED.search(doc.lower, person.start(), m.start()):
                yield Candidate(m.start(1), m.end(1), "AGE", 0.8, "age.over_89")
