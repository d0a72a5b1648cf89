"""Dates in the forms clinical notes, letters and forms use: 3/14, 3/14/97, 20/06/2024, 2069-04-07, 17.02.2023,
17-Feb-2023, July 2nd, 2000 May 26, '96, and whatever date follows a label such as DOB:.

Numeric dates with a year are dates in either order (20/06/2024 is day-first because 20 cannot be a
month); day/month pairs without a year are read in the locale's order (month-first unless day_first).
"""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate
from steps.phi.builtin.word_patterns import after_first_letter, matches_at, opening_words

_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
           "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
# 3/14/97, 20-06-2024; with full stops only before a four-digit year (17.02.2023), else it is a version or a value.
_NUMERIC_FULL = re.compile(r"(\d(?<![\d/.]\d)(?<!\d-\d)\d?)([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/%-]|\.\d)")
_ISO = re.compile(r"\d(?<![\d/.-]\d)\d{3}([-/.])(\d{1,2})\1(\d{1,2})(?![\d-]|[/.]\d)")  # 2069-04-07, 2023/02/17
_MONTH_DAY = re.compile(r"(\d(?<![/\d.]\d)\d?)/(\d{1,2})(?![/\d]|\.\d)")
_RANGE = re.compile(r"(\d(?<![/\d.]\d)\d?)/(\d{1,2})/(\d{1,2})/(\d{1,2})(?![/\d%])")  # "10/03/10/04": two days
_MONTH_YEAR = re.compile(r"(\d(?<![/\d.]\d)\d?)/(\d{2}|\d{4})(?![/\d%]|\.\d)")  # 8/87, 3/06, 11/1992
# 1960-1999 cannot be a clock time; 1900-1959 and 2000s need "in" or "since" before them.
# Scanned for its first digit, then checked behind: (?:1(?<![\d/.:-]1)9[6-9]\d|(?<=in )(?:19[0-5]\d|20[0-3]\d)|...)
_YEAR = re.compile(r"[12](?:(?<![\d/.:-]1)(?<=1)9[6-9]\d|(?<=in 1)9[0-5]\d|(?<=in 2)0[0-3]\d|(?<=since 1)9\d\d"
                   r"|(?<=since 2)0[0-3]\d)"
                   r"(?:'?s)?(?!\d|[%/:.-]\d|\s*(?:hrs?|hours|pm|am|cc|ml)\b)")
# A year after an event of the history: "MI 92", "CVA 2004", "CHOLECYSTECTOMY 77".
_HISTORY_EVENT = re.compile(r"(?:mi|ami|cva|cabg|avr|mvr|ptca|pci|tia|dvt|chf|repair|stent|stents|dx'?d|diagnosed"
                            r"|surgery|[a-z]*ectomy|[a-z]*otomy|[a-z]*plasty)")
_HISTORY_YEAR = re.compile(r"\d(?<![\d.,/:-]\d)\d(?:(?<=19|20)\d\d)?'?"
                           r"(?!\d|[%/.:-]\d|'?s\b|\s*(?:%|mg|cc|ml|min|am|pm|mn|"
                           r"hrs?|yo|y/o|year|yr|percent|beats|bpm|mm|cm|units?|liters?|l\b|x\b))")
_TICKED_YEAR = re.compile(r"(\d(?<![\d'.]\d)\d)'(?![\w'])")  # CVA 74'
# "the 11th"; not "the 2nd floor", "the 3rd dose". "the" opens a word: checked after the match.
_ORDINAL_DAY = re.compile(r"the[ \t]+(\d{1,2}(?:st|nd|rd|th))\b(?![ \t]+(?:floor|dose|doses|time|times|line|day|week"
                          r"|month|year|trimester|degree|cycle|round|attempt|visit|session|child|pregnancy|grade|rib"
                          r"|toe|finger|digit|intercostal|ics|cranial|nerve|level|episode|stage|generation|percentile"
                          r"|place|person|unit|bed|room|ward|shift|hour|minute)s?\b)")
