"""Structures built once per note and shared by the layers give what the plain, slower computation gives
(fuzzed over random texts)."""

import random
import re

import numpy as np

from steps.phi.builtin import features
from steps.phi.builtin.document import Document, unaccented

PIECES = ("Anna", "O'Brien", "o''k", "DR", "mr", "x", "'", "''", "İ", "\u212a", "é", "12", "3/4", " ", "  ", "\t", "\n",
          ".", ",", "-", "_", "Ward", "SMITH", "can't", "Zoë", "O’Brien", "’", "‘", "ÉCOLE", "Ł", "e\u0301", "\u0301", "²", "ß")
ASCII_PIECES = tuple(piece for piece in PIECES if piece.isascii())


def _texts(count: int, seed: int, pieces: tuple[str, ...] = PIECES) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def test_document_tokens_are_the_words_a_whole_text_scan_finds():
    """Split and offset by adding up lengths, and split with the ASCII pattern in ASCII text, the tokens are the
    matches, in the unaccented text, of a word pattern written out: a letter, then letters, combining accents or
    apostrophes, ending on no apostrophe."""
    letter = "[^\\W\\d_²³¹¼-¾\u2070-\u209f\u2150-\u218f\u2460-\u24ff]"
    word = re.compile(f"{letter}(?:(?:{letter}|[\u0300-\u036f'])*(?:{letter}|[\u0300-\u036f]))?")
    texts = _texts(3000, seed=5) + _texts(1000, seed=6, pieces=ASCII_PIECES)
    for text in texts:
        doc = Document(text)
        assert [(t.begin, t.end, t.text, t.lower) for t in doc.tokens] == [
            (m.start(), m.end(), m.group(), m.group().lower()) for m in word.finditer(unaccented(text))]
    assert sum(len(Document(text).tokens) for text in texts) > 10_000  # the texts hold words to compare
    assert sum(not text.isascii() for text in texts) > 1000


def test_the_text_layers_read_is_unaccented_with_the_same_offsets():
    for text in _texts(2000, seed=4):
        doc = Document(text)
        assert len(doc.text) == len(doc.lower) == len(text)
        assert doc.text == "".join(map(unaccented, text))
        assert doc.lower == "".join(unaccented(char).lower() for char in text)


def test_casing_buckets_are_the_windowed_share_of_upper_case_words():
    def plain(codes: list[int]) -> list[int]:
        lettered = [k for k, code in enumerate(codes) if code != features._UNLETTERED]
        buckets = []
        for k in range(len(codes)):
            r = sum(1 for j in lettered if j < k)  # lettered words before token k
            window = lettered[max(0, r - features._WINDOW):min(len(lettered), r + features._WINDOW)]
            share = sum(codes[j] == features._UPPER for j in window) / max(len(window), 1)
            buckets.append((share >= 0.3) + (share >= 0.7))
        return buckets

    rng = random.Random(7)
    seen = set()
    for _ in range(2000):
        kinds = (features._LOWER, features._UPPER, features._UNLETTERED)
        codes = [rng.choice(kinds) for _ in range(rng.randint(0, 60))]
        got = features._casings(np.array(codes, dtype=np.int8)).tolist()
        assert got == plain(codes)
        seen.update(got)
    assert seen == {0, 1, 2}


def test_the_policys_span_words_are_the_letters_of_the_text_lower_cased():
    from steps.phi.builtin.policy import _Spans
    from steps.phi.builtin.registry import Candidate

    rng = random.Random(9)
    for text in _texts(2000, seed=8) + ["\u212aelvin Smith", "İstanbul Anna"]:
        spans = _Spans(Document(text))
        for _ in range(3):
            begin = rng.randint(0, len(text))
            c = Candidate(begin, rng.randint(begin, len(text)), "NAME", 0.9, "test")
            assert spans.words(c) == [w.lower() for w in re.findall("[A-Za-z]+", unaccented(text)[c.begin:c.end])]
