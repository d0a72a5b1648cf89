"""Words with letters outside ASCII: accented names are names, accented ordinary words stay unmasked, and an
accented word is treated as the same word without its accents by every layer."""

import pytest

from steps.phi.builtin import lexicon
from steps.phi.builtin.document import Document, unaccented
from steps.phi.builtin.features import Featurizer

_ACCENTED = str.maketrans("aeiouncAEIOUNC", "áéíöüñçÁÉÍÖÜÑÇ")


def test_accented_and_apostrophised_words_are_one_token_each():
    doc = Document("Zoë O’Brien, Łukasz and Søren at L’ÉCOLE; m² and Jose\u0301 ’90")
    assert [doc.text[t.begin:t.end] for t in doc.tokens] == [
        "Zoe", "O'Brien", "Lukasz", "and", "Soren", "at", "L'ECOLE", "m", "and", "Jose\u0301"]
    assert [t.lower for t in doc.tokens][:3] == ["zoe", "o'brien", "lukasz"]
    # offsets are those of the text as written: a layer's span masks the accented word
    assert [t.end - t.begin for t in doc.tokens][:3] == [3, 7, 6]


def test_letters_with_no_one_letter_base_stay_inside_their_word():
    doc = Document("Hauptstraße 5 and Æsir")
    assert [t.text for t in doc.tokens] == ["Hauptstraße", "and", "Æsir"]


def test_accented_capitals_count_as_capitals_in_the_casing_window():
    shouting = Document("ÉCOLE MÜLLER ZOË RENÉE CÔTÉ JOSÉ NÚÑEZ SØREN ÅSA ÖZTÜRK")
    assert shouting.shouting(0)
    assert not Document("École Müller Zoë Renée Côté José Núñez Søren Åsa Öztürk").shouting(0)


def test_the_tagger_sees_an_accented_word_as_the_word_without_accents():
    featurizer = Featurizer(lexicon.load())
    accented, _ = featurizer.sequence("Seen with Zoë Núñez and O’Brien at ÉCOLE.")
    plain, _ = featurizer.sequence("Seen with Zoe Nunez and O'Brien at ECOLE.")
    assert accented == plain
    assert "s=Xx" in accented[2] and "fn" in accented[2]  # Zoë: the shape of a name, and a census first name
    assert "sn" in accented[3]  # Núñez: a census surname


@pytest.mark.parametrize(("text", "names"), [
    ("José Núñez came in today with his wife. He reports chest pain since Tuesday.", ["José Núñez"]),
    ("Spoke with Łukasz Wójcik about the results of the biopsy.", ["Łukasz Wójcik"]),
    ("Patient Søren Andersen tolerated the procedure well.", ["Søren Andersen"]),
    ("Zoë called the clinic to ask about her refill.", ["Zoë"]),
])
def test_accented_names_in_mixed_case_prose_without_a_title(found, text, names):
    assert {value for value, kind in found(text) if kind == "NAME"} == set(names)


@pytest.mark.parametrize(("text", "names"), [
    ("Seen by Dr. Núñez in clinic; follow-up with Dr. Renée Côté next week.", ["Núñez", "Renée Côté"]),
    ("Mrs. Zoë Müller was admitted for observation.", ["Zoë Müller"]),
    ("Her daughter Zoë was at bedside.", ["Zoë"]),
])
def test_accented_names_after_a_title_or_a_relative(found, text, names):
    assert {value for value, kind in found(text) if kind == "NAME"} == set(names)


def test_accented_names_in_all_caps(finds):
    text = "PT JOSÉ NÚÑEZ SEEN BY DR. CÔTÉ, WIFE AT BEDSIDE. DTR RENÉE CALLED."
    for name in ("JOSÉ NÚÑEZ", "CÔTÉ", "RENÉE"):
        assert finds(text, name, "NAME")


@pytest.mark.parametrize(("text", "name"), [
    ("Sincerely,\n\nŁukasz Wójcik, MD", "Łukasz Wójcik"),
    ("Signed: Renée Côté, RN", "Renée Côté"),
    ("Patient: Renée Côté\nDOB: 03/04/1956", "Renée Côté"),
    ("Attending: Dr. Łukasz Wójcik\nResident: Ana Peña, MD", "Ana Peña"),
    ("Dear Dr. Côté,\n\nThank you for seeing Ms. Lefèvre today.\n\nKind regards,\nRenée Lefèvre", "Renée Lefèvre"),
])
def test_accented_names_in_signatures_and_label_fields(finds, text, name):
    assert finds(text, name, "NAME")


def test_a_typographic_apostrophe_keeps_a_name_whole_and_its_echo_found(engine):
    text = "Mr. O’Brien was seen in clinic. O’Brien reports no pain."
    names = [e["Text"] for e in engine.detect(text) if e["Type"] == "NAME" and e["Score"] >= 0.5]
    assert names == ["O’Brien", "O’Brien"]


@pytest.mark.parametrize("text", [
    "Exam: multiple café-au-lait spots and axillary freckling; Lisch nodules.",
    "Treatment-naïve patient with hepatitis C genotype 1a, started on sofosbuvir.",
    "History of Ménière's disease with episodic vertigo and tinnitus, on betahistine.",
    "History of Ménière’s disease with episodic vertigo and tinnitus.",
    "Guillain-Barré syndrome suspected; LP ordered. Sjögren’s syndrome on hydroxychloroquine.",
    "Continue barrier crème to the sacral area; résumé of prior EEGs attached.",
])
def test_accented_ordinary_words_eponyms_and_drugs_stay_unmasked(masked, text):
    assert masked(text) == set()


def test_the_engine_treats_an_accented_document_as_the_same_document_without_accents(engine):
    """Accents put on every vowel, n and c of generated documents of every style (names, places, streets, prose):
    the same spans, at the same offsets, as on the ASCII document."""
    from training.corpus import generate

    documents = [doc["text"] for doc in generate(23, 2)]
    compared = 0
    for text in documents:
        accented = text.translate(_ACCENTED)
        assert unaccented(accented) == text
        assert [(c.begin, c.end, c.type, c.score) for c in engine.candidates(accented)] == [
            (c.begin, c.end, c.type, c.score) for c in engine.candidates(text)]
        compared += len(engine.candidates(text))
    assert compared > 50  # the documents hold PHI to compare


def test_what_is_masked_is_the_text_as_written(engine):
    text = "Seen by Dr. Renée Côté."
    assert [e["Text"] for e in engine.detect(text)] == ["Renée Côté"]


@pytest.mark.parametrize(("text", "address"), [
    ("Patient moved to 12 allée des Chênes, Lyon last week.", "12 allée des Chênes, Lyon"),
    ("Address: 4 Hauptstraße 5, Berlin", "4 Hauptstraße 5, Berlin"),
])
def test_street_forms_written_with_accents(finds, text, address):
    """Street patterns are written for the unaccented text: allée is read as allee, Hauptstraße keeps its ß."""
    assert finds(text, address, "ADDRESS")
