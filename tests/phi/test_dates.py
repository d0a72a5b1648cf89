"""The dates layer on forms beyond the dev notes: day-first, dotted, named months, labels, table cells."""

import pytest

from steps.phi.builtin import BuiltinEngine, default_registry


@pytest.mark.parametrize("text, value", [
    ("Seen in clinic on 20/06/2024 for review", "20/06/2024"),
    ("Letter dated 31-12-2023 from the practice", "31-12-2023"),
    ("Discharged 17.02.2023 with follow-up", "17.02.2023"),
    ("Scan booked for 2023/02/17 at the main site", "2023/02/17"),
    ("Biopsy 17-Feb-2023 showed no malignancy", "17-Feb-2023"),
    ("BIOPSY 03-MAR-21: BENIGN", "03-MAR-21"),
    ("Specimen collected 03Jan2024 at the lab", "03Jan2024"),
    ("Last colonoscopy 17 Feb 2023, normal", "17 Feb 2023"),
    ("Surgery on February 17, 2023 was uneventful", "February 17, 2023"),
    ("Vaccinated 2000 May 26 per the registry", "2000 May 26"),
    ("DOB: 4.5.50", "4.5.50"),
    ("Date of birth: 19610723", "19610723"),
    ("Admitted: 2/3", "2/3"),
])
def test_date_forms(finds, text, value):
    assert finds(text, value, "DATE")


def test_dates_in_table_cells(found):
    table = "| Date | BP | HR |\n| 3/4 | 120/80 | 72 |\nDate\tTime\n2/11\t08:15\n"
    dates = {value for value, kind in found(table) if kind == "DATE"}
    assert dates == {"3/4", "2/11"}


def test_a_pair_without_a_year_is_read_in_the_locale_order():
    month_first = BuiltinEngine()
    day_first = BuiltinEngine(default_registry(day_first=True))
    text = "Reviewed on 14/3 and again on 3/14."

    def dates(engine):
        return {e["Text"] for e in engine.detect(text) if e["Score"] >= 0.5}

    assert dates(month_first) == {"3/14"}
    assert dates(day_first) == {"14/3"}


@pytest.mark.parametrize("text", [
    "Na 140, K 4.1, Cl 101, HCO3 24; Hb 13.2; INR 2.3",
    "BP 142/88 HR 96 SpO2 97% Temp 37.1; RR 18",
    "Give 0.5 mg at 08:15 and repeat at 11:40; next dose 2.5 mg",
    "Version 2.10.2 of the pump software; 13/15 on the GCS",
    "CHA2DS2-VASc 3, HAS-BLED 2, Wells 1",
    "Scored 24/30 on the MMSE; pain 7/10 at rest",
])
def test_values_scores_and_times_are_not_dates(masked, text):
    assert masked(text) == set()
