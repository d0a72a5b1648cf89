"""The last word on every candidate: Safe Harbor categories and clinical words that are not PHI."""

import re

from steps.phi.builtin.document import Document
from steps.phi.builtin.lexicon import Lexicon
from steps.phi.builtin.names import AFTER_TITLE, GREETINGS, TITLES
from steps.phi.builtin.registry import Candidate

# A person's name followed by one of these (after at most one more name, on the same or the next line) is an eponym:
# Chaddock sign, Wells score, Foley catheter, Austin Flint murmur.
_EPONYM_NOUNS = (r"(?:sign|signs|score|scores|criteria|classification|scale|disease|syndrome|tests?|reflex|catheter"
                 r"|cath"
                 r"|tube|maneuver|manoeuvre|procedure|operation|repair|fracture|stocking|stockings|boots?|bag|mask"
                 r"|collar|drain|filter|risk|grade|stage|equation|formula|index|law|phenomenon|palsy|node|nodes"
                 r"|ulcers?|valve|shunt|murmur|triad|position|tear|respirations?|lymphoma|fundoplication|monitor"
                 r"|incision|block|view|protocol|method|technique|approach|rules?|questionnaire|inventory|sarcoma"
                 r"|esophagus|oesophagus|cyst|hernia|anomaly|malformation|aneurysm|encephalopathy|neuralgia"
                 r"|contracture)\b")
_EPONYM_NOUN = re.compile(r"(?:[ \t-]+[A-Z][a-z]+)?(?:'s)?(?:[ \t]+|[ \t]*\n[ \t]*)"  # OCR may break the line there
                          + _EPONYM_NOUNS, re.I)
_ENDS_WITH_EPONYM_NOUN = re.compile(r"[ \t]" + _EPONYM_NOUNS + r"$", re.I)  # "Arnold-Chiari malformation" taken whole
# Rules whose words are ordinary but whose shape is PHI: "St A." is a saint's name, "Apt 12" a unit, "Dear Will,"
# a name.
# Rules that find places by context or by the model; an address rule's "Lebanon, NH" is a town by its state code.
_PLACE_RULES = ("location.", "tagger.")
_SHAPED_RULES = ("location.saint", "address.unit", "location.short_name", "name.greeted")
_CONTEXT_RULES = ("name.title", "name.label", "name.relative", "name.credential")
# The last word of a department's name: "Heart Failure Clinic", "Burn Unit", "Building C" ends in "building".
# And the last word of a kind of residence for care: "Skilled Nursing Facility", "Assisted Living", "Nursing Home".
_DEPARTMENTS = frozenset({"clinic", "center", "centre", "unit", "wing", "ward", "building", "department", "service",
                          "team", "floor", "room", "lab", "laboratory", "suite", "bay", "c", "home", "living",
                          "facility"})
# Context that makes an eponym a person or a place: "Dr. Graves", "from Glasgow".
_PLACED_OR_NAMED = frozenset(_CONTEXT_RULES + ("location.place_after_preposition",))
# Names found from strong context; their words are names wherever else the document repeats them.
_ECHOED_RULES = frozenset(_CONTEXT_RULES + ("name.pair", "name.first_initial", "name.surname_first"))
_BEFORE_EPONYM_NOUN = frozenset(" \t-'\n")  # what an _EPONYM_NOUN match opens with
_SENTENCE_END = re.compile(r"(?:^|[.!?:]|\n)[ \t\"'(]*$")
_NEXT_WORDS = re.compile(r"[ \t]*,?[ \t]*([a-z]+)(?:[ \t][a-z]+)?")  # matched on the lower-case text
_LETTERS = re.compile(r"[A-Za-z]+")
_SPACES = re.compile(r"[ \t]+")
_NAME_GUESSES = ("tagger.", "name.first_name")  # names found without context, from the model or a first-name list
_PLACE_PREPOSITIONS = frozenset({"in", "from", "to", "of", "near", "across", "around"})
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")