# \b(?:\d{1,2}[-/]?MONTH[-/]?(?:\d{4}|\d{2})|(?:19|20)\d\d[ \t-]MONTH\.?[ \t-]\d{1,2}|MONTH\.?\s+ORDINAL(?:,?\s+
# (?:\d{4}|'\d{2}))?|ORDINAL\s+(?:of\s+)?MONTH\b\.?(?:,?\s+\d{4}|,\s*\d{2})?|MONTH\.?,?\s+(?:of\s+)?(?:\d{4}|'\d{2})
# |MONTH\.?,\s*\d{2})(?![\w/]), written to be scanned for its first character (word_patterns.py): the first digit
# or letter is consumed by a class, then each alternative checks it behind.
_MONTH_REST = after_first_letter(_MONTHS)
_NAMED = re.compile(
    rf"[\dadfjmnos](?<!\w[\dadfjmnos])(?:(?<=\d)\d?[-/]?(?:{_MONTHS})[-/]?(?:\d{{4}}|\d{{2}})"
    rf"|(?:(?<=1)9|(?<=2)0)\d\d[ \t-](?:{_MONTHS})\.?[ \t-]\d{{1,2}}"
    rf"|(?:{_MONTH_REST})\.?\s+{_ORDINAL}(?:,?\s+(?:\d{{4}}|'\d{{2}}))?"
    rf"|(?<=\d)\d?(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+\d{{4}}|,\s*\d{{2}})?"
    rf"|(?:{_MONTH_REST})\.?,?\s+(?:of\s+)?(?:\d{{4}}|'\d{{2}})|(?:{_MONTH_REST})\.?,\s*\d{{2}})(?![\w/])")
# What may stand in a named date before its month: a day, an ordinal's letters, a year, "of", spaces, - and /.
_BEFORE_MONTH = frozenset("-/ofstndrh")
_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_ALONE = re.compile(opening_words("january|february|april|june|july|august|sept|september|october|november"
                                         "|december") + r"\b")
_SHORT_YEAR = re.compile(r"'(?<![\w']')\d{2}\b(?!')")  # '96
_HOLIDAY = re.compile(opening_words(r"christmas|thanksgiving|easter|new year'?s(?: day| eve)?|hanukkah|memorial day"
                                     r"|labor day|independence day|halloween") + r"\b")
_HOLIDAY_WORDS = frozenset({"christmas", "thanksgiving", "easter", "year", "years", "year's", "hanukkah", "memorial",
                            "labor", "independence", "halloween"})
_MONTH_WORDS = frozenset({"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
                          "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
                          "november", "dec", "december"})
# Slash pairs that are ratios, fractions or scores, not dates.
_RATIO_BEFORE = re.compile(r"\b(?:strength|str|grade|murmur|sem|gr|x|@|bp|b/p|pulses?|motor|power|rated|rates|"
                           r"scale|score|nbp|abp|art|cuff|sbp|ratio|i:e|ie|ps|psv|cpap|bipap|imv|simv|peep|flowby|"
                           r"vent|settings|co/ci|ci|abg|vbg|cp|pain|angina|c/o|severe|had|to|pressures?)"
                           r"[\s(:=,-]*$|[/\d.]$", re.I)
_RATIO_AFTER = re.compile(r"\s*(?:strength|str|sem|murmur|ns|nss|normal saline|tab|tabs|amp|amps|cc|ml|mg|mcg|"
                          r"units?|l\b|liters?|pulses?|power|motor|ratio|scale|score|sm|hsm|dsm|rub|holo|"
                          r"systolic|diastolic|mmhg|grips?|bilat|b/l|bil|ue|le|x\b|%|mm|cm|inch|peep|ps\b|fio2|cp\b|pain|angina|"
                          r"discomfort|incisional|mediastinal|chest|fick|"
                          r"strength|tablets?|of|dose|doses|times|hrs?\b|hours|days?\b|wks?\b|weeks)", re.I)
