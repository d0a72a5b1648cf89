"""The addresses layer in US and international forms, with the units and towns beside a street."""

import pytest

from steps.phi.builtin.addresses import AddressRecognizer
from steps.phi.builtin.document import Document


@pytest.mark.parametrize("text, values", [
    ("Flat 3, 12 High Street", {"Flat 3", "12 High Street"}),
    ("4410 West Maple Avenue, Apt 12\nDayton, OH 45402", {"4410 West Maple Avenue", "Apt 12", "Dayton", "45402"}),
    ("lives with his wife at 27 Rosemary Lane, Knaresborough.", {"27 Rosemary Lane", "Knaresborough"}),
    ("Hauptstraße 5, 10115 Berlin", {"Hauptstraße 5", "10115", "Berlin"}),
    ("Keizersgracht 123, Amsterdam", {"Keizersgracht 123", "Amsterdam"}),
    ("Via Roma 12, Milano", {"Via Roma 12", "Milano"}),
    ("12 rue de la Paix, 75002 Paris", {"12 rue de la Paix", "75002", "Paris"}),
    ("Harrogate HG1 2AB", {"Harrogate", "HG1 2AB"}),
    ("London SW1A 1AA", {"London", "SW1A 1AA"}),
    ("Vancouver, BC V6B 4Y8", {"Vancouver", "V6B 4Y8"}),
    ("8 Ashgrove Crescent, Leeds", {"8 Ashgrove Crescent", "Leeds"}),
    ("PO Box 1234, Springfield", {"PO Box 1234"}),
    ("Moved from Smallville, KS last year", {"Smallville"}),
    ("Her sister lives in Kelowna, BC.", {"Kelowna"}),
    ("42 Wallaby Way, Sydney NSW 2000", {"42 Wallaby Way", "Sydney", "2000"}),
    ("the urgent care on Lamar Blvd in the evening", {"Lamar Blvd"}),
    ("800 Medical Parkway, Suite 210", {"800 Medical Parkway"}),
    ("moved to 14440 Amanda Junctions Apt. 300, East Lisa, SD 08124.", {"14440 Amanda Junctions", "Apt. 300",
                                                                        "East Lisa", "08124"}),
    ("send it to 175/08 Malik Walk, Brianbury, NSW, 2620.", {"175/08 Malik Walk", "Brianbury", "2620"}),
    ("my new place is 221B Baker Street, London NW1 6XE", {"221B Baker Street", "London", "NW1 6XE"}),
    ("Royal Infirmary, Little France Crescent, Edinburgh EH16 4SA", {"Royal Infirmary", "Little France Crescent",
                                                                   "Edinburgh", "EH16 4SA"}),
    ("Address:\tFlat 12B, Lotus Residency, MG Road, Bengaluru 560001\nMobile: none",
     {"Flat 12B, Lotus Residency, MG Road, Bengaluru 560001"}),
])
def test_address_forms(finds, text, values):
    assert all(finds(text, value, "ADDRESS") for value in values)


def test_a_letterhead_names_who_is_at_the_street_below(finds):
    letter = "Northgate Family Practice\nFlat 3, 12 High Street\nHarrogate HG1 2AB\n\nDear Dr. Whitfield,"
    assert finds(letter, "Northgate Family Practice", "ADDRESS")


@pytest.mark.parametrize("text", [
    "Wearing 40% face tent; on 2L NP; 5MG given; 3 EPISODES OF ST DEPRESSION",
    "GIVEN 6U REG SQ PER SCALE. 10U NPH SQ AT HS. K 3.9, MG 2.0, PHOS 3.1.",
    "4 LARGE THICK LIQ GREEN STOOLS. 2 RECENT FALLS AT HOME. 1+ TRACE EDEMA. 3 FINGER EXTENSION.",
    "Room 12 is ready; floor 4 was busy; unit 5 has two beds",
    "CO/CI 9.38-6.61 SVR 588-629 via TD method; 60 via NBP",
    "K 4.4, Na 139, HCO3 24, 2AB antibody negative",
    "Abdomen: Soft, ND, NT. Given Tylenol, PO. Seen in Clinic, MA aware.",
])
def test_clinical_text_is_not_an_address(masked, text):
    assert masked(text) == set()



def _address_rules(engine, text: str) -> set[tuple[str, str]]:
    """What the addresses layer alone finds, before the candidates merge."""
    layer = next(r for r in engine.registry.recognizers if isinstance(r, AddressRecognizer))
    return {(c.rule, text[c.begin:c.end]) for c in layer.find(Document(text))}


@pytest.mark.parametrize("text", ["Dayton, OH 45402", "Dayton, OH., 45402", "Dayton, OH" + " " * 30 + "45402",
                                  "Dayton, OH\t\t45402 (home)"])
def test_a_zip_after_a_state_code_however_many_spaces_between(engine, text):
    assert {("address.zip", "45402"), ("address.city", "Dayton")} <= _address_rules(engine, text)


def test_five_digits_after_no_state_code_are_no_zip(engine):
    assert not {rule for rule, _ in _address_rules(engine, "Lot 12345 and ref 54321")} & {"address.zip", "address.city"}
