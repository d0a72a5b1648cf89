"""People's names, found from the words around them and from census name lists.

All-caps notes give no capitalisation signal, so every rule starts from context (a title,
a relative, a credential, a field label) or from a pair of dictionary names; a lone word is
a name only when it is a census name that is not also ordinary English.
"""

import re
from collections.abc import Iterator

from steps.phi.builtin.document import Document, Token
from steps.phi.builtin.lexicon import Lexicon
from steps.phi.builtin.locations import FACILITY_ENDS
from steps.phi.builtin.registry import Candidate

# Titles before a person's name; the policy reads them too (Mr. Brown keeps its name though "brown" is a clinical word).
TITLES = frozenset({"dr", "drs", "dr's", "doctor", "mr", "mrs", "ms", "mx", "miss", "mister", "prof", "professor",
                    "sister", "father"})
_AMBIGUOUS_TITLES = {"mr", "ms", "mx", "sister", "father"}  # also mitral regurgitation, mental status, management
_RELATIVES = {"son", "sons", "daughter", "daughters", "dtr", "dau", "husband", "wife", "sister", "brother", "mother",
              "father", "mom", "dad", "niece", "nephew", "grandson", "granddaughter", "grandaughter", "aunt",
              "uncle", "cousin", "friend", "fiance", "fiancee", "partner", "neighbor", "boyfriend", "girlfriend",
              "hcp", "proxy", "grandchildren", "stepson", "stepdaughter", "sil", "dil", "inlaw", "widow", "spouse"}
_CREDENTIAL = re.compile(r"[ \t]*,?[ \t]*-?[ \t]*"
                         r"(?:m\.?d\.?|r\.?n\.?|n\.?p\.?|pa-c|rrt|crt|lpn|licsw|licws|msw|ph\.?d\.?"
                         r"|cnm|crna|np-c|aprn|pharmd|mrcgp|mrcp|frcp|frcs|frcpc|mbbs|mbchb|facp|facc|dnp)(?![\w'])",
                         re.I)
_CREDENTIAL_WORDS = {"m", "md", "r", "rn", "n", "np", "pa", "rrt", "crt", "lpn", "licsw", "licws", "msw", "ph", "phd",
                     "cnm", "crna", "aprn", "pharmd", "mrcgp", "mrcp", "frcp", "frcs", "frcpc", "mbbs", "mbchb", "facp",
                     "facc", "dnp"}  # first token of a credential: a cheap test before the regex
_SURNAME_COMMA = re.compile(r",[ \t]?")
_ZIP_AFTER = re.compile(r"\.?[ \t]+\d{5}\b")  # "Baltimore, MD 21201": MD is the state there
_ROLES = {"np", "rn", "md", "rrt", "crt", "resident", "fellow", "intern", "attending", "nurse", "pcp", "sw",
          "chaplain", "dietician", "dietitian", "pharmacist", "therapist", "manager", "coordinator",
          "cm", "mgmt"}
_CASE_MANAGER = frozenset({"cm", "mgmt"})  # "CM BOONE", "CASE MGMT BETH": like a relative, named in any word
_TRIGGERS = TITLES | _ROLES | _RELATIVES | _CREDENTIAL_WORDS | {"per"}
_LABEL = re.compile(r"(?im)^[ \t]*(?:(?:patient(?:'s)?|pt\.?|full|first|last|given|family|legal|maiden|middle)\s+name"
                    r"|name|patient|attending|physician|signed|dictated\s+by|provider|pcp|nurse|rn|md|next\s+of\s+kin"
                    r"|emergency\s+contact|contact\s+person|(?:account|card)\s*holder|beneficiary|payee|account\s+name|witness|guardian|parent|spouse|interpreter|referred\s+by"
                    r"|referring\s+(?:physician|doctor|clinician)|name\s+of\s+patient|(?:transcribed|typed|reviewed"
                    r"|approved|electronically\s+signed)\s+by|cc)\s*:[ \t]*(?=\S)")
