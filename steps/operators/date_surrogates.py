"""Dates moved back by the patient's shift, in the form they were written.

The written date is read into parts (year, month, day; any may be missing) and each part is
written back where it stood, in its own style: 03/04/2019 stays zero-padded, "Mar" stays an
abbreviation, "2nd" keeps its ordinal, a two-digit year stays two digits. A full date moves by
exactly the shift, so intervals are kept to the day. A date without a year moves within a leap
reference year (a 29 February stays valid); a month without a day moves by the shift in whole
months, a year alone by the shift in whole years (at least one), so a coarse date changes too.
A form that cannot be read as a date (a holiday, "the 11th") becomes the type label.
"""

import re
from datetime import date, timedelta

_TOKEN = re.compile(r"\d+|[^\W\d_]+")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_ORDINALS = ("st", "nd", "rd", "th")
_REFERENCE_YEAR = 2000  # a leap year, for dates written without one
_MONTH_DAYS, _YEAR_DAYS = 30.436875, 365.2425


def _month_number(word: str) -> int | None:
    w = word.lower()
    for number, name in enumerate(MONTHS, 1):
        if len(w) >= 3 and name.startswith(w) or w == "sept" and number == 9:
            return number
    return None


def _full_year(token: str) -> int:
    value = int(token)
    if len(token) > 2:
        return value
    return 2000 + value if value < 50 else 1900 + value


def _roles(text: str, tokens: list[re.Match]) -> dict[str, re.Match] | None:
    """Which token is the year, the month and the day, or None when the text is not read as a date."""
    numbers = [t for t in tokens if t.group().isdigit()]
    months = [t for t in tokens if not t.group().isdigit() and _month_number(t.group())]
    if months:
        roles = {"month": months[0]}
        for t in numbers:
            apostrophe = text[t.start() - 1:t.start()] == "'"
            if "day" not in roles and not apostrophe and len(t.group()) <= 2 and 1 <= int(t.group()) <= 31:
                roles["day"] = t
            elif "year" not in roles and (len(t.group()) in (2, 4)):
                roles["year"] = t
            else:
                return None
        return roles
    if len(numbers) == 1 and len(numbers[0].group()) == 8:
        return {"compact": numbers[0]}
    if len(numbers) == 1:  # a year: 1992, '96, or 92 after an event ("MI 92"); "11th" is a day alone
        t = numbers[0]
        ordinal = text[t.end():t.end() + 2].lower() in _ORDINALS
        return {"year": t} if len(t.group()) in (2, 4) and not ordinal else None
    if len(numbers) == 2:
        first, second = numbers
        if len(second.group()) == 4 or int(second.group()) > 31:
            return {"month": first, "year": second}
        return {"day": first, "month": second} if int(first.group()) > 12 else {"month": first, "day": second}
    if len(numbers) == 3:
        a, b, c = numbers
        if len(a.group()) == 4:
            return {"year": a, "month": b, "day": c}
        day_first = int(a.group()) > 12 or text[a.end():b.start()] == "."
        return {"day": a, "month": b, "year": c} if day_first else {"month": a, "day": b, "year": c}
    return None


def _number(template: str, value: int, padded: bool) -> str:
    return f"{value:0{len(template)}d}" if padded else str(value)


def _month_word(template: str, month: int, compact: bool) -> str:
    """The month's name written as ``template`` was: full or abbreviated (Sept stays four letters),
    and in its case. "May" is full unless ``compact`` (between hyphens or slashes: 12-May-2000)."""
    written = template.lower()
    name = MONTHS[month - 1]
    if written != MONTHS[_month_number(template) - 1] or compact:
        name = name[:4] if month == 9 and written == "sept" else name[:3]
    if template.isupper() and len(template) > 1:
        return name.upper()
    return name.capitalize() if template[0].isupper() else name


def _ordinal(day: int) -> str:
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _moved(parts: dict[str, int], shift: int) -> dict[str, int]:
    if "day" in parts:
        year = parts.get("year", _REFERENCE_YEAR)
        moved = date(year, parts["month"], parts["day"]) - timedelta(days=shift)
        return {"year": moved.year, "month": moved.month, "day": moved.day}
    if "month" in parts:
        months = parts.get("year", _REFERENCE_YEAR) * 12 + parts["month"] - 1 - max(1, round(shift / _MONTH_DAYS))
        return {"year": months // 12, "month": months % 12 + 1}
    return {"year": parts["year"] - max(1, round(shift / _YEAR_DAYS))}


def date_surrogate(original: str, shift: int) -> str | None:
    """``original`` moved ``shift`` days back in its own form, or None if it is not read as a date."""
    tokens = list(_TOKEN.finditer(original))
    roles = _roles(original, tokens)
    if roles is None:
        return None
    if "compact" in roles:
        digits = roles["compact"].group()
        order = "ymd" if digits[:2] in ("19", "20") else "mdy"
        spans = {"ymd": ((0, 4), (4, 6), (6, 8)), "mdy": ((4, 8), (0, 2), (2, 4))}[order]
        parts = {name: int(digits[a:b]) for name, (a, b) in zip(("year", "month", "day"), spans, strict=True)}
    else:
        parts = {}
        for name, token in roles.items():
            value = token.group()
            parts[name] = _full_year(value) if name == "year" else int(value) if value.isdigit() else \
                _month_number(value)
    try:
        moved = _moved(parts, shift)
    except ValueError:  # no such day (31/02) or a year out of range
        return None
    if "compact" in roles:
        t = roles["compact"]
        y, m, d = moved["year"], moved["month"], moved["day"]
        text = f"{y:04d}{m:02d}{d:02d}" if order == "ymd" else f"{m:02d}{d:02d}{y:04d}"
        return original[:t.start()] + text + original[t.end():]
    # Zero-padded parts (03/14, "March 09") or a day and month both two digits wide (12/14) stay two wide.
    numbers = [t.group() for name, t in roles.items() if name != "year" and t.group().isdigit()]
    padded = any(n.startswith("0") for n in numbers) or len(numbers) > 1 and all(len(n) == 2 for n in numbers)
    replacements = []
    for name, token in roles.items():
        value = token.group()
        if name == "year":
            new = f"{moved['year'] % 100:02d}" if len(value) <= 2 else f"{moved['year']:04d}"
        elif value.isdigit():
            new = _number(value, moved[name], padded)
        else:
            around = original[token.start() - 1:token.start()] + original[token.end():token.end() + 1]
            new = _month_word(value, moved[name], compact=any(c in "-/" for c in around))
        end = token.end()
        if name == "day" and original[end:end + 2].lower() in _ORDINALS:
            suffix = _ordinal(moved["day"])
            new += suffix.upper() if original[end:end + 2].isupper() else suffix
            end += 2
        replacements.append((token.start(), end, new))
    pieces, cursor = [], 0
    for start, end, new in sorted(replacements):
        pieces += [original[cursor:start], new]
        cursor = end
    return "".join(pieces) + original[cursor:]
