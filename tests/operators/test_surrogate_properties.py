"""For any text: in surrogate mode no original PHI value is left where it stood, the rest of the
text is kept character for character, and the offsets reported match the masked text.

A value may still appear elsewhere as another value's surrogate (a shifted date can fall on
another date of the note, a listed name is another listed name's surrogate): that is no
survival of the original, so the checks are made where each value stood.
"""

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from steps.operators.anonymizer import anonymize
from steps.operators.dictionaries import word_list
from steps.operators.name_surrogates import KEPT as NAME_WORDS_KEPT
from steps.operators.operator import OperatorContext
from steps.operators.place_surrogates import KEPT as PLACE_WORDS_KEPT
from steps.operators.surrogates import AGE_LIMIT, SURROGATE_SCHEME

FIRST = word_list(SURROGATE_SCHEME, "first_names.txt").entries
LAST = word_list(SURROGATE_SCHEME, "surnames.txt").entries
PLACES = word_list(SURROGATE_SCHEME, "us_places.txt").entries

cased = st.sampled_from([str.title, str.upper, str.lower])
word = st.one_of(st.sampled_from(FIRST), st.sampled_from(LAST), st.from_regex(r"[a-z]{3,9}", fullmatch=True))
names = st.one_of(
    st.builds(lambda first, last, case: case(f"{first} {last}"), word, word, cased),
    st.builds(lambda first, last, case: case(f"{last}, {first}"), word, word, cased),
    st.builds(lambda initial, last, case: case(f"{initial}. {last}"), st.sampled_from("ABCDEHKLMNPRSTW"), word, cased),
    st.builds(lambda last, case: case(last), word, cased))
date_formats = st.sampled_from(["{m}/{d}/{Y}", "{m:02d}/{d:02d}/{Y}", "{Y}-{m:02d}-{d:02d}", "{d:02d}.{m:02d}.{Y}",
                                "{b} {d}, {Y}", "{d}-{b}-{Y}", "{m}/{d}/{y:02d}", "{B} {Y}", "{Y}"])
dates = st.builds(lambda day, fmt: fmt.format(m=day.month, d=day.day, Y=day.year, y=day.year % 100,
                                              b=day.strftime("%b"), B=day.strftime("%B")),
                  st.dates(date(1901, 1, 1), date(2099, 12, 31)), date_formats)
# ASCII digits: a value in other digits has no layout to keep and becomes its type.
phones = st.from_regex(r"\([0-9]{3}\) [0-9]{3}-[0-9]{4}|[0-9]{3}-[0-9]{3}-[0-9]{4}|\+44 [0-9]{4} [0-9]{6}",
                       fullmatch=True)
ids = st.from_regex(r"[A-Z]{0,3}[0-9]{5,12}|[0-9]{3}-[0-9]{2}-[0-9]{4}", fullmatch=True)
addresses = st.one_of(st.sampled_from(PLACES).map(str.title),
                      st.builds(lambda n, w: f"{n} {w.title()} Street", st.integers(1, 9999), word))
ages = st.integers(90, 125).map(str)
values = st.one_of(*(s.map(lambda v, t=t: (t, v)) for t, s in (
    ("NAME", names), ("DATE", dates), ("PHONE_OR_FAX", phones), ("ID", ids), ("ADDRESS", addresses), ("AGE", ages))))
documents = st.lists(st.tuples(st.text(max_size=12), values), min_size=1, max_size=8)


def _identifying_words(entity_type: str, value: str) -> set[str]:
    kept = NAME_WORDS_KEPT if entity_type == "NAME" else PLACE_WORDS_KEPT
    return {w for w in re.findall(r"[^\W\d_]{2,}", value.lower()) if w not in kept}


def _layout(value: str) -> str:
    return re.sub(r"[A-Z]", "A", re.sub(r"[a-z]", "a", re.sub(r"[0-9]", "9", value)))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(documents, st.text(), st.binary(min_size=16, max_size=32), st.integers(1, 365))
def test_no_original_is_left_and_offsets_match(pieces, tail, key, shift):
    text, entities, originals = "", [], []
    for filler, (entity_type, value) in pieces:
        text += filler
        entities.append({"BeginOffset": len(text), "EndOffset": len(text) + len(value), "Type": entity_type})
        originals.append(value)
        text += value + " "  # entities do not touch: each is one value
    text += tail
    masked = anonymize(text, entities, "surrogate", OperatorContext(key, shift))

    assert [e["Type"] for e in masked.entities] == [e["Type"] for e in entities]
    cursor_in, cursor_out = 0, 0
    for before, after, original in zip(entities, masked.entities, originals, strict=True):
        # Outside the entities, the text is kept as it was.
        assert masked.text[cursor_out:after["BeginOffset"]] == text[cursor_in:before["BeginOffset"]]
        replacement = masked.text[after["BeginOffset"]:after["EndOffset"]]
        assert after["Operator"] == "surrogate"
        if before["Type"] == "AGE":
            assert replacement == "90+" and int(original) > AGE_LIMIT
        else:
            assert replacement != original
        if before["Type"] in ("NAME", "ADDRESS"):
            assert not _identifying_words(before["Type"], original) & set(re.findall(r"[^\W\d_]{2,}",
                                                                                     replacement.lower()))
        if before["Type"] in ("PHONE_OR_FAX", "ID"):  # digit for digit, letter for letter
            assert _layout(replacement) == _layout(original)
        cursor_in, cursor_out = before["EndOffset"], after["EndOffset"]
    assert masked.text[cursor_out:] == text[cursor_in:]


FULL_DATE_FORMATS = ("{m:02d}/{d:02d}/{Y}", "{Y}-{m:02d}-{d:02d}", "{d:02d}.{m:02d}.{Y}", "{d:02d}-{b}-{Y}",
                     "{B} {d}, {Y}")


def _written(day: date, fmt: str) -> str:
    return fmt.format(m=day.month, d=day.day, Y=day.year, b=day.strftime("%b"), B=day.strftime("%B"))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.dates(date(1901, 1, 1), date(2099, 12, 31)), st.sampled_from(FULL_DATE_FORMATS)),
                min_size=2, max_size=6), st.binary(min_size=16, max_size=32), st.integers(1, 365))
def test_full_dates_move_by_the_shift_exactly_so_intervals_are_kept_to_the_day(days, key, shift):
    written = [_written(day, fmt) for day, fmt in days]
    text = " | ".join(written)
    entities, offset = [], 0
    for value in written:
        entities.append({"BeginOffset": offset, "EndOffset": offset + len(value), "Type": "DATE"})
        offset += len(value) + 3
    masked = anonymize(text, entities, "surrogate", OperatorContext(key, shift)).text.split(" | ")
    expected = [_written(date.fromordinal(day.toordinal() - shift), fmt) for day, fmt in days]
    # A part written without a leading zero (10-Jan) cannot say whether 9 is written 09: either is the date.
    assert [_unpadded(m) for m in masked] == [_unpadded(e) for e in expected]


def _unpadded(value: str) -> str:
    return re.sub(r"(?<!\d)0(\d)(?!\d{2})", r"\1", value)
