"""Whole documents in styles the dev corpora lack, written for these tests: every marked span is found
with its type, and nothing outside them is masked.

Markup: {text|TYPE} marks a PHI span; everything else must stay readable (consult_note.txt and
education_leaflet.txt hold no PHI at all: eponyms, drugs, scores, vitals, departments).
"""

import re
from pathlib import Path

import pytest

DOCUMENTS = Path(__file__).parent / "documents"
_MARK = re.compile(r"\{([^{}|]+)\|([A-Z_]+)\}")


def parse(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The plain text and its gold spans (begin, end, type)."""
    text, spans, last = [], [], 0
    length = 0
    for m in _MARK.finditer(marked):
        text.append(marked[last:m.start()])
        length += m.start() - last
        spans.append((length, length + len(m.group(1)), m.group(2)))
        text.append(m.group(1))
        length += len(m.group(1))
        last = m.end()
    text.append(marked[last:])
    return "".join(text), spans


def test_markup_is_parsed_to_offsets():
    text, spans = parse("Seen by {Dr Ng|NAME} on {3/4|DATE}.")
    assert text == "Seen by Dr Ng on 3/4."
    assert [text[b:e] for b, e, _ in spans] == ["Dr Ng", "3/4"]


@pytest.mark.parametrize("name", sorted(p.name for p in DOCUMENTS.glob("*.txt")))
def test_document(engine, name):
    text, gold = parse((DOCUMENTS / name).read_text(encoding="utf-8"))
    kept = [e for e in engine.detect(text) if e["Score"] >= 0.5]
    missed = [(text[b:e], kind) for b, e, kind in gold
              if not any(d["BeginOffset"] <= b and e <= d["EndOffset"] and d["Type"] == kind for d in kept)
              and not _covered_by_pieces(text, kept, b, e, kind)]
    extra = [(d["Text"], d["Type"]) for d in kept if not any(d["BeginOffset"] < e and b < d["EndOffset"]
                                                             for b, e, _ in gold)]
    assert (missed, extra) == ([], [])


def _covered_by_pieces(text: str, kept: list[dict], begin: int, end: int, kind: str) -> bool:
    """A span masked by entities of its type with only spaces or punctuation between them is covered
    ("Thomas" and "Hartley" found apart)."""
    position = begin
    for d in sorted(kept, key=lambda d: d["BeginOffset"]):
        if d["Type"] == kind and d["BeginOffset"] <= position < d["EndOffset"] or (
                d["Type"] == kind and position < d["BeginOffset"] < end
                and not re.search(r"\w", text[position:d["BeginOffset"]])):
            position = max(position, d["EndOffset"])
    return position >= end
