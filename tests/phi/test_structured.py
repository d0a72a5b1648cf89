"""Structured PHI layers: dates, phones, internet contacts, identifiers, ages, addresses."""

import pytest


@pytest.mark.parametrize("text, value", [
    ("PT IS S/P CABG X3 10/5. NEURO: A&O", "10/5"),
    ("myopathy admitted to hospital 9/3/97. (see past hx", "9/3/97"),
    ("Record date: 2069-04-07", "2069-04-07"),
    ("repair of pseudoaneurysm on July 2nd, with double stent", "July 2nd"),
    ("AFLUTTER S/P ABLATION '96, AFIB", "'96"),
    ("s/p bil mastectomies 11/92, transferred", "11/92"),
    ("PMH: CAD, S/P MI 1992; LCX PTCA", "1992"),
    ("LAST DOSE IN THIS CASE MARCH OF 1993.", "MARCH OF 1993"),
    ("DD: 04/07/69", "04/07/69"),
    ("LITHIUM TOXICITY-9/2/92.", "9/2/92"),
])
def test_dates_in_clinical_forms(found, text, value):
    assert (value, "DATE") in found(text)


@pytest.mark.parametrize("text", [
    "Patient remains intubated on PSV 10/5, Vt 450-500, rate 15-18.",
    "2300: pt c/o CP, 5/10, ECG done, pt paced",
    "1/2 NS at 200cc/hr",
    "MAE, strength 5/5 bilaterally",
    "BP 120/80 HR 72",
    "ABG 7.43/41/76/28 WITH O2 SAT 96%",
    "MIBI was reportedly stopped 2/2 to chest pain",
    "HR has been in 70s A-V paced, RR in 20's",
    "weaned to off at 0930, 1900 - 0700 shift",
])
def test_ratios_scores_and_times_are_not_dates(masked, text):
    assert masked(text) == set()


def test_phones_pagers_and_local_numbers(found):
    text = "son Hank cell# 450-928-6612 (try 1st); Home (301) 680-6286. Pager #54321. DAUGHTER---301 944-5032"
    phones = {value for value, kind in found(text) if kind == "PHONE_OR_FAX"}
    assert phones == {"450-928-6612", "(301) 680-6286", "54321", "301 944-5032"}
    assert ("240444-1243", "PHONE_OR_FAX") in found("social: pt's son ,dave, (240444-1243) was in ew")


def test_lab_values_are_not_phones(masked):
    assert masked("K 3.1, given 60 meq. PLT 123-140 over the day; wbc 11.2") == set()


def test_internet_contacts(found):
    text = "Family email jane.doe@example.org, portal https://mychart.example.com/x and host 10.2.33.4"
    assert found(text) >= {("jane.doe@example.org", "EMAIL"), ("10.2.33.4", "URL")}
    assert any(kind == "URL" and value.startswith("https://mychart") for value, kind in found(text))


def test_identifiers_by_label_and_shape(found):
    assert ("RQ36114734", "ID") in found("MRN: RQ36114734")
    assert ("8336652", "ID") in found("should arrive this morning (ref # 8336652).")
    assert ("123-45-6789", "ID") in found("SSN 123-45-6789")
    assert ("560-40-78-5", "ID") in found("OROZCO,KYLE   560-40-78-5")


def test_clinical_codes_are_not_identifiers(masked):
    assert masked("SUPPORTED VIA PB7200 VENT, CPAP & PS 15, TV300, FIO2 30%") == set()


def test_only_ages_over_89_are_phi(found, masked):
    assert ("98", "AGE") in found("98 yo gentleman admitted with NSTEMI")
    assert ("92", "AGE") in found("a 92 year old woman")
    assert masked("83 yo female admitted from rehab; 45 y/o son at bedside") == set()


def test_street_addresses_and_zip_codes(found):
    assert ("19 Clover St.", "ADDRESS") in found("Lives in elderly housing at 19 Clover St. in town")
    # the town and its ZIP code are one address with the state code between them
    assert found("lives at 45 Oak Street, Boston, MA 02115.") >= {
        ("45 Oak Street", "ADDRESS"), ("Boston, MA 02115", "ADDRESS")}
    # MD before a ZIP code is the state, not a credential after a name
    assert found("Baltimore, MD 21201") == {("Baltimore, MD 21201", "ADDRESS")}


def test_doses_are_not_streets(masked):
    assert masked("given 2 mg per dr order, 5 units reg insulin") == set()
