"""Surrogate person names that keep the original's form.

Each word is replaced on its own, so "SMITH, JOHN", "John Smith" and "Smith" give the same
surname everywhere: a word before a comma ("LAST, FIRST") or the last word of a name is a
surname, the others are first names, and a lone word is a first name only when the census
lists it as a first name and not as a surname. Initials stay initials, titles and suffixes
(Dr, Jr, MD) stay, and casing is kept.
"""

import re

from steps.operators.casing import styled

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
KEPT = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "jr", "sr", "ii", "iii", "iv", "and",
                  "md", "do", "rn", "np", "pa", "phd", "dds", "van", "von", "de", "der", "den", "del", "la", "le"})
FIRST_NAMES, SURNAMES = "first_names.txt", "surnames.txt"


def name_surrogate(session, original: str) -> str:
    words = [m for m in _WORD.finditer(original) if m.group().lower() not in KEPT]
    full = [m for m in words if len(m.group()) > 1]
    comma = original.find(",")
    roles = {}
    if comma > 0 and any(m.start() < comma for m in full) and any(m.start() > comma for m in full):
        roles = {m.start(): SURNAMES if m.start() < comma else FIRST_NAMES for m in full}
    elif len(full) > 1:
        roles = {m.start(): FIRST_NAMES for m in full[:-1]} | {full[-1].start(): SURNAMES}
    elif full:
        lower = full[0].group().lower()
        lone_first = session.listed(FIRST_NAMES, lower) and not session.listed(SURNAMES, lower)
        roles = {full[0].start(): FIRST_NAMES if lone_first else SURNAMES}
    pieces, cursor = [], 0
    for m in words:
        word = m.group()
        if m.start() in roles:
            replacement = styled(word, session.draw(roles[m.start()], word.lower()))
        else:  # an initial
            replacement = session.layout("initial", word)
        pieces += [original[cursor:m.start()], replacement]
        cursor = m.end()
    return "".join(pieces) + original[cursor:]
