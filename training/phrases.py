"""Sentences composed from parts, so that no context word is tied to one template.

A place slot takes a region (a state or country: not PHI) one time in five, so the model has to
read the word, not only the preposition before it.
"""

import random

from training import clinical
from training.surrogates import Surrogates
from training.writer import Writer

_SUBJECTS = ("He", "She", "The patient", "Pt", "Her sister", "His son", "My mother", "My husband", "Her daughter",
             "The family", "His wife", "Our father", "I", "We", "Her partner", "The resident")
_PLACE_VERBS = (("lives", "in"), ("lived", "in"), ("moved", "to"), ("moved", "from"), ("was transferred", "from"),
                ("was transferred", "to"), ("came", "from"), ("returned", "to"), ("works", "at"), ("is staying", "at"),
                ("was seen", "at"), ("was admitted", "to"), ("flew in", "from"), ("grew up", "in"), ("drove", "to"),
                ("is followed", "at"), ("had surgery", "at"), ("was born", "in"), ("is visiting", "from"),
                ("goes to dialysis", "at"), ("will go", "to"), ("was discharged", "to"), ("stays", "near"))
_ENDINGS = ("", " last week", " in the spring", " with his wife", " for rehab", " two years ago", " on Monday",
            " after the fall", " to be near family", ", per family", " for follow-up", " recently")
_NAME_FRAMES = ("{REL} {NAME} called", "{REL}, {NAME}, visited", "spoke with {REL} {NAME}", "{NAME} ({REL}) is HCP",
                "{REL} {NAME} will pick her up", "{NAME}, her {REL}, was updated", "met with {NAME} and {REL}",
                "{NAME} was at the bedside", "called {NAME} at home", "{NAME} says she feels better",
                "discussed with {NAME}", "{REL} is {NAME}", "message left for {NAME}", "{NAME} agrees with the plan",
                "{TITLE} {LAST} was seen", "seen with {TITLE} {LAST}", "{TITLE} {LAST} reviewed the films",
                "{TITLE} {LAST} is a {AGE}-year-old", "per {TITLE} {LAST}",
                "{TITLE} {LAST} was reviewed by {TITLE} {LAST2}")
_TITLES = ("Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Dr", "Mr", "Mrs", "Prof.", "Mx.")
_RELATIVES = ("son", "daughter", "wife", "husband", "sister", "brother", "niece", "nephew", "friend", "neighbor",
              "mother", "father", "grandson", "partner", "guardian", "case manager", "PCP", "nurse")


def place_sentence(rng: random.Random, s: Surrogates, w: Writer) -> None:
    verb, preposition = rng.choice(_PLACE_VERBS)
    place = rng.choice((s.city(), s.city(), s.facility(), s.ward()))
    template = f"{rng.choice(_SUBJECTS)} {verb} {preposition} " + "{LOC}" + rng.choice(_ENDINGS) + "."
    if rng.random() < 0.2:
        template = template.replace("{LOC}", rng.choice(clinical.REGIONS))
    elif rng.random() < 0.4:  # "Springfield, IL": the state is not PHI; "Baltimore, MD 21201": MD is no credential
        state = rng.choice(("IL", "MA", "TX", "MD", "PA", "NY", "Ohio", "NSW", "Ontario"))
        template = template.replace("{LOC}", "{LOC}, " + state + (" {ADDR}" if rng.random() < 0.5 else ""))
    w.say(template, LOC=place, ADDR=f"{rng.randint(1000, 99999):05d}")


def name_sentence(rng: random.Random, s: Surrogates, w: Writer) -> None:
    name = rng.choice((s.full_name, s.first, s.last, s.first))()
    frame = rng.choice(_NAME_FRAMES).replace("{REL}", rng.choice(_RELATIVES)).replace("{AGE}", s.young_age())
    frame = frame.replace("{TITLE}", rng.choice(_TITLES)).replace("{LAST}", "{NAME}").replace("{LAST2}", "{NAME2}")
    w.say(frame[0].upper() + frame[1:] + rng.choice((".", ".", ";", " today.")), NAME=name, NAME2=s.last())


def any_sentence(rng: random.Random, s: Surrogates, w: Writer) -> None:
    (place_sentence if rng.random() < 0.5 else name_sentence)(rng, s, w)
