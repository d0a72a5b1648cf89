"""A text split once into word tokens that every layer reads."""

import re
from dataclasses import dataclass
from functools import cached_property

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


@dataclass(frozen=True, slots=True)
class Token:
    begin: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


class Document:
    def __init__(self, text: str):
        self.text = text

    @cached_property
    def tokens(self) -> list[Token]:
        return [Token(m.start(), m.end(), m.group().rstrip("'")) for m in _WORD.finditer(self.text)]

    @cached_property
    def mostly_upper(self) -> bool:
        """All-caps notes carry no capitalisation signal: layers then rely on context and dictionaries."""
        letters = [c for c in self.text if c.isalpha()]
        return sum(c.isupper() for c in letters) > 0.6 * len(letters) if letters else False

    def between(self, left: Token, right: Token) -> str:
        return self.text[left.end:right.begin]
