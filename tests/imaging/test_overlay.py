"""The grammar of a scanner's patient and study overlay: ages, dates, times beside dates, facility
names and the blocks that identify a patient, masked under every policy."""

import pytest

from steps.imaging import policy
from steps.imaging.overlay import identifying
from steps.imaging.overlay.ages import ages
from steps.imaging.overlay.facilities import facility_names
from steps.imaging.words import Word, build_document


def _document(*lines, top=10):
    """One word a box, 110 pixels apart; lines of one block (26 pixels apart), or (y, text) pairs."""
    words = []
    for n, line in enumerate(lines):
        y, texts = line if isinstance(line, tuple) else (top + 26 * n, line)
        words += [Word(t, (10 + 110 * i, y, 100 + 110 * i, y + 20), 0.9, n) for i, t in enumerate(texts.split())]
    return build_document(words)[1]


def _texts(words, indexes):
    return [words[i].text for i in sorted(indexes)]


@pytest.mark.parametrize("line, found", [
    ("F 49Y", ["49Y"]), ("049Y", ["049Y"]), ("49 yrs", ["49", "yrs"]), ("(49yo)", ["(49yo)"]),
    ("F/49Y", ["F/49Y"]), ("003M", ["003M"]), ("11 mos", ["11", "mos"]),
    ("2D 4D", []), ("3M", []), ("12D", []), ("Gain 49", []),  # modes, sizes and settings are no ages
])
def test_an_age_is_a_number_with_its_unit(line, found):
    words = _document(line)
    assert _texts(words, ages(words)) == found


@pytest.mark.parametrize("line, found", [
    ("2021-02-28 00:32", ["2021-02-28", "00:32"]),
    ("10-APR-1965 22:53", ["10-APR-1965", "22:53"]),
    ("03/02/2017 05:24:57 PM", ["03/02/2017", "05:24:57", "PM"]),
    ("2000 May 26 17:24", ["2000", "May", "26", "17:24"]),
    ("MI 0.8 19640218 TIS 0.4", ["19640218"]),  # a date inside a technical line
    ("00:32 Fr 12", []),  # a cine's clock, no date beside it
    ("Se: 3/2 Im: 1/19", []),  # counters are no dates
    ("v2.10.3 1.5T", []),
])
def test_dates_with_their_year_and_the_times_beside_them(line, found):
    words = _document(line)
    assert _texts(words, identifying(words, set())) == found


def test_a_time_beside_a_date_the_text_engine_found_is_masked_too():
    words = _document("Mar 3 17:24")
    assert _texts(words, identifying(words, {0, 1})) == ["17:24"]


@pytest.mark.parametrize("line, found", [
    ("ST. MARY'S MEDICAL CENTER", ["ST.", "MARY'S", "MEDICAL", "CENTER"]),
    ("Francis, Todd and Boyer Medical Center", ["Francis,", "Todd", "and", "Boyer", "Medical", "Center"]),
    ("UNIV. HOSPITAL RADIOLOGY 2022-04-07", ["UNIV.", "HOSPITAL", "RADIOLOGY"]),
    ("Breast", []), ("ST 5.0 mm", []),  # a preset, and slice thickness
])
def test_a_facility_word_makes_its_run_of_words_a_name(line, found):
    words = _document(line)
    assert _texts(words, facility_names(words)) == found


@pytest.mark.parametrize("name", ["all-text", "balanced", "phi-only"])
def test_overlay_words_mask_under_every_policy_and_technical_ones_stay(name):
    words = _document("F 49Y", "MI 0.8 05/26/2000 TIS 0.4", (400, "Gain Mary"))
    reasons = policy.decide(words, {}, policy.header_seeds([]), name)
    assert {words[i].text: r for i, r in reasons.items() if r != "text"} == {"49Y": "overlay", "05/26/2000": "overlay"}
    assert not {"MI", "0.8", "TIS", "0.4"} & {words[i].text for i in reasons} or name == "all-text"
    assert {"Gain", "Mary"} <= {words[i].text for i in reasons} or name == "phi-only"


def test_phi_only_masks_the_unknown_words_of_an_identifying_block_only():
    # the study corner: a date, a time, an accession number without a label, the scanner's model
    study = _document("2021-02-28 00:32", "A8224298 L12-5", (400, "A8224298 Fit"))
    reasons = policy.decide(study, {}, policy.header_seeds([]), "phi-only")
    masked = [(study[i].text, study[i].block) for i in sorted(reasons)]
    assert masked == [("2021-02-28", 0), ("00:32", 0), ("A8224298", 0)]  # the same ID in a block of its own stays


def test_a_clipped_or_hashed_label_announces_its_value():
    words = _document("ACC# A8224298", "ech: KN", (400, "Rate: 30"))
    reasons = policy.decide(words, {}, policy.header_seeds([]), "phi-only")
    assert {words[i].text: r for i, r in reasons.items()} == {"A8224298": "label", "KN": "label"}


def test_an_entity_run_on_into_the_next_lines_label_leaves_the_label():
    words = _document("Smith, John", "D0B: 03.12.1960")
    name = {"Type": "NAME", "BeginOffset": words[0].begin, "EndOffset": words[2].begin + 2}
    hits = {0: name, 1: name, 2: name}
    reasons = policy.decide(words, hits, policy.header_seeds([]), "balanced")
    assert {words[i].text: r for i, r in reasons.items()} == {
        "Smith,": "phi", "John": "phi", "03.12.1960": "label"}


@pytest.mark.slow
def test_a_patient_corner_read_by_ocr_is_masked_under_phi_only_without_a_header_or_text_engine():
    import numpy as np

    from steps.imaging.ocr import get_ocr_engine
    from steps.imaging.words import split_fused
    from tests.imaging.images import radiograph

    lines = [((30, 30), "KOWALSKI PIOTR"), ((30, 64), "ACC# A8224298"), ((30, 98), "F 49Y"),
             ((440, 30), "2021-02-28 00:32"), ((440, 520), "120 kVp 5.0 mm")]
    read = split_fused(get_ocr_engine("rapidocr").read(np.asarray(radiograph(lines).convert("RGB"))))
    _, words = build_document(read)
    reasons = policy.decide(words, {}, policy.header_seeds([]), "phi-only")
    kept = {w.text.upper() for i, w in enumerate(words) if i not in reasons}
    # however OCR cut the name ("KOW" "ALSKI"), nothing but the label, the sex and the settings is kept
    assert kept == {"ACC#", "F", "120", "KVP", "5.0", "MM"}
