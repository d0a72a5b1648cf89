"""Payment card numbers: 13 to 19 digits, whole or in groups, that pass the Luhn checksum."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate
from steps.phi.builtin.word_patterns import matches_at

# Issuers' first digits: 2 and 5 Mastercard, 3 Amex/Diners/JCB, 4 Visa, 6 Discover/UnionPay.
_CARD = re.compile(r"[2-6](?<![\w.,/-][2-6])\d{3}(?:[ -]?\d{4}){2}[ -]?\d{1,4}(?:[ -]?\d{3})?(?![\w/-]|[.,]\d)"
                   r"|3(?<![\w.,/-]3)\d{3}[ -]\d{6}[ -]\d{5}(?!\w)")  # 4-4-4-4(-3) and Amex 4-6-5
_CONTEXT = re.compile(r"\b(?:card|visa|mastercard|amex|american express|discover|credit|debit|cc|payment)\b",
                      re.I)


def luhn(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class PaymentCardRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for m in matches_at(_CARD, text, doc.number_starts):  # opens with a digit no digit precedes
            digits = re.sub(r"[ -]", "", m.group())
            if 13 <= len(digits) <= 19 and luhn(digits) and len(set(digits)) > 1:
                context = _CONTEXT.search(text, max(0, m.start() - 40), m.start()) is not None
                yield Candidate(m.start(), m.end(), "ID", 0.95 if context else 0.85, "id.payment_card")
