"""Reading a document to mask: the checks every text job makes before any engine sees it."""

from steps import storage
from steps.errors import InvalidInput

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def read_document(ref: str) -> str:
    """The document's text; InvalidInput if it is too large or empty, SourceUnreadable if not UTF-8."""
    if storage.size(ref) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(f"the document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB")
    text = storage.read_text(ref)
    if not text.strip():
        raise InvalidInput("the document is empty")
    return text
