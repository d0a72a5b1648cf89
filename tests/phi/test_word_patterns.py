"""Patterns rewritten to open with a character class, and finditer limited to the places a match may start,
find exactly what the plain forms find."""

import random
import re

import pytest

from steps.phi.builtin import addresses, dates, identifiers, international_phones, locations, payment_cards, phones
from steps.phi.builtin.document import Document
from steps.phi.builtin.word_patterns import after_first_letter, matches_at, opening_words

PIECES = ("jan", "january", "june", "july", "may", "mar", "sept", "september", "dec", "nov", "janov", "of", "the",
          "new year's", "christmas", "dob", "date", "born on", "ward", "north", "west", "ford", "1", "12", "5th",
          "1999", "2023", "'96", " ", "  ", "\t", "\n", ",", ".", "-", "/", ":", "'", "_", "é", "x", "summary")


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 10))) for _ in range(count)]


def _found(matches) -> list[tuple]:
    return [(m.span(), m.groups()) for m in matches]


def test_after_first_letter_checks_the_consumed_letter():
    assert after_first_letter("jan(?:uary)?|feb") == "(?<=j)an(?:uary)?|(?<=f)eb"
    with pytest.raises(ValueError):
        after_first_letter("(?:a|b)c")


@pytest.mark.parametrize("words", ["january|june|july|sept|september",
                                   r"new year'?s(?: day| eve)?|christmas|dob|d\.o\.b\.?|date(?=[ \t]*:)"])
def test_opening_words_matches_what_a_word_boundary_and_the_words_match(words):
    plain = re.compile(rf"\b(?:{words})\b")
    rewritten = re.compile(opening_words(words) + r"\b")
    texts = _texts(3000, seed=1)
    assert any(plain.search(text) for text in texts)  # the texts hold matches to compare
    for text in texts:
        assert _found(rewritten.finditer(text)) == _found(plain.finditer(text)), text


def test_matches_at_every_position_is_finditer():
    pattern = re.compile(r"\d+[ \t]*(?:jan|june)")
    for text in _texts(500, seed=2):
        assert _found(matches_at(pattern, text, range(len(text)))) == _found(pattern.finditer(text)), text


def test_named_dates_and_months_are_found_where_a_scan_of_the_whole_text_finds_them():
    found = 0
    for text in _texts(5000, seed=3):
        months = dates._months(text)
        named = _found(matches_at(dates._NAMED, text, dates._named_date_starts(text, months)))
        assert named == _found(dates._NAMED.finditer(text)), text
        assert _found(matches_at(dates._MONTH_ALONE, text, months)) == _found(dates._MONTH_ALONE.finditer(text))
        found += bool(named)
    assert found


def test_compass_units_are_found_where_a_scan_of_the_whole_text_finds_them():
    found = 0
    for text in _texts(5000, seed=4):
        units = _found(matches_at(locations._NAME_COMPASS, text, locations._named_compass_unit_starts(text)))
        assert units == _found(locations._NAME_COMPASS.finditer(text)), text
        found += bool(units)
    assert found


@pytest.mark.parametrize("pattern", [dates._NUMERIC_FULL, dates._ISO, dates._RANGE, dates._MONTH_YEAR, dates._MONTH_DAY,
                                     dates._TICKED_YEAR, identifiers._SSN, identifiers._LONG_NUMBER,
                                     identifiers._DASHED_NUMBER, phones._LOCAL, phones._RUN_TOGETHER,
                                     addresses._ZIP_PLUS4, addresses._STREET, payment_cards._CARD, dates._YEAR,
                                     dates._HISTORY_YEAR])
def test_patterns_opening_with_a_digit_match_only_where_a_run_of_digits_begins(pattern):
    found = 0
    for text in _numeric_texts(3000):
        expected = _found(pattern.finditer(text))
        assert _found(matches_at(pattern, text, Document(text).number_starts)) == expected, text
        found += bool(expected)
    assert found


def _numeric_texts(count: int) -> list[str]:
    rng = random.Random(5)
    pieces = ("1", "12", "2023", "0134", "/", "-", ".", "'", ",", " ", "\n", "x", "é", "٣", "3/14/97", "2069-04-07",
              "17.02.2023", "10/03/10/04", "8/87", "74'", "123-45-6789", "1234567", "560-40-78-5", "555-0134",
              "240444-1243", "02115-1234", "221B Baker Street", "12 Oak Avenue", "4111 1111 1111 1111",
              "in 1955", "since 2001", "1987", "MI 92", "cva 2004")
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(count)]


@pytest.mark.parametrize(("pattern", "lengths", "followed_by"), [
    (dates._NUMERIC_FULL, dates._DAY_OR_MONTH, "/.-"), (dates._ISO, dates._YEAR_LENGTH, "-/."),
    (dates._RANGE, dates._DAY_OR_MONTH, "/"), (dates._MONTH_YEAR, dates._DAY_OR_MONTH, "/"),
    (dates._MONTH_DAY, dates._DAY_OR_MONTH, "/"), (dates._TICKED_YEAR, dates._SHORT_YEAR_LENGTH, "'"),
    (dates._YEAR, dates._YEAR_LENGTH, ""), (dates._HISTORY_YEAR, dates._SHORT_OR_LONG_YEAR, "")])
def test_date_patterns_match_only_where_a_run_of_digits_of_their_length_begins(pattern, lengths, followed_by):
    found = 0
    for text in _numeric_texts(3000):
        text = text.lower()  # _YEAR and _HISTORY_YEAR run on the lower-case text
        expected = _found(pattern.finditer(text))
        starts = Document(text).number_starts_where(lengths, followed_by)
        assert _found(matches_at(pattern, text, starts)) == expected, text
        found += bool(expected)
    assert found


def test_national_phones_are_found_where_a_scan_of_the_whole_text_finds_them():
    rng = random.Random(6)
    pieces = ("0", "(0", "((", "020 7946 0958", "(020) 7946 0958", "0171 1234567", "+44", "XW277/90683", "AB12345",
              "ABC123/456", "A", "Q", "x", "-", "/", ".", ",", ":", " ", "\n", "٣", "12", "1234567", "é")
    found = 0
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        starts = Document(text).number_starts
        assert starts == [m.start() for m in re.finditer(r"\d+", text)]
        national = _found(international_phones._NATIONAL.finditer(text))
        assert _found(matches_at(international_phones._NATIONAL, text,
                                 international_phones._national_starts(text, starts))) == national, text
        found += bool(national)
    assert found
