"""Ages as a scanner burns them in: "49Y", "049Y", "49 Y", "49yrs", "(49 yo)", "F/49Y", "003M".

The DICOM Age String is three digits and a unit (D, W, M or Y); screens often drop the
padding for years. Without padding, only years (and months spelled MO/MOS/MONTHS) count:
"2D", "4D" and "3M" are ultrasound modes and sizes, not ages.
"""

import re

from steps.imaging.words import Word

_YEARS = r"(?:Y|YR|YRS|YO|Y/O|YEAR|YEARS)"
_MONTHS = r"(?:MO|MOS|MONTH|MONTHS)"
_SEX = r"(?:[FMO]/)?"
_SEX_AFTER = r"(?:/[FMO])?"
AGE = re.compile(rf"^\(?{_SEX}(?:\d{{3}}[DWMY]|\d{{1,3}}(?:{_YEARS}|{_MONTHS})){_SEX_AFTER}\)?[,.;]?$")
# The number and its unit read as two words: "49 Y", "49 yrs".
_NUMBER = re.compile(r"^\(?\d{1,3}$")
_UNIT = re.compile(rf"^(?:{_YEARS}|{_MONTHS})\)?[,.;]?$")


def ages(words: list[Word]) -> set[int]:
    """Indexes of the words that write an age with its unit."""
    found = set()
    for index, word in enumerate(words):
        text = word.text.upper()
        if AGE.match(text):
            found.add(index)
        elif (_NUMBER.match(text) and index + 1 < len(words) and words[index + 1].same_line(word)
              and _UNIT.match(words[index + 1].text.upper())):
            found.update((index, index + 1))
    return found
