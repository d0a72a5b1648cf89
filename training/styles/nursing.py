"""Nursing progress notes: terse, abbreviation-heavy, mostly all-caps, many without any PHI."""

import random

from training import clinical, phrases
from training.surrogates import Surrogates
from training.writer import Writer

_PHI_LINES = (
    "DTR {NAME} CALLED, UPDATED ON PLAN", "WIFE {NAME} IN TO VISIT, QUESTIONS ANSWERED", "SEEN BY DR. {NAME}",
    "PT TRANSFERRED FROM {LOC} VIA AMBULANCE", "PER {NAME} RN, PT HAD A GOOD NIGHT", "PLAN TO D/C TO {LOC} IN AM",
    "SON {NAME} ({PHONE}) WILL BE IN TOMORROW", "{NAME} AWARE OF {LAB}", "HCP IS {NAME}, CELL {PHONE}",
    "TO {LOC} FOR {ABBR} ON {DATE}", "RETURNED FROM {LOC} AT 1400", "DR {NAME} AWARE, NO NEW ORDERS",
    "{AGE} YO MAN ADMITTED WITH {ABBR}", "LAST BM {DATE}", "FAMILY MEETING WITH {NAME} AND {NAME2}",
    "PT FROM {LOC}, LIVES WITH DAUGHTER {NAME}", "CM {NAME} WORKING ON SCREENING FOR {LOC}",
    "NP {NAME} EVALUATED PT", "{NAME}, RN", "ADMITTED {DATE} FROM {LOC} ED", "OLD RECORDS FAXED FROM {LOC}",
    "BROTHER {NAME} FROM {LOC} ON PHONE", "PT WAS AT {LOC} UNTIL {DATE}", "{NAME} FAMILY AT BEDSIDE",
)


def write(rng: random.Random, s: Surrogates) -> Writer:
    w = Writer()
    unit = rng.choice(("MICU", "PMICU", "CCU", "CSRU", "TSICU", "SICU", "NICU", "MICU B", "ICU", "CVICU"))
    w.line(unit + rng.choice((" NPN 7P-7A", " Nursing Progress Note 7a-7p", " NSG PROGRESS NOTE:",
                              " NSG NOTE 0700-1900", " Progress Note:", " NURSING", " RN Note",
                              " Nursing Progress Note")))
    with_phi = rng.random() < 0.6
    for _ in range(rng.randint(4, 14)):
        if with_phi and rng.random() < 0.15:
            phrases.any_sentence(rng, s, w)
            w.text("\n")
        elif with_phi and rng.random() < 0.3:
            template = clinical.fill(rng, rng.choice(_PHI_LINES))
            w.line(template, NAME=s.last() if rng.random() < 0.4 else s.full_name(), NAME2=s.first(),
                   LOC=s.place(), PHONE=s.phone(), DATE=s.date(), AGE=s.old_age())
        else:
            prefix = rng.choice(clinical.SYSTEMS) + ": " if rng.random() < 0.3 else ""
            w.line(prefix + clinical.nursing(rng) + rng.choice((".", "", ";", " ")))
    if rng.random() < 0.4:
        w.line(f"{s.young_age()} YO, {rng.choice(clinical.NAME_WORDS)} NEED {rng.choice(clinical.DRUGS)}")
    return w.upper() if rng.random() < 0.8 else w
