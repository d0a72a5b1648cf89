"""Phone, fax and pager numbers."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate
from steps.phi.builtin.word_patterns import matches_at

EXTENSION = r"[ \t]*(?:ext\.?|extension|x)[ \t]*\d{1,5}\b"  # "ext. 221", "x22": part of the number before it
# (617) 555-0134, (617)5550134, (617)-555-0134, 617.555.0134, +1 617 555 0134, and an extension after it.
_NANP = re.compile(r"(?<!\d)(?<!\d-)(?:\+?1[-.\s])?(?:\(\d{3}\)-?\s*\d{3}[-.\s]?|\(?\d{3}[-.\s]{1,2}\d{3}[-.\s])\d{4}"
                   rf"(?:{EXTENSION})?(?![\d-])", re.I)
_RUN_TOGETHER = re.compile(r"\d(?<![\d/.-]\d)\d{5}-\d{4}(?![\d-])")  # 240444-1243: ten digits, one dash misplaced
_LOCAL = re.compile(r"\d(?<![\d/.-]\d)\d\d-\d{4}(?![\d-])")
_NANP_HINT = re.compile(r"\d{3}[-.\s]?\d{4}")  # every phone number ends so: a quick test before _NANP
_NANP_OPENING = re.compile(r"[+(]")  # besides a digit no digit precedes, where a _NANP match can begin
_PAGER_WORDS = frozenset({"pager", "beeper", "pgr", "pg", "page", "bpr", "cell", "phone", "tel", "fax", "ext", "x"})
_PAGER = re.compile(r"\b(?:pager|beeper|pgr|pg|page|bpr|cell|phone|tel|fax|ext|x)\b\.?\s*(?:number|no\.?|#)?\s*"
                    r"[:#]?\s*#?\s*(\d{4,6})(?!\d|[/.]\d)")  # matched on the lower-case text
# A number of 7 to 12 digits right after a phone label or "call me on", written without a trunk 0 or a country
# code: local ("Tel: 757 1164", "Fax: 4252-9796") or national ("Mobile: 98450 12345", "cell 87 123 4567",
# "call me on 412 7788 9911"). Matched at the label's token on the lower-case text.
_LABELLED_WORDS = frozenset({"tel", "phone", "telephone", "fax", "ph", "mobile", "mob", "cell", "landline", "call",
                             "ring", "text", "whatsapp", "reach"})
_LABELLED = re.compile(r"[a-z]+\.?(?:[ \t]+(?:me|us|him|her|them))?(?:[ \t]+(?:on|at|is))?"
                       r"(?:[ \t]*(?:no\.?|number|#)(?:[ \t]+is)?)?[ \t]*:?[ \t]*"
                       r"(\d{2,5}(?:[ .-]?\d{2,5}){0,3})"
                       r"(?![\d-]|[.,/:]\d|[ \t]+\d|[ \t]*(?:%|mg|mcg|ml|units?|am|pm|hrs?)\b)")
_LABELLED_DATE = re.compile(r"\d{1,2}([ .-])\d{1,2}\1(?:19|20)\d\d")  # "call on 12.03.2024" gives a date
_CLOCK = re.compile(r"(?:[01]\d|2[0-4])[0-5]\d")  # "call at 0800 1200 1600": times, not a number
_GROUP = re.compile(r"\d+")
_CONTEXT = re.compile(r"(?:phone|tel|cell|home|work|office|fax|pager|beeper|call|contact|number|#"
                      r"|reach (?:me|us|him|her|them) (?:on|at))\W{0,4}$", re.I)


class PhoneRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        if _NANP_HINT.search(text):
            # _NANP opens with lookbehinds, so finditer would try it at every character: tried only where it can begin
            starts = sorted([*doc.number_starts, *(m.start() for m in _NANP_OPENING.finditer(text))])
            for m in matches_at(_NANP, text, starts):
                yield Candidate(m.start(), m.end(), "PHONE_OR_FAX", 0.95, "phone.nanp")
        for m in matches_at(_LOCAL, text, doc.number_starts):  # these open with a digit no digit precedes
            context = bool(_CONTEXT.search(text[max(0, m.start() - 16):m.start()]))
            yield Candidate(m.start(), m.end(), "PHONE_OR_FAX", 0.85 if context else 0.3, "phone.local")
        for m in matches_at(_RUN_TOGETHER, text, doc.number_starts):
            yield Candidate(m.start(), m.end(), "PHONE_OR_FAX", 0.7, "phone.run_together")
        for m in (_LABELLED.match(doc.lower, doc.tokens[i].begin) for i in doc.indexes_of(_LABELLED_WORDS)):
            if m and self._labelled_number(m.group(1)):
                yield Candidate(m.start(1), m.end(1), "PHONE_OR_FAX", 0.85, "phone.labelled")
        for m in (_PAGER.match(doc.lower, doc.tokens[i].begin) for i in doc.indexes_of(_PAGER_WORDS)):
            if m:
                yield Candidate(m.start(1), m.end(1), "PHONE_OR_FAX", 0.85, "phone.pager")

    @staticmethod
    def _labelled_number(number: str) -> bool:
        """Seven to twelve digits that are neither a date nor a list of clock times."""
        groups = _GROUP.findall(number)
        return 7 <= sum(map(len, groups)) <= 12 and not _LABELLED_DATE.fullmatch(number) and not (
            len(groups) > 1 and all(_CLOCK.fullmatch(g) for g in groups))
