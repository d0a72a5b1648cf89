"""Casing is judged around each word, not once per document."""

from steps.phi.builtin.document import Document

HEADER = "CARDIAC SURGERY RECOVERY UNIT NURSING PROGRESS NOTE FOR THE NIGHT SHIFT 7P TO 7A WITH FULL REVIEW OF SYSTEMS"


def test_shouting_is_judged_per_window():
    text = f"{HEADER}\n" + "Patient slept well overnight and was accepted at the rehab unit today by the team. " * 3
    doc = Document(text)
    assert doc.shouting(0)
    assert not doc.shouting(text.rindex("accepted"))


def test_an_all_caps_header_does_not_change_how_prose_is_read(finds):
    note = f"{HEADER}\nPt was accepted at Holy Cross today; family aware."
    assert sum(t.isupper() for t in note.split()) > 0.6 * len(note.split())  # the whole note is mostly capitals
    assert finds(note, "Holy Cross", "ADDRESS")


def test_capitals_in_an_all_caps_stretch_tell_nothing(masked):
    assert masked(f"{HEADER}\nPT ACCEPTED AT REHAB TODAY. WILL GO TO FLOOR IN AM.") == set()


def test_a_character_that_lengthens_in_lower_case_moves_no_offset(finds):
    text = "İstanbul clinic. Seen on 03/14/2019 by Dr. Alan Turner, age 93."
    assert len(text.lower()) != len(text)  # the case this guards
    assert Document(text).lower[text.index("03/14"):].startswith("03/14/2019")
    assert finds(text, "03/14/2019", "DATE") and finds(text, "93", "AGE")
