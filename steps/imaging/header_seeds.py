"""Header-seeded detection: the DICOM header's identifying values, looked for in the OCR words.

A value the header names (patient name, IDs, institution, physicians, dates and times) is
PHI wherever it is burned in, whatever the text engine makes of it. Each value is searched
in the forms a scanner writes it: name parts in any order, with carets or commas, as initials
next to another part; dates as 20000526, 26.05.2000, 05/26/2000, 5/26/00, 2000 May 26,
26-MAY-2000...; times as 17:24:57 or 05:24:57PM; ages as 049Y, 49Y or 49 yrs. OCR errors
are allowed for: one wrong, missing or extra character in a part of five characters or more. A lone letter beside a
matched name part is masked when it is one of the name's initials or the patient's sex.
"""

import calendar
import re
from dataclasses import dataclass, field

from steps.imaging.words import Word, token

_SEPARATORS = re.compile(r"[\s^,/\\]+")
_NOT_DIGIT = re.compile(r"\D")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_DATE = re.compile(r"^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")
_TIME = re.compile(r"^([01]\d|2[0-3])([0-5]\d)([0-5]\d)(?:\.\d+)?$")
FUZZY_MIN_LENGTH = 5
# A date or time written with spaces takes up to three words ("2000 May 26", "5:24:57 PM").
MAX_WINDOW = 3
SEXES = ("M", "F", "O")
_AGE = re.compile(r"^\d{3}[DWMY]$")
AGE_UNITS = {"Y": ("YR", "YRS", "YO", "YEAR", "YEARS"), "M": ("MO", "MOS", "MONTH", "MONTHS"),
             "W": ("WK", "WKS", "WEEK", "WEEKS"), "D": ("DAY", "DAYS")}
MONTHS = [(calendar.month_abbr[m].upper(), calendar.month_name[m].upper()) for m in range(1, 13)]


def date_forms(value: str) -> set[str]:
    """A DA value (YYYYMMDD) in every written form, upper case, separators removed."""
    year, month, day = value[:4], value[4:6], value[6:8]
    forms = set()
    for y in (year, year[2:]):
        for m in {month, month.lstrip("0")}:
            for d in {day, day.lstrip("0")}:
                forms |= {y + m + d, d + m + y, m + d + y}
                for name in MONTHS[int(month) - 1]:
                    forms |= {y + name + d, d + name + y, name + d + y}
    return forms


def time_forms(value: str) -> set[str]:
    """A TM value (HHMMSS) as read on a screen: 24-hour or 12-hour with AM/PM, with or without seconds."""
    hour, minute, second = int(value[:2]), value[2:4], value[4:6]
    twelve, suffix = (hour % 12 or 12), ("AM" if hour < 12 else "PM")
    forms = set()
    for h in {f"{hour:02d}", str(hour)}:
        forms |= {h + minute + second, h + minute}
    for h in {f"{twelve:02d}", str(twelve)}:
        forms |= {h + minute + second + suffix, h + minute + suffix}
    return forms


def age_forms(value: str) -> set[str]:
    """An AS value (three digits and D, W, M or Y) as screens write it: 049Y, 49Y, 49 yrs, 3 mos.
    Unpadded, only years keep the lone letter: 3D and 4D are ultrasound modes, not ages."""
    number, unit = value[:3].lstrip("0") or "0", value[3]
    forms = {value, number + unit} if unit == "Y" else {value}
    return forms | {number + word for word in AGE_UNITS[unit]}


def one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


@dataclass
class HeaderSeeds:
    tokens: set[str] = field(default_factory=set)  # name parts, IDs: matched word by word
    spans: set[str] = field(default_factory=set)  # dates and times: matched over up to three words
    initials: set[str] = field(default_factory=set)  # first letters of name parts, and the sex
    name_parts: set[str] = field(default_factory=set)  # parts of person names (PN values, with carets)

    @classmethod
    def from_values(cls, values: list[str], ignored: frozenset[str] = frozenset(), min_length: int = 2
                    ) -> "HeaderSeeds":
        """``ignored``: words that are never worth searching for (annotation vocabulary)."""
        seeds = cls()
        for value in values:
            parts = [p.strip("-.") for p in _SEPARATORS.split(value.upper())]
            if value.strip() in SEXES:  # "[M]" beside the name completes it; alone it says little
                seeds.initials.add(value.strip())
            if "^" in value:
                seeds.initials.update(p[0] for p in parts if p[:1].isalpha())
                seeds.name_parts.update(p for p in parts if len(p) >= min_length and p not in ignored)
            seeds.tokens.update(p for p in parts if len(p) >= min_length and p not in ignored)
            digits = _NOT_DIGIT.sub("", value)
            if _DATE.match(digits):
                seeds.spans |= date_forms(digits)
            elif _TIME.match(value.strip()):
                seeds.spans |= time_forms(value.strip())
            elif _AGE.match(value.strip().upper()):
                seeds.spans |= age_forms(value.strip().upper())
        seeds.tokens.update(s for s in seeds.spans if len(s) >= 6)
        return seeds

    def __bool__(self) -> bool:
        return bool(self.tokens or self.spans)

    def matches(self, word: Word) -> bool:
        """One word that is, contains, or is one OCR error away from an identifying value."""
        value = token(word.text).strip("()[]\"'")
        if value in self.tokens or _NOT_ALNUM.sub("", value) in self.spans and any(c.isdigit() for c in value):
            return True
        # OCR can run a name into its neighbour ("SALAZAR,CARLOS"): look inside longer words.
        if any(len(t) >= 4 and t in value for t in self.tokens):
            return True
        return len(value) >= FUZZY_MIN_LENGTH and any(
            len(t) >= FUZZY_MIN_LENGTH and one_edit_apart(value, t) for t in self.tokens)

    def matched(self, words: list[Word]) -> set[int]:
        """Indexes of the words that show a header value: alone, as a date or time over up to
        three neighbours of one line, or as an initial next to a matched name part."""
        found = {i for i, word in enumerate(words) if self.matches(word)}
        for start in range(len(words)):
            run = ""
            for end in range(start, min(start + MAX_WINDOW, len(words))):
                if not words[end].same_line(words[start]):
                    break
                run += _NOT_ALNUM.sub("", words[end].text.upper())
                if run in self.spans and any(c.isdigit() for c in run):
                    found.update(range(start, end + 1))
        for index in sorted(i for i in found if self._names_a_person(words[i])):
            for neighbour in (index - 1, index + 1):
                if 0 <= neighbour < len(words) and self._initial_beside(words[neighbour], words[index]):
                    found.add(neighbour)
        return found

    def _names_a_person(self, word: Word) -> bool:
        value = token(word.text)
        return any(part in value or len(part) >= FUZZY_MIN_LENGTH and one_edit_apart(value, part)
                   for part in self.name_parts)

    def _initial_beside(self, word: Word, named: Word) -> bool:
        letters = word.text.upper().strip(".,^()[]")
        return len(letters) == 1 and letters in self.initials and word.same_line(named)
