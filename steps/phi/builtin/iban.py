"""International bank account numbers, checked with their ISO 13616 mod-97 checksum."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate

# Country code, check digits, then 11-30 letters and digits, often in groups of four.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
_HINT = re.compile(r"\d\d ?[A-Z0-9]{4} ?[A-Z0-9]{4}")  # the check digits and two groups: opens with a digit, quick to scan


def valid_iban(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


class IbanRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for m in _IBAN.finditer(text) if _HINT.search(text) else ():
            value = m.group()
            # The optional last group may have taken the start of the next word: "... 00 Thanks" is not part.
            for end in (len(value), value.rfind(" ")):
                if end > 0 and valid_iban(value[:end]):
                    yield Candidate(m.start(), m.start() + end, "ID", 0.95, "id.iban")
                    break
