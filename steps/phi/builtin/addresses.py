"""Street addresses in US and international forms, PO boxes, postcodes, and the towns and units that
sit beside a street: "Flat 3, 12 High Street", "Hauptstraße 5, 10115 Berlin", "27 Rosemary Lane,
Knaresborough", "Dayton, OH 45402", "Harrogate HG1 2AB", "Vancouver, BC V6B 4Y8"."""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document
from steps.phi.builtin.lexicon import Lexicon
from steps.phi.builtin.registry import Candidate
from steps.phi.builtin.word_patterns import matches_at, opening_words

_SUFFIX = (r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|"
           r"parkway|pkwy|highway|hwy|circle|cir|square|sq|trail|turnpike|pike|crescent|close|gardens|grove|"
           r"mews|row|walk|hill|rise|parade|quay|alley|plaza|loop|path|expressway|freeway|"
           # more USPS street suffixes, none of them a word of clinical notes (not Falls, Green, Trace, Extension)
           r"landing|junctions?|passage|crossing|heights|hollow|meadows?|ridge|summit|vista|knoll|glen|cove|"
           r"creek|canyon|harbor|harbour|estates?|manor|orchard|ranch|villas?|bypass|causeway|commons|brook|isle|"
           r"pines|plains|manors|mills|springs|valley|forge|gateway|"
           # Commonwealth street types
           r"cul-de-sac|esplanade|promenade|wynd|wharf")
# Words one or two spaces apart on one line: a street does not run across table columns or lines.
_STREET = re.compile(rf"\d(?<!\w\d)(?:\d{{0,3}}/)?\d{{0,4}}(?-i:[A-Z])?[ \t]{{1,2}}(?:[NSEW]\.?[ \t]{{1,2}})?"
                     rf"(?:[A-Z][A-Za-z'-]+[ \t]{{1,2}}){{1,3}}(?:{_SUFFIX})\b\.?", re.I)  # 175/08: unit/number
# Name then number, as most of Europe writes it: Hauptstraße 5, Keizersgracht 123, Via Roma 12, 12 rue de la Paix.
# Each pattern opens with its street word, so the regex engine skips ahead to it; the capital is checked after.
_STREET_WORDS = ("straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "damm", "ufer", "gracht", "laan",
                 "straat", "plein", "vej", "gatan", "gata", "veien")
_STREET_WORD_NUMBER = re.compile(rf"(?:{'|'.join(map(re.escape, _STREET_WORDS))})[ \t]+\d{{1,4}}[a-z]?"
                                 r"(?![\w/.,:-]\d|\w)")
_COMPOUND_START = re.compile(r"[A-Z][a-zß]+$")  # of the unaccented text: Müller reads as Muller
_ROMANCE_WORDS = frozenset({"via", "viale", "piazza", "calle", "avenida", "rua", "rue", "chemin", "paseo", "avenue",
                            "boulevard", "allee"})
_ROMANCE_NAME_NUMBER = re.compile(r"(?:Via|Viale|Piazza|Calle|Avenida|Rua|Rue|Chemin|Paseo)"
                                  r"(?:[ \t]+(?:de|del|della|di|da|do|la|le|les|du|des|d'))*[ \t]+[A-Z][\w'-]+"
                                  r"[ \t]+\d{1,4}[a-z]?\b")
_NUMBER_ROMANCE = re.compile(r"(?:rue|avenue|boulevard|chemin|allee)(?:[ \t]+(?:de|du|des|la|le|les|d'))*"
                             r"[ \t]+[A-Z][\w'-]+(?:[ \t]+[A-Z][\w'-]+)?")
_NUMBER_BEFORE = re.compile(r"(?<![\w.,/-])\d{1,4}(?:[ \t]*bis)?,?[ \t]+$")
# A street named without its number in mixed-case prose or an address line: "the urgent care on Lamar Blvd",
# "Royal Infirmary, Little France Crescent", "on 5th Avenue". Dr and St are left
# out here: after a preposition they are as often Doctor and Saint.
_NAMED_STREET = re.compile(r"(?:on|at|off|along|near|from|to|,)[ \t]+"
                           r"((?:[A-Z][a-z'-]+[ \t]|\d{1,3}(?:st|nd|rd|th)[ \t]){1,3}"
                           r"(?:Street|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Way|Court|Ct|Place|Terrace"
                           r"|Parkway|Pkwy|Highway|Hwy|Crescent|Close|Grove|Square|Trail|Pike)\b\.?)")
