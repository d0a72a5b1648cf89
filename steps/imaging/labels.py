"""Values that an identifying label announces: "Acc: 0545234234325V", "Tm: 14:23:53", "Age: 78".

A scanner labels what it burns in, so the label says what its value is even when the text
engine does not recognise the value (an accession number of an unusual shape, a time, an
age under 90). A label ends with ':' or, for a number, '#' ("ACC#", "MRN#"). The value is
the run of words after the label on its line, up to the next label. Labels of identifiers,
dates, times and ages announce a value up to its last word with a digit, and none without
("Acc#: AccessionNumber" is a placeholder, "Id: DCM" a name of the software); labels of
names announce up to five words.
"""

from steps.imaging.words import LOOKALIKES, Word

NUMBER_LABELS = frozenset({"ACC", "ACCESSION", "ID", "PID", "MRN", "MR", "PATIENTID",
                           "PAT", "PT", "DOB", "BIRTH", "BORN", "AGE", "DATE", "TIME", "TM", "STUDYDATE", "SSN",
                           "PHONE", "TEL", "FAX", "ZIP", "VISIT", "ENCOUNTER", "ADMISSION", "ADMIT"})
NAME_LABELS = frozenset({"NAME", "PATIENT", "PHYSICIAN", "REFERRING", "REF", "DOCTOR", "OPERATOR", "TECH",
                         "TECHNOLOGIST", "INSTITUTION", "HOSPITAL", "FACILITY", "SITE", "ADDRESS"})

_LABELS = NUMBER_LABELS | NAME_LABELS
_CLIPPABLE = sorted(label for label in _LABELS if len(label) >= 4)
# A person's or a facility's name, as far as it goes on the label's line.
MAX_NAME_WORDS = 5


def _label(word: Word) -> str | None:
    """The label a word ending with ':' or '#' spells, read through OCR's digit look-alikes ("D0B:")."""
    text = word.text.upper()
    if len(text) < 2 or text[-1] not in ":#":
        return None
    return text.rstrip(":#").replace(" ", "").translate(LOOKALIKES)


def identifying_label(word: Word) -> str | None:
    """The identifying label a word spells, also with its first or last letter clipped by OCR
    ("ech:" for "Tech:") when the label has four letters or more."""
    label = _label(word)
    if label is None or label in _LABELS:
        return label
    return next((known for known in _CLIPPABLE if label in (known[1:], known[:-1])), None)


def labelled_values(words: list[Word]) -> set[int]:
    """Indexes of the words that follow an identifying label on its line."""
    found: set[int] = set()
    for index, word in enumerate(words):
        label = identifying_label(word)
        if label is None:
            continue
        value = []
        for other in range(index + 1, len(words)):
            if not words[other].same_line(word) or _label(words[other]):
                break
            value.append(other)
        if label in NAME_LABELS:
            found.update(value[:MAX_NAME_WORDS])
        else:  # up to its last word with a digit: "DOB: 26 May 2000 AP" ends at 2000
            digits = [n for n, i in enumerate(value) if any(c.isdigit() for c in words[i].text)]
            found.update(value[:digits[-1] + 1] if digits else [])
    return found