# A date after a label is a date whatever its form: "DOB: 7.23.61", "Admitted: 2/3".
_LABELLED = re.compile(opening_words(r"dob|d\.o\.b\.?"
                                     r"|date[ \t]+of[ \t]+(?:birth|death|admission|discharge|service|surgery|visit)"
                                     r"|birth[ \t]?date|born(?:[ \t]+on)?|doa|dod|dos|admission[ \t]+date"
                                     r"|discharge[ \t]+date|visit[ \t]+date|service[ \t]+date|admitted(?=[ \t]*:)"
                                     r"|discharged(?=[ \t]*:)|seen(?=[ \t]*:)|died(?=[ \t]*:)|date(?=[ \t]*:)")
                       + r"[ \t]*[:#]?[ \t]*"
                       r"(\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{2,4})?|\d{8})(?![\d/.-]?\d)")
_OUT_OF_TEN = re.compile(r"\b(?:pain|discomfort|ache|aching|rated|rates|score|severity|intensity)\b[^.;\n]*$", re.I)
_LABEL_WORDS = frozenset({"dob", "birth", "birthdate", "born", "doa", "dod", "dos", "date", "admitted", "discharged",
                         "seen", "died"})
_CELL_AFTER = re.compile(r" *(?:[|\t]|$)", re.M)
# Lengths of the run of digits each numeric pattern opens with (the run is whole: no digit precedes it).
_DAY_OR_MONTH, _SHORT_YEAR_LENGTH, _YEAR_LENGTH = range(1, 3), range(2, 3), range(4, 5)
_SHORT_OR_LONG_YEAR = range(2, 5, 2)
_COMMON_FRACTIONS = {(1, 2), (1, 3), (1, 4), (2, 3), (3, 4), (5, 5), (4, 5), (2, 2)}  # 2/2 = "secondary to"


def _months(lower: str) -> list[int]:
    """Where a month's first three letters stand (inside words too), in order."""
    found = []
    for prefix in _MONTH_PREFIXES:
        month = lower.find(prefix)
        while month >= 0:
            found.append(month)
            month = lower.find(prefix, month + 1)
    return sorted(found)


def _named_date_starts(lower: str, months: list[int]) -> list[int]:
    """Where a _NAMED match may start: every one holds a month's first three letters, with nothing but
    _BEFORE_MONTH, digits and spaces before them (a note scanned whole takes several times longer)."""
    starts = set()
    for month in months:
        start = month
        while start > 0 and (lower[start - 1] in _BEFORE_MONTH or lower[start - 1].isdigit()
                             or lower[start - 1].isspace()):
            start -= 1
        starts.update(range(start, month + 1))
    return sorted(starts)


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _either_order(first: int, second: int) -> bool:
    return _valid(first, second) or _valid(second, first)