_STREET_NAMES = frozenset({"street", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "way",
                           "court", "ct", "place", "terrace", "parkway", "pkwy", "highway", "hwy", "crescent", "close",
                           "grove", "square", "trail", "pike"})
_PO_BOX = re.compile(r"\bp\.?\s*o\.?\s+box\s+\d+\b")
# States, DC and the populous territories (Guam, Puerto Rico, the Virgin Islands).
_STATES = (r"A[KLRZ]|C[AOT]|D[CE]|FL|G[AU]|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|P[AR]|RI|S[CD]|T[NX]|UT"
           r"|V[AIT]|W[AIVY]")
_PROVINCES = r"AB|BC|MB|N[BLST]|ON|PE|QC|SK|YT"
_STATE_ZIP = re.compile(opening_words(_STATES) + r"\.?,?\s+(\d{5}(?:-\d{4})?)\b")  # \b(?:_STATES)...
# "Smallville, KS", "Kelowna, BC": a town, a comma, a state or province code that ends the phrase.
_TOWN_COMMA_STATE = re.compile(rf", (?:{_STATES}|{_PROVINCES})\b(?![ \t]*\d|-)")  # opens with ", ": quick to scan
_TOWN_BEFORE_COMMA = re.compile(r"(?<![\w.])([A-Z][a-z'-]+(?:[ \t][A-Z][a-z'-]+)?)$")
_CITY_STATE_ZIP = re.compile(r"([A-Z](?<!\w[A-Z])[A-Za-z]+(?:[ \t][A-Z][A-Za-z]+)?),?[ \t]+(?:[A-Z]{2})\.?,?[ \t]+"
                             r"\d{5}\b")  # \b([A-Z]...: opens with a capital, so re skips to capitals
_FIVE_DIGITS = re.compile(r"\d{5}")
_SPACES_LOOKED_AT = 16  # before five digits, by _zip_after_a_code
_ZIP_PLUS4 = re.compile(r"\d(?<![\d-]\d)\d{4}-\d{4}(?![\d-])")
# Postcodes are found from their last part, which starts with a digit (cheap to scan for), then checked backwards.
_POSTCODE_END = re.compile(r"\d(?:([ABD-HJLNP-UW-Z]{2})|[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d)(?!\w)")
# Irish Eircodes (D02 X285, A65 F4E2): a routing key and four characters of the code's alphabet, letters and
# digits, after the word Eircode, or after a comma or a line break in a text that names a county, Dublin or
# Ireland (an Irish address line; most texts are not scanned for it).
_EIRCODE_CODE = r"((?:D6W|[AC-FHKNPRTV-Y]\d\d)[ ]?([0-9AC-FHKNPRTV-Y]{4}))(?!\w)"
_EIRCODE_ON_A_LINE = re.compile(r"[,\n][ \t]*" + _EIRCODE_CODE)
_EIRCODE = re.compile(r"[ \t]*(?::|is)?[ \t]*" + _EIRCODE_CODE)  # matched after the word
_EIRCODE_WORDS = frozenset({"eircode"})
_IRISH_ADDRESS_WORDS = frozenset({"co", "county", "dublin", "ireland", "eire"})
_UK_OUTWARD = re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]? ?$")  # HG1 before 2AB
_CA_FIRST = re.compile(r"(?<![\w-])[ABCEGHJ-NPRSTVXY]$")  # V before 6B 4Y8
_TOWN = r"([A-Z][A-Za-z'-]+(?:[ \t-][A-Z][a-z][A-Za-z'-]*)?)"  # a second word is not a code (NSW)
_TOWN_BEFORE_POSTCODE = re.compile(rf"{_TOWN},?[ \t]+(?:[A-Z]{{2,3}},?[ \t]+)?$")  # "Harrogate ", "Sydney NSW "
_AU_STATES = frozenset({"nsw", "vic", "qld", "sa", "wa", "tas", "nt", "act"})
_AU_STATE_POSTCODE = re.compile(r"(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT),?[ \t]+(\d{4})\b")
# A form's address field: the rest of its line is the address ("Address:\tFlat 12B, Lotus Residency, MG Road").
_ADDRESS_LABEL = re.compile(r"(?im)^[ \t]*(?:(?:home|mailing|postal|street|current|permanent|residential)[ \t]+)?"
                            r"address[ \t]*:[ \t]*(\S[^\n]{0,120}?)[ \t]*$")
