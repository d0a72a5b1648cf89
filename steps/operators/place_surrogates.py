"""Surrogate addresses and places: other places, other numbers, the same layout.

A whole span that is a listed place (a US town, a city abroad, a state) becomes another of
the same list. Otherwise each part is replaced on its own: the longest run of words that is a
listed place becomes another place of its list, another word becomes a one-word town, house
numbers, ZIP codes and unit letters keep their layout (digits for digits). The words that say
what kind of place it is (Street, Apt, Hospital, North) stay, as do state codes.
"""

import re

from steps.operators.casing import styled

_PART = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*|\d+")
PLACE_LISTS = ("us_places.txt", "world_places.txt", "us_states.txt")
ONE_WORD_TOWNS = "us_places.txt"
LONGEST_PLACE_WORDS = 4
KEPT = frozenset("""
street st avenue ave av road rd boulevard blvd lane ln drive dr court ct place pl way terrace ter circle cir
highway hwy parkway pkwy route rte square sq trail trl alley plaza apt apartment suite ste unit floor fl
room rm box po p o pob building bldg north south east west n s e w ne nw se sw northeast northwest southeast
southwest hospital hosp medical med center centre ctr clinic health healthcare rehab rehabilitation nursing
home hospice manor pavilion practice ward bay wing university college school of the and at for family
medicine regional general memorial community county city town village saint mount mt fort ft lake
al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd
oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy usa us
""".split())


def _listed_place(session, words: str) -> str | None:
    for name in PLACE_LISTS:
        if session.listed(name, words):
            return name
    return None


def place_surrogate(session, original: str) -> str:
    whole = " ".join(original.lower().split())
    listed = _listed_place(session, whole)
    if listed is not None:
        return styled(original, session.draw(listed, whole))
    parts = list(_PART.finditer(original))
    pieces, cursor, i = [], 0, 0
    while i < len(parts):
        part = parts[i]
        end, replacement = part.end(), None
        if part.group().isdigit():
            replacement = session.layout("address-number", part.group())
        elif part.group().lower() not in KEPT:
            for count in range(min(LONGEST_PLACE_WORDS, len(parts) - i), 0, -1):
                run = parts[i:i + count]
                if any(p.group().isdigit() for p in run):
                    continue
                words = " ".join(p.group().lower() for p in run)
                listed = _listed_place(session, words)
                if listed is not None:
                    end = run[-1].end()
                    replacement = styled(original[part.start():end], session.draw(listed, words))
                    i += count - 1
                    break
            if replacement is None:
                word = part.group()
                replacement = (session.layout("address-letters", word) if len(word) <= 2
                               else styled(word, session.draw(ONE_WORD_TOWNS, word.lower())))
        if replacement is not None:
            pieces += [original[cursor:part.start()], replacement]
            cursor = end
        i += 1
    masked = "".join(pieces) + original[cursor:]
    if masked == original:  # only kind words ("Memorial Hospital"): the name must still change
        first = next((p for p in parts if not p.group().isdigit()), None)
        if first is not None:
            town = styled(first.group(), session.draw(ONE_WORD_TOWNS, first.group().lower()))
            masked = original[:first.start()] + town + original[first.end():]
    return masked
