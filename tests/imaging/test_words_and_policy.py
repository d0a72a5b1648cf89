"""From OCR words to the document, PHI spans back to words, and which words get masked."""

from steps.imaging import policy
from steps.imaging.masking import mask_boxes
from steps.imaging.words import Word, build_document, overlapping, split_fused


def _word(text, x, line, y=10, width=None):
    return Word(text=text, box=(x, y, x + (width or 12 * len(text)), y + 20), score=0.99, line=line)


def _entity(text, document, needle, kind="NAME"):
    begin = document.index(needle)
    return {"BeginOffset": begin, "EndOffset": begin + len(needle), "Type": kind, "Score": 0.9}


def test_document_is_in_reading_order_and_every_word_knows_its_span():
    words = [_word("CARLOS", 110, 0), _word("SALAZAR,", 10, 0), _word("CHEST", 10, 1, y=500)]
    text, ordered = build_document(list(reversed(words)))
    assert text == "SALAZAR, CARLOS\n\nCHEST"
    assert [text[w.begin:w.end] for w in ordered] == ["SALAZAR,", "CARLOS", "CHEST"]


def test_every_word_of_a_multi_word_entity_is_hit_not_only_the_first():
    words = [_word("ST.", 10, 0), _word("MARY'S", 60, 0), _word("MEDICAL", 150, 0), _word("CENTER", 250, 0),
             _word("AP", 10, 1, y=400)]
    text, ordered = build_document(words)
    hits = overlapping(ordered, [_entity("x", text, "MARY'S MEDICAL CENTER", "ADDRESS")])
    assert sorted(ordered[i].text for i in hits) == ["CENTER", "MARY'S", "MEDICAL"]


def test_labels_fused_to_their_values_are_split_by_character_share():
    parts = split_fused([Word("MRN:372610196", (0, 0, 130, 20), 0.9, 0), Word("F44Y", (0, 30, 40, 50), 0.9, 1),
                         Word("12:30", (0, 60, 50, 80), 0.9, 2)])
    assert [(p.text, p.box) for p in parts] == [
        ("MRN:", (0, 0, 40, 20)), ("372610196", (40, 0, 130, 20)),
        ("F", (0, 30, 10, 50)), ("44Y", (10, 30, 40, 50)), ("12:30", (0, 60, 50, 80))]


def test_all_text_policy_keeps_annotation_vocabulary_and_masks_the_rest():
    words = [_word(t, 10 + 80 * i, 0) for i, t in enumerate(
        ["MRN:", "372610196", "AP", "CHEST", "kVp", "101", "6.9mAs", "SFMI-UPRIGHT", "OLIVER", "[M]", "49Y",
         "MA", "02115", "D0B:"])]
    text, ordered = build_document(words)
    reasons = policy.decide(ordered, {}, policy.header_seeds([]), "all-text")
    masked = {ordered[i].text for i in reasons}
    assert masked == {"372610196", "OLIVER", "[M]", "49Y", "02115"}


def test_phi_and_header_matches_mask_even_known_vocabulary_and_under_phi_only():
    words = [_word("CHEST", 10, 0), _word("SALAZAR,CARLOS", 100, 0), _word("11.02.1961", 300, 0),
             _word("PORTABLE", 500, 0), _word("ZEBRA", 700, 0)]
    text, ordered = build_document(words)
    header = policy.header_seeds(["SALAZAR^CARLOS", "19610211"])
    hits = overlapping(ordered, [_entity("x", text, "CHEST")])
    reasons = policy.decide(ordered, hits, header, "all-text")
    assert {ordered[i].text: r for i, r in reasons.items()} == {
        "CHEST": "phi", "SALAZAR,CARLOS": "header", "11.02.1961": "header", "ZEBRA": "text"}
    # phi-only keeps an entity found in annotation vocabulary alone, never a header match
    reasons = policy.decide(ordered, hits, header, "phi-only")
    assert {ordered[i].text: r for i, r in reasons.items()} == {"SALAZAR,CARLOS": "header", "11.02.1961": "header"}


def test_mask_padding_stops_halfway_to_a_kept_neighbour():
    label, value = (10, 10, 50, 30), (54, 10, 130, 30)
    (x0, y0, x1, y1), = mask_boxes([value], [label])
    assert x0 == 52 and x1 > 130 and y0 < 10 and y1 > 30
    (free_x0, *_), = mask_boxes([value], [])
    assert free_x0 < 52


def test_padding_spares_a_kept_label_on_the_line_above_whose_loose_box_overlaps():
    # OCR boxes are loose: "DOB:" (kept) reaches 4 pixels into the box of "49Y" (masked) below it
    label, age = (28, 60, 58, 78), (41, 74, 61, 94)
    (x0, y0, x1, y1), = mask_boxes([age], [label])
    assert y0 == 74 and x0 < 41 and x1 > 61 and y1 > 94  # not above the word's own top, padded elsewhere
    (_, free_y0, _, _), = mask_boxes([age], [])
    assert free_y0 < 74


def test_a_label_ocr_returned_in_pieces_is_kept_but_close_unknown_pieces_are_not():
    pieces = [Word("D", (10, 10, 22, 40), 0.9, 0), Word("0", (21, 10, 33, 40), 0.9, 0),
              Word("B", (33, 10, 45, 40), 0.9, 0), Word(":", (48, 10, 52, 40), 0.9, 0),
              Word("1965", (70, 10, 120, 40), 0.9, 0), Word("SAL", (10, 60, 50, 90), 0.9, 1),
              Word("AZAR", (51, 60, 100, 90), 0.9, 1)]
    text, ordered = build_document(pieces)
    reasons = policy.decide(ordered, {}, policy.header_seeds([]), "all-text")
    assert [w.text for i, w in enumerate(ordered) if i in reasons] == ["1965", "SAL", "AZAR"]
