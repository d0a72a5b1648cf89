"""Facility names: "ST. MARY'S MEDICAL CENTER", "County General Hosp", "Univ. Hospital Radiology".

A scanner burns in the institution's name; a word that only a facility's name holds
(hospital, clinic, center, radiology...) makes its run of words on the line a name. The run
goes on through words of letters ("ST.", "MARY'S", "&", "OF") and stops at a number or a
label, so "Hospital 2021-02-28" or "Radiology Dept: 12" keep the rest for the other rules.
"""

import re

from steps.imaging.words import Word

# Words that say a line names a facility.
FACILITY_WORDS = frozenset({"HOSPITAL", "CLINIC", "CENTER", "CENTRE", "MEDICAL", "HEALTH", "HEALTHCARE",
                            "UNIVERSITY", "INSTITUTE", "COMMUNITY", "INFIRMARY", "REGIONAL", "MEMORIAL",
                            "CHILDREN'S", "RADIOLOGY", "IMAGING", "PRACTICE", "ASSOCIATES", "HOSP", "CTR", "CLIN",
                            "UNIV", "INST", "CLINICS", "HOSPITALS", "SANATORIUM", "POLYCLINIC", "KLINIKUM"})
# Words of a facility's name that say nothing alone: "St. Mary's", "MC".
NAME_WORDS = FACILITY_WORDS | {"SAINT", "ST", "MC", "OF", "THE", "&", "AND"}
_AROUND = re.compile(r"^[(\"']+|[)\"',.;]+$")
_NAME_WORD = re.compile(r"^[A-Z][A-Z.'&-]*$|^&$")
# A name is a few words: "Francis, Todd and Boyer Medical Center".
MAX_RUN = 6


def normalised(text: str) -> str:
    return _AROUND.sub("", text.upper())


def facility_names(words: list[Word]) -> set[int]:
    """Indexes of the words of every facility's name."""
    found = set()
    for index, word in enumerate(words):
        if normalised(word.text) not in FACILITY_WORDS:
            continue
        found.add(index)
        for step in (-1, 1):
            other = index + step
            while (0 <= other < len(words) and abs(other - index) <= MAX_RUN and words[other].same_line(word)
                   and _part_of_name(words[other].text)):
                found.add(other)
                other += step
    return found


def _part_of_name(text: str) -> bool:
    return not text.endswith(":") and bool(_NAME_WORD.match(normalised(text)))