class _Spans:
    """What the policy asks of a document's spans, each worked out once (several rules and the tagger find the
    same span) and only when asked (most addresses never need the eponym test)."""

    def __init__(self, doc: Document):
        self.text = doc.text
        # the lower-case text has the same words in lower case unless it holds a Kelvin sign (lower case 'k')
        self._lower = doc.lower if "\u212a" not in doc.text else None
        self._words: dict[tuple[int, int], list[str]] = {}
        self._eponym_nouns: dict[tuple[int, int], bool] = {}

    def words(self, c: Candidate) -> list[str]:
        """The span's words in lower case."""
        known = self._words.get((c.begin, c.end))
        if known is None:
            known = self._words[c.begin, c.end] = (
                _LETTERS.findall(self._lower, c.begin, c.end) if self._lower is not None
                else [w.lower() for w in _LETTERS.findall(self.text, c.begin, c.end)])
        return known

    def eponym_noun(self, c: Candidate) -> bool:
        """Whether an eponym noun ends the span or follows it."""
        known = self._eponym_nouns.get((c.begin, c.end))
        if known is None:
            # a noun after the span needs a blank, a hyphen or an apostrophe first (a span before punctuation needs no
            # regex)
            known = self._eponym_nouns[c.begin, c.end] = (
                self.text[c.end:c.end + 1] in _BEFORE_EPONYM_NOUN and _EPONYM_NOUN.match(self.text, c.end) is not None
            ) or _ENDS_WITH_EPONYM_NOUN.search(self.text, c.begin, c.end) is not None
        return known


