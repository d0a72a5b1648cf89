"""Which OCR words to mask.

Under every policy a word is masked when it overlaps a PHI entity, matches the DICOM header's
identifying values (steps.imaging.header_seeds), follows an identifying label ("Acc:", "Age:";
steps.imaging.labels) or is read as identifying by the overlay grammar (ages, dates, times
beside dates, facility names; steps.imaging.overlay), whatever the vocabulary says. The
policies differ in the words nothing identifies nor knows to be safe (annotation vocabulary,
the grammar of technical annotations, steps.imaging.annotations). Detected boxes cover far
more text than the recogniser gets right (docs/images.md), so the default ``all-text`` masks
every such unknown word; ``balanced`` keeps those that sit among technical annotations;
``phi-only`` masks them only in a block that identifies the patient.
"""

import re
from functools import cache
from pathlib import Path

from steps.imaging import annotations, labels, overlay
from steps.imaging.header_seeds import HeaderSeeds, one_edit_apart
from steps.imaging.words import LOOKALIKES, Word, token

REASON_PHI, REASON_HEADER, REASON_LABEL, REASON_OVERLAY, REASON_TEXT = "phi", "header", "label", "overlay", "text"
ALL_TEXT, BALANCED, PHI_ONLY = "all-text", "balanced", "phi-only"
# Technique values are short: a five-digit number after "MA" is more likely a ZIP code.
_NUMBER = re.compile(r"^[+-]?\d{1,4}(?:[.,]\d+)?$")
_NUMBER_WITH_UNIT = re.compile(r"^[+-]?\d{1,4}(?:[.,]\d+)?(KVP|KV|MAS|MA|MS|MM|CM|MGY|S|SEC)$")
# Labels whose following number is a technique value, not an identifier.
_TECHNIQUE = {"KVP", "KV", "MAS", "MA", "MS", "SEC", "MM", "CM", "WW", "WL", "W", "C", "THK", "FOV", "TR",
              "TE", "TI", "MGY", "DLP", "CTDI", "CTDIVOL", "EI", "DI", "ZOOM"}
FUZZY_MIN_LENGTH = 7
# Pieces of one word lie closer than a word space: a third of the text height.
MAX_PIECES, PIECE_GAP = 4, 0.3


@cache
def safe_vocabulary() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "safe_words.txt"
    lines = (line.strip() for line in path.read_text().splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def in_vocabulary(value: str) -> bool:
    """Known annotation vocabulary, allowing for what OCR does to it: digit look-alikes
    ("D0B"), one wrong, missing or extra letter ("SFMI-UPRIGHT"), a clipped start or end
    ("ORTABLE") in words of seven letters or more (shorter ones are too close to names:
    OLIVER is one letter from LIVER)."""
    vocabulary = safe_vocabulary()
    if value in vocabulary:
        return True
    if sum(c.isalpha() for c in value) > sum(c.isdigit() for c in value):
        value = value.translate(LOOKALIKES)
        if value in vocabulary:
            return True
    return len(value) >= FUZZY_MIN_LENGTH and any(
        (len(known) > len(value) and value in known) or one_edit_apart(value, known) for known in vocabulary)


def is_safe(word: Word, previous: Word | None) -> bool:
    value = token(word.text)
    if in_vocabulary(value) or _NUMBER_WITH_UNIT.match(value):
        return True
    return bool(_NUMBER.match(value) and previous is not None and previous.line == word.line
                and token(previous.text) in _TECHNIQUE)


def header_seeds(values: list[str]) -> HeaderSeeds:
    return HeaderSeeds.from_values(values, ignored=safe_vocabulary())


def split_vocabulary(words: list[Word]) -> set[int]:
    """Indexes of words that are pieces of one vocabulary word OCR returned apart
    ("D" "0" "B:" for "DOB:"): up to four close neighbours on a line."""
    pieces = set()
    for start in range(len(words)):
        for end in range(start + 2, min(start + MAX_PIECES, len(words)) + 1):
            run = words[start:end]
            if not all(_close(a, b) for a, b in zip(run, run[1:], strict=False)):
                break
            if in_vocabulary(token("".join(w.text for w in run))):
                pieces.update(range(start, end))
    return pieces


def _close(left: Word, right: Word) -> bool:
    return left.line == right.line and right.box[0] - left.box[2] <= PIECE_GAP * (left.box[3] - left.box[1])


def decide(words: list[Word], phi_hits: dict[int, dict], header: HeaderSeeds, policy: str) -> dict[int, str]:
    """Index of every word to mask -> why."""
    reasons = {}
    seeded = header.matched(words)
    announced = labels.labelled_values(words)
    dated = {i for i, entity in phi_hits.items() if entity.get("Type") == "DATE"} | \
        {i for i in seeded if any(c.isdigit() for c in words[i].text)}
    grammar = overlay.identifying(words, dated)
    technical = annotations.technical(words)
    safe = split_vocabulary(words) | technical | {
        i for i, word in enumerate(words) if is_safe(word, words[i - 1] if i else None)}
    technical_entities = _technical_entities(phi_hits, safe) if policy != ALL_TEXT else set()
    # An entity the engine ran on into the next line's label ("Smith, John\nD0") leaves the label.
    phi = {i for i, entity in phi_hits.items()
           if _span(entity) not in technical_entities and labels.identifying_label(words[i]) is None}
    masks_unknown = _unknown_masked_in(words, phi | seeded | announced | grammar, technical, policy)
    for index, word in enumerate(words):
        if index in phi:
            reasons[index] = REASON_PHI
        elif index in seeded:
            reasons[index] = REASON_HEADER
        elif index in announced:
            reasons[index] = REASON_LABEL
        elif index in grammar:
            reasons[index] = REASON_OVERLAY
        elif index not in safe and masks_unknown(word):
            reasons[index] = REASON_TEXT
    return reasons


def _unknown_masked_in(words: list[Word], identified: set[int], technical: set[int], policy: str):
    """Where a policy masks unknown words: all-text everywhere; phi-only in a block that shows who
    the patient is (the patient's or the study's corner: an accession number without its label, a
    name the engine missed); balanced there too and wherever they do not sit among technical
    annotations (a block with a setting or a probe and nothing identifying)."""
    identifying = {words[i].block for i in identified}
    among_technical = {words[i].block for i in technical} - identifying
    if policy == ALL_TEXT:
        return lambda word: True
    if policy == BALANCED:
        return lambda word: word.block not in among_technical
    return lambda word: word.block in identifying


def _span(entity: dict) -> tuple[int, int]:
    return entity["BeginOffset"], entity["EndOffset"]


def _technical_entities(phi_hits: dict[int, dict], safe: set[int]) -> set[tuple[int, int]]:
    """Entities the text engine found in words that are all technical or annotation vocabulary
    ("THI" as a name, "Sag Liver" as an address, "Se: 3/2" as a date): balanced and phi-only keep them. One word outside
    ("Gain Mary") and the whole entity is masked."""
    words_of: dict[tuple[int, int], set[int]] = {}
    for index, entity in phi_hits.items():
        words_of.setdefault(_span(entity), set()).add(index)
    return {span for span, indexes in words_of.items() if indexes <= safe}
