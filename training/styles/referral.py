"""Referral letters: a letterhead with the practice's address and numbers, a Re: line, a signature."""

import random

from training import clinical
from training.surrogates import Surrogates
from training.writer import Writer


def write(rng: random.Random, s: Surrogates) -> Writer:
    w = Writer()
    w.line("{LOC}", LOC=s.facility())
    for line in s.address_lines():
        w.line("{ADDR}", ADDR=line)
    w.line("Tel: {PHONE}   Fax: {PHONE2}", PHONE=s.phone(), PHONE2=s.phone())
    if rng.random() < 0.5:
        w.line("{EMAIL} | {URL}", EMAIL=s.email(), URL=s.url())
    w.line().line("{DATE}", DATE=s.date()).line()
    w.line("Dear Dr {NAME},", NAME=s.last()).line()
    label = rng.choice(("NHS No", "MRN", "Hospital No", "Medicare", "Patient ID"))
    w.line("Re: {NAME}, DOB {DATE}, " + label + " {ID}", NAME=s.full_name(), DATE=s.date(), ID=s.record_id())
    if rng.random() < 0.5:
        w.line("Address: {ADDR}", ADDR=", ".join(s.address_lines()))
    w.line()
    w.say("Thank you for seeing this {YOUNG}-year-old {who} with {cond}. ".format(
        YOUNG=s.young_age(), who=rng.choice(("man", "woman", "retired teacher")), cond=rng.choice(clinical.EPONYMS)))
    for _ in range(rng.randint(1, 4)):
        w.text(clinical.prose(rng) + " ")
    if rng.random() < 0.6:
        w.say("{NAME} was previously under the care of {LOC} in {LOC2}. ", NAME=s.first(), LOC=s.facility(),
              LOC2=s.city())
    w.line().line().line(rng.choice(("Yours sincerely,", "Kind regards,", "Sincerely,")))
    role = rng.choice(("Consultant Physician", "General Practitioner", "MD, FRCP", "Nurse Practitioner",
                       "Registered Nurse", "Social Worker", "Physician Assistant", "Clinical Nurse Specialist"))
    w.line("{NAME}" + rng.choice(("\n", ", ")) + role, NAME=s.full_name())
    return w
