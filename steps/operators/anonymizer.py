"""Applying operators to a text by offsets, and where each replacement landed."""

from collections import Counter
from dataclasses import dataclass, field

from steps.operators.operator import OperatorContext
from steps.operators.registry import operator_for, uses_surrogates
from steps.operators.surrogates import SURROGATE_SCHEME


@dataclass
class Anonymized:
    text: str
    # One per replaced span, in the masked text: BeginOffset, EndOffset, Type, Operator.
    entities: list[dict] = field(default_factory=list)

    def counts_by_operator(self) -> dict[str, int]:
        return dict(sorted(Counter(e["Operator"] for e in self.entities).items()))


def surrogate_scheme(mode: str | dict) -> dict:
    """The fields an output of ``mode`` records: the surrogate scheme's version when it uses one."""
    return {"surrogateScheme": SURROGATE_SCHEME} if uses_surrogates(mode) else {}


def anonymize(text: str, entities, mode: str | dict = "type", context: OperatorContext | None = None) -> Anonymized:
    """Replace each entity span by what its type's operator makes of it.

    Overlapping spans are joined first (the first one's type wins), so every character of
    every entity is covered exactly once; the result is built left to right from slices, and
    each replacement's offsets are counted in the result.
    """
    context = context or OperatorContext()
    spans: list[list] = []
    for e in sorted(entities, key=lambda e: (e["BeginOffset"], -e["EndOffset"])):
        begin, end = max(0, e["BeginOffset"]), min(len(text), e["EndOffset"])
        if end <= begin:
            continue
        if spans and begin < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([begin, end, e["Type"]])
    pieces, placed = [], []
    cursor = length = 0
    for begin, end, entity_type in spans:
        operator = operator_for(mode, entity_type)
        replacement = operator.operate(entity_type, text[begin:end], context)
        pieces += [text[cursor:begin], replacement]
        length += begin - cursor
        placed.append({"BeginOffset": length, "EndOffset": length + len(replacement), "Type": entity_type,
                       "Operator": operator.name})
        length += len(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return Anonymized("".join(pieces), placed)
