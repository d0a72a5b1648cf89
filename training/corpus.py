"""The synthetic training and test corpus: every style's documents, seeded and reproducible.

    python -m training.corpus --seed 7 --per-style 200 --out corpus.jsonl [--styles nursing,form]

Each style draws from its own random.Random seeded with (seed, style), so a style's documents do
not depend on which other styles are generated: leaving one style out leaves the others as they are.
Documents are {"id", "style", "text", "phi": [{"start", "end", "type"}]}, the shape of the eval sets.
"""

import argparse
import json
import random
from collections.abc import Iterable
from pathlib import Path

from training.styles import STYLES
from training.surrogates import Surrogates

TRAIN_SEED = 20261202
TEST_SEED = 11  # the held-out test set: other surrogates, other sentences drawn


def generate(seed: int, per_style: int, styles: Iterable[str] = tuple(STYLES)) -> list[dict]:
    documents = []
    for style in styles:
        rng = random.Random(f"{seed}:{style}")
        surrogates = Surrogates(rng)
        for i in range(per_style):
            documents.append(STYLES[style](rng, surrogates).document(f"{style}-{seed}-{i}", style))
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=TRAIN_SEED)
    parser.add_argument("--per-style", type=int, default=200)
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        for document in generate(args.seed, args.per_style, args.styles.split(",")):
            out.write(json.dumps(document) + "\n")


if __name__ == "__main__":
    main()
