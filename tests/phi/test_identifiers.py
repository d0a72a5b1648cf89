"""Identifier layers: IBAN (mod 97), payment cards (Luhn), identity documents by context, IP addresses."""

import pytest

from steps.phi.builtin import BuiltinEngine
from steps.phi.builtin.iban import valid_iban
from steps.phi.builtin.payment_cards import luhn


def test_checksums():
    assert valid_iban("DE89 3704 0044 0532 0130 00") and valid_iban("GB82WEST12345698765432")
    assert not valid_iban("GB82 WEST 1234 5698 7654 33")  # one digit changed
    assert luhn("4111111111111111") and luhn("378282246310005")
    assert not luhn("4111111111111112")


@pytest.mark.parametrize("text, value", [
    ("Please pay to IBAN DE89 3704 0044 0532 0130 00. Thanks", "DE89 3704 0044 0532 0130 00"),
    ("account GB82WEST12345698765432 (sort code on file)", "GB82WEST12345698765432"),
    ("card on file 4111 1111 1111 1111, exp soon", "4111 1111 1111 1111"),
    ("paid with 5555-5555-5555-4444 yesterday", "5555-5555-5555-4444"),
    ("Amex 3782 822463 10005", "3782 822463 10005"),
    ("My passport number is C01X00T47 in case you need it", "C01X00T47"),
    ("Driver's license: D123-4567-8901", "D123-4567-8901"),
    ("driving licence MORGA753116SM9IJ", "MORGA753116SM9IJ"),
    ("NHS number 943 476 5919, registered", "943 476 5919"),
    ("National Insurance number QQ 12 34 56 C.", "QQ 12 34 56 C"),
    ("Social Security # 123 45 6789", "123 45 6789"),
    ("Medicare 1EG4-TE5-MK73 on the card", "1EG4-TE5-MK73"),
    ("drives a car with plate XYZ-123 to work", "XYZ-123"),
    ("log in with the username nokonkwo82.", "nokonkwo82"),  # "no" opening the value is not "number"
    ("Hospital number:\tHN-2024-004417", "hn-2024-004417".upper()),
    ("Account number is AC-5520193.", "AC-5520193"),
    ("the reading was wrong, the full number is KPG 635.", "KPG 635"),
])
def test_identifiers(finds, text, value):
    assert finds(text, value, "ID")


@pytest.mark.parametrize("text, value", [
    ("He logged in from 2001:db8:85a3::8a2e:370:7334 yesterday", "2001:db8:85a3::8a2e:370:7334"),
    ("gateway fe80::1 and host 10.2.33.4", "fe80::1"),
    ("Our home network is 192.168.0.14.", "192.168.0.14"),
    ("full form 2001:0db8:0000:0000:0000:ff00:0042:8329.", "2001:0db8:0000:0000:0000:ff00:0042:8329"),
])
def test_ipv6_addresses(finds, text, value):
    assert finds(text, value, "URL")


@pytest.mark.parametrize("text", [
    "Card 4111 1111 1111 1112 was declined",  # fails Luhn
    "Licensed practical nurse at bedside; passport photo requested; NHS trust policy",
    "Times 08:15:30, 09:30:00 and 10:45:10; ratio 1:2:3; I:E 1:2",
    "Weights 1234 5678 9012 3456 g over four days",  # Luhn fails
    "GB vs DE84 in the table of sizes",
    "ABG on these settings: 80/48/7.45.34.7, repeat in 1 hour",
    "the number is 5 and the room number is 12",
    "| Test | Result | Ref |\n| SpO2 | 96% on 2L NC | N |\n| FiO2 | 40% | |",
])
def test_lookalikes_are_not_identifiers(masked, text):
    assert masked(text) == set()


def test_a_country_code_before_a_line_break_is_not_an_iban_country():
    """The two letters that open an IBAN end right before it: 'UP' then a line break is not a country code
    (the check once let the break into the checksum and raised ValueError)."""
    entities = BuiltinEngine().detect("REASON: FOLLOW-UP\n29 DECEMBER 2016 SEEN")
    assert [(e["Type"], e["Text"]) for e in entities] == [("DATE", "29 DECEMBER 2016")]
