"""A text split once into word tokens that every layer reads.

Layers read the text unaccented (unaccented: José as Jose, O’Brien as O'Brien), offset for offset: their patterns
and word lists are ASCII, so an accented word is treated as the same word without accents, and the offsets of
what they find hold on the text as written.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, chain
from operator import attrgetter

# A word of the unaccented text: letters of any script (Jose, Straße, Æsir), with apostrophes inside (O'Brien, and
# O’Brien once unaccented) and the combining accents of decomposed text. \w less digits and _ is the letters and the
# numerals other than digits (², ½, Ⅳ), which the class leaves out: "m²" is the word m, as "m2" is.
LETTER = r"[^\W\d_²³¹¼-¾\u2070-\u209f\u2150-\u218f\u2460-\u24ff]"
_PART = rf"(?:{LETTER}|[\u0300-\u036f])"  # what may follow a word's first letter
_WORD_SPLIT = re.compile(rf"({LETTER}(?:(?:{_PART}|')*{_PART})?)")  # split() keeps the words: gap, word, ..., gap
# The same words in ASCII text, which re scans twice as fast with an ASCII class (str.isascii costs nothing)
_ASCII_WORD_SPLIT = re.compile(r"([A-Za-z](?:[A-Za-z']*[A-Za-z])?)")
_DIGITS = re.compile(r"\d+")
CASING_WINDOW = 20  # tokens around a word that judge whether its text is written in capitals
APOSTROPHES = "’‘ʼ"  # typographic apostrophes, read as '
_BASE_LETTERS = dict(zip("łŁøØđĐħĦıŧŦ", "lLoOdDhHitT"))  # letters that Unicode does not decompose into a base and a mark


class _Unaccented(dict):
    """str.translate's table for unaccented: each character's replacement, worked out on first sight."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        base = _BASE_LETTERS.get(char, base)
        kept = "'" if char in APOSTROPHES else base if char.isalpha() and len(base) == 1 and base.isalpha() else char
        self[code] = ord(kept)
        return self[code]


_UNACCENTED = _Unaccented()


def unaccented(text: str) -> str:
    """text with each accented letter as its base letter (José: Jose, Łukasz: Lukasz, ÉCOLE: ECOLE) and
    typographic apostrophes as ' (O’Brien: O'Brien), character for character, so offsets are kept. Letters with no
    one-letter base (ß, æ) and other characters stay."""
    return text if text.isascii() else text.translate(_UNACCENTED)


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to build, and there are many
class Token:
    begin: int
    end: int
    text: str
    lower: str


class Document:
    def __init__(self, text: str):
        self.text = unaccented(text)
        self._indexes: dict[frozenset[str], list[int]] = {}  # indexes_of per word list: several layers ask for the same
        self._shouting: dict[int, bool] = {}  # per offset: names, places and the policy ask about the same tokens
        self._number_starts: dict[tuple[range, str], list[int]] = {}  # number_starts_where per question

    @cached_property
    def tokens(self) -> list[Token]:
        """Split in C and offset by adding up the pieces' lengths: no match object a word. A word's lower case is
        self.lower's slice (unaccented, no character's lower case is longer than itself)."""
        pieces = (_ASCII_WORD_SPLIT if self.text.isascii() else _WORD_SPLIT).split(self.text)
        offsets = list(accumulate(map(len, pieces)))  # offsets[2k]: where word k begins, offsets[2k + 1]: its end
        words = pieces[1::2]
        return list(map(Token, offsets[::2], offsets[1::2], words, map(str.lower, words)))

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Token indexes by lower-case word: layers find their trigger words by set intersection."""
        index: dict[str, list[int]] = {}
        for i, token in enumerate(self.tokens):
            index.setdefault(token.lower, []).append(i)
        return index

    def indexes_of(self, words: frozenset[str] | set[str]) -> list[int]:
        """Indexes, in order, of the tokens whose lower-case form is one of words.

        words must be a set: intersecting two sets walks the smaller one (a note's few
        hundred words), where a dict or list would be walked whole for every note."""
        known = self._indexes.get(words) if isinstance(words, frozenset) else None
        if known is None:
            found = self._words & words
            # most word lists meet a note in none or one of their words: no sort needed then
            known = (sorted(chain.from_iterable(map(self.positions.__getitem__, found))) if len(found) > 1
                     else list(self.positions[next(iter(found))]) if found else [])
            if isinstance(words, frozenset):
                self._indexes[words] = known
        return known

    @cached_property
    def _words(self) -> frozenset[str]:
        return frozenset(self.positions)

    @cached_property
    def number_starts(self) -> list[int]:
        """Where each run of digits begins: a pattern that opens with a digit no digit precedes can match only
        there (word_patterns.matches_at), and a dozen such patterns need not each scan the whole note."""
        return [begin for begin, _ in self._number_runs]

    @cached_property
    def _number_runs(self) -> list[tuple[int, int]]:
        return [m.span() for m in _DIGITS.finditer(self.text)]

    def number_starts_where(self, lengths: range, followed_by: str = "") -> list[int]:
        """Where each run of digits of one of lengths begins (followed by one of the characters of followed_by, if
        given): a pattern that opens with such a run is tried at those only, not at every run of the note."""
        known = self._number_starts.get((lengths, followed_by))
        if known is None:
            text, size = self.text, len(self.text)
            known = self._number_starts[lengths, followed_by] = [
                begin for begin, end in self._number_runs if end - begin in lengths and (
                    not followed_by or (end < size and text[end] in followed_by))]
        return known

    @cached_property
    def lower(self) -> str:
        """The text in lower case, same offsets: patterns without re.IGNORECASE run faster on it, and their offsets
        are used on the text. (The one character whose lower case is two, İ, is unaccented to I: no offset shifts.)"""
        return self.text.lower()

    @cached_property
    def _upper_counts(self) -> list[int]:
        """How many of the first n tokens are upper case, for every n."""
        return [0, *accumulate(map(str.isupper, map(attrgetter("text"), self.tokens)))]

    @cached_property
    def _token_begins(self) -> list[int]:
        return [token.begin for token in self.tokens]

    def first_token_from(self, offset: int) -> int:
        """The index of the first token that begins at or after offset (len(tokens) when none does)."""
        return bisect_left(self._token_begins, offset)

    def shouting(self, offset: int) -> bool:
        """Whether the text around offset is written in capitals (> 60% of the CASING_WINDOW tokens
        nearest to it): there capitalisation tells nothing, so layers rely on context and dictionaries.
        Judged per window, not per document: an all-caps header does not change how prose is read."""
        known = self._shouting.get(offset)
        if known is None:
            total = len(self.tokens)
            i = max(0, bisect_right(self._token_begins, offset) - 1)
            start = max(0, min(i - CASING_WINDOW // 2, total - CASING_WINDOW))
            end = min(total, start + CASING_WINDOW)
            counts = self._upper_counts
            known = self._shouting[offset] = total > 0 and counts[end] - counts[start] > 0.6 * (end - start)
        return known

    def between(self, left: Token, right: Token) -> str:
        return self.text[left.end:right.begin]
