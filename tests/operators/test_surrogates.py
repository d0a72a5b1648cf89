"""Surrogates: same kind and shape, keyed, one-to-one where the space allows, pinned by scheme version."""

import re
from datetime import date

import pytest

from steps.errors import InternalError
from steps.operators import dictionaries
from steps.operators.surrogates import SURROGATE_SCHEME, Surrogates, surrogate

KEY, OTHER_KEY = bytes(range(32)), b"o" * 32


def test_scheme_1_is_pinned():
    """Known answers of scheme 1: if one changes, the change is a new scheme version, never a silent one."""
    assert SURROGATE_SCHEME == "1"
    answers = [("NAME", "SALAZAR, CARLOS", "ANTILA, HONG"), ("NAME", "Carlos Salazar", "Hong Antila"),
               ("DATE", "2/11/1961", "11/3/1960"), ("PHONE_OR_FAX", "(617) 555-1234", "(558) 683-3784"),
               ("ID", "RQ36114734", "MU43018017"), ("ADDRESS", "Boston", "Pinckneyville"),
               ("ADDRESS", "12 Main Street", "97 Peotone Street"), ("PROFESSION", "nurse", "photographer")]
    assert [surrogate(t, v, KEY, shift_days=100) for t, v, _ in answers] == [a for _, _, a in answers]


def test_a_changed_word_list_stops_the_scheme(monkeypatch):
    monkeypatch.setitem(dictionaries.FROZEN_LISTS, "test", {"surnames.txt": "0" * 64})
    with pytest.raises(InternalError, match="needs a new scheme version"):
        dictionaries.word_list("test", "surnames.txt")


@pytest.mark.parametrize("original, form", [
    ("SALAZAR, CARLOS", r"[A-Z]+, [A-Z]+"), ("Carlos Salazar", r"[A-Z][a-z]+ [A-Z][a-z'-]+"),
    ("salazar", r"[a-z]+"), ("W. MAROTTA", r"[A-Z]\. [A-Z]+"), ("Anna K.", r"[A-Z][a-z]+ [A-Z]\."),
    ("Dr. Carlos Salazar", r"Dr\. [A-Z][a-z]+ [A-Z][a-z'-]+"),
])
def test_names_keep_their_form(original, form):
    replaced = surrogate("NAME", original, KEY)
    assert re.fullmatch(form, replaced), replaced
    assert set(re.findall(r"\w\w+", replaced.lower())) & set(re.findall(r"\w\w+", original.lower())) <= {"dr"}


def test_one_surname_is_one_surrogate_in_every_form_of_the_name():
    surname = lambda name: re.findall(r"[A-Za-z]+", name)  # noqa: E731
    assert surname(surrogate("NAME", "SALAZAR, CARLOS", KEY))[0].lower() == \
        surname(surrogate("NAME", "Carlos Salazar", KEY))[1].lower() == surrogate("NAME", "Salazar", KEY).lower()


def test_listed_names_never_meet():
    first_names = dictionaries.word_list(SURROGATE_SCHEME, "first_names.txt").entries
    session = Surrogates(KEY, 10)
    drawn = [session.draw("first_names.txt", name) for name in first_names]
    assert len(set(drawn)) == len(first_names)
    assert all(d != name for d, name in zip(drawn, first_names, strict=True))


def test_unlisted_names_that_meet_within_a_document_are_drawn_again():
    session = Surrogates(KEY, 10)
    unlisted = [f"zq{chr(97 + i)}{chr(97 + j)}x" for i in range(26) for j in range(26)]  # 676 into 5,163
    drawn = [session.draw("first_names.txt", name) for name in unlisted]
    assert len(set(drawn)) == len(unlisted)


@pytest.mark.parametrize("original, moved", [
    ("03/14/2019", "02/12/2019"), ("3/14/97", "2/12/97"), ("2019-03-14", "2019-02-12"),
    ("14.03.2019", "12.02.2019"), ("14-Mar-2019", "12-Feb-2019"), ("March 14th, 2019", "February 12th, 2019"),
    ("MAR 14 2019", "FEB 12 2019"), ("14/3", "13/2"),  # a date without a year moves within a leap year
    ("20190314", "20190212"), ("3/1/2020", "1/31/2020"),
])
def test_dates_move_by_the_shift_in_their_own_format(original, moved):
    assert surrogate("DATE", original, KEY, shift_days=30) == moved


