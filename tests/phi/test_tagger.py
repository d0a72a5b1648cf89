"""The CRF tagger layer: names and places in prose it never saw, clinical words left alone, windowed casing,
weights from package data, and a retrained model identical to the shipped one."""

import hashlib
import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from steps.phi.builtin import features, lexicon
from steps.phi.builtin.document import Document
from steps.phi.builtin.features import TOKEN, Featurizer
from steps.phi.builtin.tagger import MODEL, TaggerRecognizer, mixed_case_stretches

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tagger() -> TaggerRecognizer:
    return TaggerRecognizer(lexicon.load())


def tagged(tagger: TaggerRecognizer, text: str) -> set[tuple[str, str]]:
    return {(text[c.begin:c.end], c.type) for c in tagger.find(Document(text)) if c.score >= 0.5}


@pytest.mark.parametrize("text, expected", [
    ("Yesterday I drove my aunt Margarethe Vollmer to Brookhaven Memorial Hospital in Patchogue for her scan.",
     {("Margarethe Vollmer", "NAME"), ("Brookhaven Memorial Hospital", "ADDRESS"), ("Patchogue", "ADDRESS")}),
    ("Mrs. Okonkwo was reviewed by Dr. Lindqvist at Riverside Clinic last Tuesday.",
     {("Okonkwo", "NAME"), ("Lindqvist", "NAME"), ("Riverside Clinic", "ADDRESS")}),
    ("Please forward the results to Tobias Ferreira, who now lives in Wagga Wagga.",
     {("Tobias Ferreira", "NAME"), ("Wagga Wagga", "ADDRESS")}),
    ("The patient was transferred from Saint Agatha Medical Center to the Harwick Rehabilitation Center.",
     {("Saint Agatha Medical Center", "ADDRESS"), ("Harwick Rehabilitation Center", "ADDRESS")}),
    ("Signed, Priyanka Raghunathan, Nurse Practitioner", {("Priyanka Raghunathan", "NAME")}),
])
def test_finds_names_and_places_in_unseen_mixed_case_prose(tagger, text, expected):
    assert tagged(tagger, text) == expected


@pytest.mark.parametrize("text", [
    "Started Lasix and Coumadin; Babinski sign negative, Foley catheter in place. CXR and ABG pending, Na 138.",
    "Past history of Parkinson's disease and Hodgkin lymphoma, on Keppra and Zosyn. Glasgow Coma Scale 15.",
    "HEENT: PERRLA, EOMI. CV: RRR, no murmurs. Will follow up with Cardiology and Physical Therapy.",
    "Assessment and Plan: Continue Eliquis. Monitor Hgb. Consult Infectious Disease regarding MRSA.",
    "Her sister lives in California and visits in the summer.",
])
def test_leaves_eponyms_drugs_abbreviations_and_states_alone(tagger, text):
    assert tagged(tagger, text) == set()


def test_casing_is_judged_per_window_not_per_document():
    featurizer = Featurizer(lexicon.load())
    paragraph = ("The patient was seen in clinic today with her daughter and reported that the swelling in her left "
                 "ankle has improved since the last visit, and she walks without a cane now.")
    header = "DISCHARGE SUMMARY FOR THE INPATIENT ADMISSION TO THE MEDICAL SERVICE OF THE HOSPITAL\n"

    def casing(text: str) -> list[str]:
        return [features[0] for features in featurizer.sequence(text)[0]]

    alone, below_header = casing(paragraph), casing(header + paragraph)
    header_tokens = len(below_header) - len(alone)
    assert set(below_header[:header_tokens - 8]) == {"u2"}  # the header itself reads as all-caps
    assert below_header[header_tokens + 10:] == alone[10:]  # beyond the window, the paragraph is read the same
    assert set(alone) == {"u0"}


def test_a_mixed_case_paragraph_under_an_all_caps_header_is_read(tagger):
    text = "REFERRAL LETTER - CONFIDENTIAL\nThank you for seeing Ingeborg Castellanos, who lives in Kalgoorlie."
    assert ("Ingeborg Castellanos", "NAME") in tagged(tagger, text)
    assert [text[b:e] for b, e in mixed_case_stretches(text)] == [text]  # the header is read with its paragraph
    notes = "NEURO: A&O X3\nCV: SR 80S\nRESP: LS CLEAR\nPlan: wean to 2L\nGI: NPO\nGU: FOLEY\nSKIN: INTACT"
    assert [notes[b:e] for b, e in mixed_case_stretches(notes)] == ["RESP: LS CLEAR\nPlan: wean to 2L\nGI: NPO"]



def test_stretches_keep_their_offsets_past_accents_and_blank_lines():
    # letters outside ASCII count as no letter, and the offsets stay those of the text, whatever its encoding
    text = ("ÉCOLE ÉTÉ\n\nZoë Ørsted saw Dr. Şahin\nBP 120/80 \ud800\nNÆSTVED SYGEHUS ÅRHUS\n"
            "FINE\nLater: Åse Ødegård called")
    assert [text[b:e] for b, e in mixed_case_stretches(text)] == [
        "ÉCOLE ÉTÉ\n\nZoë Ørsted saw Dr. Şahin\nBP 120/80 \ud800", "FINE\nLater: Åse Ødegård called"]

