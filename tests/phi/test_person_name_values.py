"""DICOM PN values (family^given^...) are names whatever their casing or dictionary membership."""

import pytest


@pytest.mark.parametrize("text, name", [
    ("Patient: WASHINGTON^DENISE  ID 4471", "WASHINGTON^DENISE"),
    ("ref phys Okonkwo-Adebayo^Chidinma^N^Dr", "Okonkwo-Adebayo^Chidinma^N^Dr"),
    ("PN=SMITH^^J", "SMITH^^J"),
    ("Performed by: xyzzq^qwrtp", "xyzzq^qwrtp"),  # no dictionary holds these: the form is enough
])
def test_a_caret_joined_name_is_a_name(finds, text, name):
    assert finds(text, name, "NAME")


def test_trailing_empty_components_are_left_out(found):
    assert ("DOE^JANE", "NAME") in found("Name: DOE^JANE^^ sex F")


@pytest.mark.parametrize("text", [
    "x^2 + y^2 = r^2",  # exponents start with a letter only on one side
    "Na 140, K 4.1, Cl^- 101",
    "Press ^C to stop; the ^ key",
])
def test_carets_that_do_not_join_two_name_parts_stay(masked, text):
    assert masked(text) == set()


def test_a_caret_for_an_increase_in_a_nursing_note_stays(masked):
    assert masked("off all vasopressors overnight\ngi-^gastric outputs, tf's held") == set()
