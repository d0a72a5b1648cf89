"""Grouping OCR words into lines and blocks, and the document they make."""

from steps.imaging.layout import blocks, lines
from steps.imaging.words import Word, build_document


def _box(text, x, y, height=20):
    return Word(text, (x, y, x + 12 * len(text), y + height), 0.9, line=-1)


def test_boxes_at_one_height_make_one_line_but_a_wide_gap_makes_two_columns():
    words = [_box("Stiles", 160, 12), _box("Name:", 10, 10), _box("John", 90, 11), _box("36Hz", 700, 10)]
    assert [[w.text for w in line] for line in lines(words)] == [["Name:", "John", "Stiles"], ["36Hz"]]


def test_a_wrapped_value_stays_in_the_block_of_its_label_and_reads_after_it():
    words = [_box("Institution", 10, 10), _box("Name:", 150, 10), _box("Community", 10, 34), _box("Clinic", 130, 34),
             _box("L12-5", 600, 10), _box("MI", 600, 300), _box("0.8", 640, 300)]
    grouped = [[[w.text for w in line] for line in block] for block in blocks(words)]
    assert grouped == [[["Institution", "Name:"], ["Community", "Clinic"]], [["L12-5"]], [["MI", "0.8"]]]
    text, ordered = build_document(words)
    assert text == "Institution Name: Community Clinic\n\nL12-5\n\nMI 0.8"
    assert [text[w.begin:w.end] for w in ordered] == [w.text for w in ordered]
    assert [w.line for w in ordered] == [0, 0, 1, 1, 2, 3, 3] and [w.block for w in ordered] == [0, 0, 0, 0, 1, 2, 2]


def test_lines_far_apart_are_separate_blocks_and_views_come_one_after_the_other():
    first, second = _box("CHEST", 10, 10), _box("AP", 10, 400)
    later = Word("SALAZAR", (10, 10, 90, 30), 0.9, line=0, view=1)
    text, ordered = build_document([later, second, first])
    assert text == "CHEST\n\nAP\n\nSALAZAR" and [w.block for w in ordered] == [0, 1, 2]


def test_a_tall_glyph_across_two_lines_does_not_chain_them_into_one():
    words = [_box("2018", 10, 50), _box("Oct", 70, 50), _box("M", 160, 55, height=60), _box("Name:", 10, 104),
             _box("John", 90, 104)]
    assert [[w.text for w in line] for line in lines(words)] == [["2018", "Oct"], ["M"], ["Name:", "John"]]


def test_a_line_whose_loose_box_starts_inside_the_previous_one_continues_its_block():
    # "MRN:" starts 3 pixels above the end of the name line's box: still the next line of the block
    words = [_box("Smith,", 40, 36, height=35), _box("John", 136, 36, height=35), _box("MRN:", 37, 68, height=30),
             _box("599846372", 105, 68, height=30), _box("D0B:", 38, 99, height=30)]
    assert [[[w.text for w in line] for line in block] for block in blocks(words)] == [
        [["Smith,", "John"], ["MRN:", "599846372"], ["D0B:"]]]
