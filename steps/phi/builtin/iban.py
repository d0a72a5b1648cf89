"""International bank account numbers, checked with their ISO 13616 mod-97 checksum."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate

# Country code, check digits, then 11-30 letters and digits, often in groups of four.
# Found from the check digits on (a pattern that opens with a digit is quick to scan for); the country code is
# checked after.
_IBAN_FROM_CHECK_DIGITS = re.compile(r"\d\d(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
_COUNTRY = re.compile(r"(?<![\w])[A-Z]{2}\Z")


def valid_iban(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


class IbanRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for m in _IBAN_FROM_CHECK_DIGITS.finditer(text):
            if not _COUNTRY.search(text, max(0, m.start() - 3), m.start()):
                continue
            begin, value = m.start() - 2, text[m.start() - 2:m.end()]
            # The optional last group may have taken the start of the next word: "... 00 Thanks" is not part.
            for end in (len(value), value.rfind(" ")):
                if end > 0 and valid_iban(value[:end]):
                    yield Candidate(begin, begin + end, "ID", 0.95, "id.iban")
                    break
