"""Candidates, the recognizer interface, and the registry that composes the layers."""

from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from steps.phi.builtin.document import Document

REPORT_FLOOR = 0.2  # candidates below this are noise; those between it and 0.5 are reported as unlikely


class Candidate(NamedTuple):  # immutable; a named tuple is built about three times faster than a frozen dataclass
    begin: int
    end: int
    type: str
    score: float
    rule: str  # which rule fired; used by calibration, never returned

    def moved(self, begin: int | None = None, end: int | None = None, score: float | None = None) -> "Candidate":
        # built directly: _replace costs several microseconds, and every overlap merge calls this
        return Candidate(self.begin if begin is None else begin, self.end if end is None else end, self.type,
                         self.score if score is None else score, self.rule)


class Recognizer(Protocol):
    def find(self, doc: Document) -> Iterable[Candidate]: ...


class Policy(Protocol):
    def review(self, doc: Document, candidates: list[Candidate]) -> list[Candidate]: ...


class Registry:
    def __init__(self, recognizers: Sequence[Recognizer], policy: Policy):
        self.recognizers = tuple(recognizers)
        self.policy = policy

    def analyse(self, text: str) -> list[Candidate]:
        doc = Document(text)
        found = [c for r in self.recognizers for c in r.find(doc) if c.end > c.begin]
        reviewed = self.policy.review(doc, found)
        return resolve([c for c in reviewed if c.score >= REPORT_FLOOR])


def resolve(candidates: list[Candidate]) -> list[Candidate]:
    """One entity a stretch of text: overlapping candidates merge, keeping the stronger one's type."""
    resolved: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.begin, -c.end)):
        last = resolved[-1] if resolved else None
        if last is None or c.begin >= last.end:
            resolved.append(c)
            continue
        if c.score <= last.score and c.end <= last.end:
            continue  # inside the stronger last one: it stays as it is
        stronger = c if c.score > last.score else last
        resolved[-1] = stronger.moved(begin=last.begin, end=max(last.end, c.end))
    return resolved
