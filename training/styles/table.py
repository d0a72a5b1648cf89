"""Tables: visit lists with dates, clinicians and places in cells; lab tables without PHI."""

import random

from training import clinical
from training.surrogates import Surrogates
from training.writer import Writer


def write(rng: random.Random, s: Surrogates) -> Writer:
    w = Writer()
    bar = rng.random() < 0.5
    cell = " | " if bar else rng.choice(("\t", "   "))
    w.line(rng.choice(("Visit history", "ENCOUNTERS", "Appointments", "Medication administration record")))
    w.line(cell.join(("Date", "Clinician", "Location", "Reason")))
    for _ in range(rng.randint(2, 8)):
        title = "Dr. " if rng.random() < 0.4 else ""
        w.say("{DATE}" + cell + title + "{NAME}" + cell + "{LOC}" + cell, DATE=s.date(),
              NAME=s.last() if title else s.full_name(), LOC=s.place())
        w.line(rng.choice((clinical.fill(rng, "{EPONYM}"), clinical.fill(rng, "{ABBR} review"), "follow-up")))
    w.line().line(cell.join(("Test", "Result", "Ref")))
    for lab in rng.sample(clinical.LABS, rng.randint(2, 6)):
        name, _, value = lab.partition(" ")
        w.line(cell.join((name, value, rng.choice(("H", "L", "", "N")))))
    return w.upper() if rng.random() < 0.2 else w
