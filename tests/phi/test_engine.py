"""The registry and policy: entity shape, merged overlaps, scores, the guide's example."""

from steps.phi import get_engine
from steps.phi.builtin.registry import Candidate, Registry
from tests.conftest import GUIDE_NOTE

ENTITY_KEYS = {"BeginOffset", "EndOffset", "Type", "Score", "Text"}


def test_guide_example_masks_name_id_and_dates_only(engine):
    kept = [e for e in engine.detect(GUIDE_NOTE) if e["Score"] >= 0.5]
    assert {(e["Text"], e["Type"]) for e in kept} == {
        ("SALAZAR, CARLOS", "NAME"), ("RQ36114734", "ID"), ("11/12/2011", "DATE"), ("2/11/1961", "DATE")}


def test_entities_have_detectphi_shape_and_offsets(engine):
    text = "Dr. Marder aware. EKG obtained 7/23."
    entities = engine.detect(text)
    assert entities and all(set(e) == ENTITY_KEYS for e in entities)
    for e in entities:
        assert text[e["BeginOffset"]:e["EndOffset"]] == e["Text"]
        assert 0 < e["Score"] <= 1
    assert entities == sorted(entities, key=lambda e: e["BeginOffset"])


def test_scores_below_threshold_are_reported_as_unlikely(engine):
    # A slash pair after vent settings is most likely not a date: reported, but under 0.5.
    scores = [e["Score"] for e in engine.detect("on PSV 10/5 and PEEP 5") if e["Text"] == "10/5"]
    assert scores and max(scores) < 0.5


def test_overlapping_candidates_merge_into_the_stronger_type():
    class Fixed:
        def __init__(self, *candidates):
            self.candidates = candidates

        def find(self, doc):
            return self.candidates

    class KeepAll:
        def review(self, doc, candidates):
            return candidates

    registry = Registry([Fixed(Candidate(0, 5, "ADDRESS", 0.6, "a"), Candidate(3, 9, "NAME", 0.9, "b"))], KeepAll())
    assert registry.analyse("Holy Crosser") == [Candidate(0, 9, "NAME", 0.9, "b")]


def test_eponym_followed_by_its_noun_is_dropped_even_with_a_census_name(masked):
    assert masked("Foley catheter draining; Murphy sign negative; Allen test done") == set()
    assert "Murphy" in masked("Dr. Murphy notified of the results")


def test_engine_is_built_once_per_process():
    # How long a build takes is measured by bench/runtime_bench.py (cold start), not asserted here.
    assert get_engine("builtin") is get_engine("builtin")
