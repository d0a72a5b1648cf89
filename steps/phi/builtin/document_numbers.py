"""Numbers of identity documents after their context words: driver's licences, passports, national
health numbers (NHS, health card, Medicare), social security and national insurance numbers, vehicle plates
and VINs, user names.

The words may stand a few words before the value ("my passport number is C01X00T47"); the value may
be written in groups ("943 476 5919") and must hold at least two digits.
"""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate

# The last word of each context phrase, and the words one of which must come before it (None: none needed).
_CONTEXT = {"licence": None, "license": None, "dl": None, "passport": None, "nhs": None, "chi": None,
            "medicare": None, "medicaid": None, "ni": None, "sin": None, "ssn": None, "tin": None, "plate": None,
            "vin": None,
            "card": {"health", "id", "insurance", "identity"}, "insurance": {"national"},
            "security": {"social"}, "id": {"national", "personal", "tax", "patient", "member", "user"},
            "username": None, "userid": None}
_TRIGGERS = frozenset(_CONTEXT)
# After the context word: fillers ("number is", "no.", "#"), then one word or groups joined by a space or dash.
_VALUE = re.compile(r"\.?(?:[ \t]*(?:(?:number|no|num|nr|is|was|id)\b\.?|#|:))*[ \t]*"
                    r"([a-z0-9](?:[a-z0-9]|[ -](?=[a-z0-9]))*[a-z0-9])")  # matched on the lower-case text


class DocumentNumberRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        tokens = doc.tokens
        for i in doc.indexes_of(_TRIGGERS):
            needed = _CONTEXT[tokens[i].lower]
            if needed is not None and (i == 0 or tokens[i - 1].lower not in needed):
                continue
            m = _VALUE.match(doc.lower, tokens[i].end)
            if m is None:
                continue
            end = self._number_end(doc.lower, m.start(1), m.group(1))
            number = doc.lower[m.start(1):end]
            if sum(c.isdigit() for c in number) >= 2 and len(number.replace(" ", "").replace("-", "")) >= 5:
                yield Candidate(m.start(1), end, "ID", 0.97, "id.document_number")  # its label outranks a phone shape

    @staticmethod
    def _number_end(lower: str, begin: int, value: str) -> int:
        """Groups belong to the number while they hold digits ("C01X00T47 in case" stops at the space),
        and a last single letter is its check letter ("QQ 12 34 56 C")."""
        end = begin
        for group in re.split(r"(?<=[a-z0-9])(?=[ -])", value):
            check_letter = len(group.lstrip(" -")) == 1 and not lower[end + len(group):end + len(group) + 1].isalnum()
            if not any(c.isdigit() for c in group) and end > begin and not check_letter:
                break
            end += len(group)
        return end
