"""Surrogate PHI values: Faker's English locales and the census names and GeoNames places shipped with the engine.

Every draw goes through one seeded random.Random (and Fakers seeded from it), so a corpus is a
function of its seed. Values are ASCII so that upper-casing a document keeps its offsets.
"""

import datetime
import random
import string
import unicodedata

from faker import Faker

from steps.phi.builtin import lexicon

LOCALES = ("en_US", "en_GB", "en_CA", "en_AU", "en_IE", "en_NZ", "en_IN")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_STATES = ("AL", "AZ", "CA", "CO", "CT", "FL", "GA", "IL", "IN", "KY", "MA", "MD", "MI", "MN", "MO", "NC", "NJ",
           "NY", "OH", "OR", "PA", "TN", "TX", "VA", "WA", "WI")
_FACILITY_FORMS = ("{} Medical Center", "{} General Hospital", "{} Memorial Hospital", "St. {}'s Hospital",
                   "{} Regional Medical Center", "{} Community Hospital", "{} Clinic", "{} Health", "{} Hospital",
                   "Royal {} Infirmary", "{} Rehabilitation Center", "{} Nursing Home", "{} Hospice",
                   "{} Children's Hospital", "{} University Hospital", "Mount {} Hospital", "{} Health Centre",
                   "{} Family Practice", "{} Medical Group", "{} Rehab", "{} Manor")
_WARD_FORMS = ("{} 5", "{} Ward", "{} Unit", "{} 4 North", "{} Wing", "{} Building", "{} Pavilion", "{} 7")


def _ascii(value: str) -> str:
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()


def _proper(word: str) -> str:
    word = word.title()
    return word[:2] + word[2:].capitalize() if word.startswith("Mc") and len(word) > 2 else word


class Surrogates:
    first_names = [_proper(w) for w in lexicon.lines("first_names.txt")]
    surnames = [_proper(w) for w in lexicon.lines("surnames.txt")]
    places = [" ".join(map(_proper, p.split())) for p in lexicon.lines("us_places.txt")]

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.fakers = {}
        for locale in LOCALES:
            self.fakers[locale] = Faker(locale)
            self.fakers[locale].seed_instance(rng.getrandbits(32))

    def faker(self) -> Faker:
        return self.fakers[self.rng.choice(LOCALES)]

    # names
    def first(self) -> str:
        return self.rng.choice(self.first_names) if self.rng.random() < 0.5 else _ascii(self.faker().first_name())

    def last(self) -> str:
        return self.rng.choice(self.surnames) if self.rng.random() < 0.5 else _ascii(self.faker().last_name())

    def full_name(self) -> str:
        first, last = self.first(), self.last()
        form = self.rng.random()
        if form < 0.55:
            return f"{first} {last}"
        if form < 0.7:
            return f"{first[0]}. {last}"
        if form < 0.8:
            return f"{first} {self.rng.choice(string.ascii_uppercase)}. {last}"
        if form < 0.9:
            return f"{last}, {first}"
        return f"{first} {last[0]}."

    # places
    def city(self) -> str:
        return self.rng.choice(self.places) if self.rng.random() < 0.5 else _ascii(self.faker().city())

    def facility(self) -> str:
        r = self.rng.random()
        if r < 0.06:  # an acronym: BWH, MGH, UMMC
            return "".join(self.rng.choice(string.ascii_uppercase) for _ in range(self.rng.randint(2, 3))) + \
                self.rng.choice(("H", "MC", "GH"))
        base = self.last() if r < 0.55 else self.city()
        return self.rng.choice(_FACILITY_FORMS).format(base)

    def ward(self) -> str:
        return self.rng.choice(_WARD_FORMS).format(self.last())

    def place(self) -> str:
        """A city, facility or ward."""
        return self.rng.choice((self.city, self.facility, self.facility, self.ward))()

    def city_state(self) -> tuple[str, str]:
        return self.city(), self.rng.choice(_STATES)

    def street(self) -> str:
        return _ascii(self.faker().street_address())

    def address_lines(self) -> list[str]:
        return [_ascii(line) for line in self.faker().address().splitlines() if line.strip()]

    # structured values
    def date(self) -> str:
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=self.rng.randint(-9000, 700))
        month = _MONTHS[day.month - 1]
        return self.rng.choice((
            f"{day.month}/{day.day}/{day.year}", f"{day.day:02d}/{day.month:02d}/{day.year}", day.isoformat(),
            f"{day.day}-{month[:3]}-{day.year}", f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}",
            f"{month[:3]} {day.day}", f"{day.month}/{day.day}", f"{day.month}/{day.day}/{day.year % 100:02d}",
            f"{day.day}.{day.month:02d}.{day.year}", f"{month} {day.year}"))

    def phone(self) -> str:
        if self.rng.random() < 0.4:
            a, b, c = self.rng.randint(201, 989), self.rng.randint(200, 999), self.rng.randint(0, 9999)
            forms = (f"({a}) {b}-{c:04d}", f"{a}-{b}-{c:04d}", f"{a}.{b}.{c:04d}", f"+1 {a} {b} {c:04d}")
            return self.rng.choice(forms)
        return _ascii(self.faker().phone_number())

    def record_id(self) -> str:
        r = self.rng
        return r.choice((
            str(r.randint(10**5, 10**9)), f"{r.choice(string.ascii_uppercase)}{r.randint(10**5, 10**7)}",
            f"{r.randint(100, 999)} {r.randint(100, 999)} {r.randint(1000, 9999)}",
            f"{r.randint(10, 99)}-{r.randint(100, 999)}-{r.randint(100, 999)}",
            f"{''.join(r.choice(string.ascii_uppercase) for _ in range(2))}{r.randint(1000, 99999)}"))

    def email(self) -> str:
        return _ascii(self.faker().email())

    def url(self) -> str:
        return _ascii(self.faker().url())

    def old_age(self) -> str:
        return str(self.rng.randint(90, 104))

    def young_age(self) -> str:
        return str(self.rng.randint(18, 89))
