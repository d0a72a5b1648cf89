"""Intake and transfer forms: one label a field, checkboxes, values in every form."""

import random

from training import clinical
from training.surrogates import Surrogates
from training.writer import Writer


def write(rng: random.Random, s: Surrogates) -> Writer:
    w = Writer()
    w.line(rng.choice(("PATIENT REGISTRATION FORM", "Transfer Form", "Intake Form", "Consent for Treatment")))
    city, state = s.city_state()
    fields = [
        ("Patient Name", "{NAME}", {"NAME": s.full_name()}), ("Date of Birth", "{DATE}", {"DATE": s.date()}),
        ("DOB", "{DATE}", {"DATE": s.date()}), ("Address", "{ADDR}", {"ADDR": s.street()}),
        ("City", "{LOC}", {"LOC": city}), ("State", state, {}),
        ("City/State/ZIP", "{LOC}, " + state + " {ADDR}", {"LOC": s.city(), "ADDR": s.faker().postcode()}),
        ("Phone", "{PHONE}", {"PHONE": s.phone()}),
        ("Mobile", "{PHONE}", {"PHONE": s.phone()}), ("Email", "{EMAIL}", {"EMAIL": s.email()}),
        ("Emergency Contact", "{NAME}", {"NAME": s.full_name()}),
        ("Relationship", rng.choice(("Daughter", "Son", "Spouse", "Friend", "Mother")), {}),
        ("Primary Care Physician", "Dr. {NAME}", {"NAME": s.full_name()}),
        ("Referring Facility", "{LOC}", {"LOC": s.facility()}), ("Ward", "{LOC}", {"LOC": s.ward()}),
        ("Insurance ID", "{ID}", {"ID": s.record_id()}), ("MRN", "{ID}", {"ID": s.record_id()}),
        ("Allergies", rng.choice(("NKDA", "Penicillin", "Sulfa", "Latex")), {}),
        ("Medications", ", ".join(rng.sample(clinical.DRUGS, 3)), {}), ("Sex", rng.choice(("M", "F", "Female")), {}),
        ("Diagnosis", rng.choice(clinical.EPONYMS), {}), ("Language", rng.choice(("English", "Spanish")), {}),
        ("Signed", "{NAME}", {"NAME": s.full_name()}), ("Date", "{DATE}", {"DATE": s.date()}),
    ]
    separator = rng.choice((": ", ":  ", ":\t", " - ", ": "))
    for label, template, values in rng.sample(fields, rng.randint(8, len(fields))):
        label = label.upper() if rng.random() < 0.3 else label
        w.line(label + separator + template, **values)
    w.line("[x] " + rng.choice(("Inpatient", "Outpatient")) + "   [ ] " + rng.choice(("Observation", "Day Surgery")))
    return w
