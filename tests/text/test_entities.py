from steps.text.entities import counts_by_type, keep, mask, merge, shift, with_text


def ent(b, e, t="NAME", s=0.9):
    return {"BeginOffset": b, "EndOffset": e, "Type": t, "Score": s}


def test_mask_works_on_offsets_not_on_repeated_strings():
    # The original solution replaced every occurrence of a detected string, inside other words too.
    text = "Al saw Alice and Al."
    assert mask(text, [ent(0, 2)]) == "NAME saw Alice and Al."


def test_mask_joins_overlapping_spans_and_keeps_the_rest():
    text = "DOB 2/11/1961 MRN 123"
    assert mask(text, [ent(4, 13, "DATE"), ent(6, 9, "ID"), ent(18, 21, "ID")]) == "DOB DATE MRN ID"
    assert mask(text, [ent(4, 13, "DATE")], mode="redact") == "DOB ***** MRN 123"
    assert mask(text, []) == text


def test_merge_dedups_chunk_overlaps_by_global_offsets():
    found = shift([ent(0, 7)], 100) + shift([ent(0, 14), ent(20, 24, "DATE")], 100)
    assert merge(found) == [ent(100, 114), ent(120, 124, "DATE")]
    assert merge([ent(0, 5, s=0.6), ent(0, 5, s=0.8)]) == [ent(0, 5, s=0.8)]
    assert merge([ent(0, 5), ent(5, 9)]) == [ent(0, 5), ent(5, 9)], "touching is not overlapping"


def test_keep_filters_by_threshold_and_type():
    entities = [ent(0, 1, "NAME", 0.49), ent(2, 3, "NAME", 0.5), ent(4, 5, "DATE", 0.99)]
    assert keep(entities, 0.5, ["NAME"]) == [ent(2, 3, "NAME", 0.5)]
    assert counts_by_type(entities) == {"DATE": 1, "NAME": 2}


def test_with_text_gives_detect_phi_shape():
    [entity] = with_text([ent(4, 9)], "Dr. Smith")
    assert entity["Text"] == "Smith" and entity["Category"] == "PROTECTED_HEALTH_INFORMATION"
