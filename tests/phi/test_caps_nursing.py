"""All-caps nursing-note sentences (written for these tests, not taken from any corpus): the rule layers must
find the PHI in them without capitalisation to go by, and leave the clinical shorthand around it unmasked."""

import pytest


@pytest.mark.parametrize("text, value, kind", [
    # facilities named in ordinary or unknown words before a facility word
    ("PLAN FOR D/C TO LUTHERAN REHAB ON FRIDAY IF INSURANCE APPROVES.", "LUTHERAN REHAB", "ADDRESS"),
    ("PT SCREENED TODAY BY BRIGHTWATER REHAB, AWAITING BED.", "BRIGHTWATER REHAB", "ADDRESS"),
    ("ADMITTED FROM MEADOWBROOK NURSING HOME WITH FEVER.", "MEADOWBROOK NURSING HOME", "ADDRESS"),
    ("WILL RETURN TO PRESCOTT PAVILION AFTER CT.", "PRESCOTT PAVILION", "ADDRESS"),
    ("FOLLOWS UP AT DALTON FAMILY PRACTICE NEXT WEEK.", "DALTON FAMILY PRACTICE", "ADDRESS"),
    # a town after a verb of living, moving or calling, though also an English word
    ("SON CALLED FROM DENVER, WILL FLY IN TONIGHT.", "DENVER", "ADDRESS"),
    ("PT LIVES IN SALEM WITH HER HUSBAND.", "SALEM", "ADDRESS"),
    # wards named after a person
    ("TRANSFERRED TO WHITMORE 6 AT 1500.", "WHITMORE 6", "ADDRESS"),
    ("D/C PLANNED TO BAKER 3 NORTH TOMORROW.", "BAKER 3 NORTH", "ADDRESS"),
    # lone surnames after nursing-note context
    ("CM HUTCHINGS FOLLOWING FOR DISPO.", "HUTCHINGS", "NAME"),
    ("CASE MGMT OKONKWO AWARE OF PLAN.", "OKONKWO", "NAME"),
    ("SPOKE WITH PETRAKIS RE GOALS OF CARE.", "PETRAKIS", "NAME"),
    ("HCP IS GLORIA FENWICK, UPDATED BY PHONE.", "GLORIA FENWICK", "NAME"),
    ("HARGROVE WAS AT THE BEDSIDE MOST OF THE EVENING.", "HARGROVE", "NAME"),
    ("FAMILY MEETING WITH ABERNATHY AND ZOLTRIK THIS AM.", "ZOLTRIK", "NAME"),
    ("SEEN BY DR MARGARET T. AT 1100, NO NEW ORDERS.", "MARGARET T.", "NAME"),
])
def test_finds_phi_in_capitals(finds, text, value, kind):
    assert finds(text, value, kind)


@pytest.mark.parametrize("text", [
    "PT DISCHARGED TO ACUTE REHAB. PULMONARY REHAB CONSULTED.",
    "WILL NEED SUBACUTE REHAB VS HOME WITH SERVICES.",
    "WILL GO TO OUTPT CARDIAC REHAB. D/C TO INPT REHAB VS SNF. SCREENED FOR PHYS REHAB.",
    "RETURNED TO THE NURSING HOME. PT FROM HOME WITH VNA.",
    "ETT SECURED AT THE 23 CM MARK AT THE LIP. CXR PENDING.",
    "CT TO 20CM SUCTION, SS DRAINAGE.",
    "VENT: AC 500 X 14, PEEP 5, FIO2 40%. ABG 7.38/42/98.",
    "LASIX 40 MG IV GIVEN WITH GOOD EFFECT, K 3.6 REPLETED.",
    "FOLEY DRAINING CLEAR YELLOW URINE. BABINSKI NEG. HOMANS NEG.",
    "SITTER AT BEDSIDE TO KEEP PT FROM PULLING LINES.",
    "DAUGHTER IS PT'S HEALTH CARE PROXY.",
    "FAMILY VISITING IN EARLY EVENING, UPDATED ON PLAN.",
    "2+ MR ON ECHO, LVEF 45%.",
])
def test_clinical_capitals_stay_unmasked(masked, text):
    assert masked(text) == set()
