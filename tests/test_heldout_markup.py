"""The blind held-out documents parse into gold a scorer can trust: an unclosed or mistyped mark
would turn PHI into plain text and the engine's correct find into a false positive."""

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))  # bench/ is a folder of scripts, not a package

from phi_engine import HELDOUT, HELDOUT_HALVES, handwritten  # noqa: E402

TYPES = {"NAME", "DATE", "AGE", "ADDRESS", "PHONE_OR_FAX", "EMAIL", "URL", "ID"}
FILES = sorted((HELDOUT / half / f"{style}.txt") for half in HELDOUT_HALVES
               for style in {path.stem for path in (HELDOUT / "tune").glob("*.txt")})


def test_both_halves_cover_the_same_style_groups():
    assert [sorted(p.stem for p in (HELDOUT / half).glob("*.txt")) for half in HELDOUT_HALVES] == \
        [sorted(p.stem for p in (HELDOUT / "tune").glob("*.txt"))] * 2
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}:{p.stem}")
def test_marks_are_closed_typed_and_trimmed(path):
    gold = handwritten(path)
    assert len(gold) >= 5
    for doc in gold.values():
        text = doc["text"]
        assert "{{" not in text and "}}" not in text, doc["id"]
        assert text.strip(), doc["id"]
        for span in doc["phi"]:
            value = text[span["start"]:span["end"]]
            assert span["type"] in TYPES, (doc["id"], span["type"])
            assert value and value == value.strip() and "|" not in value and "\n" not in value, doc["id"]


@pytest.mark.parametrize("half", HELDOUT_HALVES)
def test_each_half_has_phi_free_documents_to_measure_false_alarms(half):
    docs = [doc for path in (HELDOUT / half).glob("*.txt") for doc in handwritten(path).values()]
    assert sum(not doc["phi"] for doc in docs) >= 5
    assert sum(bool(doc["phi"]) for doc in docs) >= 30
