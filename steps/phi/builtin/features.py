"""Token features of the statistical tagger (tagger.py), shared by training and run time.

Most features belong to the word itself (shape, affixes, dictionary membership) and do not
depend on where it stands, so they are computed once per word type and cached: reading a stretch
gives each token the row of its word type (Featurizer.rows), the casing bucket of the window
around it and whether it starts a line or a sentence. Training joins the rows' features into
attribute strings per token (join); at run time crf_scores.py sums their weights per row instead.
Casing is judged over a window of tokens, never per document: an all-caps header does not make a
mixed-case paragraph all-caps, and in an all-caps stretch a capital letter says nothing.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import contains

import numpy as np

from steps.phi.builtin.document import LETTER, unaccented
from steps.phi.builtin.lexicon import Lexicon

# A token of the unaccented text: a word (letters of any script, combining accents, an apostrophe inside), a number,
# or one other character
_LETTERS = rf"{LETTER}(?:{LETTER}|[\u0300-\u036f])*"
TOKEN = re.compile(rf"{_LETTERS}(?:'{_LETTERS})*|\d+|\S")
_TOKEN_SPLIT = re.compile(f"({TOKEN.pattern})")  # split() keeps what a group matched: the tokens
_ASCII_TOKEN_SPLIT = re.compile(r"([A-Za-z]+(?:'[A-Za-z]+)*|\d+|\S)")  # the same in ASCII text, scanned faster
_STOPS = frozenset(".:?!")
CASINGS = ("u0", "u1", "u2")  # under 30%, 30-70%, over 70% of the words around are upper case
OFFSETS = (-2, -1, 1, 2)  # neighbours whose features a token sees
_WINDOW = 8  # words each side that judge the casing around a token
_CACHE_LIMIT = 200_000  # tokens; a long-running process clears the caches beyond this

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


_LOWER, _UPPER, _UNLETTERED = 0, 1, 2  # a word's casing code; numbers and punctuation do not judge casing


@dataclass(frozen=True, slots=True)
class WordFeatures:
    own: tuple[tuple[str, ...], ...]  # per casing bucket around the word (CASINGS order): its features
    around: tuple[tuple[str, ...], ...]  # what it tells the word 2 after, 1 after, 1 before, 2 before it
    casing: int  # _LOWER, _UPPER or _UNLETTERED


@dataclass(frozen=True, slots=True)
class Stretch:
    """A run of tokens read: each token's word type, casing bucket, and where lines and sentences start."""
    tokens: list[str]
    rows: np.ndarray  # per token, its word type's row in Featurizer.rows
    casings: np.ndarray  # per token, its index into CASINGS
    line_starts: list[int]  # token indexes
    sentence_starts: list[int]
    begin: int  # offset of the stretch in the text
    pieces: list[str]  # the stretch split around its tokens: gap, token, gap, ..., token, gap

    def offsets(self) -> list[int]:
        """The pieces' offsets in the text (their lengths added up): token i spans [2i + 1], [2i + 2]."""
        return list(accumulate(map(len, self.pieces), initial=self.begin))

    def spans(self) -> list[tuple[int, int]]:
        """(begin, end) of every token in the text."""
        offsets = self.offsets()
        return list(zip(offsets[1::2], offsets[2::2], strict=False))