class SafeHarborPolicy:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self._leading: dict[str, bool] = {}  # per word, whether it may open the model's find without being in it

    def review(self, doc: Document, candidates: list[Candidate]) -> list[Candidate]:
        spans = _Spans(doc)
        reviewed = [c for c in (self._review(doc, c, spans) for c in candidates) if c is not None]
        echoes = [c for c in (self._review(doc, c, spans) for c in self._echoes(doc, reviewed)) if c is not None]
        return reviewed + echoes

    def _echoes(self, doc: Document, reviewed: list[Candidate]) -> list[Candidate]:
        """'Maria Delgado ... Thanks, Maria': a census name found from context is a name where it recurs.
        An ordinary word (Rose, Brown) recurs as a name only capitalised, in mixed case, inside a sentence."""
        words = {}
        for c in reviewed:
            if c.rule in _ECHOED_RULES and c.score >= 0.7:
                for m in _NAME_WORD.finditer(doc.text, c.begin, c.end):
                    word = m.group().lower()  # census names only: a context rule's rare slip is not repeated
                    if self.lex.is_name_like(word):
                        words[word] = (c.begin, c.end)
        echoes = []
        for word, (begin, end) in words.items():
            ordinary = self.lex.is_ordinary(word)
            for i in doc.positions.get(word, ()):
                token = doc.tokens[i]
                if begin <= token.begin < end:
                    continue
                if ordinary and not (token.text[0].isupper() and not token.text.isupper()
                                     and not _SENTENCE_END.search(doc.text, max(0, token.begin - 6), token.begin)
                                     and not doc.shouting(token.begin)):
                    continue
                echoes.append(Candidate(token.begin, token.end, "NAME", 0.7, "name.echo"))
        return echoes

    @staticmethod
    def _code(doc: Document, c: Candidate) -> bool:
        """A postal code an address rule found, whose letters alone may read as clinical words (C2903C6, OR 1A2)."""
        return c.rule.startswith("address.") and any(ch.isdigit() for ch in doc.text[c.begin:c.end])

    @staticmethod
    def _after_a_preposition(doc: Document, begin: int) -> bool:
        i = doc.first_token_from(begin)
        return i > 0 and doc.tokens[i - 1].lower in _PLACE_PREPOSITIONS and _SPACES.fullmatch(
            doc.text, doc.tokens[i - 1].end, begin) is not None

    def _before_a_state(self, doc: Document, end: int) -> bool:
        """'Peru, Indiana': a country's name before a state is a US town."""
        m = _NEXT_WORDS.match(doc.lower, end)
        return m is not None and (m.group(1) in self.lex.states or m.group(0).lstrip(" \t,") in self.lex.states)

    def _titled_surname(self, doc: Document, c: Candidate, words: list[str]) -> bool:
        """Dr. Young, Mrs. Best: after a title, a capitalised census surname in mixed case is a name even when
        the word is also on the clinical list (young, best, fair); in capitals (DR. WELL) it stays a word."""
        token = doc.text[c.begin:c.end]
        if not (c.type == "NAME" and len(words) == 1 and words[0] in self.lex.surnames and token[:1].isupper()
                and not token.isupper() and not doc.shouting(c.begin)):
            return False
        i = doc.first_token_from(c.begin)
        title = doc.tokens[i - 1] if i > 0 else None
        return title is not None and title.lower in TITLES and title.text[:1].isupper() and (
            title.text[1:].islower() and AFTER_TITLE.fullmatch(doc.text, title.end, c.begin) is not None)

    def _may_lead(self, word: str) -> bool:
        """A greeting, or a word of three letters or more that is ordinary and nobody's name ("Patient")."""
        known = self._leading.get(word)
        if known is None:
            known = self._leading[word] = word in GREETINGS or (
                len(word) > 2 and self.lex.is_ordinary(word) and word not in self.lex.first_names
                and not self.lex.is_name_like(word))
        return known

    def _without_leading_word(self, doc: Document, c: Candidate) -> Candidate:
        """'Patient John Smith', 'Today Maria Gonzalez called', 'Dear Maria Delgado': the model's name may open on a
        capitalised word that is ordinary and nobody's name, or a greeting; the words after it stand as a name
        without it (one a census name or a word no dictionary knows). "Art White" keeps Art, a first name; "Wells,
        Adrian" is surname first. A place the model found loses the word only before two names or more ("Patient
        John Smith"): ordinary words open many places' names (Greater Baltimore Medical Center, New Albany)."""
        tokens = doc.tokens
        i = doc.first_token_from(c.begin)
        if i + 1 >= len(tokens) or tokens[i].begin != c.begin or tokens[i + 1].end > c.end or not _SPACES.fullmatch(
                doc.between(tokens[i], tokens[i + 1])):
            return c
        word = tokens[i].lower
        if not self._may_lead(word):
            return c  # "It's Lukas": the letters of "it's" open the candidate, not an ordinary word
        rest = [t.lower for t in tokens[i + 1:doc.first_token_from(c.end)]]
        if c.type == "NAME":
            named = any(self.lex.is_name_like(w) or not self.lex.is_ordinary(w) for w in rest)
        else:  # two or more names, the whole no known place: "Pharmacist Rahul Mehta", not "Saint Louis Park"
            named = len(rest) > 1 and all(self.lex.is_name_like(w) or not self.lex.is_ordinary(w) for w in rest) and (
                " ".join([word, *rest]) not in self.lex.places)
        return c.moved(begin=tokens[i + 1].begin) if named else c

    def _review(self, doc: Document, c: Candidate, spans: "_Spans") -> Candidate | None:
        if c.type not in ("NAME", "ADDRESS"):
            return c
        words = spans.words(c)
        if c.rule.startswith("tagger.") and words and self._may_lead(words[0]):
            if len(words) == 1 and words[0] in GREETINGS:
                return None  # "Hey, it's Lukas": the model's find is only a greeting
            if len(words) > 1:
                c = self._without_leading_word(doc, c)
                words = spans.words(c)
        if words and self.lex.not_phi.issuperset(words) and c.rule not in _SHAPED_RULES and not (
                self._titled_surname(doc, c, words)) and not self._code(doc, c):
            return None
        if c.type == "ADDRESS" and c.rule.startswith(_PLACE_RULES) and " ".join(words) in self.lex.countries and (
                not self._before_a_state(doc, c.end)):
            return None  # Safe Harbor keeps countries: "from Italy" is no PHI even though Italy, Texas is a town
        if c.type == "NAME" and len(words) == 1 and words[0] in self.lex.countries and c.rule.startswith(
                _NAME_GUESSES) and self._after_a_preposition(doc, c.begin):
            return None  # "born in India": a country taken for a first name (census lists India, Jordan, Georgia)
        if (c.type == "NAME" or c.rule.startswith("location.place")) and c.rule not in _CONTEXT_RULES[:2] and (
                spans.eponym_noun(c)):
            return None
        if c.rule not in _PLACED_OR_NAMED and words and self.lex.eponyms.issuperset(words):
            return c.moved(score=c.score * 0.5)
        if c.rule.startswith("tagger.") and c.type == "ADDRESS" and words and words[-1] in _DEPARTMENTS and all(
                len(w) == 1 or (self.lex.is_ordinary(w) and not self.lex.is_name_like(w)) for w in words):
            # A department the model found, named in ordinary words that are nobody's name (Heart Failure Clinic,
            # Wellness Center, Building C); Brown Unit and Smith Building may be named after people.
            return c.moved(score=c.score * 0.5)
        return c
