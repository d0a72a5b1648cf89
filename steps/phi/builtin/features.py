"""Token features of the statistical tagger (tagger.py), shared by training and run time.

Most features belong to the word itself (shape, affixes, dictionary membership) and do not
depend on where it stands, so they are computed once per word type and cached; per token only
the neighbours' cached features are joined and the casing of the window around it is added.
Casing is judged over a window of tokens, never per document: an all-caps header does not make a
mixed-case paragraph all-caps, and in an all-caps stretch a capital letter says nothing.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from steps.phi.builtin.lexicon import Lexicon

TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*|\d+|[^\sA-Za-z\d]")
_STOP = re.compile(r"[.:?!]")
_CASINGS = ("u0", "u1", "u2")  # under 30%, 30-70%, over 70% of the words around are upper case
_OFFSETS = (-2, -1, 1, 2)  # neighbours whose features a token sees
_WINDOW = 8  # words each side that judge the casing around a token
_CACHE_LIMIT = 200_000  # word types; a long-running process clears the cache beyond this

TITLES = frozenset("dr drs doctor mr mrs ms miss mister prof professor sister father nurse".split())
RELATIVES = frozenset("son daughter dtr husband wife brother sister mother father mom dad niece nephew grandson "
                      "granddaughter aunt uncle cousin friend partner neighbor spouse hcp proxy sil dil".split())
FACILITY_WORDS = frozenset("hospital hosp clinic infirmary hospice institute university medical center centre "
                           "health healthcare rehab rehabilitation nursing home manor memorial regional general "
                           "community children's ward unit wing pavilion building practice group surgery lodge "
                           "village house campus".split())
LABELS = frozenset("name patient pt dob born attending physician signed dictated by provider pcp contact "
                   "re dear from to cc sincerely regards address city town seen referred".split())
PLACE_PREPOSITIONS = frozenset("at in from to near of via into lives live living moved".split())
MONTHS = frozenset("january february march april may june july august september october november december "
                   "jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Larger than a state, so never PHI on their own (Safe Harbor): "sister in Europe", "back from Fla".
REGIONS = frozenset("europe asia africa america americas canada mexico ireland england scotland wales britain uk usa "
                    "india china japan korea vietnam philippines haiti russia italy greece poland germany france "
                    "spain portugal brazil australia israel egypt nigeria jamaica cuba colombia peru iran iraq "
                    "pakistan ukraine fla calif mass conn penn wash".split())
CREDENTIALS = frozenset("md rn np pa do phd lpn rrt msw frcp mbbs".split())


def shape(word: str) -> str:
    """Xx, X, x, d, Xx'Xx...: character classes with repeats collapsed."""
    out = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.islower() else "d" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class WordFeatures:
    own: dict[str, tuple[str, ...]]  # casing bucket around the word -> its features (shape seen in that light)
    around: tuple[tuple[str, ...], ...]  # what it tells the word 2 after, 1 after, 1 before, 2 before it
    upper: bool | None  # None: no letters (numbers and punctuation do not judge casing)


