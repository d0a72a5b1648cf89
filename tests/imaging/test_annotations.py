"""The grammar of technical annotations, and the balanced policy that keeps what it reads."""

import pytest

from steps.imaging import policy
from steps.imaging.annotations import technical
from steps.imaging.words import Word, build_document


def _document(*lines):
    words = [Word(t, (10 + 110 * i, 10 + 40 * n, 100 + 110 * i, 30 + 40 * n), 0.9, n)
             for n, texts in enumerate(lines) for i, t in enumerate(texts.split())]
    return build_document(words)[1]


def _kept(*lines):
    words = _document(*lines)
    return [words[i].text for i in sorted(technical(words))]


@pytest.mark.parametrize("line", ["120 kVp 250 mAs", "MI 0.8 TIS 0.4 TIB 0.2", "TIS0.4 DR60 H4.00", "12.5 MHz",
                                  "30 Hz 19fps", "Depth 4.0 cm", "Gain 50%", "20dB", "L12-5", "C5-1", "6C1",
                                  "T2 FLAIR", "FSE", "SE", "R", "A", "Dist 4.21 cm", "Area: 2.3cm2", "x3 4.0cm\u2212",
                                  "20dB/DR60 2D--100% MapE/ST2",
                                  "PID: Fr: / SeriesDescription"])
def test_settings_probes_sequences_markers_and_measurements_are_technical(line):
    assert _kept(line) == line.split()


@pytest.mark.parametrize("line, masked", [
    ("Gain Mary", ["Gain", "Mary"]),  # a surname that spells a setting, with no value beside it
    ("MI 0.8 05/26/2000 TIS 0.4", ["05/26/2000"]),  # a date inside a technical line
    ("MI 0.8 2000 May 26", ["2000", "May", "26"]),
    ("General Hospital", ["General", "Hospital"]),  # a facility's name
    ("Breast Hosp", ["Breast", "Hosp"]),
    ("MASS GENERAL", ["MASS", "GENERAL"]),  # one too, without a facility word
    ("Age: 78", ["78"]),  # the label is the screen's, its value is not
    ("DAVIDSON [M]", ["DAVIDSON", "[M]"]),
    ("JohnStiles GoodGuy:x", ["JohnStiles", "GoodGuy:x"]),  # not keywords, not labels
    ("ACC 8224", ["ACC", "8224"]),
    ("TIS 0.4 4/14/2020 3/2", ["4/14/2020", "3/2"]),  # joined numbers are dates unless a counter's label precedes
])
def test_what_only_looks_technical_is_not(line, masked):
    kept = _kept(line)
    assert [t for t in line.split() if t not in kept] == masked


def test_every_policy_keeps_the_grammar_and_masks_phi_header_values_and_unknown_text_by_its_place():
    words = _document("SALAZAR CARLOS", "L12-5 MI 0.8 TIS0.4", "Gain 50% 36Hz Q7", "Zebra 4421", "KIM 12.5 MHz")
    hits = {i: {"Type": "NAME", "BeginOffset": w.begin, "EndOffset": w.end} for i, w in enumerate(words)
            if w.text == "CARLOS"}
    seeds = policy.header_seeds(["KIM^SALAZAR"])
    masked = {p: {words[i].text: r for i, r in policy.decide(words, hits, seeds, p).items()}
              for p in ("all-text", "balanced", "phi-only")}
    assert masked["balanced"] == {"SALAZAR": "header", "CARLOS": "phi", "KIM": "header", "Zebra": "text",
                                  "4421": "text"}
    assert masked["phi-only"] == {"SALAZAR": "header", "CARLOS": "phi", "KIM": "header"}
    # all-text masks the unknown word among the settings too; balanced keeps it there
    assert masked["all-text"] == {**masked["balanced"], "Q7": "text"}


def test_balanced_keeps_an_entity_the_engine_found_in_technical_words_only():
    words = _document("THI Sag Liver", "Gain Mary")
    hits = {i: {"BeginOffset": w.begin, "EndOffset": w.end} for i, w in enumerate(words) if w.text == "THI"}
    pair = {"BeginOffset": words[1].begin, "EndOffset": words[2].end}
    name = {"BeginOffset": words[3].begin, "EndOffset": words[4].end}
    hits |= {1: pair, 2: pair, 3: name, 4: name}
    balanced = policy.decide(words, hits, policy.header_seeds([]), "balanced")
    assert {words[i].text: r for i, r in balanced.items()} == {"Gain": "phi", "Mary": "phi"}
    assert len(policy.decide(words, hits, policy.header_seeds([]), "all-text")) == 5
