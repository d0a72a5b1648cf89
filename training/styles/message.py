"""Conversational messages with international personal data: phones, addresses, e-mail, bank and card numbers."""

import random

from training import clinical, phrases
from training.surrogates import Surrogates
from training.writer import Writer

_SENTENCES = (
    "Hi, this is {NAME}, you can reach me on {PHONE}.", "My email is {EMAIL} if that is easier.",
    "I have moved to {ADDR}.", "Please send the letter to {ADDR}.", "My IBAN is {ID} for the refund.",
    "The card ending was wrong, the full number is {ID}.", "My passport number is {ID}.",
    "Driver's licence {ID}, expires {DATE}.", "Appointment at {LOC} on {DATE} at 10:30.",
    "Ask for {NAME} at reception.", "See {URL} for the forms.", "I'm in {LOC} until {DATE}.",
    "Call my sister {NAME} on {PHONE} if I don't answer.", "Thanks so much! Cheers, {NAME}",
    "Can you check whether {DRUG} is covered?", "I will be late, traffic is terrible.",
    "Grace said the clinic is closed on Monday.", "The Pharmacy Benefits team rang about {DRUG}.",
    "My IP was {ID} when the portal locked me out.", "Reference number {ID}.",
)


def _account(rng: random.Random, s: Surrogates) -> str:
    faker = s.faker()
    return rng.choice((faker.iban(), faker.credit_card_number(), faker.passport_number(), faker.license_plate(),
                       faker.ipv4(), faker.ipv6(), s.record_id()))


def write(rng: random.Random, s: Surrogates) -> Writer:
    w = Writer()
    if rng.random() < 0.4:
        w.line("From: {NAME} <{EMAIL}>", NAME=s.full_name(), EMAIL=s.email())
    for _ in range(rng.randint(2, 6)):
        if rng.random() < 0.25:
            phrases.any_sentence(rng, s, w)
            w.text(rng.choice((" ", "\n")))
            continue
        w.say(clinical.fill(rng, rng.choice(_SENTENCES)), NAME=s.full_name() if rng.random() < 0.6 else s.first(),
              PHONE=s.phone(), EMAIL=s.email(), ADDR=", ".join(s.address_lines()), ID=_account(rng, s),
              DATE=s.date(), LOC=s.place(), URL=s.url())
        w.text(rng.choice((" ", "\n", "\n\n")))
    return w
