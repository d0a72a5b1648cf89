"""Surrogates: realistic values of the same kind and shape as the PHI they replace.

``surrogate(entity_type, original, key, shift_days=...)`` is the one entry point for text,
DICOM headers and burned-in text. A surrogate depends only on the key, the original, the
patient's date shift and ``SURROGATE_SCHEME``: it is computed with HMAC-SHA256 and the shipped
word lists (frozen per scheme version, see ``dictionaries``), never with a generator library,
so an upgrade cannot change it. A change to how surrogates are drawn is a new scheme version.

Guarantees per key (docs/operators.md):
- a surrogate is never the original (an age of 89 or under is kept: it is no PHI);
- digits and letters (phone numbers, IDs, ZIP codes, emails) are permuted one-to-one within
  their layout, so two originals never share a surrogate;
- names and places listed in the word lists are permuted one-to-one within their list;
  others are drawn from it, so two of them may meet: within one ``Surrogates`` (a document)
  such a collision is seen and the later original drawn again.
"""

import re

from steps.operators import date_shift
from steps.operators.casing import styled
from steps.operators.date_surrogates import date_surrogate
from steps.operators.dictionaries import word_list
from steps.operators.keyed_permutation import KeyedPermutation, format_preserving
from steps.operators.name_surrogates import name_surrogate
from steps.operators.place_surrogates import place_surrogate
from steps.pseudonym_key import keyed_digest

SURROGATE_SCHEME = "1"
AGE_LIMIT = 89
# Draws of an unlisted value before it may share a surrogate (only when nearly all of a list is
# taken within one document): bounded, so no document can make drawing endless.
MAX_DRAWS = 32
GROUPED_AGE = "90+"
# Professions in the scheme itself: there is no shipped list of them.
PROFESSIONS = ("accountant", "architect", "baker", "carpenter", "cashier", "chef", "clerk", "designer",
               "driver", "economist", "electrician", "engineer", "farmer", "firefighter", "gardener",
               "journalist", "lawyer", "librarian", "machinist", "mechanic", "musician", "painter", "pharmacist",
               "photographer", "pilot", "plumber", "programmer", "salesperson", "scientist", "secretary",
               "surveyor", "tailor", "teacher", "technician", "translator", "veterinarian", "welder", "writer")
_NUMBER = re.compile(r"\d+")
_KEPT_WEB_WORDS = frozenset({"http", "https", "www", "com", "org", "net", "edu", "gov", "html", "htm", "uk", "co"})


class Surrogates:
    """Surrogates under one key and one patient's shift; remembers what it drew, so that two
    originals drawn from a word list never share a surrogate within it (one document, say)."""

    def __init__(self, key: bytes, shift_days: int = 0):
        self.key = key
        # 0 is no shift of the configured range (it starts at 1 day): no patient named, the key's own.
        self.shift_days = shift_days or date_shift.shift_days(key, "")
        self._drawn: dict[tuple[str, str], str] = {}
        self._claimed: dict[tuple[str, str], str] = {}
        self._orders: dict[str, KeyedPermutation] = {}

    def replace(self, entity_type: str, original: str) -> str:
        entity_type = entity_type.upper()
        replaced = KINDS.get(entity_type, _generic)(self, original)
        if replaced == original and entity_type != "AGE":  # nothing in it could be replaced in kind
            return entity_type
        return replaced

    def listed(self, list_name: str, entry: str) -> bool:
        return entry in word_list(SURROGATE_SCHEME, list_name).index

    def draw(self, list_name: str, original: str) -> str:
        """Another entry of the list for ``original`` (lower case): its successor in the keyed
        order when listed (one-to-one), else a keyed draw; never ``original`` itself."""
        remembered = self._drawn.get((list_name, original))
        if remembered is not None:
            return remembered
        words = word_list(SURROGATE_SCHEME, list_name)
        index = words.index.get(original)
        attempt = 0
        while True:
            if index is not None and attempt == 0:
                order = self._orders.get(list_name)
                if order is None:
                    order = self._orders[list_name] = KeyedPermutation(
                        self.key, f"surrogate-{SURROGATE_SCHEME}-{list_name}", len(words))
                candidate = words.entries[order.successor(index)]
            else:
                digest = keyed_digest(self.key, f"surrogate-{SURROGATE_SCHEME}-{list_name}-{attempt}", original)
                candidate = words.entries[int.from_bytes(digest[:8], "big") % len(words)]
            if candidate != original and (self._claimed.setdefault((list_name, candidate), original) == original
                                          or attempt == MAX_DRAWS):  # a list nearly all claimed: share
                break
            attempt += 1
        self._drawn[(list_name, original)] = candidate
        return candidate

    def layout(self, purpose: str, text: str, keep=lambda start, end: False) -> str:
        return format_preserving(self.key, f"surrogate-{SURROGATE_SCHEME}-{purpose}", text, keep)


def surrogate(entity_type: str, original: str, key: bytes, *, shift_days: int = 0) -> str:
    """A surrogate for one value (entity types as the engines emit them: NAME, DATE, AGE, ID,
    PHONE_OR_FAX, ADDRESS, EMAIL, URL, PROFESSION; LOCATION and PHONE are read as ADDRESS and
    PHONE_OR_FAX, any other type keeps its layout). ``shift_days``: the patient's days back
    (``date_shift.shift_days``); 0 means no patient is known, and the key's shared shift is used."""
    return Surrogates(key, shift_days).replace(entity_type, original)


def _date(session: Surrogates, original: str) -> str:
    moved = date_surrogate(original, session.shift_days)
    return "DATE" if moved is None else moved


def _age(session: Surrogates, original: str) -> str:
    number = _NUMBER.search(original)
    if number is None:  # "ninety-two" is not read: nothing of it is kept
        return "AGE"
    if int(number.group()) <= AGE_LIMIT:
        return original  # an age of 89 or under is no PHI (Safe Harbor keeps it)
    return original[:number.start()] + GROUPED_AGE + original[number.end():]


def _phone(session: Surrogates, original: str) -> str:
    return session.layout("phone", original, keep=lambda start, end: True)


def _web(session: Surrogates, original: str) -> str:
    return session.layout("web", original, keep=lambda start, end: original[start:end].lower() in _KEPT_WEB_WORDS)


def _profession(session: Surrogates, original: str) -> str:
    normal = " ".join(original.lower().split())
    choices = [p for p in PROFESSIONS if p != normal]
    digest = keyed_digest(session.key, f"surrogate-{SURROGATE_SCHEME}-profession", normal)
    return styled(original, choices[int.from_bytes(digest[:8], "big") % len(choices)])


def _generic(session: Surrogates, original: str) -> str:
    return session.layout("value", original)


KINDS = {
    "NAME": name_surrogate,
    "DATE": _date,
    "AGE": _age,
    "ID": lambda session, original: session.layout("id", original),
    "PHONE_OR_FAX": _phone,
    "PHONE": _phone,
    "ADDRESS": place_surrogate,
    "LOCATION": place_surrogate,
    "EMAIL": _web,
    "URL": _web,
    "PROFESSION": _profession,
}
