"""A text split once into word tokens that every layer reads."""

import re
from dataclasses import dataclass
from functools import cached_property

_WORD = re.compile(r"[A-Za-z](?:[A-Za-z']*[A-Za-z])?")


@dataclass(slots=True)  # not frozen: a frozen dataclass is several times slower to build, and there are many
class Token:
    begin: int
    end: int
    text: str
    lower: str


class Document:
    def __init__(self, text: str):
        self.text = text

    @cached_property
    def tokens(self) -> list[Token]:
        text, lower = self.text, self.lower
        return [Token(b, e, text[b:e], lower[b:e]) for b, e in (m.span() for m in _WORD.finditer(text))]

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
        found = set(self.positions) & words
        return sorted(i for word in found for i in self.positions[word])

    @cached_property
    def lower(self) -> str:
        """The text in lower case, same offsets: patterns without re.IGNORECASE run faster on it."""
        return self.text.lower()

    @cached_property
    def mostly_upper(self) -> bool:
        """All-caps notes carry no capitalisation signal: layers then rely on context and dictionaries."""
        return sum(t.text.isupper() for t in self.tokens) > 0.6 * len(self.tokens) if self.tokens else False

    def between(self, left: Token, right: Token) -> str:
        return self.text[left.end:right.begin]
