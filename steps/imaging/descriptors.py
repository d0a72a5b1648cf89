"""The Clean Descriptors Option: free text kept in a DICOM header loses its PHI.

Descriptions, comments and SR text values go through the job's PHI engine together
(one document, one value a line); every entity becomes its type, and every token of an
identifying header value of the same file (a name, an ID) is replaced too, whether the
engine found it or not ("CT HEAD for SALAZAR" -> "CT HEAD for NAME").
"""

import re

from steps.options import MAX_CHUNK_BYTES
from steps.phi import get_engine
from steps.text.entities import keep, mask, merge

HEADER_VALUE = "ID"
_MIN_TOKEN = 3


class DescriptorCleaner:
    def __init__(self, engine: str, threshold: float, entity_types: list[str], identifying: list[str]):
        self.engine, self.threshold, self.entity_types = engine, threshold, entity_types
        tokens = {t for value in identifying for t in re.split(r"[\s^,/\\]+", value) if len(t) >= _MIN_TOKEN}
        self._identifying = (re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)) + r")(?!\w)",
            re.IGNORECASE) if tokens else None)

    def clean(self, texts: list[str]) -> list[str]:
        """``texts`` with their PHI replaced, in the same order."""
        flat = [" ".join(text.split()) for text in texts]  # one value a line
        cleaned: list[str] = []
        for batch in _batches(flat):
            document = "\n".join(batch)
            found = get_engine(self.engine).detect(document) if document.strip() else []
            masked = mask(document, keep(merge(found), self.threshold, self.entity_types))
            cleaned.extend(masked.split("\n"))
        if self._identifying is not None:
            cleaned = [self._identifying.sub(HEADER_VALUE, text) for text in cleaned]
        return cleaned


def _batches(texts: list[str]):
    """Runs of values under the engine's size limit (a longer value is a batch of its own,
    cut at the limit: the rest is dropped rather than kept unread)."""
    batch, size = [], 0
    for text in texts:
        encoded = len(text.encode("utf-8")) + 1
        if encoded > MAX_CHUNK_BYTES:
            text = text.encode("utf-8")[:MAX_CHUNK_BYTES - 1].decode("utf-8", "ignore")
            encoded = MAX_CHUNK_BYTES
        if batch and size + encoded > MAX_CHUNK_BYTES:
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += encoded
    if batch:
        yield batch
