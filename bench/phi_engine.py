"""Score the built-in PHI engine on the shared dev corpora and time it against Presidio's regex recognizers.

    python bench/phi_engine.py [--eval-dir ../shared/eval] [--calibrate]

Prints, per corpus, token precision/recall, no-leak recall and flagged PHI-free notes at
the default threshold (0.5) using score_text.py's own `score`; then characters per
CPU-second of the built-in engine and of presidio-analyzer's predefined pattern
recognizers (no spaCy), measured in the same run on the same notes, and their ratio.
--calibrate adds, per rule, how many candidates it made and the share that overlap gold PHI
(the evidence behind each rule's score). --check exits 1 when a goal of issue 3 is missed.
"""

import argparse
import collections
import importlib.util
import json
import time
from pathlib import Path

from steps.options import DEFAULT_THRESHOLD
from steps.phi.builtin import BuiltinEngine

REPO = Path(__file__).resolve().parents[1]
CORPORA = ("physionet-dev", "i2b2-sample")
# Goals of issue 3: (corpus, metric, bound, True when the value must be at least the bound)
GOALS = (("physionet-dev", "token_recall", 0.97, True), ("physionet-dev", "token_precision", 0.80, True),
         ("physionet-dev", "no_leak_recall", 0.96, True), ("physionet-dev", "flagged_share", 0.10, False),
         ("i2b2-sample", "token_recall", 0.97, True), ("both", "throughput_ratio", 2.0, True))


def meets(value: float, bound: float, at_least: bool) -> bool:
    return value >= bound if at_least else value <= bound


def default_eval_dir() -> Path:
    for candidate in (REPO.parent / "shared" / "eval", Path("/work/shared/eval")):
        if (candidate / "score_text.py").exists():
            return candidate
    return REPO.parent / "shared" / "eval"


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("score_text", eval_dir / "score_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions(engine: BuiltinEngine, gold: dict) -> dict:
    return {doc_id: {"id": doc_id, "Entities": engine.detect(doc["text"])} for doc_id, doc in gold.items()}


def calibration(engine: BuiltinEngine, gold: dict) -> dict[str, tuple[int, int]]:
    """Per rule and score it gave: (candidates, candidates overlapping a gold span)."""
    made = collections.Counter()
    right = collections.Counter()
    for doc in gold.values():
        spans = [(s["start"], s["end"]) for s in doc["phi"] if s["start"] >= 0]
        for c in engine.candidates(doc["text"]):
            key = f"{c.rule} @{c.score:.2f}"
            made[key] += 1
            right[key] += any(c.begin < e and s < c.end for s, e in spans)
    return {rule: (made[rule], right[rule]) for rule in sorted(made)}


def cpu_throughput(detect, texts: list[str], minimum_seconds: float = 2.0) -> float:
    """Characters per CPU-second, repeating the corpus until the measurement lasts long enough."""
    characters = 0
    start = time.process_time()
    while True:
        for text in texts:
            detect(text)
        characters += sum(map(len, texts))
        elapsed = time.process_time() - start
        if elapsed >= minimum_seconds:
            return characters / elapsed


def presidio_regex_detector():
    """Presidio's predefined pattern recognizers called directly: AnalyzerEngine would load a spaCy model."""
    from presidio_analyzer import PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpArtifacts

    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"])
    recognizers = [r for r in registry.recognizers if isinstance(r, PatternRecognizer)]
    empty = NlpArtifacts(entities=[], tokens=[], tokens_indices=[], lemmas=[], nlp_engine=None, language="en")

    def detect(text: str) -> list:
        return [result for r in recognizers for result in r.analyze(text, entities=r.supported_entities,
                                                                     nlp_artifacts=empty)]

    return detect, len(recognizers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=default_eval_dir())
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    measured: dict[tuple[str, str], float] = {}
    scorer = load_scorer(args.eval_dir)

    started = time.perf_counter()
    engine = BuiltinEngine()
    print(f"engine construction: {time.perf_counter() - started:.3f} s")
    texts = []
    print(f"{'corpus':15s} {'docs':>5s} {'tok P':>6s} {'tok R':>6s} {'no-leak':>7s} {'flagged PHI-free':>17s}")
    for corpus in CORPORA:
        gold = scorer.load(args.eval_dir / "text" / f"{corpus}.jsonl")
        texts += [doc["text"] for doc in gold.values()]
        result = scorer.score(gold, predictions(engine, gold), DEFAULT_THRESHOLD)
        negatives = result["negative_documents"]
        result["flagged_share"] = result["negative_documents_flagged"] / negatives if negatives else 0.0
        measured.update({(corpus, key): value for key, value in result.items() if isinstance(value, float)})
        flagged = f"{result['negative_documents_flagged']}/{result['negative_documents']}"
        if result["negative_documents"]:
            flagged += f" ({result['negative_documents_flagged'] / result['negative_documents']:.1%})"
        print(f"{corpus:15s} {result['documents']:5d} {result['token_precision']:6.3f} {result['token_recall']:6.3f} "
              f"{result['no_leak_recall']:7.3f} {flagged:>17s}")
        print(f"{'':15s} recall by type: {json.dumps(result['recall_by_type'])}")
        if args.calibrate:
            for rule, (made, right) in calibration(engine, gold).items():
                print(f"{'':15s} {rule:34s} {made:5d} candidates, {right / made:.2f} on gold PHI")

    presidio, count = presidio_regex_detector()
    builtin_rate = cpu_throughput(engine.detect, texts)
    presidio_rate = cpu_throughput(presidio, texts)
    print(f"throughput builtin: {builtin_rate:,.0f} chars/CPU-s; presidio regex ({count} recognizers): "
          f"{presidio_rate:,.0f} chars/CPU-s; ratio {builtin_rate / presidio_rate:.2f}x")
    measured[("both", "throughput_ratio")] = builtin_rate / presidio_rate
    missed = [f"{corpus} {metric} {measured[corpus, metric]:.4f} (goal {'>=' if at_least else '<='} {bound})"
              for corpus, metric, bound, at_least in GOALS
              if not meets(measured[corpus, metric], bound, at_least)]
    print("goals: " + ("all met" if not missed else "MISSED " + "; ".join(missed)))
    if args.check and missed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
