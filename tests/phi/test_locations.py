"""The places layer: facilities, saints, hospital codes, wards, towns; states stay (Safe Harbor)."""

import pytest


@pytest.mark.parametrize("text, place", [
    ("83 y.o. female Admitted from Kessler Adventist for cath", "Kessler Adventist"),
    ("ADMITTED IN TRANSFER FROM CALVERT HOSPITAL FOR MENTAL STATUS", "CALVERT HOSPITAL"),
    ("discharge to Baltimore Rehab tomorrow, please check", "Baltimore Rehab"),
    ("will transfer to St. Mary's -11AM", "St. Mary's"),
    ("OUTPATIENT BY THE CHF TEAM AT GH, BUT DEVELOPED", "GH"),
    ("Plan: Transfer to Quartermain 5 (telemetry bed)", "Quartermain 5"),
    ("LIVES WITH SON AND FAMILY IN ROCKVILLE. ALSO HAS 4 OTHER", "ROCKVILLE"),
    ("Sister called from Seattle", "Seattle"),
    ("insulin per U Maryland scale", "U Maryland"),
])
def test_places_and_facilities(found, text, place):
    assert (place, "ADDRESS") in found(text)


@pytest.mark.parametrize("text", [
    "ED Arrival Time: 18:15",
    "Sister lives in California, visits monthly.",
    "PT AWAITING REHAB PLACEMENT. CONTINUE CURRENT MEDICAL REGIMEN.",
    "situational depression r/t hosp. OOB to ch for most of day.",
    "draining lg amt of orange urine; green loose stool; pink frothy secretions",
    "ST 90s WITH ST DEPRESSION IN V4-V6",
    "SVG to D2 patent, LIMA to LAD atretic.",
    "Resp: sats 96-97% on 4lnc; started on hepat 1 pm",
])
def test_ordinary_words_units_and_states_stay(masked, text):
    assert masked(text) == set()
