"""Calendar dates and the times written beside them, as a scanner's study line shows them.

A date with its year ("2021-02-28", "09/19/1957", "10-APR-1965", "13.02.1955", "19640218",
"2000 May 26") dates a study or a birth wherever it is burned in, technical line or not.
A time ("00:32", "17:24:57", "5:24 PM") is identifying only beside such a date, on its
line: alone it may be a cine's elapsed time or a clock of the scanner.
"""

import calendar
import re

from steps.imaging.words import Word

_MONTH_NAMES = "|".join(calendar.month_abbr[m].upper() for m in range(1, 13))
_DAY, _MONTH = r"(?:0?[1-9]|[12]\d|3[01])", r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"
_SEP = r"[-/.]"
DATE = re.compile(
    rf"^(?:{_YEAR}{_SEP}{_MONTH}{_SEP}{_DAY}"  # 2021-02-28
    rf"|{_DAY}{_SEP}{_MONTH}{_SEP}(?:{_YEAR}|\d{{2}})"  # 28.02.2021, 02/28/21 (day and month either way)
    rf"|{_MONTH}{_SEP}{_DAY}{_SEP}(?:{_YEAR}|\d{{2}})"
    rf"|{_DAY}{_SEP}?(?:{_MONTH_NAMES})[A-Z]*{_SEP}?(?:{_YEAR}|\d{{2}})"  # 10-APR-1965, 10APR65
    rf"|{_YEAR}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))[,.]?$")  # 19640218
# "2000 May 26", "26 May 2000", "May 26, 2000": three words of one line.
_SPELLED = re.compile(
    rf"^(?:{_YEAR} (?:{_MONTH_NAMES})[A-Z]* {_DAY}|{_DAY} (?:{_MONTH_NAMES})[A-Z]* {_YEAR}"
    rf"|(?:{_MONTH_NAMES})[A-Z]* {_DAY},? {_YEAR})$")
TIME = re.compile(r"^(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:[AP]M)?$")
_MERIDIEM = frozenset({"AM", "PM"})
# A time belongs to a date within this many words of it on the line ("2021-02-28 AM 00:32").
TIME_REACH = 2


def dates(words: list[Word]) -> set[int]:
    """Indexes of the words that write a calendar date with its year."""
    found = {i for i, word in enumerate(words) if DATE.match(word.text.upper())}
    for start in range(len(words) - 2):
        run = words[start:start + 3]
        if all(w.same_line(run[0]) for w in run) and _SPELLED.match(" ".join(w.text.upper() for w in run)):
            found.update(range(start, start + 3))
    return found


def times_beside(words: list[Word], dated: set[int]) -> set[int]:
    """Indexes of the times (and their AM/PM) within two words of a date on its line."""
    found = set()
    for index, word in enumerate(words):
        if not TIME.match(word.text.upper()):
            continue
        near = range(max(0, index - TIME_REACH), min(len(words), index + TIME_REACH + 1))
        if any(other in dated and words[other].same_line(word) for other in near):
            found.add(index)
            following = index + 1
            if following < len(words) and words[following].same_line(word) and \
                    words[following].text.upper() in _MERIDIEM:
                found.add(following)
    return found
