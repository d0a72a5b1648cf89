"""Person names written as DICOM PN values: family^given^middle^prefix^suffix.

DICOM headers and the text burned into images write a person's name with carets (SALAZAR^CARLOS,
Washington^Denise^M). Prose never joins words with a caret, so the form itself says "person name",
whatever the casing and whether or not the parts are census names."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.registry import Candidate

# Two to five components; the family name is a word of two letters or more, and so is the given name unless
# it is empty and a middle name follows (SMITH^^J); "gi-^gastric" in a nursing note is shorthand for an increase.
_PART = r"[A-Za-z](?:[A-Za-z'.-]*[A-Za-z])"
_PN = re.compile(rf"(?<![\w^-]){_PART}\^(?:{_PART}|\^[A-Za-z][A-Za-z'.-]*)(?:\^[A-Za-z'.-]*){{0,3}}(?![\w^])")


class PersonNameValueRecognizer:
    def find(self, doc: Document) -> Iterator[Candidate]:
        if "^" not in doc.text:  # most texts: one scan, no regex
            return
        for m in _PN.finditer(doc.text):
            end = m.end()
            while doc.text[end - 1] == "^":  # trailing empty components are not part of the name
                end -= 1
            yield Candidate(m.start(), end, "NAME", 0.9, "name.dicom_pn")