class Featurizer:
    def __init__(self, lexicon: Lexicon, known: frozenset[str] | None = None):
        """known: the attributes a trained model has weights for; others are dropped once per word type,
        so the tagger is not handed features it would ignore (None while training: keep all). Kept ones
        are cached as UTF-8 bytes: python-crfsuite takes bytes as they are, where it encodes every str."""
        self.lex = lexicon
        self.known = None if known is None else {attribute: attribute.encode() for attribute in known}
        # Words with the same features share one WordFeatures (most unknown words look alike): the
        # cache then costs a few hundred bytes a word type, not kilobytes.
        self.shared: dict[tuple, WordFeatures] = {}
        self.vocabulary = (lexicon.common_words | lexicon.not_phi | lexicon.eponyms | TITLES | RELATIVES |
                           FACILITY_WORDS | LABELS | PLACE_PREPOSITIONS | MONTHS | CREDENTIALS)
        self.place_words = frozenset(w for place in lexicon.places for w in place.split())
        self.region_words = REGIONS | frozenset(w for state in lexicon.states for w in state.split())
        self.word_sets = (("pl", self.place_words), ("st", self.region_words), ("cw", lexicon.common_words),
                          ("np", lexicon.not_phi), ("ep", lexicon.eponyms), ("fac", FACILITY_WORDS), ("ttl", TITLES),
                          ("rel", RELATIVES), ("lbl", LABELS), ("prep", PLACE_PREPOSITIONS), ("mon", MONTHS),
                          ("cred", CREDENTIALS))
        self.cache: dict[str, WordFeatures] = {}

    def word(self, word: str) -> WordFeatures:
        if word[0].isdigit():  # numbers differ only in length here: one entry a length, not one a number
            word = "0" * min(len(word), 5)
        found = self.cache.get(word)
        if found is None:
            if len(self.cache) >= _CACHE_LIMIT:
                self.cache.clear()
                self.shared.clear()
            found = self.cache[word] = self._keep_known(self._word(word))
        return found

    def _keep_known(self, w: WordFeatures) -> WordFeatures:
        if self.known is None:
            return w
        known = self.known  # one bytes object an attribute, shared by every word type
        own = tuple(tuple(known[f] for f in w.own[case] if f in known) for case in _CASINGS)
        around = tuple(tuple(known[f] for f in seen if f in known) for seen in w.around)
        key = (own, around, w.upper)
        found = self.shared.get(key)
        if found is None:
            found = self.shared[key] = WordFeatures(dict(zip(_CASINGS, own, strict=True)), around, w.upper)
        return found

    def _word(self, word: str) -> WordFeatures:
        lower = word.lower()
        form = shape(word)
        if not word[0].isalpha():
            kind = f"d{min(len(word), 5)}" if word[0].isdigit() else "p" + word
            return WordFeatures({c: (c, c + kind, kind) for c in _CASINGS}, tuple((f"{k}{kind}",) for k in _OFFSETS),
                                None)
        flags = self._flags(lower)
        known = lower in self.vocabulary
        own = [f"s={form}", f"l={min(len(word), 6)}", *flags]
        if known:
            own.append("w=" + lower)
        else:
            own += ("x", "s3=" + lower[-3:], "s2=" + lower[-2:], "p2=" + lower[:2])
        for flag in flags:  # what a dictionary says is worth more in title case than in all caps
            own.append(f"{flag}{form[:2]}")
        near = (f"w={lower}",) if known else (f"s={form}", *flags)  # what the next word or the one before sees
        far = f"w={lower}" if known else f"s={form}"  # two words away
        around = tuple(tuple(f"{k}{f}" for f in near) if abs(k) == 1 else (f"{k}{far}",) for k in _OFFSETS)
        return WordFeatures({c: (c, f"{c}s={form}", *own) for c in _CASINGS}, around, len(word) > 1 and word.isupper())

    def _flags(self, lower: str) -> list[str]:
        stem = lower[2:] if len(lower) > 3 and lower[1] == "'" else lower  # o'brien
        flags = [flag for flag, words in (("fn", self.lex.first_names), ("sn", self.lex.surnames)) if stem in words]
        return flags + [flag for flag, words in self.word_sets if lower in words]

    def sequence(self, text: str, spans: list[tuple[int, int]]) -> list[list]:
        """Features of every token (spans: the tokens' offsets in text, in order)."""
        cached, word = self.cache.get, self.word  # a cache hit skips the call: most tokens are known types
        words = [cached(token) or word(token) for token in [text[b:e] for b, e in spans]]
        edge = _EDGE
        padded = [edge, edge, *words, edge, edge]
        out = [[*w.own[casing], *two_before.around[0], *one_before.around[1], *one_after.around[2],
                *two_after.around[3]]
               for w, casing, two_before, one_before, one_after, two_after
               in zip(words, self._casing(words), padded, padded[1:], padded[3:], padded[4:], strict=False)]
        if out:
            self._mark_starts(text, spans, out)
        return out

    @staticmethod
    def _mark_starts(text: str, spans: list[tuple[int, int]], out: list[list]) -> None:
        """'bol' on the first token of each line, 'bos' on a token after . : ? or ! on the same line.
        Found from the few line breaks and stops, not by looking between every pair of tokens."""
        begins = [b for b, _ in spans]
        first, last = spans[0][0], spans[-1][1]
        starts = {0}
        newline = text.find("\n", first, last)
        while newline >= 0:
            starts.add(bisect_right(begins, newline))
            newline = text.find("\n", newline + 1, last)
        for i in sorted(starts):
            if i < len(out):
                out[i].append("bol")
        for stop in _STOP.finditer(text, first, last):
            i = bisect_right(begins, stop.start())  # the token after the stop (a stop is a token of its own)
            if i < len(out) and i not in starts:
                out[i].append("bos")

    @staticmethod
    def _casing(words: list[WordFeatures]) -> list[str]:
        """Per token, the share of upper-case words among the lettered words around it, in three buckets."""
        lettered = [w.upper for w in words if w.upper is not None]
        total = [0, *accumulate(lettered)]
        count = len(lettered)
        buckets = []
        for r in range(count + 1):  # r: lettered words before the token
            low, high = max(0, r - _WINDOW), min(count, r + _WINDOW)
            share = (total[high] - total[low]) / (high - low) if high > low else 0.0
            buckets.append("u0" if share < 0.3 else "u1" if share < 0.7 else "u2")
        before = accumulate((w.upper is not None for w in words), initial=0)  # lettered words before each token
        return [buckets[r] for r, _ in zip(before, words, strict=False)]  # before has one more: after the last


_EDGE = WordFeatures({}, ((), (), (), ()), None)  # beyond either end of the text
