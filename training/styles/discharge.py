"""Discharge summaries: header fields, upper-case section headers, narrative hospital course."""

import random

from training import clinical, phrases
from training.surrogates import Surrogates
from training.writer import Writer

_COURSE = (
    "{NAME} is a {YOUNG}-year-old woman with {EPONYM} who presented to {LOC} on {DATE} with dyspnea.",
    "Mr. {NAME} was transferred from {LOC} in {LOC2} for further management.",
    "She was seen by Dr. {NAME} of Cardiology, who recommended {DRUG}.",
    "He lives with his wife {NAME} in {LOC}.", "The patient is a {AGE}-year-old man from {LOC}.",
    "On {DATE} she underwent a {EPONYM}.", "Dr. {NAME} discussed the plan with the patient's son, {NAME2}.",
    "Outside records from {LOC} were reviewed.", "He was admitted to {LOC} under the care of Dr. {NAME}.",
    "Ms. {NAME} was evaluated by Physical Therapy on {DATE}.",
)


def write(rng: random.Random, s: Surrogates) -> Writer:
    w = Writer()
    if rng.random() < 0.3:
        w.line("{LOC}", LOC=s.facility().upper())
    w.line(rng.choice(("DISCHARGE SUMMARY", "Discharge Summary", "DISCHARGE NOTE")))
    if rng.random() < 0.3:
        w.line(rng.choice(("Record date", "Date of service", "Visit date", "Report date")) + ": {DATE}", DATE=s.date())
    w.line("Patient: {NAME}    MRN: {ID}", NAME=s.full_name(), ID=s.record_id())
    w.line("Admission Date: {DATE}    Discharge Date: {DATE2}", DATE=s.date(), DATE2=s.date())
    w.line("Attending: {NAME}, MD", NAME=s.full_name())
    for header in rng.sample(clinical.HEADERS, rng.randint(3, 6)):
        w.line().line(header + ":")
        if header in ("MEDICATIONS", "PAST MEDICAL HISTORY"):
            w.line(clinical.medication_list(rng) if header == "MEDICATIONS" else clinical.problem_list(rng))
            continue
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.2:
                phrases.any_sentence(rng, s, w)
            elif rng.random() < 0.4:
                w.say(clinical.fill(rng, rng.choice(_COURSE)).replace("{YOUNG}", s.young_age()),
                      NAME=s.last() if rng.random() < 0.5 else s.full_name(), NAME2=s.first(), LOC=s.place(),
                      LOC2=s.city(), DATE=s.date(), AGE=s.old_age())
            else:
                w.text(clinical.prose(rng))
            w.text(" " if rng.random() < 0.6 else "\n")
        w.text("\n")
    w.line().line("Follow up with Dr. {NAME} at {LOC} on {DATE}, phone {PHONE}.", NAME=s.last(), LOC=s.facility(),
                  DATE=s.date(), PHONE=s.phone())
    w.line("Dictated by: {NAME}, MD", NAME=s.full_name())
    return w
