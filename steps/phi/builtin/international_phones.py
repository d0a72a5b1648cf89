"""Phone numbers outside the NANP: international (+44 20 7946 0958, 0049 30 123456) and national
forms with a trunk prefix (020 7946 0958, 0171 1234567).

A pattern finds candidates cheaply; `phonenumbers` (Google's libphonenumber metadata) then checks
each one, so digit runs that only look like numbers (times, lab values) are dropped. Its own matcher
is never run over whole texts: it is several times slower than the rest of the engine.
"""

import re
from collections.abc import Iterator

import phonenumbers

from steps.phi.builtin.document import Document
from steps.phi.builtin.phones import EXTENSION
from steps.phi.builtin.registry import Candidate
from steps.phi.builtin.word_patterns import matches_at

# Countries whose national numbers (leading trunk 0) are checked; English-language text from these is common.
NATIONAL_REGIONS = ("GB", "IE", "AU", "NZ", "ZA", "IN", "DE", "FR", "NL", "BE", "CH", "AT", "IT", "ES")
# Each pattern starts with a literal and looks behind only there: a lookbehind first is tried at every position.
_INTERNATIONAL = re.compile(r"(?:\+(?<![\w+]\+)|0(?<![\w+]0)0)[1-9]\d{0,2}(?:[ .-]?\(0\))?"
                            r"(?:[ .-]?\(?\d{1,5}\)?){2,6}(?!\d)")
_NATIONAL = re.compile(r"(?:\((?<![\w+/.,:-]\()0|0(?<![\w+/.,:-]0))\d{1,4}\)?[ .-]?\d{2,4}(?:[ .-]?\d{2,4}){1,3}"
                       r"(?![\w/:]|[.,-]\d)")
_CONTEXT = re.compile(r"\b(?:phone|tel|telephone|mobile|mob|cell|fax|call|contact|landline|ring|text|whatsapp|number"
                      r"|reach (?:me|us|him|her|them)"
                      r"|ph|[tfm])(?:\W{0,6}|\s+(?:is|was|on|at)\W{0,3})$", re.I)  # "his number is 07911 ..."
_EXTENSION = re.compile(EXTENSION, re.I)  # "001-379-395-5021x32198", "+44 20 7946 0958 ext 12"
_CLOCK = re.compile(r"(?:[01]\d|2[0-4])[0-5]\d")  # 0600, 1430: lists of times are not phone numbers
_GROUP = re.compile(r"\d+")


def _national_starts(text: str, number_starts: list[int]) -> list[int]:
    """Where a _NATIONAL may start: a run of digits that opens with its trunk 0, or the parenthesis before it."""
    starts = []
    for start in number_starts:
        if text[start] == "0":
            if start and text[start - 1] == "(":
                starts.append(start - 1)
            starts.append(start)
    return starts


def _evenly_grouped(groups: list[str]) -> bool:
    """A subscriber number written whole (4960926) or in groups of one length (123 456), not 4567 89."""
    return len(groups) == 1 or (len({len(g) for g in groups}) == 1 and len(groups[0]) >= 3)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


class InternationalPhoneRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for m in _INTERNATIONAL.finditer(text) if "+" in text or "00" in text else ():
            end = self._international_end(m.group())
            if end:
                begin = m.start()
                if text.startswith("(", begin - 1) and ")" in m.group()[:end].split(" ", 1)[0]:
                    begin -= 1  # "(+44) 20 7946 0958": the country code in parentheses
                context = self._context(text, begin)
                yield Candidate(begin, self._extended(text, m.start() + end), "PHONE_OR_FAX", 0.95 if context else 0.9,
                                "phone.international")
        for m in matches_at(_NATIONAL, text, _national_starts(text, doc.number_starts)):
            if not 9 <= _digits(m.group()) <= 12:
                continue
            groups = _GROUP.findall(m.group())
            if all(len(g) == 4 and _CLOCK.fullmatch(g) for g in groups):
                continue
            if self._context(text, m.start()):
                if self._possible_nationally(m.group()):
                    yield Candidate(m.start(), self._extended(text, m.end()), "PHONE_OR_FAX", 0.95, "phone.national")
            elif self._grouped_as_in_a_region(m.group()):
                yield Candidate(m.start(), self._extended(text, m.end()), "PHONE_OR_FAX", 0.85, "phone.national")

    @staticmethod
    def _international_end(candidate: str) -> int:
        """Length of the longest prefix of whole digit groups that is a possible international number."""
        groups = list(_GROUP.finditer(candidate))
        for last in range(len(groups), 0, -1):  # one group: E.164 written whole (+441134960784)
            end = groups[last - 1].end()
            if candidate[end:end + 1] == ")":
                end += 1
            number = "+" + candidate[:end].removeprefix("+").removeprefix("00")
            try:
                parsed = phonenumbers.parse(number, None)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed) or (
                    phonenumbers.is_possible_number(parsed) and _digits(number) >= 9):
                return end
        return 0

    @staticmethod
    def _extended(text: str, end: int) -> int:
        extension = _EXTENSION.match(text, end)
        return extension.end() if extension else end

    @staticmethod
    def _grouped_as_in_a_region(candidate: str) -> bool:
        """Valid in one of NATIONAL_REGIONS and grouped the way that country writes it: all its groups
        (020 7946 0958 in the UK), or its area code set apart ((0131) 4960926, 07700 900 123, the
        subscriber's digits together or in even groups). Without a phone word any digit run is valid
        somewhere, but few begin with an area code that ends where the country's own does."""
        written = _GROUP.findall(candidate)
        for region in NATIONAL_REGIONS:
            try:
                parsed = phonenumbers.parse(candidate, region)
            except phonenumbers.NumberParseException:
                return False
            if not phonenumbers.is_valid_number(parsed):
                continue
            national = _GROUP.findall(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
            if [len(g) for g in written] == [len(g) for g in national] or (
                    len(written) > 1 and written[0] == national[0] and _evenly_grouped(written[1:])):
                return True
        return False

    @staticmethod
    def _possible_nationally(candidate: str) -> bool:
        """After a phone word, a number of a possible length for one of NATIONAL_REGIONS is enough."""
        for region in NATIONAL_REGIONS:
            try:
                if phonenumbers.is_possible_number(phonenumbers.parse(candidate, region)):
                    return True
            except phonenumbers.NumberParseException:
                return False
        return False

    @staticmethod
    def _context(text: str, begin: int) -> bool:
        return _CONTEXT.search(text, max(0, begin - 24), begin) is not None
