"""Patterns that open with one of several words, written so that Python's re can skip to their first letters,
and finditer tried only where a match may start.

re looks ahead only for a pattern's first character class or literal: one that opens with \\b, a lookbehind
or a group of words is tried at every position of a note. Consuming the first letter as a class, then
checking the word boundary and the letter with lookbehinds, matches the same text at the same places.
"""

import re
from collections.abc import Iterable, Iterator


def matches_at(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """pattern.finditer(text), given every position where a match may start, in ascending order: a pattern
    tried at every position of a note costs more than finding the few places it can match (no empty matches)."""
    end = 0
    for start in starts:
        if start >= end and (m := pattern.match(text, start)):
            end = m.end()
            yield m


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (| outside groups and character classes)."""
    parts, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


def after_first_letter(words: str) -> str:
    """'jan|feb' as '(?<=j)an|(?<=f)eb': the words once their first letter is consumed.
    Each alternative must open with an ASCII letter."""
    alternatives = _alternatives(words)
    if not all(a[:1].isascii() and a[:1].isalpha() for a in alternatives):
        raise ValueError("every alternative must open with a letter")
    return "|".join(f"(?<={a[0]}){a[1:]}" for a in alternatives)


def opening_words(words: str) -> str:
    """r'\\b(?:jan|feb)' as '[fj](?<!\\w[fj])(?:(?<=j)an|(?<=f)eb)': the same matches, scanned for f and j."""
    letters = "".join(sorted({a[0] for a in _alternatives(words)}))
    return f"[{letters}](?<!\\w[{letters}])(?:{after_first_letter(words)})"
