"""Entities in Comprehend Medical's DetectPHI shape, merged by global offsets."""

from collections import Counter
from collections.abc import Iterable

from steps.operators.anonymizer import anonymize

CATEGORY = "PROTECTED_HEALTH_INFORMATION"


def shift(entities: Iterable[dict], offset: int) -> list[dict]:
    """Move chunk-local offsets to document offsets (the Text value is dropped)."""
    return [
        {"BeginOffset": e["BeginOffset"] + offset, "EndOffset": e["EndOffset"] + offset,
         "Type": e["Type"], "Score": float(e["Score"])}
        for e in entities
    ]


def merge(entities: Iterable[dict]) -> list[dict]:
    """De-duplicate entities found by overlapping chunks.

    Overlapping entities of the same type become one covering both (a chunk that
    ends inside a name sees only part of it; the next chunk sees all of it), with
    the higher score. Entities of different types are kept as they are.
    """
    merged: list[dict] = []
    open_by_type: dict[str, dict] = {}
    for e in sorted(entities, key=lambda e: (e["BeginOffset"], -e["EndOffset"])):
        current = open_by_type.get(e["Type"])
        if current is not None and e["BeginOffset"] < current["EndOffset"]:
            current["EndOffset"] = max(current["EndOffset"], e["EndOffset"])
            current["Score"] = max(current["Score"], e["Score"])
            continue
        current = dict(e)
        open_by_type[e["Type"]] = current
        merged.append(current)
    return merged


def keep(entities: Iterable[dict], threshold: float, types: Iterable[str]) -> list[dict]:
    allowed = set(types)
    return [e for e in entities if e["Score"] >= threshold and e["Type"] in allowed]


def select(found: Iterable[dict], options: dict) -> list[dict]:
    """What a job keeps of its detections: merged, at or above its threshold, of its entity types."""
    return keep(merge(found), options["threshold"], options["entityTypes"])


def with_text(entities: Iterable[dict], text: str) -> list[dict]:
    """Full DetectPHI entities (Id, Category, Text, Traits) for a caller that asked for them."""
    return [
        {"Id": i, "BeginOffset": e["BeginOffset"], "EndOffset": e["EndOffset"],
         "Score": e["Score"], "Text": text[e["BeginOffset"]:e["EndOffset"]],
         "Category": CATEGORY, "Type": e["Type"], "Traits": []}
        for i, e in enumerate(entities)
    ]


def counts_by_type(entities: Iterable[dict]) -> dict[str, int]:
    return dict(sorted(Counter(e["Type"] for e in entities).items()))


def mask(text: str, entities: Iterable[dict], mode: str | dict = "type") -> str:
    """The text with its entities replaced by an unkeyed mode (type, redact, mask-chars);
    keyed modes go through steps.operators.anonymizer with the job's key."""
    return anonymize(text, entities, mode).text