# A form's field for one part of an address, anywhere on a line: "City: Sacramento   State: CA   ZIP: 95814". The
# value ends at a wide gap, a tab, a comma or the line's end (a state is no PHI: its field is not read).
_PART_LABEL_WORDS = frozenset({"city", "town", "zip", "postcode", "postal", "county", "suburb"})
_PART_LABEL = re.compile(r"(?:city|town|zip|zip[ \t]*code|postcode|postal[ \t]+code|county|suburb)[ \t]*:[ \t]*"
                         r"([a-z0-9](?:[a-z0-9'.-]|[ ](?! ))*)(?=[ ]{2}|[\t,;]|[ ]*(?:\n|$))")  # on the lower-case text
# A form's combined field: "City/State/ZIP: Stony Creek Mills, MD 3254", "CITY/STATE/ZIP - West Kayla, OR C2903C6":
# the town before the state's code and whatever code follows it (the state has no PHI).
_CITY_STATE_ZIP_FIELD = re.compile(r"city[ \t]*/[ \t]*state[ \t]*/[ \t]*(?:zip|post(?:al)?[ \t]*code)(?:[ \t]*code)?"
                                   r"[ \t]*(?::|[ \t]-)[ \t]*([a-z][^,\n]{0,40}?),[ \t]*[a-z]{2,3}\.?,?[ \t]+"
                                   r"([a-z0-9](?:[a-z0-9]|[ -](?=[a-z0-9])){1,9})[ \t]*(?:\n|$)")  # on the lower case
# A postal code of digits after its word, without a colon: "Billing ZIP 94107", "my zip code is 02139", "postcode 2000".
_CODE_WORDS = frozenset({"zip", "postcode", "postal"})
_CITY_WORD = frozenset({"city"})
_CODE_AFTER_WORD = re.compile(r"(?:zip|postcode|postal)(?:[ \t]*code)?(?:[ \t]+(?:is|was))?[ \t]*#?[ \t]*"
                              r"(\d{4,6}(?:-\d{4})?)(?![\w-]|[.,]\d)")  # on the lower-case text
# Beside a street: a unit before it or after it, then a town, a postcode and a town, or a town alone.
_UNIT = r"(?:flat|apt|apartment|suite|ste|unit|floor|fl|room|rm)\.?[ \t]*#?[ \t]*\d{1,4}[a-z]?"
_UNIT_BEFORE = re.compile(rf"\b({_UNIT}),?[ \t]*$", re.I)
_AFTER_STREET = re.compile(rf",?[ \t]*(?:({_UNIT})\b)?"
                           rf"(?:,?[ \t]*(?:(\d{{4,5}})[ \t]+)?{_TOWN}(?=[ \t]*(?:[.,;\n]|$)))?", re.I)


_CODES = frozenset({"address.zip", "address.postcode"})
_LABELLED_LINE = re.compile(r":|[ \t]-[ \t]")  # "City/State/ZIP: Coeburn, IN 73048": a form's field, state apart
_STATE_BEFORE = re.compile(r",?[ \t]+[A-Z]{2,3}\.?,?[ \t]+$")


def _zip_after_a_code(doc: Document) -> bool:
    """Whether five digits follow a capital, at most a '.' and a ',', and spaces, as every _STATE_ZIP and
    _CITY_STATE_ZIP match ends: tested at the few runs of digits, not by those patterns at every capital."""
    text = doc.text
    for start in doc.number_starts:
        if not _FIVE_DIGITS.match(text, start):
            continue
        window = text[max(0, start - _SPACES_LOOKED_AT):start]
        before = window.rstrip()
        if not before and start > _SPACES_LOOKED_AT:
            return True  # a long run of spaces: left to the patterns
        if len(before) < len(window) and "A" <= before.removesuffix(",").removesuffix(".")[-1:] <= "Z":
            return True
    return False