class Featurizer:
    def __init__(self, lexicon: Lexicon, known: frozenset[str] | None = None):
        """known: the attributes a trained model has weights for; others are dropped once per word type
        (None while training: keep all). Kept ones are held as UTF-8 bytes, as crfsuite's tables key them."""
        self.lex = lexicon
        self.known = None if known is None else {attribute: attribute.encode() for attribute in known}
        self.vocabulary = (lexicon.common_words | lexicon.not_phi | lexicon.eponyms | TITLES | RELATIVES |
                           FACILITY_WORDS | LABELS | PLACE_PREPOSITIONS | MONTHS | CREDENTIALS)
        self.place_words = frozenset(w for place in lexicon.places for w in place.split())
        self.region_words = REGIONS | frozenset(w for state in lexicon.states for w in state.split())
        self.word_sets = (("pl", self.place_words), ("st", self.region_words), ("cw", lexicon.common_words),
                          ("np", lexicon.not_phi), ("ep", lexicon.eponyms), ("fac", FACILITY_WORDS), ("ttl", TITLES),
                          ("rel", RELATIVES), ("lbl", LABELS), ("prep", PLACE_PREPOSITIONS), ("mon", MONTHS),
                          ("cred", CREDENTIALS))
        self._forget()

    def _forget(self) -> None:
        """Empty the caches. Word types with the same features share a row (most unknown words look alike):
        rows holds each distinct WordFeatures once, codes their casing codes (numpy reads it in place),
        cache maps a token to its row. rows is a new list: whoever numbered the old rows sees they changed."""
        self.rows: list[WordFeatures] = [_EDGE]  # row 0: beyond either end of the text
        self.codes = bytearray([_UNLETTERED])
        self.shared: dict[WordFeatures, int] = {_EDGE: 0}
        self.cache: dict[str, int] = {}

    def word(self, word: str) -> int:
        """The row of a token's word type, made on first sight."""
        # numbers differ only in length here: their features are made once a length
        key = "0" * min(len(word), 5) if word[0].isdigit() else word
        row = self.cache.get(key)
        if row is None:
            features = self._keep_known(self._word(key))
            row = self.shared.get(features)
            if row is None:
                row = self.shared[features] = len(self.rows)
                self.rows.append(features)
                self.codes.append(features.casing)
            self.cache[key] = row
        self.cache[word] = row  # the number itself too: next time read() finds it in the cache
        return row

    def _keep_known(self, w: WordFeatures) -> WordFeatures:
        if self.known is None:
            return w
        known = self.known  # one bytes object an attribute, shared by every word type
        return WordFeatures(tuple(tuple(known[f] for f in seen if f in known) for seen in w.own),
                            tuple(tuple(known[f] for f in seen if f in known) for seen in w.around), w.casing)

    def _word(self, word: str) -> WordFeatures:
        lower = word.lower()
        form = shape(word)
        if not word[0].isalpha():
            kind = f"d{min(len(word), 5)}" if word[0].isdigit() else "p" + word
            return WordFeatures(tuple((c, c + kind, kind) for c in CASINGS), tuple((f"{k}{kind}",) for k in OFFSETS),
                                _UNLETTERED)
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
        around = tuple(tuple(f"{k}{f}" for f in near) if abs(k) == 1 else (f"{k}{far}",) for k in OFFSETS)
        return WordFeatures(tuple((c, f"{c}s={form}", *own) for c in CASINGS), around,
                            _UPPER if len(word) > 1 and word.isupper() else _LOWER)

    def _flags(self, lower: str) -> list[str]:
        stem = lower[2:] if len(lower) > 3 and lower[1] == "'" else lower  # o'brien
        flags = [flag for flag, words in (("fn", self.lex.first_names), ("sn", self.lex.surnames)) if stem in words]
        return flags + [flag for flag, words in self.word_sets if lower in words]

    def sequence(self, text: str) -> tuple[list[list], list[tuple[int, int]]]:
        """Features of every token of text, and the tokens' offsets. The text is read unaccented, as the engine reads
        it (Document.text): Zoë has the features of Zoe."""
        stretch = self.read(unaccented(text), 0, len(text))
        return self.join(stretch, range(len(stretch.tokens))), stretch.spans()

    def read(self, text: str, begin: int, end: int) -> Stretch:
        """The tokens of text[begin:end] (text unaccented, as Document.text is) and what is known of them: split in C
        rather than matched one by one, their rows from the cache (a call only for a word type not seen before)."""
        if len(self.cache) >= _CACHE_LIMIT:  # before, not while, reading: a stretch's rows are of one numbering
            self._forget()
        read = text[begin:end]
        pieces = (_ASCII_TOKEN_SPLIT if read.isascii() else _TOKEN_SPLIT).split(read)  # gap, token, ..., token, gap
        tokens = pieces[1::2]
        rows = list(map(self.cache.get, tokens))
        if None in rows:
            rows = [self.word(token) if row is None else row for row, token in zip(rows, tokens, strict=True)]
        rows = np.array(rows, dtype=np.intp)
        count = len(tokens)
        # token k > 0 starts a line when the gap before it, pieces[2k], holds a line break
        line_starts = [0, *compress(range(1, count), map(contains, pieces[2:-1:2], repeat("\n")))] if count else []
        after_stop = compress(range(1, count), map(_STOPS.__contains__, tokens[:-1]))
        sentence_starts = [k for k in after_stop if "\n" not in pieces[2 * k]]
        casings = _casings(np.frombuffer(self.codes, dtype=np.int8)[rows])
        return Stretch(tokens, rows, casings, line_starts, sentence_starts, begin, pieces)

    def join(self, stretch: Stretch, indexes) -> list[list]:
        """The features of the tokens at indexes: the word's own in its casing bucket, what its neighbours tell
        it, and 'bol' on the first token of each line, 'bos' on a token after . : ? or ! on the same line."""
        rows, casings = self.rows, stretch.casings.tolist()
        padded = [rows[0], rows[0], *(rows[r] for r in stretch.rows.tolist()), rows[0], rows[0]]
        out = []
        for i in indexes:
            out.append([*padded[i + 2].own[casings[i]], *padded[i].around[0], *padded[i + 1].around[1],
                        *padded[i + 3].around[2], *padded[i + 4].around[3]])
        at = {i: k for k, i in enumerate(indexes)}
        for starts, mark in ((stretch.line_starts, "bol"), (stretch.sentence_starts, "bos")):
            for i in starts:
                if i in at:
                    out[at[i]].append(mark)
        return out


def _casings(codes: np.ndarray) -> np.ndarray:
    """Per token (given its casing code), the share of upper-case words among the lettered words around it,
    in three buckets."""
    lettered = codes != _UNLETTERED
    # the arrays' own cumsum: np.cumsum's Python wrapper costs as much as the sum of a stretch
    total = np.concatenate(([0], (codes[lettered] == _UPPER).cumsum()))
    low, high, sized = _windows(len(total) - 1)
    buckets = _BUCKETS[sized + total[high] - total[low]]
    before = lettered.cumsum() - lettered  # lettered words before each token
    return buckets[before]


_SIZES = 2 * _WINDOW + 1  # a window holds 0 to 2 * _WINDOW lettered words
# _BUCKETS[size * _SIZES + upper]: the bucket of a window of size lettered words, upper of them upper case (an empty
# window counts as one word, none upper case): the same divisions, looked up instead of made per token
_BUCKETS = np.array([(upper / max(size, 1) >= 0.3) + (upper / max(size, 1) >= 0.7)
                     for size in range(_SIZES) for upper in range(_SIZES)], dtype=np.int8)


@lru_cache(maxsize=512)
def _windows(count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For r = 0..count lettered words before a token (of count in a stretch): where its window of lettered words
    begins and ends, and the window's size times _SIZES (its row in _BUCKETS). Stretches of a length recur."""
    r = np.arange(count + 1)
    low, high = np.maximum(0, r - _WINDOW), np.minimum(count, r + _WINDOW)
    return low, high, (high - low) * _SIZES


_EDGE = WordFeatures(((), (), ()), ((), (), (), ()), _UNLETTERED)  # beyond either end of the text
