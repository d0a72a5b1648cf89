"""Values announced by an identifying label are masked under every policy."""

import pytest

from steps.imaging import policy
from steps.imaging.labels import labelled_values
from steps.imaging.words import Word, build_document


def _document(*lines):
    words = [Word(t, (10 + 110 * i, 10 + 40 * n, 100 + 110 * i, 30 + 40 * n), 0.9, n)
             for n, texts in enumerate(lines) for i, t in enumerate(texts.split())]
    return build_document(words)[1]


def test_a_label_announces_its_value_up_to_the_next_label():
    words = _document("Acc: 0545234234325V Img", "Tm: 14:23:53 Se: 3/2", "DOB: 26 May 2000 AP", "Age: 78",
                      "Name: Good, Guy Sex: M")
    assert [words[i].text for i in sorted(labelled_values(words))] == [
        "0545234234325V", "14:23:53", "26", "May", "2000", "78", "Good,", "Guy"]


def test_labels_are_read_through_digit_look_alikes():
    words = _document("D0B: 05/26/2000")
    assert [words[i].text for i in labelled_values(words)] == ["05/26/2000"]


def test_placeholders_and_software_names_without_digits_are_not_values_of_number_labels():
    words = _document("Acc#: AccessionNumber", "Id: DCM", "W: 3498 L: 2000")
    assert labelled_values(words) == set()


@pytest.mark.parametrize("name", ["all-text", "balanced", "phi-only"])
def test_labelled_values_and_the_sex_beside_the_name_mask_under_every_policy(name):
    words = _document("KAUFMAN SCOTT [M] MI 0.8", "Age: 78")
    reasons = policy.decide(words, {}, policy.header_seeds(["KAUFMAN^SCOTT", "M"]), name)
    assert {words[i].text: r for i, r in reasons.items() if r != "text"} == {
        "KAUFMAN": "header", "SCOTT": "header", "[M]": "header", "78": "label"}


def test_the_sex_is_a_header_match_beside_the_name_only():
    words = _document("DOB: 08/29/1951 M CCHS CLINIC", "DOE JANE F")
    seeds = policy.header_seeds(["DOE^JANE", "F", "CCHS CLINIC", "M"])
    assert {words[i].text for i in seeds.matched(words)} == {"CCHS", "CLINIC", "DOE", "JANE", "F"}
