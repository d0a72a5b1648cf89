"""Header-seeded detection on real DICOM files: header values burned in by Pillow, read by the OCR engine."""

import numpy as np
import pytest

from steps.imaging import policy
from steps.imaging.header_seeds import HeaderSeeds
from steps.imaging.ocr import get_ocr_engine
from steps.imaging.picture import load
from steps.imaging.words import Word, build_document, split_fused
from tests.imaging.images import dicom_bytes, dicom_dataset, radiograph


def _line(*texts, line=0):
    return [Word(t, (10 + 120 * i, 10 + 40 * line, 100 + 120 * i, 30 + 40 * line), 0.9, line)
            for i, t in enumerate(texts)]


def _seeded(values, *lines):
    _, words = build_document([w for number, texts in enumerate(lines) for w in _line(*texts, line=number)])
    found = HeaderSeeds.from_values(values).matched(words)
    return {words[i].text for i in found}


@pytest.mark.parametrize("written", [("20000526",), ("2000", "May", "26"), ("26.05.2000",), ("05/26/2000",),
                                     ("5/26/00",), ("26-MAY-2000",), ("May", "26,", "2000"), ("26", "May", "2000")])
def test_a_header_date_is_found_in_every_written_form(written):
    assert _seeded(["20000526"], ("DOB:", *written)) == set(written)


def test_another_date_with_the_same_digits_in_another_order_is_not_taken():
    assert _seeded(["20000526"], ("DOB:", "2000", "May", "25"), ("12/05/2000",)) == set()


def test_name_parts_in_any_order_with_initials_and_one_ocr_error():
    assert _seeded(["DAVIDSON^DOUGLAS^K"], ("DOUGLAS", "K.", "DAVIDSON"), ("DAVlDSON,", "D"),
                   ("Davidson^Douglas",), ("Dist", "4.2", "cm")) == {
        "DOUGLAS", "K.", "DAVIDSON", "DAVlDSON,", "D", "Davidson^Douglas"}


def test_short_parts_need_an_exact_match_and_times_read_in_twelve_hours():
    assert _seeded(["LEE^AMY", "172457"], ("LEA", "AMY"), ("05:24:57PM",), ("5:24", "PM")) == {
        "AMY", "05:24:57PM", "5:24", "PM"}


def test_the_patients_age_is_found_as_written_on_a_screen_but_not_as_a_bare_number_or_a_mode():
    written = ("049Y",), ("F", "49Y"), ("49", "yrs"), ("Gain", "49"), ("3D",), ("3", "days")
    assert _seeded(["049Y", "003D"], *written) == {"049Y", "49Y", "49", "yrs", "3", "days"}


def test_accession_number_study_time_and_institution_are_found_in_other_forms():
    assert _seeded(["CT24091700831", "081233.000", "Lakeview Regional Medical Center"],
                   ("Acc", "CT24091700831"), ("08:12:33",), ("8:12", "AM"), ("LAKEVIEW", "REGI0NAL"),
                   ("W", "400")) == {"CT24091700831", "08:12:33", "8:12", "AM", "LAKEVIEW", "REGI0NAL"}


@pytest.mark.slow
def test_header_values_burned_into_a_dicom_are_masked_even_under_phi_only():
    lines = [((30, 30), "CARLOS SALAZAR"), ((30, 80), "1961 Feb 11"), ((30, 130), "County Generai"),
             ((30, 180), "Study 11.12.2011"), ((500, 520), "L12-5 MI 0.8")]
    pixels = np.asarray(radiograph(lines), dtype=np.uint16) * 16
    picture = load(dicom_bytes(dicom_dataset(pixels, bits_stored=12)))
    words = []
    for frame in picture.iter_frames():
        words.extend(split_fused(get_ocr_engine("rapidocr").read(picture.ocr_view(frame))))
    _, ordered = build_document(words)
    reasons = policy.decide(ordered, {}, policy.header_seeds(picture.header_values()), "phi-only")
    masked = {ordered[i].text.upper() for i, reason in reasons.items() if reason == policy.REASON_HEADER}
    kept = {w.text.upper() for i, w in enumerate(ordered) if i not in reasons}
    assert {"CARLOS", "SALAZAR", "1961", "FEB", "11", "COUNTY", "GENERAI", "11.12.2011"} <= masked
    assert {"L12-5", "MI", "0.8", "STUDY"} <= kept
