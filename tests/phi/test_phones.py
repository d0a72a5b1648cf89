"""Phone numbers in NANP, international and national forms; lookalikes stay."""

import pytest

from steps.phi.builtin.document import Document
from steps.phi.builtin.phones import PhoneRecognizer


@pytest.mark.parametrize("text, value", [
    ("My mobile is +44 20 7946 0958 if you need me", "+44 20 7946 0958"),
    ("landline +49 30 123456, evenings", "+49 30 123456"),
    ("Ring +44 (0)20 7946 0958 after six", "+44 (0)20 7946 0958"),
    ("from abroad dial 0049 30 123456", "0049 30 123456"),
    ("Paris office +33 1 42 68 53 00.", "+33 1 42 68 53 00"),
    ("Sydney: +61 2 9876 5432", "+61 2 9876 5432"),
    ("Tel: 020 7946 0958", "020 7946 0958"),
    ("Fax (020) 7946 0958 for results", "(020) 7946 0958"),
    ("Her Berlin number is 030 1234567.", "030 1234567"),
    ("Mobil 0171 1234567", "0171 1234567"),
    ("call 1-800-555-0199 or (937) 555-0148 or 937.555.0148", "(937) 555-0148"),
    ("cell (617)5550134 after 5", "(617)5550134"),
    ("office 617-555-0134 ext. 221 weekdays", "617-555-0134 ext. 221"),
    ("desk 617.555.0134x22", "617.555.0134x22"),
    ("you can reach me on 297-8237 after six", "297-8237"),
    ("you can reach me on 01801195017.", "01801195017"),
])
def test_phone_forms(finds, text, value):
    assert finds(text, value, "PHONE_OR_FAX")


@pytest.mark.parametrize("text", [
    "Turned q2h at 0400 0600 0800 1000; pain 0 of 10",
    "Hb 132 g/L, K 4.4, creatinine 88, eGFR 0 change; dose 0.125 mg",
    "Score +2 at 30 min and +3 at 60 min; fluid balance +1200 ml",
    "Lot 0123 4567 89 on the vial label is the batch",
    "BP 140/100 2300 recheck; I&O 1200 2400 total",
])
def test_numbers_that_are_not_phones(found, text):
    assert not {kind for _, kind in found(text)} & {"PHONE_OR_FAX"}


@pytest.mark.parametrize("text, value", [
    ("call +1 617 555 0134 today", "+1 617 555 0134"),
    ("call 1-800-555-0199 today", "1-800-555-0199"),
    ("call (617) 555-0134 today", "(617) 555-0134"),
    ("call(617)-555-0134", "(617)-555-0134"),
    ("ward 4: 617.555.0134", "617.555.0134"),
])
def test_nanp_numbers_whether_they_open_with_a_plus_a_parenthesis_or_a_digit(text, value):
    found = {text[c.begin:c.end] for c in PhoneRecognizer().find(Document(text)) if c.rule == "phone.nanp"}
    assert found == {value}
