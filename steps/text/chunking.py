"""Cut a document into overlapping chunks that each fit one DetectPHI call.

Cuts fall at a line break where possible, else at a sentence end, else at
whitespace, so that no word is split. Each chunk starts ``overlap`` characters
before the previous cut (moved forward to a word start), so an entity that
straddles a cut is seen whole by the next chunk; merging by global offsets removes
the duplicates.
"""

from dataclasses import asdict, dataclass

# Preferred cut points, best first; each cut falls just after the separator.
_SEPARATORS = ("\n\n", "\n", ". ", "? ", "! ", "; ", " ", "\t")


@dataclass(frozen=True)
class Chunk:
    index: int
    charStart: int
    charEnd: int
    byteStart: int
    byteEnd: int

    def to_dict(self) -> dict:
        return asdict(self)


def _utf8_len(ch: str) -> int:
    code = ord(ch)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def _furthest_end(text: str, start: int, max_bytes: int) -> int:
    """The largest end such that text[start:end] encodes to at most max_bytes."""
    # Fast path: a window of max_bytes characters is at most 4*max_bytes bytes.
    end = min(len(text), start + max_bytes)
    used = len(text[start:end].encode("utf-8"))
    while used > max_bytes:
        end -= 1
        used -= _utf8_len(text[end])
    return end


def _cut(text: str, start: int, limit: int) -> int:
    """Best cut position in (start, limit]; falls back to limit inside a long word."""
    floor = start + (limit - start) // 2
    for sep in _SEPARATORS:
        pos = text.rfind(sep, floor, limit)
        if pos != -1:
            return pos + len(sep)
    return limit


def _word_start(text: str, pos: int, limit: int) -> int:
    """Move ``pos`` forward to the start of a word, but not past ``limit``."""
    while 0 < pos < limit and not text[pos - 1].isspace():
        pos += 1
    return pos


def chunk_text(text: str, max_bytes: int, overlap: int) -> list[Chunk]:
    if max_bytes < 100:
        raise ValueError("max_bytes must leave room for text")
    chunks: list[Chunk] = []
    start = 0
    byte_start = 0
    while True:
        limit = _furthest_end(text, start, max_bytes)
        end = len(text) if limit == len(text) else _cut(text, start, limit)
        byte_end = byte_start + len(text[start:end].encode("utf-8"))
        chunks.append(Chunk(len(chunks), start, end, byte_start, byte_end))
        if end == len(text):
            return chunks
        # Overlap, but always make progress: the next chunk starts after this one did.
        next_start = _word_start(text, max(start + 1, end - overlap), end)
        byte_start = byte_start + len(text[start:next_start].encode("utf-8"))
        start = next_start
