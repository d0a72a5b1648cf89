"""Record numbers, account numbers, SSNs and other identifiers, found by shape and label."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate
from steps.phi.builtin.word_patterns import matches_at

_SSN = re.compile(r"\d(?<![\d-]\d)\d\d-\d{2}-\d{4}(?![\d-])")
_LABELLED = re.compile(
    r"\b(?:mrn|mr\s*#|medical\s+record(?:\s+(?:number|no))?|record\s*(?:#|no|number)|unit\s+(?:no|number)|"
    r"acct|account|ssn|social\s+security(?:\s+number)?|ref|reference|policy|claim|member|insurance|case|"
    r"id|license|lic|serial|accession|encounter|visit)\b\.?[ \t]*(?:number|no\.?|#)?[ \t]*(?:(?:is|was)[ \t]+)?"
    r"(?:[:#][ \t]*\n?|-[ \t]+)?[ \t]*#?[ \t]*"  # "MRN - L3039574"; the value may go to the next line after a colon
    # only: not "Ref\nSpO2"
    r"(?=[a-z0-9-]*\d)([a-z0-9][a-z0-9-]{2,})")  # matched on the lower-case text, at a label's first word
# "Hospital number: HN-2024-004417": any field named a number, with a colon, holds an identifier.
# ... or "the full number is KPG 635": a second group after a space is part of it when it holds a digit.
# ... or "Hospital No A3605934": without a colon, a value of five digits or more with at most three letters before.
_NUMBER_FIELD = re.compile(r"(?:number|no\.?|num)(?:[ \t]*:|[ \t]+(?:is|was)|[ \t]+(?=[a-z]{0,3}\d{5,}(?![\w/.-])))"
                           r"[ \t]*"
                           r"(?=[a-z0-9/-]*\d|[a-z]{2,}[ ]\d)"
                           r"([a-z0-9][a-z0-9/-]{1,}[a-z0-9](?:[ ][a-z0-9]*\d[a-z0-9]*)?)")
_LABEL_WORDS = frozenset({"mrn", "mr", "medical", "record", "unit", "acct", "account", "ssn", "social", "ref",
                          "reference", "policy", "claim", "member", "insurance", "case", "id", "license", "lic",
                          "serial", "accession", "encounter", "visit"})
_LONG_NUMBER = re.compile(r"\d(?<![\w.,/-]\d)\d{6,}(?![\w.,/-])")
_DASHED_NUMBER = re.compile(r"\d(?<![\w.,/-]\d)\d+(?:-\d+){2,}(?![\w.,/-])")  # 560-40-78-5
_CODE = re.compile(r"[A-Z](?<![\w/-][A-Z])(?:[A-Z]{0,2}\d{3,}/\d{3,}|[A-Z]{1,2}\d{5,})(?![\w/-])")  # XW277/90683


_NUMBER_WORDS = frozenset({"number", "no", "num"})


class IdentifierRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for m in matches_at(_SSN, text, doc.number_starts):  # these open with a digit no digit precedes
            yield Candidate(m.start(), m.end(), "ID", 0.95, "id.ssn")
        for i in doc.indexes_of(_LABEL_WORDS):
            m = _LABELLED.match(doc.lower, doc.tokens[i].begin)
            if m:
                yield Candidate(m.start(1), m.end(1), "ID", 0.9, "id.labelled")
        for i in doc.indexes_of(_NUMBER_WORDS):
            m = _NUMBER_FIELD.match(doc.lower, doc.tokens[i].begin)
            if m:
                yield Candidate(m.start(1), m.end(1), "ID", 0.8, "id.number_field")
        for m in matches_at(_LONG_NUMBER, text, doc.number_starts):
            yield Candidate(m.start(), m.end(), "ID", 0.6, "id.long_number")
        for m in matches_at(_DASHED_NUMBER, text, doc.number_starts):
            if sum(c.isdigit() for c in m.group()) >= 7:
                yield Candidate(m.start(), m.end(), "ID", 0.6, "id.dashed_number")
        for m in _CODE.finditer(text):
            yield Candidate(m.start(), m.end(), "ID", 0.55, "id.code")