def test_coarse_dates_move_by_whole_units_and_still_change():
    assert surrogate("DATE", "March 2019", KEY, shift_days=3) == "February 2019"
    assert surrogate("DATE", "March 2019", KEY, shift_days=70) == "January 2019"
    assert surrogate("DATE", "1998", KEY, shift_days=3) == "1997"
    assert surrogate("DATE", "'96", KEY, shift_days=400) == "'95"
    assert surrogate("DATE", "92", KEY, shift_days=30) == "91"  # a year after an event: "MI 92"


def test_a_date_that_cannot_be_read_becomes_its_type():
    assert surrogate("DATE", "Christmas", KEY, shift_days=30) == "DATE"
    assert surrogate("DATE", "11th", KEY, shift_days=30) == "DATE"
    assert surrogate("DATE", "31/02/2019", KEY, shift_days=30) == "DATE"


def test_without_a_patient_the_key_gives_one_shift():
    from steps.operators.date_shift import shift_days

    days = shift_days(KEY, "")
    expected = date(2019, 3, 14).toordinal() - days
    assert surrogate("DATE", "2019-03-14", KEY) == date.fromordinal(expected).isoformat()


def test_layouts_are_kept_digit_for_digit_and_letter_for_letter():
    phone = surrogate("PHONE_OR_FAX", "(617) 555-1234 ext 12", KEY)
    assert re.fullmatch(r"\(\d{3}\) \d{3}-\d{4} ext \d\d", phone) and phone != "(617) 555-1234 ext 12"
    record = surrogate("ID", "RQ36114734", KEY)
    assert re.fullmatch(r"[A-Z]{2}\d{8}", record) and record != "RQ36114734"
    email = surrogate("EMAIL", "carlos.salazar@example.org", KEY)
    assert re.fullmatch(r"[a-z]{6}\.[a-z]{7}@[a-z]{7}\.org", email) and "salazar" not in email


def test_places_become_other_places():
    town = surrogate("ADDRESS", "Boston", KEY)
    assert town != "Boston" and town.lower() in dictionaries.word_list(SURROGATE_SCHEME, "us_places.txt").index
    street = surrogate("ADDRESS", "12 Main Street, Springfield MA 01103", KEY)
    assert re.fullmatch(r"\d\d [A-Z][\w' .-]+ Street, [A-Z][\w' .-]+ MA \d{5}", street), street
    assert "Main" not in street and "Springfield" not in street and "01103" not in street
    assert surrogate("ADDRESS", "Memorial Hospital", KEY).endswith(" Hospital")
    assert surrogate("ADDRESS", "Memorial Hospital", KEY) != "Memorial Hospital"


def test_ages_over_89_are_grouped_and_the_others_kept():
    assert surrogate("AGE", "92", KEY) == "90+"
    assert surrogate("AGE", "104-year-old", KEY) == "90+-year-old"
    assert surrogate("AGE", "89", KEY) == "89"
    assert surrogate("AGE", "ninety-two", KEY) == "AGE"


def test_another_key_gives_other_surrogates():
    values = [("NAME", "Carlos Salazar"), ("ID", "RQ36114734"), ("ADDRESS", "Boston"), ("PHONE_OR_FAX", "555-1234")]
    assert all(surrogate(t, v, KEY) != surrogate(t, v, OTHER_KEY) for t, v in values)


def test_any_other_type_keeps_its_layout():
    assert re.fullmatch(r"[a-z]\d", surrogate("DEVICE", "x9", KEY))


def test_drawing_ends_even_when_a_document_claims_a_whole_list():
    session = Surrogates(KEY, 10)
    states = dictionaries.word_list(SURROGATE_SCHEME, "us_states.txt").entries
    drawn = [session.draw("us_states.txt", f"unlisted{i}") for i in range(len(states) + 5)]
    assert set(drawn) == set(states)  # every state claimed once, then shared rather than drawn forever
