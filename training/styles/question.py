"""Clinical questions in mixed-case prose, as patients and relatives write them to a service."""

import random

from training import clinical, phrases
from training.surrogates import Surrogates
from training.writer import Writer

_SENTENCES = (
    "My mother {NAME} was admitted to {LOC} last week with {EPONYM}.", "Dr. {NAME} at {LOC} prescribed {DRUG}.",
    "I live in {LOC}, {STATE} and the nearest specialist is at {LOC2}.", "My husband {NAME} is {AGE} years old.",
    "We saw {NAME} at the {LOC} clinic on {DATE}.", "Is it safe to take {DRUG} with {DRUG}?",
    "My son was diagnosed with {EPONYM} in {DATE}.", "Our GP, Dr {NAME}, referred us to {LOC}.",
    "I am {YOUNG} and was told my {LAB}.", "Should I worry about {EPONYM}?", "Thanks, {NAME}",
    "My daughter {NAME} had surgery at {LOC} in {LOC2}.", "The nurse, {NAME}, said to call back if it gets worse.",
    "Since {DATE} I have been taking {DRUG} twice a day.", "Will the {EPONYM} come back?",
    "I hope someone can help; my grandmother in {LOC} is {AGE}.", "Bill from the pharmacy said {DRUG} is fine.",
    "We moved from {LOC} to {LOC2} and need a new cardiologist.", "Grace period for refills is three days.",
)


def write(rng: random.Random, s: Surrogates) -> Writer:
    w = Writer()
    if rng.random() < 0.3:
        w.line(rng.choice(("QUESTION", "Subject: question about my medication", "Re: test results")))
    for _ in range(rng.randint(2, 7)):
        if rng.random() < 0.3:
            phrases.any_sentence(rng, s, w)
            w.text(rng.choice((" ", "\n")))
            continue
        city, state = s.city_state()
        w.say(clinical.fill(rng, rng.choice(_SENTENCES)).replace("{YOUNG}", s.young_age()).replace("{STATE}", state),
              NAME=rng.choice((s.full_name, s.first, s.last))(), LOC=rng.choice((city, s.facility())),
              LOC2=s.place(), DATE=s.date(), AGE=s.old_age())
        w.text(rng.choice((" ", " ", "\n", "  ")))
    return w
