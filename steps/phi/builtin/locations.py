"""Places and facilities: hospitals, rehabs, wards, towns and cities smaller than a state."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document, Token
from steps.phi.builtin.lexicon import Lexicon
from steps.phi.builtin.registry import Candidate
from steps.phi.builtin.word_patterns import matches_at

# 'Holy Cross Hospital': the words before a generic facility word name it (the generic word stays).
_GENERIC_FACILITY = {"hospital", "hosp", "clinic", "infirmary", "hospice", "sanitarium", "institute", "university"}
# 'Washington Adventist', 'Laurel Regional': these words are part of the name.
_NAMING_FACILITY = {"adventist", "memorial", "regional", "manor", "presbyterian", "baptist", "methodist"}
# 'Baltimore Rehab', 'Kessler Nursing Home': only a known proper noun (census name, place) names these.
_WEAK_FACILITY = {"rehab", "rehabilitation", "center", "centre", "home", "house", "nursing", "health", "med",
                  "medical", "healthcare", "village", "lodge", "pavilion", "campus"}
_NOT_A_NAME = {"present", "current", "prev", "previous", "outside", "local", "another", "other", "same", "this",
               "that", "the", "community", "county", "private", "affiliated", "nearby", "different", "receiving",
               "referring", "any", "own", "his", "her", "their", "a", "an", "at", "to", "from", "in", "general"}
_INSTITUTION_PREPOSITIONS = {"to", "at", "from"}
_PREPOSITIONS = {"to", "from", "at", "in", "of", "near", "via", "into", "toward", "towards", "@"}
_SAINTS = frozenset({"st", "saint"})
_SAINT = re.compile(r"\b(?:st|saint)\b\.?[ \t]*([a-z]+(?:'s)?)")
# The patterns opening with a word are matched at the tokens of their first words (Document.indexes_of): tried at
# every position of every note, each of them cost as much as a whole recognizer layer.
_HOSPITAL_CODE = re.compile(r"(?<![\w/])(?:to|from|at|in|into|by|via|the)[ \t]+([a-z]{0,3}(?:h|mc))\b(?![/-])")
_HOSPITAL_CODE_WORDS = frozenset({"to", "from", "at", "in", "into", "by", "via", "the"})
_HOSPITAL_CODE_AT = re.compile(r"@(?<![\w/]@)[ \t]+([a-z]{0,3}(?:h|mc))\b(?![/-])")  # "@ GH"
_WARD_PREPOSITIONS = frozenset({"to", "on", "from", "at", "transfer", "per", "or"})
_WARD = re.compile(r"\b(?:to|on|from|at|transfer|per|or)[ \t]+([a-z]{4,})[ \t]*(\d{1,2}(?:/\d)?)\b"
                   r"(?![\d:%'-]|\.\d|/\d\d|[ \t]*(?:mg|mcg|cc|ml|min|units?|u|am|pm|hrs?)\b)")
_REGION = re.compile(r"\b(?:north|south|east|west|eastern|western|northern|southern)[ \t]+"
                     r"(?:shore|campus|side|end|county|coast|valley|hills)\b")  # "the Eastern Shore"
_COMPASS = frozenset({"north", "south", "east", "west", "eastern", "western", "northern", "southern"})
_UNIVERSITY = re.compile(r"\b(?:u|univ|university)\.?[ \t]+(?:of[ \t]+)?(?:maryland|virginia|pennsylvania|michigan|"
                         r"california|texas|florida|washington|colorado|iowa|minnesota|wisconsin|illinois|"
                         r"massachusetts|chicago|miami|pittsburgh|rochester|utah|arizona|kentucky|alabama)\b")
# "from kernan ew", "-> GH EW": a place just before an emergency ward or cath lab
_BEFORE_ER = re.compile(r"(?:\b(?:from|to|at|into|in)[ \t]+|->[ \t]*)([a-z]{2,})(?=[ \t]+(?:ew|er|ed|cath[ \t]+lab)\b)")
_UNITS = {"micu", "sicu", "ccu", "csru", "icu", "ew", "er", "ed"}  # "Lally MICU": the unit named after a place
_FACILITY_WORDS = _GENERIC_FACILITY | _NAMING_FACILITY | _WEAK_FACILITY | _UNITS
# The last word of a facility's proper name in mixed-case text: "Riverside Medical Center", "Lakeview Clinic".
# Practices named by a specialty ("Westlake Family Medicine"; "Internal Medicine" and "General Surgery" are
# departments).
_PRACTICE_ENDS = frozenset({"medicine", "associates", "partners", "pediatrics", "paediatrics", "cardiology",
                            "orthopedics", "orthopaedics", "dermatology", "oncology", "urology", "obstetrics",
                            "dental", "dentistry", "physicians", "surgery"})  # a UK GP practice: Elmwood Surgery
# Institutions may be named in ordinary words (Mercy Hospital, Sacred Heart Medical Center); a clinic, centre
# or practice needs a naming word no dictionary calls ordinary, or a place (Lakeview Clinic).
_INSTITUTION_ENDS = frozenset({"hospital", "hosp", "hospitals", "health", "healthcare", "infirmary", "hospice",
                               "sanatorium"})
FACILITY_ENDS = _PRACTICE_ENDS | _INSTITUTION_ENDS | {"clinic", "clinics", "center", "centre", "practice", "institute"}
_FACILITY_JOIN = re.compile(r" |'s | & |-")
_ABBREVIATED = frozenset({"st", "mt", "ft"})  # "St. Jude Hospice": the only words a full stop may follow in a name
_FACILITY_LINKS = frozenset({"of", "the", "and", "for"})  # "University of Maryland Medical Center"
# Words that describe a facility without naming it: a name needs one more word ("Northgate Family Practice").
_FACILITY_MODIFIERS = frozenset({"family", "internal", "medical", "general", "community", "memorial", "regional",
                                 "university", "children's", "children", "women's", "mental", "behavioral", "county",
                                 "city", "state", "national", "veterans", "care", "health", "teaching", "district",
                                 "st", "surgical", "orthopaedic", "orthopedic", "cardiac", "cancer", "eye", "dental",
                                 "rehabilitation", "rehab", "specialty", "ambulatory", "urgent", "primary", "pediatric",
                                 "paediatric", "women", "heart", "kidney", "spine", "sports", "diagnostic", "imaging"})
# "transferred to BMC", "seen at UCLH": an acronym after a verb of moving or treating a patient.
_MOVED = frozenset({"transferred", "transfered", "transfer", "admitted", "sent", "taken", "moved", "referred",
                    "discharged", "seen", "treated", "presented", "followed", "brought", "flown", "airlifted",
                    "evaluated", "managed", "delivered", "born"})
_GENERAL = frozenset({"general"})
_CARE_UNIT_ENDS = ("icu", "ccu", "acu", "ru", "du")
# Care given somewhere: "her surgery at NYU", "a biopsy done at UCLH", "follow-up at OHSU".
_CARE_EVENTS = frozenset({"surgery", "operation", "operated", "biopsy", "scan", "mri", "ct", "imaging", "appointment",
                          "appointments", "visit", "care", "follow", "hospitalized", "hospitalised", "hospitalization",
                          "stay", "admission", "treatment", "procedure", "chemo", "chemotherapy", "radiation",
                          "transplant", "diagnosed", "rehab", "therapy", "clinic", "done", "performed", "inpatient"})
_MOVED_OR_CARED_FOR = _MOVED | _CARE_EVENTS
_WARD_WORDS = frozenset({"ward", "bay", "pod", "wing"})
_NAMED_WARD = re.compile(r"\b(?:ward|bay|pod|wing)[ \t]+(?:\d{1,2}[a-z]?|[a-z]\d{0,2})\b"
                         r"(?![/.:-]?\d)")  # "Ward 4B", "Bay 3", matched on the lower-case text
# "Burns Wing", "BEGUM UNIT", "Johnson 4 North": a ward named after a person or place.
_NAMED_UNIT_WORDS = frozenset({"wing", "ward", "unit", "pavilion", "tower"})
_NAME_COMPASS = re.compile(r"([a-z]{3,})[ \t]+\d{1,2}[ \t]?(?:north|south|east|west)\b")  # on the lower-case text
_NUMBER_COMPASS = re.compile(r"\d[ \t]?(?:north|south|east|west)\b")  # how every _NAME_COMPASS match ends
# English place-name endings: a word no dictionary knows, after "in" or "from", ending so is a town (ERICAVILLE).
_TOWN_ENDING = re.compile(r"[a-z]{3,}(?:ville|town|ton|burg|burgh|borough|bury|mouth|ford|field|land|chester|caster"
                          r"|wick|ham|port|haven|stead|dale|wood|ridge|springs|shire|worth|ley|by|hurst|view)")
_TOWN_PREPOSITIONS = frozenset({"in", "from", "near"})
_TOWN_PREPOSITIONS_ALL = _TOWN_PREPOSITIONS | {"to", "at"}  # "referred us to Hesterland", "Dr. Ben at Heathview"
# All-caps facilities named in ordinary words ("D/C TO HEBREW REHAB", "SCREENED BY HOLY CROSS REHAB"): the last
# word, the describing words that may stand before it, and the words that must open the phrase.
_CAPITALS_FACILITY_ENDS = frozenset({"rehab", "rehabilitation", "pavilion", "building", "practice", "hospital", "hosp",
                                     "manor", "hospice", "home"})
_CAPITALS_FACILITY_DESCRIBERS = _FACILITY_MODIFIERS | {"nursing", "rest", "convalescent"}
_CAPITALS_FACILITY_OPENERS = frozenset({"to", "from", "at", "by", "for", "@", "into"})
# Kinds of care that no dictionary knows but that never name a facility: "TO SUBACUTE REHAB".
_LINKING = frozenset({"and", "or", "vs", "with", "for", "of", "on", "by", "than", "then", "but", "not", "no"})
_KINDS_OF_CARE = frozenset({"subacute", "vestibular", "neurorehab", "postacute", "ltac", "snf", "acute", "short",
                            "long", "term", "day", "skilled", "assisted", "living", "inpatient", "outpatient", "home",
                            "hospital",
                            "pulmonary", "cardiac", "stroke", "brain", "injury", "spinal", "cord", "geriatric"})
# Verbs of living or moving house, then "in", "from" or "to", and verbs of calling or travelling, then "from": a
# US town after them is a place even when it is also an English word written in capitals ("DAUGHTER CALLED FROM
# PHOENIX", "LIVES IN QUINCY"), while "VISITING IN EARLY EVENING" is not.
_RESIDING = re.compile(r"\b(?:(?:lives?|living|lived|resides?|residing|moved|moving|relocated|home)[ \t]+"
                       r"(?:in|from|to|near)|(?:visiting|visited|called|calling|flew|flying|drove|driving"
                       r"|travell?(?:ed|ing)|arrived|arriving)(?:[ \t]+in)?[ \t]+from)[ \t]+(?=[a-z])")
_RESIDING_VERBS = frozenset({"live", "lives", "living", "lived", "reside", "resides", "residing", "moved", "moving",
                             "relocated", "home", "visiting", "visited", "called", "calling", "flew", "flying", "drove",
                             "driving", "traveled", "travelled", "traveling", "travelling", "arrived", "arriving"})
# Residences for care, the last word and the kinds that must stand before it: "Golden Age Nursing Home", "Sunrise
# Senior Living", "Maple Grove Skilled Nursing Facility". Unlike a clinic, such a home is not a department of a
# hospital, so ordinary words name it as well as a surname or a place.
_CARE_HOME_ENDS = {"home": frozenset({"nursing", "care", "rest", "retirement", "convalescent"}),
                   "living": frozenset({"assisted", "senior", "independent", "supported"}),
                   "facility": frozenset({"nursing", "care"}),
                   "community": frozenset({"retirement", "senior"}),
                   "village": frozenset({"retirement", "senior"})}
_CARE_HOME_END_WORDS = frozenset(_CARE_HOME_ENDS)
_CARE_HOME_KINDS = frozenset().union(*_CARE_HOME_ENDS.values()) | {"skilled", "residential", "long", "term"}
# After "at/to/from the" and a hospital's short name ("seen at the Brigham", "transferred to the General"): the
# clause ends or a function word follows, where a noun would follow an eponym or a holiday ("the Whipple procedure",
# "the Christmas party").
_SHORT_NAME_OPENERS = frozenset({"the"})
_AFTER_SHORT_NAME = frozenset({"in", "on", "at", "for", "and", "or", "with", "since", "until", "where", "when", "last",
                               "this", "yesterday", "today", "tomorrow", "after", "before", "from", "to", "by", "but",
                               "so", "because", "which", "who", "again", "twice", "once", "then", "instead"})
# Where the writer is staying: "I'm in Skyline View until 7/2", "we're staying at Lakeside Lodge".
_STAYING = frozenset({"i'm", "im", "am", "we're", "were", "staying", "stayed", "living", "based", "currently", "stuck"})
_STAY_PREPOSITIONS = frozenset({"in", "at"})
# A letterhead's or heading's line that is a facility's name: "MALONEFURT HEALTH CENTRE", "Shinglehouse Medical Group".
_LETTERHEAD_ENDS = FACILITY_ENDS | {"rehab", "rehabilitation", "group"}
_LINE_END = re.compile(r"[ \t]*(?:\r?\n|$)")
# "ZGH - Department of Radiology", "Riverside Medical Group, Department of Cardiology": a heading naming the
# facility before one of its departments.
_DEPARTMENT_WORDS = frozenset({"department", "dept"})
_HEADING_SEPARATOR = re.compile(r"[ \t]+[-–][ \t]+|,[ \t]+")
_CLAUSE_END = re.compile(r"[ \t]*(?:[,.;:!?()]|\r?\n|$)")
_SPACE = re.compile(r"[ \t]+")
_BEFORE_STATE = re.compile(r"[ \t]*,?[ \t]+")  # "towson, maryland"
_NAME_JOIN = re.compile(r"[ \t]+|[ \t]*[.'-][ \t]*|'s[ \t]+|\(")  # between the words of a facility's name
_COMPASS_WARD = re.compile(r"\b(?:to|on|from|at)[ \t]+(\d{1,2}[ \t]?(?:west|east|north|south))\b")  # "to 5 West"

def _named_compass_unit_starts(lower: str) -> list[int]:
    """Where a _NAME_COMPASS match may start: in the word before a number and a compass point (a pattern that
    opens with [a-z]{3,} is tried, and backtracks, at every letter of the note)."""
    starts = []  # in order: the numbers are found in order, and each word lies before its number
    for number in _NUMBER_COMPASS.finditer(lower):
        gap = number.start()
        if gap > 0 and lower[gap - 1].isdigit():
            gap -= 1  # \d{1,2}
        word_end = gap
        while word_end > 0 and lower[word_end - 1] in " \t":
            word_end -= 1
        word_start = word_end
        while word_start > 0 and "a" <= lower[word_start - 1] <= "z":
            word_start -= 1
        starts += range(word_start, word_end - 2)
    return starts


class LocationRecognizer:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        # Only tokens that start a place name are worth looking up (most tokens start none).
        self.possessive_states = lexicon.states | {f"{state}'s" for state in lexicon.states}
        # The word counts of the places each head word starts, longest first: only those phrases are looked up.
        lengths: dict[str, set[int]] = {}
        self.place_pairs = set()  # the first two words of the places of several: most phrases fail there, unjoined
        for place in lexicon.places | lexicon.world_places:
            words = place.split()
            lengths.setdefault(words[0], set()).add(len(words))
            if len(words) > 1:
                self.place_pairs.add(f"{words[0]} {words[1]}")
        self.place_lengths = {head: sorted(counts, reverse=True) for head, counts in lengths.items()}
        self.place_heads = frozenset(self.place_lengths)

    def find(self, doc: Document) -> Iterator[Candidate]:
        yield from self._facilities(doc)
        yield from self._care_homes(doc)
        yield from self._short_names(doc)
        yield from self._stays(doc)
        yield from self._department_headings(doc)
        yield from self._letterheads(doc)
        yield from self._proper_facilities(doc)
        yield from self._acronyms_after_moves(doc)
        yield from self._generals(doc)
        for m in _NAMED_WARD.finditer(doc.lower) if not _WARD_WORDS.isdisjoint(doc.positions) else ():
            yield Candidate(m.start(), m.end(), "ADDRESS", 0.8, "location.named_ward")
        for m in _COMPASS_WARD.finditer(doc.lower) if not _COMPASS.isdisjoint(doc.positions) else ():
            yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.7, "location.compass_ward")
        for m in (matches_at(_NAME_COMPASS, doc.lower, _named_compass_unit_starts(doc.lower))
                  if not _COMPASS.isdisjoint(doc.positions) else ()):
            if self._names_a_ward(m.group(1)) or self.lex.is_name_like(m.group(1)):  # "FORD 4 NORTH"
                yield Candidate(m.start(), m.end(), "ADDRESS", 0.75, "location.named_unit")
        for i in doc.indexes_of(_NAMED_UNIT_WORDS):
            name = doc.tokens[i - 1] if i > 0 else None
            if name is not None and doc.between(name, doc.tokens[i]) == " " and self._names_a_ward(name.lower) and (
                    name.text[0].isupper()):
                yield Candidate(name.begin, doc.tokens[i].end, "ADDRESS", 0.75, "location.named_unit")
        yield from self._saints(doc)
        yield from self._facilities_in_capitals(doc)
        yield from self._places_after_residing(doc)
        yield from self._places(doc)
        yield from self._town_endings(doc)
        yield from self._capitalised_after_preposition(doc)
        hospital_codes = [_HOSPITAL_CODE.match(doc.lower, doc.tokens[i].begin)
                          for i in doc.indexes_of(_HOSPITAL_CODE_WORDS)]
        for m in [*hospital_codes, *(_HOSPITAL_CODE_AT.finditer(doc.lower) if "@" in doc.text else ())]:
            if m is None:
                continue
            code = m.group(1).lower()
            if len(code) >= 2 and code not in self.lex.not_phi and (
                    len(code) == 2 or code not in self.lex.common_words):
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.8, "location.hospital_code")
        for m in _BEFORE_ER.finditer(doc.lower) if not {"ew", "er", "ed", "cath"}.isdisjoint(doc.positions) else ():
            word = m.group(1).lower()
            hospital_code = len(word) <= 3 and word.endswith("h") and word not in self.lex.not_phi
            if not self.lex.is_ordinary(word) or hospital_code:
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.65, "location.before_er")
        for i in doc.indexes_of(self.possessive_states):  # "towson maryland"
            token, town = doc.tokens[i], doc.tokens[i - 1] if i > 0 else None
            if town is None:
                continue
            if token.lower.removesuffix("'s") in self.lex.states and _BEFORE_STATE.fullmatch(
                    doc.between(town, token)) and (
                    len(town.lower) > 2 and not self.lex.is_ordinary(town.lower) and town.lower not in self.lex.states):
                yield Candidate(town.begin, town.end, "ADDRESS", 0.7, "location.in_state")
        for m in _REGION.finditer(doc.lower) if not _COMPASS.isdisjoint(doc.positions) else ():
            yield Candidate(m.start(), m.end(), "ADDRESS", 0.6, "location.region")
        for m in _UNIVERSITY.finditer(doc.lower) if not {"u", "univ", "university"}.isdisjoint(doc.positions) else ():
            yield Candidate(m.start(), m.end(), "ADDRESS", 0.7, "location.university")
        for m in (_WARD.match(doc.lower, doc.tokens[i].begin) for i in doc.indexes_of(_WARD_PREPOSITIONS)):
            if m and not self.lex.is_ordinary(m.group(1)):
                yield Candidate(m.start(1), m.end(2), "ADDRESS", 0.85, "location.ward")

    def _facilities(self, doc: Document) -> Iterator[Candidate]:
        tokens = doc.tokens
        for i in doc.indexes_of(_FACILITY_WORDS):
            token = tokens[i]
            word = token.lower
            if word in _UNITS:
                unit_name = tokens[i - 1] if i > 0 else None
                if unit_name is not None and _SPACE.fullmatch(doc.between(unit_name, token)) and self._unit_name(
                        doc, unit_name):
                    yield Candidate(unit_name.begin, unit_name.end, "ADDRESS", 0.6, "location.unit_name")
            elif word in _NAMING_FACILITY:
                start = self._name_start(doc, i, strict=False)
                if start < i or token.text[0].isupper():
                    yield Candidate(tokens[start].begin, token.end, "ADDRESS", 0.9, "location.facility")
            elif word in _GENERIC_FACILITY or word in _WEAK_FACILITY:
                # In mixed case a clinic named in ordinary words is a department: "Heart Failure Clinic".
                weak = word in _WEAK_FACILITY or (word not in _INSTITUTION_ENDS and not doc.shouting(token.begin))
                start = self._name_start(doc, i, strict=weak)
                if start < i:  # 'Baltimore Rehab', 'Calvert Hospital': the generic word too, as it is part of the name
                    yield Candidate(tokens[start].begin, token.end, "ADDRESS", 0.9, "location.facility")

    def _proper_facilities(self, doc: Document) -> Iterator[Candidate]:
        """A capitalised run ending in a facility word, in mixed-case text: the whole run is the name."""
        tokens = doc.tokens
        for i in doc.indexes_of(FACILITY_ENDS):
            end = tokens[i]
            if not end.text[0].isupper() or end.text.isupper() or doc.shouting(end.begin):
                continue
            start = i
            while start > 0 and i - start < 5:
                word = tokens[start - 1]
                gap = doc.between(word, tokens[start])
                if not (_FACILITY_JOIN.fullmatch(gap) or (gap == ". " and word.lower in _ABBREVIATED)):
                    break
                link = word.lower in _FACILITY_LINKS and start > 1 and tokens[start - 2].text[0].isupper()
                if not link and (not word.text[0].isupper() or word.lower in _NOT_A_NAME or (
                        word.lower in self.lex.not_phi and word.lower not in _FACILITY_WORDS | _FACILITY_MODIFIERS)):
                    break
                start -= 1
            while tokens[start].lower in _FACILITY_LINKS:
                start += 1
            naming = [t for t in tokens[start:i] if t.lower not in self.lex.not_phi and t.lower not in _FACILITY_WORDS
                      and t.lower not in _FACILITY_MODIFIERS]
            institution = end.lower in _INSTITUTION_ENDS or (
                end.lower in {"center", "centre"} and tokens[i - 1].lower in {"medical", "health", "surgical"})
            if not institution:  # "Heart Failure Clinic", "Wellness Center": departments named in ordinary words
                naming = [t for t in naming if not self.lex.is_ordinary(t.lower) or t.lower in self.lex.places]
            if naming:
                yield Candidate(tokens[start].begin, end.end, "ADDRESS", 0.9, "location.proper_facility")

    def _care_homes(self, doc: Document) -> Iterator[Candidate]:
        """'Golden Age Nursing Home', 'TO GOLDEN AGE NURSING HOME', 'Brookdale Assisted Living': up to three words
        before a kind of residence for care, capitalised in mixed case, after to/from/at... in capitals; the first
        no clinical or function word ("TO THE NURSING HOME", "Skilled Nursing Facility" name none)."""
        tokens = doc.tokens
        for i in doc.indexes_of(_CARE_HOME_END_WORDS):
            end = tokens[i]
            kind = i - 1
            if kind < 0 or tokens[kind].lower not in _CARE_HOME_ENDS[end.lower]:
                continue
            while kind > 0 and tokens[kind - 1].lower in _CARE_HOME_KINDS and doc.between(tokens[kind - 1], tokens[
                    kind]) == " ":
                kind -= 1
            shouting = doc.shouting(end.begin)
            start = kind
            while start > 0 and kind - start < 3 and self._names_care_home(tokens[start - 1], shouting) and (
                    _FACILITY_JOIN.fullmatch(doc.between(tokens[start - 1], tokens[start]))):
                start -= 1
            if start == kind or tokens[start].lower in self.lex.not_phi:
                continue
            opener = tokens[start - 1].lower if start > 0 else ""
            if shouting and opener not in _CAPITALS_FACILITY_OPENERS:
                continue  # in capitals only a preposition tells a name from words before the kind of home
            before = doc.text[max(0, tokens[start].begin - 8):tokens[start].begin].rstrip(" \t\"'(")
            if not shouting and start + 1 == kind and before[-1:] in ("", ".", "!", "?", ":", "\n"):
                continue  # "Called Nursing Home to confirm the bed": one capitalised word opening a sentence
            yield Candidate(tokens[start].begin, end.end, "ADDRESS", 0.85, "location.care_home")

    def _names_care_home(self, token: Token, shouting: bool) -> bool:
        word = token.lower
        return len(word) > 1 and token.text.isalpha() and (token.text.isupper() if shouting else (
            token.text[0].isupper())) and word not in _NOT_A_NAME and word not in _KINDS_OF_CARE and (
            word not in _CARE_HOME_KINDS and word not in _LINKING and word not in _CAPITALS_FACILITY_OPENERS)

    def _short_names(self, doc: Document) -> Iterator[Candidate]:
        """'seen at the Brigham', 'transferred to the General', 'follow-up at the Cleveland': in mixed case, one
        capitalised word after at/to/from and "the" that is a census name, a place, no dictionary word, or General,
        then the end of the clause or a function word."""
        tokens = doc.tokens
        for i in doc.indexes_of(_SHORT_NAME_OPENERS):
            if i == 0 or i + 1 >= len(tokens) or tokens[i - 1].lower not in _INSTITUTION_PREPOSITIONS:
                continue
            name = tokens[i + 1]
            word = name.lower
            if not name.text[0].isupper() or name.text.isupper() or len(word) < 3 or doc.shouting(name.begin) or (
                    doc.between(tokens[i - 1], tokens[i]) != " " or doc.between(tokens[i], name) != " "):
                continue
            if word != "general" and (word in self.lex.not_phi or not (
                    self.lex.is_name_like(word) or word in self.lex.places or not self.lex.is_ordinary(word))):
                continue
            following = tokens[i + 2] if i + 2 < len(tokens) else None
            if _CLAUSE_END.match(doc.text, name.end) or (following is not None and following.lower in
                                                          _AFTER_SHORT_NAME and doc.between(name, following) == " "):
                yield Candidate(name.begin, name.end, "ADDRESS", 0.7, "location.short_name")

    def _stays(self, doc: Document) -> Iterator[Candidate]:
        """"I'm in Skyline View until 7/2", "we're staying at Lakeside Lodge": in mixed case, the capitalised words
        after a verb of staying and in/at; two words, or one that no dictionary knows (not "I'm in March", "in ICU")."""
        tokens = doc.tokens
        for i in doc.indexes_of(_STAYING):
            j = i + 1
            if j < len(tokens) and tokens[j].lower == "staying" and tokens[i].lower != "staying":
                j += 1  # "we're staying at"
            if j + 1 >= len(tokens) or tokens[j].lower not in _STAY_PREPOSITIONS or (
                    tokens[i].lower == "am" and (i == 0 or tokens[i - 1].lower != "i")):
                continue
            run = j + 1
            while run < len(tokens) and run - j <= 3 and tokens[run].text[0].isupper() and (
                    not tokens[run].text.isupper()) and doc.between(tokens[run - 1], tokens[run]) == " ":
                run += 1
            while run > j + 1 and tokens[run - 1].lower in self.lex.not_phi:
                run -= 1  # "I'm in Room 5", "I am in Pain"; "New Heather" keeps New
            words = tokens[j + 1:run]
            if not words or doc.shouting(words[0].begin) or (
                    len(words) == 1 and self.lex.is_ordinary(words[0].lower)):
                continue
            if " ".join(t.lower for t in words) not in self.lex.states:  # "staying at New Jersey": no PHI
                yield Candidate(words[0].begin, words[-1].end, "ADDRESS", 0.7, "location.stay")

    def _letterheads(self, doc: Document) -> Iterator[Candidate]:
        """'MALONEFURT HEALTH CENTRE', 'Shinglehouse Medical Group': a line that is only a facility's name, two to
        five capitalised words ending in a facility word, one of them no dictionary word ("CARDIOLOGY CLINIC",
        "Heart Failure Clinic", "BLOOD GROUP" are services and words)."""
        tokens = doc.tokens
        for i in doc.indexes_of(_LETTERHEAD_ENDS):
            if i == 0 or not _LINE_END.match(doc.text, tokens[i].end):
                continue
            start = i
            while start > 0 and i - start < 4 and tokens[start - 1].text[0].isupper() and _FACILITY_JOIN.fullmatch(
                    doc.between(tokens[start - 1], tokens[start])):
                start -= 1
            line_start = doc.text.rfind("\n", 0, tokens[start].begin) + 1
            if start == i or doc.text[line_start:tokens[start].begin].strip() or all(
                    self.lex.is_ordinary(t.lower) for t in tokens[start:i]):
                continue
            yield Candidate(tokens[start].begin, tokens[i].end, "ADDRESS", 0.85, "location.letterhead")

    def _department_headings(self, doc: Document) -> Iterator[Candidate]:
        """'ZGH - DEPARTMENT OF RADIOLOGY', 'Chakraborty Rehab, Department of Medicine': up to four words opening a
        line before one of the facility's departments, one a census name or no dictionary word."""
        tokens = doc.tokens
        for i in doc.indexes_of(_DEPARTMENT_WORDS):
            if i < 1 or i + 1 >= len(tokens) or tokens[i + 1].lower != "of" or not _HEADING_SEPARATOR.fullmatch(
                    doc.between(tokens[i - 1], tokens[i])):
                continue
            start = i - 1
            while start > 0 and i - 1 - start < 3 and _FACILITY_JOIN.fullmatch(
                    doc.between(tokens[start - 1], tokens[start])):
                start -= 1
            line_start = doc.text.rfind("\n", 0, tokens[start].begin) + 1
            if doc.text[line_start:tokens[start].begin].strip() or not any(
                    self.lex.is_name_like(t.lower) or not self.lex.is_ordinary(t.lower) for t in tokens[start:i]):
                continue  # "Cardiology - Department of Medicine": a service
            yield Candidate(tokens[start].begin, tokens[i - 1].end, "ADDRESS", 0.8, "location.department_heading")

    def _acronyms_after_moves(self, doc: Document) -> Iterator[Candidate]:
        """'transferred from UCSF', 'had her surgery at NYU': in mixed case, an acronym after to/at/from when a
        verb of moving or treating, or a kind of care, stands one or two words before."""
        tokens = doc.tokens
        last = -1
        for event in doc.indexes_of(_MOVED_OR_CARED_FOR):
            for i in (event + 1, event + 2):  # the preposition, right after the event word or one word later
                if i + 1 >= len(tokens) or i <= last or tokens[i].lower not in _INSTITUTION_PREPOSITIONS:
                    continue
                last = i  # "transferred to ..." and "surgery done at ..." may both reach one preposition
                acronym = tokens[i + 1]
                # three to five capitals, not a care unit (TSICU, PACU, CSRU; NYU and OHSU are universities)
                if 3 <= len(acronym.text) <= 5 and acronym.text.isupper() and (
                        acronym.lower not in self.lex.not_phi) and not acronym.lower.endswith(_CARE_UNIT_ENDS) and (
                        acronym.lower not in self.lex.common_words) and doc.between(tokens[i], acronym) == " " and (
                        not doc.text[acronym.end:acronym.end + 1].isalnum()) and not doc.shouting(acronym.begin) and (
                        tokens[i - 1].lower != "due"):  # "done tomorrow due to ASD"
                    yield Candidate(acronym.begin, acronym.end, "ADDRESS", 0.75, "location.acronym")

    def _generals(self, doc: Document) -> Iterator[Candidate]:
        """'seen at Mass General', 'from Toronto General': in mixed case, a hospital called by its first word and
        General, after to/at/from, with no capitalised word after it (General Surgery, General Hospital)."""
        tokens = doc.tokens
        for i in doc.indexes_of(_GENERAL):
            general = tokens[i]
            if i < 2 or general.text != "General" or doc.shouting(general.begin):
                continue
            name, before = tokens[i - 1], tokens[i - 2]
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if name.text[0].isupper() and not name.text.isupper() and name.lower not in _NOT_A_NAME and (
                    before.lower in _INSTITUTION_PREPOSITIONS) and doc.between(before, name) == " " and (
                    doc.between(name, general) == " ") and not (
                    following is not None and following.text[0].isupper() and doc.between(general, following) == " "):
                yield Candidate(name.begin, general.end, "ADDRESS", 0.75, "location.general")

    def _capitalised_after_preposition(self, doc: Document) -> Iterator[Candidate]:
        """'went to Sacred Heart', 'accepted at Holy Cross': capitalised words mid-sentence name a place."""
        tokens = doc.tokens
        for i in doc.indexes_of(_INSTITUTION_PREPOSITIONS):
            if i >= len(tokens) - 2 or not tokens[i].text.islower() or doc.shouting(tokens[i].begin):
                continue
            words = tokens[i + 1:i + 4]
            run = 0
            while run < len(words) and words[run].text[0].isupper() and words[run].lower not in self.lex.not_phi and (
                    doc.between(tokens[i + run], words[run]) == " ") and len(words[run].lower) > 1 and not (
                    doc.text[words[run].end:words[run].end + 1].isdigit()):  # "DE89" is a code, not a word
                run += 1
            if run >= 2:
                yield Candidate(words[0].begin, words[run - 1].end, "ADDRESS", 0.55, "location.capitalised")

    def _name_start(self, doc: Document, i: int, strict: bool) -> int:
        """Index of the first of up to three words naming the facility whose generic word is token i (i itself
        when there are none). Describing words (REGIONAL MEDICAL, UNIVERSITY) may stand between, but a name
        needs one naming word: 'BONDSVILLE REGIONAL MEDICAL CENTER', not 'THE GENERAL HOSPITAL'."""
        tokens = doc.tokens
        start = named = i
        while start > 0 and i - start < 3 and _NAME_JOIN.fullmatch(gap := doc.between(tokens[start - 1], tokens[
                start])):
            word = tokens[start - 1].lower
            if "." in gap and len(word) > 1 and word not in _ABBREVIATED:
                break  # "COURSE UNREMARKABLE. ST MEMORIAL HOSPITAL": a full stop after a word ends its sentence
            if word in _SAINTS and named == start < i:
                return start - 1  # "ST. HOLMES'S HOSPITAL": the saint before the facility's naming word
            if word in _FACILITY_MODIFIERS or word in _GENERIC_FACILITY:
                start -= 1
                continue
            if word in self.lex.not_phi or word in _NOT_A_NAME or len(word) < 2:
                break
            token = tokens[start - 1]
            # "d/c to Youville rehab": in mixed case a capitalised word no dictionary knows names a rehab, hospice
            # or nursing home too (a clinic or centre so named is as often a service: Anticoag clinic)
            unknown_capitalised = token.text[0].isupper() and not token.text.isupper() and len(word) > 3 and (
                tokens[i].lower in _CAPITALS_FACILITY_ENDS) and not doc.shouting(token.begin)
            if strict and (self.lex.is_ordinary(word) or not (
                    self.lex.is_name_like(word) or word in self.lex.places or unknown_capitalised)):
                break
            start = named = start - 1
        return named

    def _town_endings(self, doc: Document) -> Iterator[Candidate]:
        tokens = doc.tokens
        for i in doc.indexes_of(_TOWN_PREPOSITIONS_ALL):
            town = tokens[i + 1] if i + 1 < len(tokens) else None
            # the word first: most words after "to" and "at" are ordinary, and this runs at every one of them
            if town is None or not town.text[0].isupper() or self.lex.is_ordinary(town.lower) or (
                    not _TOWN_ENDING.fullmatch(town.lower)) or doc.between(tokens[i], town) != " ":
                continue
            if tokens[i].lower not in _TOWN_PREPOSITIONS and (town.text.isupper() or doc.shouting(town.begin)):
                continue  # after "to" and "at" in mixed case only: "BLOWING INTO INTSTEAD" is a typo
            if town.lower not in self.lex.places and town.lower not in self.lex.world_places:  # known: _places
                yield Candidate(town.begin, town.end, "ADDRESS", 0.75, "location.town_ending")

    def _facilities_in_capitals(self, doc: Document) -> Iterator[Candidate]:
        """'TO HEBREW REHAB', 'FROM HOLLOWAY FAMILY PRACTICE': in all-caps text, up to three words between a
        preposition and a facility word, each a census name (HOLY CROSS), a place, or a word of six letters or
        more that no dictionary knows (HEBREW; shorter ones are abbreviations: OUTPT, PHYS)."""
        tokens = doc.tokens
        for i in doc.indexes_of(_CAPITALS_FACILITY_ENDS):
            end = tokens[i]
            if not end.text.isupper() or not doc.shouting(end.begin):
                continue
            if end.lower == "home" and (i == 0 or tokens[i - 1].lower not in {"nursing", "rest", "convalescent"}):
                continue  # "FROM HOME" names no facility; "NURSING HOME" may
            last = i
            while last > 0 and i - last < 2 and tokens[last - 1].lower in _CAPITALS_FACILITY_DESCRIBERS and (
                    doc.between(tokens[last - 1], tokens[last]) == " "):
                last -= 1
            start = last
            while start > 0 and last - start < 3 and self._in_a_name_in_capitals(tokens[start - 1]) and (
                    _FACILITY_JOIN.fullmatch(doc.between(tokens[start - 1], tokens[start]))):
                start -= 1
            if start < last and start > 0 and tokens[start - 1].lower in _CAPITALS_FACILITY_OPENERS and (
                    doc.between(tokens[start - 1], tokens[start]) == " ") and (
                    self._names_facility(tokens[start:last], tokens[last:i])):
                yield Candidate(tokens[start].begin, end.end, "ADDRESS", 0.8, "location.capitals_facility")

    def _in_a_name_in_capitals(self, token: Token) -> bool:
        """A word that may stand in a facility's name in capitals: not a function word, a kind of care or a
        describing word ("TO ACUTE REHAB", "TO THE NURSING HOME")."""
        word = token.lower
        return len(word) > 1 and token.text.isalpha() and token.text.isupper() and word not in _NOT_A_NAME and (
            word not in _KINDS_OF_CARE and word not in _CAPITALS_FACILITY_DESCRIBERS) and (
            word not in _CAPITALS_FACILITY_OPENERS and word not in _CAPITALS_FACILITY_ENDS and word not in _LINKING)

    def _names_facility(self, words: list[Token], describers: list[Token]) -> bool:
        """The words between the preposition and the facility's describing words name it: one is a census name,
        a place (a state or a country too: NEW ENGLAND REHAB) or a word of six letters or more no dictionary
        knows (HEBREW; shorter ones are abbreviations: OUTPT, PHYS), and a clinical word may stand beside it
        (GOOD SAMARITAN REHAB); or, describing words counted, two words or more, those before the describing
        words English but neither clinical nor function words (SACRED HEART NURSING HOME)."""
        lowers = [t.lower for t in words]
        if lowers[-1] in self.lex.not_phi:
            return False  # "ORIENTED TO SELF AND HOSPITAL"; a clinical word opens a name at most (GOOD SAMARITAN)
        if any(self.lex.is_name_like(w) or w in self.lex.places or w in self.lex.states or w in self.lex.countries
               or (not self.lex.is_ordinary(w) and len(w) > 5) for w in lowers):
            return True
        return len(words) + len(describers) > 1 and lowers[0] in self.lex.common_words and all(
            len(w) > 2 and w not in self.lex.not_phi for w in lowers)

    def _places_after_residing(self, doc: Document) -> Iterator[Candidate]:
        """'CALLED FROM PHOENIX', 'lives in Quincy': a US town after a verb of living, moving or calling."""
        tokens = doc.tokens
        for m in (_RESIDING.match(doc.lower, tokens[i].begin) for i in doc.indexes_of(_RESIDING_VERBS)):
            if m is None:
                continue
            i = doc.first_token_from(m.end())  # the regex ends where the town's first token begins
            for length in (2, 1):
                words = tokens[i:i + length]
                phrase = " ".join(t.lower for t in words)
                if len(words) < length or (length == 2 and doc.between(words[0], words[1]) != " "):
                    continue
                if phrase in self.lex.places and phrase not in self.lex.not_phi and phrase not in self.lex.states:
                    yield Candidate(words[0].begin, words[-1].end, "ADDRESS", 0.8, "location.place_after_residing")
                    break

    def _names_a_ward(self, word: str) -> bool:
        """A word no dictionary calls ordinary (a rare surname, a place): West Wing and Burn Unit are not names."""
        return len(word) > 2 and not self.lex.is_ordinary(word)

    def _unit_name(self, doc: Document, token: Token) -> bool:
        """'Lally MICU': a capitalised non-dictionary word naming an intensive care unit."""
        word = token.lower
        capitalised = token.text[0].isupper() and not doc.shouting(token.begin)
        return not self.lex.is_ordinary(word) and capitalised and len(word) > 2

    def _saints(self, doc: Document) -> Iterator[Candidate]:
        """'St. Mary's', 'ST. JOSEPH': a saint's name after St, which is also sinus tachycardia."""
        for m in _SAINT.finditer(doc.lower) if not _SAINTS.isdisjoint(doc.positions) else ():
            name = m.group(1).lower().removesuffix("'s")
            # "St A.": an initial is enough
            initial = len(name) == 1 and doc.text[m.start(1)].isupper() and doc.text.startswith(".", m.end(1))
            if initial or (name in self.lex.first_names and name not in self.lex.not_phi):
                yield Candidate(m.start(), m.end(), "ADDRESS", 0.8, "location.saint")

    def _places(self, doc: Document) -> Iterator[Candidate]:
        """Towns and cities; a place name that is also an English word needs a capital and a preposition."""
        tokens = doc.tokens
        heads = self.place_lengths
        for i in doc.indexes_of(self.place_heads):
            token = tokens[i]
            pair = None
            for length in heads[token.lower]:
                if length > len(tokens) - i:
                    continue
                if length > 1:
                    pair = pair or f"{token.lower} {tokens[i + 1].lower}"
                    if pair not in self.place_pairs:
                        continue
                last = tokens[i + length - 1]
                phrase = " ".join(t.lower for t in tokens[i:i + length]) if length > 1 else token.lower
                abroad = phrase not in self.lex.places
                if (abroad and phrase not in self.lex.world_places) or "\n" in doc.text[token.begin:last.end]:
                    continue
                if length == 1 and phrase in self.lex.not_phi:
                    break  # an eponym (Glasgow) is a place only capitalised after a preposition, as ordinary words are
                after_preposition = i > 0 and tokens[i - 1].lower in _PREPOSITIONS and _SPACE.fullmatch(
                    doc.between(tokens[i - 1], token)) is not None
                # A place of several words written in capitals ("SILVER RIDGE") is as telling as a capitalised one.
                capitalised = token.text[0].isupper() and (length > 1 or not doc.shouting(token.begin))
                if self.lex.is_ordinary(phrase) and not (capitalised and after_preposition):
                    break
                if not self.lex.is_ordinary(phrase) and not (capitalised or after_preposition):
                    break
                if abroad and not after_preposition:  # a city abroad needs "in", "from", "at"... before it
                    break
                if after_preposition:
                    yield Candidate(token.begin, last.end, "ADDRESS", 0.9, "location.place_after_preposition")
                else:
                    yield Candidate(token.begin, last.end, "ADDRESS", 0.6, "location.place")
                break
