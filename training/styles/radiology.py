"""Radiology reports: exam line, findings in anatomical prose, impression, signature."""

import random

from training.surrogates import Surrogates
from training.writer import Writer

_EXAMS = ("CT CHEST WITHOUT CONTRAST", "MRI BRAIN W/WO CONTRAST", "CHEST X-RAY PA AND LATERAL", "CT ABDOMEN/PELVIS",
          "US RENAL", "CTA HEAD AND NECK", "XR LEFT KNEE 3 VIEWS", "PORTABLE CHEST", "MRI LUMBAR SPINE")
_FINDINGS = ("The lungs are clear.", "There is no pleural effusion or pneumothorax.",
             "Heart size is normal. Mediastinal contours are unremarkable.",
             "Mild degenerative changes of the thoracic spine.", "No acute intracranial hemorrhage.",
             "Endotracheal tube terminates 4 cm above the carina.", "A Dobhoff tube is in the stomach.",
             "Small hiatal hernia.", "Right PICC terminates in the SVC.", "Stable 6 mm nodule in the right upper lobe.",
             "Chronic small vessel ischemic disease.", "No hydronephrosis. Kidneys measure 10.9 and 11.2 cm.",
             "Swan-Ganz catheter tip in the right pulmonary artery.", "Moderate joint effusion.",
             "Findings compatible with Paget disease of bone.", "Sinuses are clear. Mastoid air cells are clear.")


def write(rng: random.Random, s: Surrogates) -> Writer:
    w = Writer()
    if rng.random() < 0.5:
        w.line("{LOC} - Department of Radiology", LOC=s.facility())
    w.line(f"EXAM: {rng.choice(_EXAMS)}")
    w.line("PATIENT: {NAME}   ACCESSION: {ID}   DOB: {DATE}", NAME=s.full_name(), ID=s.record_id(), DATE=s.date())
    w.line("DATE OF SERVICE: {DATE}", DATE=s.date())
    w.line(rng.choice(("CLINICAL INDICATION: shortness of breath.", "HISTORY: fall, pain.", "INDICATION: r/o PE.")))
    w.line("COMPARISON: {DATE}." if rng.random() < 0.6 else "COMPARISON: None.", DATE=s.date())
    w.line().line("FINDINGS:")
    w.line(" ".join(rng.sample(_FINDINGS, rng.randint(2, 6))))
    w.line().line("IMPRESSION:")
    w.line("1. " + rng.choice(_FINDINGS))
    if rng.random() < 0.5:
        w.line("Findings discussed with Dr. {NAME} by telephone at 14:32 on {DATE}.", NAME=s.last(), DATE=s.date())
    w.line("Electronically signed by {NAME}, MD on {DATE}", NAME=s.full_name(), DATE=s.date())
    return w.upper() if rng.random() < 0.25 else w