class AddressRecognizer:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self.not_phi = lexicon.not_phi

    def find(self, doc: Document) -> Iterator[Candidate]:
        found = list(self._find(doc))
        yield from found
        # "Judyton, PA 58550", "Port Rebeccaside, NT, 0806": a town and its postcode on an address line, found
        # apart, are one address with the state or province code between them (the state is no PHI alone; in a
        # form's labelled field, where it has a field of its own, it is left out).
        towns = {c.end: c for c in found if c.rule == "address.city"}
        for code in (c for c in found if c.rule in _CODES) if towns else ():
            state = _STATE_BEFORE.search(doc.text, max(0, code.begin - 8), code.begin)
            town = towns.get(state.start()) if state else None
            if town is not None and not _LABELLED_LINE.search(doc.text, doc.text.rfind("\n", 0, town.begin) + 1,
                                                              town.begin):
                yield Candidate(town.begin, code.end, "ADDRESS", min(town.score, code.score), "address.town_state_code")

    def _find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for begin, end in self._streets(doc):
            yield Candidate(begin, end, "ADDRESS", 0.9, "address.street")
            yield from self._beside_street(doc, begin, end)
        for m in _PO_BOX.finditer(doc.lower) if "box" in doc.lower else ():
            yield Candidate(m.start(), m.end(), "ADDRESS", 0.9, "address.po_box")
        if _zip_after_a_code(doc):
            for m in _STATE_ZIP.finditer(text):
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.9, "address.zip")
            for m in _CITY_STATE_ZIP.finditer(text):  # "Boston, MA 02115": the town before a state and ZIP
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.85, "address.city")
        for m in _TOWN_COMMA_STATE.finditer(text):
            town = _TOWN_BEFORE_COMMA.search(text, max(0, m.start() - 30), m.start())
            if town and self._town(town.group(1)) and not doc.shouting(m.start()):
                yield Candidate(town.start(1), town.end(1), "ADDRESS", 0.8, "address.city")
        for m in matches_at(_ZIP_PLUS4, text, doc.number_starts):  # opens with a digit no digit precedes
            yield Candidate(m.start(), m.end(), "ADDRESS", 0.8, "address.zip")
        for m in _AU_STATE_POSTCODE.finditer(text) if not _AU_STATES.isdisjoint(doc.positions) else ():
            if not text[m.start() - 1:m.start()].isalnum():
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.85, "address.postcode")
                town = _TOWN_BEFORE_POSTCODE.search(text, max(0, m.start() - 40), m.start())
                if town and town.group(1).lower() not in self.not_phi:
                    yield Candidate(town.start(1), town.end(1), "ADDRESS", 0.85, "address.city")
        for m in _ADDRESS_LABEL.finditer(text) if "address" in doc.positions else ():
            yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.85, "address.label")
        for m in (_PART_LABEL.match(doc.lower, doc.tokens[i].begin) for i in doc.indexes_of(_PART_LABEL_WORDS)):
            if m and m.group(1).strip(" .-").lower() not in self.not_phi:
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.85, "address.part_label")
        for m in (_CITY_STATE_ZIP_FIELD.match(doc.lower, doc.tokens[i].begin) for i in doc.indexes_of(_CITY_WORD)):
            if m:
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.85, "address.part_label")
                yield Candidate(m.start(2), m.end(2), "ADDRESS", 0.85, "address.part_label")
        for m in (_CODE_AFTER_WORD.match(doc.lower, doc.tokens[i].begin) for i in doc.indexes_of(_CODE_WORDS)):
            if m:
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.85, "address.zip")
        eircodes = [_EIRCODE.match(text, doc.tokens[i].end) for i in doc.indexes_of(_EIRCODE_WORDS)]
        on_a_line = _EIRCODE_ON_A_LINE.finditer(text) if not _IRISH_ADDRESS_WORDS.isdisjoint(doc.positions) else ()
        for m in [*eircodes, *on_a_line]:
            code = m and m.group(2)
            if code and any(c.isalpha() for c in code) and any(c.isdigit() for c in code):
                yield Candidate(m.start(1), m.end(1), "ADDRESS", 0.85, "address.postcode")
        for begin, end in self._postcodes(text):
            yield Candidate(begin, end, "ADDRESS", 0.85, "address.postcode")
            town = _TOWN_BEFORE_POSTCODE.search(text, max(0, begin - 40), begin)
            if town and town.group(1).lower() not in self.not_phi:
                yield Candidate(town.start(1), town.end(1), "ADDRESS", 0.85, "address.city")

    def _town(self, name: str) -> bool:
        """A known place, or capitalised words no dictionary calls ordinary ("Soft, ND, NT" is an examination)."""
        lower = name.lower()
        return lower in self.lex.places or lower in self.lex.world_places or not any(
            self.lex.is_ordinary(w) for w in lower.split())

    @staticmethod
    def _postcodes(text: str) -> Iterator[tuple[int, int]]:
        """UK (HG1 2AB, SW1A 1AA) and Canadian (V6B 4Y8) postcodes."""
        for m in _POSTCODE_END.finditer(text):
            if m.group(1):
                outward = _UK_OUTWARD.search(text, max(0, m.start() - 5), m.start())
                if outward:
                    yield outward.start(), m.end()
            elif _CA_FIRST.search(text, max(0, m.start() - 2), m.start()):
                yield m.start() - 1, m.end()

    def _streets(self, doc: Document) -> Iterator[tuple[int, int]]:
        for m in matches_at(_STREET, doc.text, doc.number_starts):  # opens with a digit no digit precedes
            words = m.group().split()[1:-1]
            # 221B Baker Street, in mixed case only: in capitals 6U REG SQ is a dose
            lettered = m.group().split()[0][-1].isalpha()
            clinical = [w.lower().strip(".,") in self.not_phi for w in words]
            # "800 Medical Parkway": clinical words may name a street written in title case in mixed-case text
            titled = all(w[0].isupper() and not w.isupper() for w in words) and not doc.shouting(m.start())
            if (titled or not any(clinical)) and not (lettered and (
                    doc.shouting(m.start()) or all(w.isupper() for w in words))):
                yield m.start(), m.end()
        for m in _NAMED_STREET.finditer(doc.text) if not _STREET_NAMES.isdisjoint(doc.positions) else ():
            words = m.group(1).split()[:-1]
            after_word = m.group().startswith(",") or not doc.text[m.start() - 1:m.start()].isalnum()  # not "upon"
            if after_word and not all(
                    w.lower() in self.not_phi for w in words) and not doc.shouting(m.start(1)):
                yield m.start(1), m.end(1)
        text = doc.text
        # most notes hold none of the words: a substring test each is quicker than the scan for their letters
        for m in _STREET_WORD_NUMBER.finditer(text) if any(word in text for word in _STREET_WORDS) else ():
            name = _COMPOUND_START.search(text, max(0, m.start() - 30), m.start())  # "Haupt" + "straße 5"
            if name and name.group().lower() not in self.not_phi:
                yield name.start(), m.end()
        if _ROMANCE_WORDS.isdisjoint(doc.positions):
            return
        for m in _ROMANCE_NAME_NUMBER.finditer(text):
            if not text[m.start() - 1:m.start()].isalnum():
                yield m.start(), m.end()
        for m in _NUMBER_ROMANCE.finditer(text):
            number = _NUMBER_BEFORE.search(text, max(0, m.start() - 10), m.start())
            if number:
                yield number.start(), m.end()

    def _beside_street(self, doc: Document, begin: int, end: int) -> Iterator[Candidate]:
        text = doc.text
        unit = _UNIT_BEFORE.search(text, max(0, begin - 24), begin)
        if unit:
            yield Candidate(unit.start(1), unit.end(1), "ADDRESS", 0.85, "address.unit")
            begin = unit.start(1)
        after = _AFTER_STREET.match(text, end)
        if after.group(1):
            yield Candidate(after.start(1), after.end(1), "ADDRESS", 0.85, "address.unit")
        if after.group(2):
            yield Candidate(after.start(2), after.end(2), "ADDRESS", 0.85, "address.zip")
        if after.group(3) and after.group(3).lower() not in self.not_phi:
            yield Candidate(after.start(3), after.end(3), "ADDRESS", 0.8, "address.city")
        line_start = text.rfind("\n", 0, begin) + 1
        if not text[line_start:begin].strip() and line_start > 0:
            yield from self._letterhead(doc, line_start)

    def _letterhead(self, doc: Document, street_line: int) -> Iterator[Candidate]:
        """The line above a street that opens its line names who lives or works there: "Northgate Family Practice"."""
        text = doc.text
        above_start = text.rfind("\n", 0, street_line - 1) + 1
        above = text[above_start:street_line - 1]
        words = above.split()
        if 1 <= len(words) <= 6 and ":" not in above and all(w[0].isupper() or w in ("of", "&", "and") for w in words):
            if not all(w.lower().strip(".,") in self.not_phi for w in words):
                begin = above_start + len(above) - len(above.lstrip())
                yield Candidate(begin, above_start + len(above.rstrip()), "ADDRESS", 0.7, "address.letterhead")