def test_model_and_provenance_ship_as_package_data(tagger):
    data = files("steps.phi.builtin").joinpath("data")
    model = data.joinpath(MODEL).read_bytes()
    provenance = json.loads(data.joinpath("tagger.json").read_text(encoding="utf-8"))
    assert provenance["sha256"] == hashlib.sha256(model).hexdigest()
    assert set(tagger.tagger.labels()) == {"O", "B-NAME", "I-NAME", "B-LOC", "I-LOC"}
    assert "evaluation_corpora_used" in provenance and provenance["seed"] > 0


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_weights(tmp_path):
    subprocess.run([sys.executable, "-m", "training.train_tagger", "--out", str(tmp_path)], check=True, cwd=REPO,
                   capture_output=True)
    shipped = files("steps.phi.builtin").joinpath("data", MODEL).read_bytes()
    assert hashlib.sha256((tmp_path / MODEL).read_bytes()).hexdigest() == hashlib.sha256(shipped).hexdigest()


def test_the_generated_corpus_is_reproducible_and_its_gold_spans_cover_values():
    from training.corpus import generate
    from training.styles import STYLES

    first, again = generate(5, 3), generate(5, 3)
    assert first == again
    assert {doc["style"] for doc in first} == set(STYLES)
    assert generate(5, 3, ["form"]) == [doc for doc in first if doc["style"] == "form"]  # styles are independent
    for doc in first:
        for span in doc["phi"]:
            value = doc["text"][span["start"]:span["end"]]
            assert value.strip() == value and value, (doc["id"], span)


def test_threads_sharing_one_tagger_get_what_each_would_alone(tagger):
    from concurrent.futures import ThreadPoolExecutor

    from training.corpus import generate

    texts = [doc["text"] for doc in generate(9, 4)]
    alone = [tagged(tagger, text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(3):
            assert list(pool.map(lambda text: tagged(tagger, text), texts)) == alone


def test_state_scores_decoded_in_c_give_crfsuites_own_labels_and_marginals(tagger):
    """The numpy state scores and the direct crf1dc_* calls against pycrfsuite's Tagger fed attribute strings,
    on generated stretches and on one stretch longer than the decoder's first buffers."""
    from training.corpus import generate

    texts = [doc["text"] for doc in generate(11, 2)]
    stretches = [(text, begin, end) for text in texts for begin, end in mixed_case_stretches(text)]
    joined = " ".join(texts)
    stretches.append((joined, 0, len(joined)))
    crfsuite = tagger.tagger
    for text, begin, end in stretches:
        stretch = tagger.featurizer.read(text, begin, end)
        best = tagger.decoder.viterbi(tagger.scores.state(stretch))
        marginals = tagger.decoder.marginals(len(best))
        crfsuite.set(tagger.featurizer.join(stretch, range(len(stretch.tokens))))
        assert [tagger.scores.labels[k] for k in best] == crfsuite.tag()
        expected = [[crfsuite.marginal(label, t) for label in tagger.scores.labels] for t in range(len(best))]
        # the tables hold the weights as pycrfsuite's info() reports them, rounded to six decimals: some twenty
        # summed a token put marginals a few 1e-6 from crfsuite's own
        assert abs(marginals - expected).max() < 1e-5
    assert len(best) > 2 * 256 and len(stretches) > 10


def test_reading_splits_tokens_lines_and_sentences():
    featurizer = Featurizer(lexicon.load())
    text = "Seen by Dr. O'Brien at 10:30.\n\n  Plan: call Anna K. at  555-0199!\tDone"
    stretch = featurizer.read(text, 3, len(text))
    assert stretch.spans() == [m.span() for m in TOKEN.finditer(text, 3)]
    assert stretch.tokens == [text[b:e] for b, e in stretch.spans()]
    assert [stretch.tokens[i] for i in stretch.line_starts] == ["n", "Plan"]  # the stretch begins mid-word
    assert [stretch.tokens[i] for i in stretch.sentence_starts] == ["O'Brien", "30", "call", "at", "Done"]
    assert featurizer.read(text, 0, 0).tokens == []


def test_the_caches_forgotten_mid_run_give_the_same_candidates(monkeypatch):
    from training.corpus import generate

    texts = [doc["text"] for doc in generate(13, 2)]
    fresh = [tagged(TaggerRecognizer(lexicon.load()), text) for text in texts]
    monkeypatch.setattr(features, "_CACHE_LIMIT", 50)  # forgotten before most stretches: rows numbered again
    forgetful = TaggerRecognizer(lexicon.load())
    assert [tagged(forgetful, text) for text in texts] == fresh
    assert len(forgetful.featurizer.cache) < 50 + max(len(text) for text in texts)