_LABELLED_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['.-])*")  # a word of a labelled name, accents too: Lucía
# Transcription trailers: "XGT:holmes", "GPP/church/olinger" (author initials, then typists).
_DICTATION = re.compile(r"(?m)^[ \t]*([A-Z]{2,4})[:/][ \t]*((?:[a-z]{2,}|[A-Z][a-z]+)(?:/(?:[a-z]{2,}|[A-Z][a-z]+))*)"
                        r"[ \t]*$")
# "OROZCO,KYLE" heading a record: surname, comma, first name without a space.
_SURNAME_FIRST = re.compile(r"(?m)^[ \t]*([A-Z][A-Za-z'-]+),[ \t]?([A-Z][A-Za-z'-]+)\b")
# "FILBERT BRIGHT, M.D.    FB59": the author's code after a signature.
_AUTHOR_CODE = re.compile(r"(?i:m\.d\.|md|r\.n\.|rn|np)[ \t]+([A-Z]{2,4}\d{1,4})\b")  # matched at a credential word
_AUTHOR_CREDENTIALS = frozenset({"m", "md", "r", "rn", "np"})
# Found from the initial's full stop, then looked behind for the letter (a full stop is quick to scan for; a
# pattern that opens with a letter or a lookbehind is tried at every position).
_INITIALLED = re.compile(r"\.(?<=(?<![\w.'/&])(?<!& )[A-Za-z]\.)[ \t]([A-Za-z][A-Za-z']+)\b(?!\.\w)")
# The visit is found first, then the word before it: a pattern that opens with a word is tried at every letter.
_VISIT = re.compile(r"(?:called|phoned|visited|visiting|in to visit|came in|at (?:the )?bedside|updated|here|is here"
                    r"|aware|was at)\b")
# "MARRUFFO WAS AT THE BEDSIDE", "LIPIKA MAXWELL AWARE": one or two words opening a line or sentence before a visit.
_SUBJECT_BEFORE = re.compile(r"(?:^|\n|[.;][ \t]+)[ \t]*([a-z'-]+)(?:[ \t]([a-z'-]+))?(?:[ \t]family)?[ \t]+$")
_WORD_BEFORE = re.compile(r"\b([a-z]+),?[ \t]+$")  # matched on the lower-case text
# The signature under a letter's or message's closing: "Thanks so much,\nMaria", "Kind regards,\n\nTom Ellis".
_CLOSING = re.compile(r"(?im)^[ \t]*(?:many[ \t]+)?(?:thanks|thank[ \t]+you|(?:best|kind|warm)?[ \t]*regards|sincerely"
                      r"|yours(?:[ \t]+(?:sincerely|truly|faithfully))?|best(?:[ \t]+wishes)?|cheers|love|warmly"
                      r"|respectfully)\b[^\n]{0,20},?[ \t]*\n(?:[ \t]*\n)?[ \t]*"
                      r"([A-Z][a-z'-]+(?:[ \t]+[A-Z](?:[a-z'-]+|\.))?(?:[ \t]+[A-Z][a-z'-]+)?)[ \t]*$")
# "thanks Priya!": a capitalised first name thanked in a message.
_THANKED = re.compile(r"\b(?i:thanks|thank[ \t]+you|cheers|bye)[ \t]*,?[ \t]+([A-Z][a-z'-]+)(?=[ \t]*(?:[!.,\n]|$))")
_CLOSING_WORDS = frozenset({"thanks", "thank", "regards", "sincerely", "yours", "best", "cheers", "love", "warmly",
                            "respectfully", "bye"})
_JOIN = re.compile(r"\.?[ \t]{1,2}|\.|-|\.?[ \t]*-[ \t]*")  # what may sit between two words of one name
_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")  # "Dr. Helen\nCarver": a name wrapped onto the next line
# What may stand between the words of a context and its name, compiled once: these are tried at every trigger.
_SPACE = re.compile(r"[ \t]+")
_SHORT_SPACE = re.compile(r"[ \t]{1,3}")
AFTER_TITLE = re.compile(r"\.?[ \t]{1,3}|\.")
_AFTER_RELATIVE = re.compile(r"[ \t,:;()'s-]{1,6}")
_PAIR_GAP = re.compile(r"[ \t]+|[ \t]*[A-Za-z]\.[ \t]*")
_COMMA_GAP = re.compile(r"[ \t]*,?[ \t]*")
_LIST_GAP = re.compile(r"[ \t]*[,&][ \t]*")
_LAST_ON_LINE = re.compile(r"[ \t]*\S+[ \t]*(?:\n|$)")
_ALONE = re.compile(r"[ \t]*(?:[,.!?\n]|$|(?:again|here|speaking|calling|from)\b)")


# Census surnames that describe a state or a time, or name a dose: after MR or MS they are mental status,
# regurgitation or morphine ("MS ALERT"), after a relative an adverb ("DAUGHTER LAST VISITED").
_DESCRIBING = frozenset({"alert", "clear", "sharp", "quick", "bright", "dull", "strong", "severe", "trace", "small",
                         "large", "slight", "hard", "fine", "grim", "moody", "sweet", "sound", "steady", "last",
                         "first",
                         "just", "soon", "early", "late", "again", "once", "often", "never", "ever", "twice",
                         # and clinical nouns: "MS DOSE GIVEN", "MS DRIP"
                         "dose", "doses", "drip", "bolus", "pump", "sat", "sats", "temp", "dec", "poss", "walk",
                         "level", "rate"})
# What a person does after being named: a clause end, a verb of saying, wanting or being, or a past tense or
# participle ("MR. TURNER ASKING FOR WATER", "DAUGHTER WHITE WANTS PT DNR", "BROTHER ANGELA WHITE FROM SHIVELY");
# a sentence that opens after "IN MS." goes on with an object ("TRY WEAN", "CHECK LYTES"). Matched on the lower case.
_PERSON_PREDICATE = re.compile(r"[ \t]*(?:[,.;:()]|\n|$)|[ \t]+(?:is|was|has|had|have|will|would|can|could|did|does"
                               r"|agrees?|agreed|wants?|wanted|wishes|states?|says|said|reports?|denies|asks?"
                               r"|requests?|feels|understands|prefers|knows|lives|aware|here|from|in to visit"
                               r"|at (?:the )?bedside|[a-z]{2,}(?:ed|ing))\b")
_AFTER_NUMBER = re.compile(r"\d[ \t]*$")  # "22 CM": centimetres, not a case manager
# Verbs of meeting or calling someone: the person follows, after "with", "to" or "for".
_TRANSITIVE_CONTACT_VERBS = frozenset({"called", "phoned", "paged", "notified", "updated", "informed", "contacted",
                                       "texted", "emailed"})
_CONTACT_VERBS = _TRANSITIVE_CONTACT_VERBS | {"met", "meeting", "spoke", "spoken", "talked", "discussed", "conference"}
# Verbs of examining a patient: the person follows "by" ("SEEN BY ZIMMERMAN", not "SEEN BY ORTHO").
_EXAMINING_VERBS = frozenset({"seen", "evaluated", "examined", "assessed", "reviewed", "placed", "inserted", "covered",
                              "consulted", "intubated", "extubated"})
_CONTACT_OR_EXAMINING_VERBS = _CONTACT_VERBS | _EXAMINING_VERBS
# Words after which a speaker gives their name, and the word each must follow ("name is", "I am", "call me").
_INTRODUCING_AFTER = {"is": {"name", "this"}, "am": {"i"}, "me": {"call"}}
# Contexts strong enough that a word no dictionary knows, listed after the name, is a name too ("AND NIDRA").
_LISTING_RULES = frozenset({"name.title", "name.contacted", "name.relative"})
# "accessed by user jsmith", "Username: mgarcia2": an account's name after its word (matched on the lower case).
_USER_WORDS = frozenset({"user", "username", "login", "handle"})
_USER_NAME = re.compile(r"[a-z]+(?![a-z])(?:[ \t]+name)?(?:[ \t]*[:=][ \t]*|[ \t]+is[ \t]+|[ \t]+)@?"
                        r"([a-z][a-z0-9._-]{1,30}[a-z0-9])\b(?![.@-]\w)")
_LETTERS = re.compile(r"[a-z]+")
# The local part of an e-mail address written first.last ("ben.okoro@"), looked back from its "@".
_EMAIL_LOCAL = re.compile(r"(?<![\w.'-])([A-Za-z][A-Za-z'-]+(?:[._][A-Za-z][A-Za-z'-]+)+)[\w.-]*$")
_LOCAL_PART_SEPARATOR = re.compile(r"[._]")
# Words that greet the person named after them ("hi maria,", "Dear Will,"); the policy drops a find made of one.
GREETINGS = frozenset({"hi", "hello", "hey", "dear", "morning", "afternoon", "evening", "hiya", "howdy"})
# Words a greeting addresses that name nobody, though a few are census first names ("Hey man!", "Hi love,").
_VOCATIVES = frozenset({"man", "honey", "love", "buddy", "babe", "baby", "darling", "sweetie", "mate", "pal", "bro",
                        "dude", "all", "everyone", "team", "folks", "sir", "madam", "doc"})
_GREETED_END = re.compile(r"[ \t]*(?:[,!:;\n]|$)")
_MODAL_NAMES = frozenset({"will", "may"})  # first names that are also modal verbs: "HUSBAND WILL HUNTER", "WILL BE IN"
_INTRODUCING = frozenset({"is", "am", "me", "i'm", "im", "it's", "its", "name's"})
_SELF = frozenset({"i'm", "im", "am"})  # "I'm X", "I am X": the speaker, where "it's X" may be a drug


def _acronym(token: Token) -> bool:
    return 1 < len(token.text) <= 3 and token.text.isupper()


class NameRecognizer:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self.first_names_and_family = lexicon.first_names | {"family"}

    def find(self, doc: Document) -> Iterator[Candidate]:
        tokens = doc.tokens
        last = len(tokens) - 1
        for i in doc.indexes_of(_TRIGGERS):
            word = tokens[i].lower
            following = tokens[i + 1] if i < last else None
            if word in _CREDENTIAL_WORDS and i > 0 and self._credential_follows(doc, i - 1):
                yield from self._before_credential(doc, i - 1)
            if word in TITLES and following is not None and self._after_title(doc, i):
                yield from self._run(doc, i + 1, 0.95, "name.title", first_may_be_ordinary=(
                    word not in _AMBIGUOUS_TITLES or self._surname_after_ambiguous_title(doc, i)))
            elif word in _ROLES and following is not None and self._gap(doc, i, _SPACE) and not (
                    # "AT THE 22 CM MARK": centimetres, not a case manager
                    word == "cm" and _AFTER_NUMBER.search(doc.text, max(0, tokens[i].begin - 3), tokens[i].begin)):
                yield from self._relative(doc, i + 1, "name.case_manager" if word in _CASE_MANAGER else "name.role")
            if word in _RELATIVES and following is not None and self._gap(doc, i, _AFTER_RELATIVE):
                named = i + 2 if following.lower in ("is", "named") and self._gap(doc, i + 1, _SPACE) else i + 1
                if named < len(tokens) and not (named > i + 1 and tokens[named].lower.endswith("'s")):
                    # "HCP IS STORMY RAGHAVAN", not "DAUGHTER IS PT'S HEALTH PROXY"
                    yield from self._relative(doc, named, "name.relative")
            if word == "per" and following is not None:
                yield from self._per(doc, i + 1)
        yield from self._pairs(doc)
        yield from self._first_name_initial(doc)
        yield from self._lone_first_names(doc)
        yield from self._initialled(doc)
        yield from self._subject_of_visit(doc)
        yield from self._introduced(doc)
        yield from self._contacted(doc)
        yield from self._user_names(doc)
        yield from self._greeted(doc)
        yield from self._named_in_email(doc)
        for m in _CLOSING.finditer(doc.text) if not _CLOSING_WORDS.isdisjoint(doc.positions) else ():
            if not any(w.lower().strip(".") in self.lex.not_phi for w in m.group(1).split()):
                yield Candidate(m.start(1), m.end(1), "NAME", 0.8, "name.signature")
        for m in _THANKED.finditer(doc.text) if not _CLOSING_WORDS.isdisjoint(doc.positions) else ():
            name = m.group(1).lower()
            known = name in self.lex.first_names or not self.lex.is_ordinary(name)  # Priya is no census name
            if known and name not in self.lex.not_phi and not doc.shouting(m.start(1)):
                yield Candidate(m.start(1), m.end(1), "NAME", 0.75, "name.thanked")
        yield from self._labelled(doc)
        for m in _DICTATION.finditer(doc.text):
            if m.group(1).lower() not in self.lex.not_phi and not all(
                    self.lex.is_ordinary(w) and not self.lex.is_name_like(w) for w in m.group(2).split("/")):
                yield Candidate(m.start(2), m.end(2), "NAME", 0.7, "name.dictation")
        for m in _SURNAME_FIRST.finditer(doc.text):
            surname, first = m.group(1).lower(), m.group(2).lower()
            if first in self.lex.first_names and (self.lex.is_name_like(surname) or not self.lex.is_ordinary(surname)):
                yield Candidate(m.start(1), m.end(2), "NAME", 0.8, "name.surname_first")
        for m in (_AUTHOR_CODE.match(doc.text, doc.tokens[i].begin) for i in doc.indexes_of(_AUTHOR_CREDENTIALS)):
            if m:
                yield Candidate(m.start(1), m.end(1), "NAME", 0.7, "name.author_code")

    # --- contexts -------------------------------------------------------------------------

    def _after_title(self, doc: Document, i: int) -> bool:
        return self._gap(doc, i, AFTER_TITLE) and not (
            doc.tokens[i].lower in {"sister", "father"} and not doc.tokens[i].text[0].isupper())

    def _relative(self, doc: Document, i: int, rule: str) -> Iterator[Candidate]:
        """The name after a relative ("son bill") or a role ("NP CAROL") at token i."""
        token = doc.tokens[i]
        word = token.lower
        if rule == "name.relative" and word in _MODAL_NAMES and self._surname_after_modal_name(doc, i):
            yield Candidate(token.begin, doc.tokens[i + 1].end, "NAME", 0.7, "name.relative_surname")
            return
        if word in self.lex.not_phi or word in self.lex.eponyms:
            return
        shouting = doc.shouting(token.begin)
        if word in self.lex.first_names:
            yield from self._run(doc, i, 0.95 if rule == "name.relative" else 0.85, rule, first_may_be_ordinary=True)
        elif rule == "name.relative" and shouting and self._surname_not_describing(word) and (
                self._named_then_acts(doc, i)):
            # "SON FLORES VISITED", "DAUGHTER WHITE (HCP)": a surname that is also a word, then what visitors do
            yield from self._run(doc, i, 0.7, "name.relative_surname", first_may_be_ordinary=True)
        elif rule == "name.relative" and token.text[0].isupper() and not shouting and len(word) > 2:
            # "Sons Smokey, Morris and Roger": a capital after a relative in a mixed-case note
            yield from self._run(doc, i, 0.6, "name.relative_capitalised", first_may_be_ordinary=True)
        elif not self.lex.is_ordinary(word) and len(word) > 2 and (
                self.lex.is_name_like(word) or (token.text[0].isupper() and not shouting)
                or (rule in ("name.relative", "name.case_manager") and shouting)):
            yield from self._run(doc, i, 0.6, f"{rule}_unknown", first_may_be_ordinary=False)

    def _surname_after_ambiguous_title(self, doc: Document, i: int) -> bool:
        """'MR TURNER', 'MS HUNTER': after MR or MS (also mitral regurgitation, mental status, morphine), a census
        surname that is also a word. After a full stop, which may end the sentence ("IN MS. TRY WEAN"), a person's
        predicate must follow it too ("MR. TURNER ASKING FOR WATER", "MS. BAKER IS HCP")."""
        word = doc.tokens[i + 1].lower
        possessive = word.endswith("'s")  # "MR. CARTER'S WIFE"
        if not self._surname_not_describing(word.removesuffix("'s")):
            return False
        return self._gap(doc, i, _SHORT_SPACE) or self._gap(doc, i, AFTER_TITLE) and (
            possessive or _PERSON_PREDICATE.match(doc.lower, doc.tokens[i + 1].end) is not None)

    def _surname_after_modal_name(self, doc: Document, i: int) -> bool:
        """'HUSBAND WILL HUNTER AT BEDSIDE', 'DAUGHTER MAY TURNER CALLED': after a relative, a first name that is
        also a modal verb (WILL, MAY) is a name when a census surname follows: one no dictionary knows, or an
        English word that is no verb (not HUSBAND WILL STAY, WILL CHECK) and then what a person does."""
        if not self._gap(doc, i, _SPACE):
            return False
        surname = doc.tokens[i + 1].lower
        if not self.lex.is_name_like(surname):
            return False
        return not self.lex.is_ordinary(surname) or (
            self._surname_not_describing(surname) and not self._verb(surname) and self._named_then_acts(doc, i + 1))

    def _verb(self, word: str) -> bool:
        """Whether the dictionary knows a past tense or participle of word: stay, check, bring, try; not hunter."""
        common = self.lex.common_words
        stem = word[:-1] if word.endswith("e") else word
        return (word + "ed" in common or stem + "ing" in common or (word.endswith("e") and word + "d" in common)
                or (word.endswith("y") and word[:-1] + "ied" in common))

    def _surname_not_describing(self, word: str) -> bool:
        """A census surname that is also a word, but not one that describes a state or time, nor a verb or adverb
        form: "MS ALERT", "MS CLEARS", "DAUGHTER LAST VISITED", "SON RECENTLY CALLED"."""
        return self.lex.is_name_like(word) and word not in _DESCRIBING and len(word) > 2 and not (
            len(word) > 4 and word.endswith(("ed", "ing", "ly")))

    @staticmethod
    def _named_then_acts(doc: Document, i: int) -> bool:
        """Token i ends its clause ("SON FLORES.", "DAUGHTER WHITE (HCP)") or what a person does follows it
        ("SON FLORES VISITED", "DAUGHTER BAKER ASKED ABOUT THE PLAN", "HUSBAND WILL HUNTER AT BEDSIDE")."""
        return _PERSON_PREDICATE.match(doc.lower, doc.tokens[i].end) is not None or (
            i + 1 < len(doc.tokens) and doc.between(doc.tokens[i], doc.tokens[i + 1]) == " "
            and _VISIT.match(doc.lower, doc.tokens[i + 1].begin) is not None)

    def _per(self, doc: Document, i: int) -> Iterator[Candidate]:
        word = doc.tokens[i].lower
        if self.lex.is_name_like(word) and not self.lex.is_ordinary(word) and self._gap(doc, i - 1, _SPACE):
            yield from self._run(doc, i, 0.7, "name.per", first_may_be_ordinary=False)

    def _credential_follows(self, doc: Document, i: int) -> bool:
        tokens = doc.tokens
        return i + 1 < len(tokens) and tokens[i + 1].lower in _CREDENTIAL_WORDS and _CREDENTIAL.match(
            doc.text, tokens[i].end) is not None and not _ZIP_AFTER.match(doc.text, tokens[i + 1].end) and (
            tokens[i].lower not in self.lex.not_phi)

    def _before_credential(self, doc: Document, i: int) -> Iterator[Candidate]:
        tokens = doc.tokens
        # "Nancy Jones, RN" or a signature line, rather than "at times MD aware"
        signature = doc.text.startswith(",", tokens[i].end) or _LAST_ON_LINE.match(doc.text[tokens[i].end:]) is not None
        compound = i > 0 and doc.between(tokens[i - 1], tokens[i]) == "-" and not self.lex.is_ordinary(
            tokens[i - 1].lower)  # "Stord-Painter MD"
        if not signature and not compound and self.lex.is_ordinary(tokens[i].lower):
            return
        start = i
        while start >= 0 and (self._could_be_name(doc, tokens[start]) or (start == i and compound)) and (
                start == i or _JOIN.fullmatch(doc.between(tokens[start], tokens[start + 1]))):
            start -= 1
        start += 1
        if start == i and i > 0 and tokens[i].lower in self.lex.first_names and _SURNAME_COMMA.fullmatch(
                doc.between(tokens[i - 1], tokens[i])) and self._could_be_name(doc, tokens[i - 1]):
            start -= 1  # "SIGNED BY MACNAMEE, CAROL, MD": the surname first
        if start <= i:
            yield Candidate(tokens[start].begin, tokens[i].end, "NAME", 0.95, "name.credential")

    def _pairs(self, doc: Document) -> Iterator[Candidate]:
        """First name followed by a surname: 'Emma Robey', 'VLADIMIR ERICKSON'."""
        tokens = doc.tokens
        for i in doc.indexes_of(self.lex.first_names):
            if i + 1 >= len(tokens):
                break
            first, last = tokens[i], tokens[i + 1]
            if first.lower in self.lex.not_phi:
                continue
            if len(last.text) < 2 or not _PAIR_GAP.fullmatch(doc.between(first, last)):
                continue
            if first.text.islower() or doc.shouting(first.begin):
                strong = not self.lex.is_ordinary(last.lower) and last.lower not in self.lex.first_names and (
                    self.lex.is_name_like(last.lower) or not self.lex.is_ordinary(first.lower))
            else:
                strong = first.text[0].isupper() and last.text[0].isupper() and (
                    not self.lex.is_ordinary(last.lower) or self.lex.is_name_like(last.lower)) and (
                    last.lower not in self.lex.not_phi) and not _acronym(last)
            if strong:
                yield Candidate(first.begin, last.end, "NAME", 0.75, "name.pair")

    def _first_name_initial(self, doc: Document) -> Iterator[Candidate]:
        """'Anna K.': a capitalised first name and the initial of a surname, in text that is not all capitals."""
        tokens = doc.tokens
        for i in doc.indexes_of(self.lex.first_names):
            first = tokens[i]
            if i + 1 >= len(tokens) or first.lower in self.lex.not_phi or not first.text[0].isupper():
                continue
            initial = tokens[i + 1]
            if len(initial.text) == 1 and initial.text.isupper() and initial.text not in "AI" and doc.between(
                    first, initial) == " " and doc.text.startswith(".", initial.end) and not doc.shouting(first.begin):
                yield Candidate(first.begin, initial.end + 1, "NAME", 0.8, "name.first_initial")

    def _lone_first_names(self, doc: Document) -> Iterator[Candidate]:
        """'Helen', 'DAVID': census first names that are not also English words."""
        tokens = doc.tokens
        first_names = self.lex.first_names
        for i in doc.indexes_of(self.first_names_and_family):
            token = tokens[i]
            word = token.lower
            if word in first_names and not self.lex.is_ordinary(word) and len(word) > 2 and (
                    word not in self.lex.states):
                before = tokens[i - 1] if i > 0 else None  # "mary theresa": a first name before joins
                if before is not None and before.lower in first_names and before.lower not in self.lex.not_phi and (
                        doc.between(before, token) == " "):
                    i -= 1
                yield from self._run(doc, i, 0.6, "name.first_name", first_may_be_ordinary=True)
            elif word == "family" and i > 0 and self._gap(doc, i - 1, _SPACE):
                surname = doc.tokens[i - 1]  # "the ROMERO FAMILY"
                if self.lex.is_name_like(surname.lower) and not self.lex.is_ordinary(surname.lower):
                    yield Candidate(surname.begin, surname.end, "NAME", 0.7, "name.family")

    def _initialled(self, doc: Document) -> Iterator[Candidate]:
        """'W. MAROTTA', 'j. o'brien': an initial and a word no dictionary calls ordinary."""
        for m in _INITIALLED.finditer(doc.text):
            begin = m.start() - 1  # the initial
            initial, word = doc.text[begin], m.group(1).lower()
            line_start = doc.text.rfind("\n", 0, begin) + 1
            soap_label = not doc.text[line_start:begin].strip()  # "S. INTUBATED", "P. CONT"
            # An ordinary word needs a capital initial that is not Left/Right: "J. Chang", not "L. Vent".
            plain = self.lex.is_ordinary(word) and (initial.islower() or initial in "LR" or (
                m.group(1).islower() and not doc.shouting(begin)))
            known = self.lex.is_name_like(word) or (
                not self.lex.is_ordinary(word) and initial.isupper() and m.group(1)[0].isupper())
            if len(word) > 2 and known and not soap_label and not plain:
                yield Candidate(begin, m.end(), "NAME", 0.7, "name.initial")

    def _introduced(self, doc: Document) -> Iterator[Candidate]:
        """'my name is Maria', 'its mike again', "I'm Tom": a first name after a speaker introduces themself; after
        "I'm" or "my name is", a capitalised word no dictionary knows too ("I'm Aoife", not "it's Lipitor").
        A first name that is also a word (Will, Mark) needs a capital, 'my name is' / 'call me', or to end
        the phrase ("its mike again", "it's bill.")."""
        tokens = doc.tokens
        for i in doc.indexes_of(_INTRODUCING):
            word = tokens[i].lower
            before = tokens[i - 1].lower if i > 0 else ""
            if word in _INTRODUCING_AFTER and before not in _INTRODUCING_AFTER[word]:
                continue
            if i + 1 >= len(tokens) or not _SPACE.fullmatch(doc.between(tokens[i], tokens[i + 1])):
                continue
            name = tokens[i + 1]
            named = before in ("name", "call") or word == "name's"
            capitalised = name.text[0].isupper() and not doc.shouting(name.begin)
            if name.lower in self.lex.not_phi or name.lower not in self.lex.first_names and not (
                    # "I'm Aoife", "my name is Oluwaseun": a capitalised word no dictionary knows, in mixed case
                    (named or word in _SELF) and capitalised and not name.text.isupper() and len(name.lower) > 2
                    and not self.lex.is_ordinary(name.lower)):
                continue
            after = doc.text[name.end:name.end + 12]
            alone = _ALONE.match(after) is not None
            if named or capitalised or alone or not self.lex.is_ordinary(name.lower):
                yield from self._run(doc, i + 1, 0.8, "name.introduced", first_may_be_ordinary=True)

    def _contacted(self, doc: Document) -> Iterator[Candidate]:
        """'MET WITH HENSLEY AND GRANDSON', 'Discussed with Umbach', 'CALLED MOSEBY AT HOME', 'SEEN BY ZIMMERMAN':
        the person a nurse met, called or updated, or who examined the patient, when the word is a name or no
        dictionary knows it."""
        tokens = doc.tokens
        for i in doc.indexes_of(_CONTACT_OR_EXAMINING_VERBS):
            j = i + 1
            examining = tokens[i].lower in _EXAMINING_VERBS
            if j < len(tokens) and tokens[j].lower in (("by",) if examining else ("with", "to")) and (
                    doc.between(tokens[i], tokens[j]) == " "):
                j += 1
            elif tokens[i].lower not in _TRANSITIVE_CONTACT_VERBS:
                continue  # "SPOKE WTIH PT": spoke and met need "with" or "to" before the person, seen needs "by"
            if j >= len(tokens) or doc.between(tokens[j - 1], tokens[j]) != " ":
                continue
            name = tokens[j]
            word = name.lower.removesuffix("'s")  # "SPOKE WITH PATIENT'S SISTER"
            if len(word) < 3 or word in self.lex.not_phi or _acronym(name) or self.lex.is_ordinary(word):
                continue
            if self.lex.is_name_like(word) or (name.text[0].isupper() and not examining):
                # after "seen by" a census name only: services and teams are named in unknown words (DERM, NSICU)
                yield from self._run(doc, j, 0.7, "name.contacted", first_may_be_ordinary=False)

    def _greeted(self, doc: Document) -> Iterator[Candidate]:
        """'hi maria,', 'Dear Will,', 'Hello Aoife!': the person a message greets, a first name even when also a
        word, or a capitalised word no dictionary knows, the greeting line ending after the name."""
        tokens = doc.tokens
        for i in doc.indexes_of(GREETINGS):
            if i + 1 >= len(tokens) or not _SPACE.fullmatch(doc.between(tokens[i], tokens[i + 1])):
                continue
            name = tokens[i + 1]
            if name.lower in _VOCATIVES:
                continue
            if name.lower in self.lex.first_names and _GREETED_END.match(doc.text, name.end):
                yield Candidate(name.begin, name.end, "NAME", 0.8, "name.greeted")  # "Dear Will,": no modal verb
                continue
            if name.lower in self.lex.not_phi or not (name.lower in self.lex.first_names or (
                    name.text[0].isupper() and not name.text.isupper() and not self.lex.is_ordinary(name.lower))):
                continue
            for c in self._run(doc, i + 1, 0.8, "name.greeted", first_may_be_ordinary=True):
                if c.begin == name.begin and _GREETED_END.match(doc.text, c.end):
                    yield c
                break

    def _user_names(self, doc: Document) -> Iterator[Candidate]:
        """'accessed by user jsmith', 'Login: mgarcia2': an account's name, a word no dictionary knows."""
        for m in (_USER_NAME.match(doc.lower, doc.tokens[i].begin) for i in doc.indexes_of(_USER_WORDS)):
            words = _LETTERS.findall(m.group(1)) if m else ()
            if words and not any(self.lex.is_ordinary(w) for w in words if len(w) > 1):
                yield Candidate(m.start(1), m.end(1), "NAME", 0.75, "name.user")

    def _named_in_email(self, doc: Document) -> Iterator[Candidate]:
        """'Forwarding this to Ben at ben.okoro@example.org. Ben, can you': the words of an e-mail address's local
        part written first.last are a person's names where the text writes them capitalised."""
        text = doc.text
        at = text.find("@")
        while at > 0:
            local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
            for word in _LOCAL_PART_SEPARATOR.split(local.group(1).lower()) if local else ():
                if len(word) < 3 or word in self.lex.not_phi or (
                        self.lex.is_ordinary(word) and not self.lex.is_name_like(word)):
                    continue
                for i in doc.positions.get(word, ()):
                    token = doc.tokens[i]
                    if token.text[0].isupper() and not token.text.isupper() and not (
                            local.start() <= token.begin < at):
                        yield Candidate(token.begin, token.end, "NAME", 0.75, "name.email_local")
            at = text.find("@", at + 1)

    def _subject_of_visit(self, doc: Document) -> Iterator[Candidate]:
        """'bill called', 'BOB VISITED': a first name, even an ordinary word, doing what visitors do."""
        lower = doc.lower
        for m in _VISIT.finditer(lower):
            before = _WORD_BEFORE.search(lower, max(0, m.start() - 30), m.start())
            word = before.group(1) if before else ""
            if word in self.lex.first_names and word not in self.lex.not_phi and len(word) > 2:
                yield Candidate(before.start(1), before.end(1), "NAME", 0.7, "name.visitor")
            yield from self._surname_subject(doc, m.start())

    def _surname_subject(self, doc: Document, visit: int) -> Iterator[Candidate]:
        """'MARRUFFO WAS AT THE BEDSIDE', 'ALISON MCEVADDY FAMILY AT BEDSIDE': a subject of one or two words
        opening the line or sentence, none an English word unless beside a first name, one a census name."""
        subject = _SUBJECT_BEFORE.search(doc.lower, max(0, visit - 40), visit)
        if subject is None:
            return
        words = [w for w in subject.groups() if w]
        # An English word is a name here only beside a first name: "TONITA RAJA", not "SITTER AT BEDSIDE".
        beside_first_name = len(words) == 2 and any(w in self.lex.first_names for w in words)
        if all(len(w) > 2 and w not in self.lex.not_phi and (
                not self.lex.is_ordinary(w) or (beside_first_name and self.lex.is_name_like(w))) for w in words) and (
                any(self.lex.is_name_like(w) for w in words)):
            end = subject.end(2) if subject.group(2) else subject.end(1)
            yield Candidate(subject.start(1), end, "NAME", 0.65, "name.subject")

    def _labelled(self, doc: Document) -> Iterator[Candidate]:
        for m in _LABEL.finditer(doc.text):
            line_end = doc.text.find("\n", m.end())
            value = doc.text[m.end():len(doc.text) if line_end < 0 else line_end]
            end = 0  # the name ends before the next field label: "Robert Johnson, DOB 4/5/1950"
            for word in _LABELLED_WORD.finditer(value[:80]):
                if word.group().lower().strip(".") in self.lex.not_phi or not _COMMA_GAP.fullmatch(
                        value[end:word.start()]) or (end and word.start() == end):
                    break
                end = word.end()
            if end:
                yield Candidate(m.end(), m.end() + len(value[:end].rstrip(".,")), "NAME", 0.9, "name.label")

    # --- helpers --------------------------------------------------------------------------

    def _run(self, doc: Document, i: int, score: float, rule: str, first_may_be_ordinary: bool
             ) -> Iterator[Candidate]:
        """The name starting at token i: initials and further name-like words on the same line."""
        tokens = doc.tokens
        first = tokens[i]
        # An initial ("L. RUUSKA"), or an Irish O written apart ("o rourke")
        initial = len(first.text) == 1 and (doc.text.startswith(".", first.end) or (
            first.lower == "o" and i + 1 < len(tokens) and doc.between(first, tokens[i + 1]) == " "
            and not self.lex.is_ordinary(tokens[i + 1].lower)))
        capitalised = first.text[0].isupper() and not doc.shouting(first.begin)
        titled_first_name = first_may_be_ordinary and capitalised and first.lower in self.lex.first_names  # "Dr. Art"
        # "Mr. Brown", "Dr. Young": a capitalised census surname after a title, though a clinical word (the policy
        # keeps it there too)
        titled_surname = rule == "name.title" and capitalised and first.lower in self.lex.surnames
        if not initial and not titled_first_name and not titled_surname and (
                len(first.text) == 1 or first.lower in self.lex.not_phi or (
                self.lex.is_ordinary(first.lower) and not (first_may_be_ordinary and (
                    self.lex.is_name_like(first.lower) or capitalised)))):
            return
        end = i
        if titled_first_name and i + 1 < len(tokens) and _LINE_BREAK.fullmatch(doc.between(first, tokens[i + 1])):
            surname = tokens[i + 1]
            if surname.text[0].isupper() and surname.lower not in self.lex.not_phi and (
                    self.lex.is_name_like(surname.lower) or not self.lex.is_ordinary(surname.lower)):
                end = i + 1
        while end + 1 < len(tokens) and _JOIN.fullmatch(doc.between(tokens[end], tokens[end + 1])):
            nxt = tokens[end + 1]
            if len(tokens[end].text) > 1 and doc.between(tokens[end], nxt).startswith(". "):
                break  # "Dr. Martyn. Thermodilution CO": a full stop after a word ends the sentence
            after_initial = len(tokens[end].text) == 1 and (end > i or initial)
            after_first_name = end == i and first.lower in self.lex.first_names
            if _acronym(nxt) and not doc.shouting(nxt.begin):
                break  # "Sydney NSW": capitals in mixed case after a name are a code
            # "Dr Imran Shah": after a title, two capitalised words in mixed case are one name
            titled_pair = rule == "name.title" and end == i and capitalised and nxt.text[0].isupper() and (
                nxt.lower not in self.lex.not_phi and not doc.shouting(nxt.begin))
            # "BROTHER ANGELA WHITE CALLED": in capitals, a surname that is a word needs the clause to end or a visit
            surname = after_first_name and self.lex.is_name_like(nxt.lower) and nxt.text[0].isupper() and (
                not doc.shouting(nxt.begin) or (rule in _LISTING_RULES and self._surname_not_describing(nxt.lower)
                                                and self._named_then_acts(doc, end + 1)))
            if not (after_initial and nxt.lower not in self.lex.not_phi) and not self._extends_name(nxt) and not (
                    surname) and not titled_pair:
                break
            end += 1
        stop = tokens[end].end
        if len(tokens[end].text) == 1 and end > i and doc.text.startswith(".", stop):
            stop += 1  # "DR JUDITH K.": the initial's full stop is part of the name
        yield Candidate(first.begin, stop, "NAME", score, rule)
        # A list of names: "Drs Ferullo and Saeed", "Sons Smokey, Morris and Roger".
        listed = None
        if end + 1 < len(tokens) and _LIST_GAP.fullmatch(doc.between(tokens[end], tokens[end + 1])):
            listed = end + 1
        elif end + 2 < len(tokens) and tokens[end + 1].lower in {"and", "&"} and _SPACE.fullmatch(
                doc.between(tokens[end + 1], tokens[end + 2])):
            listed = end + 2
        listed_word = tokens[listed].lower if listed is not None else ""
        if listed is not None and listed_word not in self.lex.not_phi and listed_word not in _CREDENTIAL_WORDS and (
                not self._names_facility(doc, listed)) and (
                (not self.lex.is_ordinary(listed_word)
                 and (rule in _LISTING_RULES or self.lex.is_name_like(listed_word)))
                or (listed_word in self.lex.first_names and not tokens[listed].text.islower())):
            yield from self._run(doc, listed, score, rule, first_may_be_ordinary=True)

    @staticmethod
    def _names_facility(doc: Document, i: int) -> bool:
        """'Novak, Brookside Health Center': the word after a name's comma opens a facility's name."""
        following = doc.tokens[i:i + 4]
        return following[0].text[0].isupper() and any(t.lower in FACILITY_ENDS for t in following[1:])

    def _extends_name(self, token: Token) -> bool:
        """After a name word: an initial, or a word no dictionary calls ordinary (a census name or unknown)."""
        word = token.lower
        return len(word) == 1 or (len(word) > 2 and word not in self.lex.not_phi and (
            not self.lex.is_ordinary(word) or (word in self.lex.first_names and not token.text.islower())))

    def _could_be_name(self, doc: Document, token: Token) -> bool:
        word = token.lower
        if len(word) == 1:
            return doc.text.startswith(".", token.end)  # an initial
        # A signature is context enough for a census name that is also an eponym: "Bernard Foley CRT".
        census = word in self.lex.first_names or word in self.lex.surnames
        return word not in self.lex.not_phi and (census or not self.lex.is_ordinary(word))

    @staticmethod
    def _gap(doc: Document, i: int, pattern: re.Pattern) -> bool:
        tokens = doc.tokens
        return i + 1 < len(tokens) and pattern.fullmatch(doc.between(tokens[i], tokens[i + 1])) is not None