class DateRecognizer:
    def __init__(self, day_first: bool = False):
        self.day_first = day_first  # the locale's order for day/month pairs without a year (14/3)

    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        # These open with a run of digits (of the lengths given, before the characters given): tried only there.
        for m in matches_at(_NUMERIC_FULL, text, doc.number_starts_where(_DAY_OR_MONTH, "/.-")):
            dotted = m.group(2) == "."
            if _either_order(int(m.group(1)), int(m.group(3))) and not (dotted and m.group(4)[:2] not in ("19", "20")):
                yield Candidate(m.start(), m.end(), "DATE", 0.9 if dotted else 0.95, "date.numeric_full")
        for m in matches_at(_ISO, text, doc.number_starts_where(_YEAR_LENGTH, "-/.")):
            if _valid(int(m.group(2)), int(m.group(3))):
                yield Candidate(m.start(), m.end(), "DATE", 0.95, "date.iso")
        for m in _LABELLED.finditer(doc.lower) if not _LABEL_WORDS.isdisjoint(doc.positions) else ():
            yield Candidate(m.start(1), m.end(1), "DATE", 0.95, "date.labelled")
        slashed = "/" in text  # what these patterns need, tested in C before they are tried at every digit
        for m in matches_at(_RANGE, text, doc.number_starts_where(_DAY_OR_MONTH, "/")) if slashed else ():
            if _valid(int(m.group(1)), int(m.group(2))) and _valid(int(m.group(3)), int(m.group(4))):
                yield Candidate(m.start(), m.end(), "DATE", 0.7, "date.range")
        for m in matches_at(_MONTH_YEAR, text, doc.number_starts_where(_DAY_OR_MONTH, "/")) if slashed else ():
            if 1 <= int(m.group(1)) <= 12 and (int(m.group(2)) > 31 or len(m.group(2)) == 4):
                ratio = _RATIO_BEFORE.search(text[max(0, m.start() - 12):m.start()])
                yield Candidate(m.start(), m.end(), "DATE", 0.2 if ratio else 0.7, "date.month_year")
        years = "19" in doc.lower or "20" in doc.lower
        for m in matches_at(_YEAR, doc.lower, doc.number_starts_where(_YEAR_LENGTH)) if years else ():
            yield Candidate(m.start(), m.end(), "DATE", 0.7, "date.year")
        for m in matches_at(_HISTORY_YEAR, doc.lower, doc.number_starts_where(_SHORT_OR_LONG_YEAR)):
            year_start = m.start() - 1 if text[m.start() - 1:m.start()] == "'" else m.start()
            word_end = len(text[:year_start].rstrip(" \t"))
            word_start = word_end
            while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "'"):
                word_start -= 1
            if word_end < year_start and _HISTORY_EVENT.fullmatch(doc.lower, word_start, word_end):
                end = m.end() - 1 if text[m.end() - 1] == "'" else m.end()
                yield Candidate(m.start(), end, "DATE", 0.6, "date.history_year")
        ticked = doc.number_starts_where(_SHORT_YEAR_LENGTH, "'") if "'" in text else []
        for m in matches_at(_TICKED_YEAR, text, ticked):
            yield Candidate(m.start(1), m.end(1), "DATE", 0.3, "date.ticked_year")
        for m in _ORDINAL_DAY.finditer(doc.lower) if "the" in doc.positions else ():
            if m.start() and (doc.lower[m.start() - 1].isalnum() or doc.lower[m.start() - 1] == "_"):
                continue
            yield Candidate(m.start(1), m.end(1), "DATE", 0.7, "date.ordinal_day")
        for m in matches_at(_MONTH_DAY, text, doc.number_starts_where(_DAY_OR_MONTH, "/")) if slashed else ():
            month, day = int(m.group(1)), int(m.group(2))
            if self.day_first:
                month, day = day, month
            if _valid(month, day):
                yield Candidate(m.start(), m.end(), "DATE", self._month_day_score(text, m, month, day),
                                "date.month_day")
        if not _MONTH_WORDS.isdisjoint(doc.positions):
            months = _months(doc.lower)
            for m in matches_at(_NAMED, doc.lower, _named_date_starts(doc.lower, months)):
                yield Candidate(m.start(), m.end(), "DATE", 0.9, "date.named")
            for m in matches_at(_MONTH_ALONE, doc.lower, months):  # each opens with a month's first letters
                yield Candidate(m.start(), m.end(), "DATE", 0.6, "date.month")
        for m in _SHORT_YEAR.finditer(text):
            yield Candidate(m.start(), m.end(), "DATE", 0.6, "date.short_year")
        for m in _HOLIDAY.finditer(doc.lower) if not _HOLIDAY_WORDS.isdisjoint(doc.positions) else ():
            yield Candidate(m.start(), m.end(), "DATE", 0.7, "date.holiday")

    @staticmethod
    def _month_day_score(text: str, m: re.Match, month: int, day: int) -> float:
        before = text[max(0, m.start() - 12):m.start()]
        after = text[m.end():m.end() + 14]
        if _RATIO_BEFORE.search(before) or _RATIO_AFTER.match(after):
            return 0.2
        if m.group(2) == "10" and _OUT_OF_TEN.search(text, max(0, m.start() - 40), m.start()):
            return 0.2  # "chest pain since 0600, 7/10": a score out of ten in a sentence about pain
        if (month, day) in _COMMON_FRACTIONS and not m.group(2).startswith("0"):
            before = text[max(0, m.start() - 8):m.start()].rstrip(" ")
            in_cell = (before[-1:] in ("|", "\t", "\n") or m.start() == len(before) == 0) and _CELL_AFTER.match(
                text, m.end())
            return 0.6 if in_cell else 0.4  # alone in a table cell, a slash pair is more often a date
        return 0.9
