"""A CRF sequence tagger for people's names and places, trained on generated documents of many styles.

The rules find structured PHI (dates, numbers, contacts) by their form; names and places have no
form, so this layer reads them from word shape, windowed casing, dictionaries and context
(features.py). The weights ship in data/tagger.crfsuite (trained by training/train_tagger.py,
provenance in data/tagger.json). A candidate's score is the mean, over its tokens, of the
model's marginal probability that the token is part of a name or place, halved in all-caps text.
"""

from collections.abc import Iterator
from importlib.resources import as_file, files

import pycrfsuite

from steps.phi.builtin.document import Document
from steps.phi.builtin.features import TOKEN, Featurizer
from steps.phi.builtin.lexicon import Lexicon
from steps.phi.builtin.registry import Candidate

MODEL = "tagger.crfsuite"
LABEL_TYPES = {"NAME": "NAME", "LOC": "ADDRESS"}
# In all-caps stretches the model has no capitals to go by and generated notes are easier than real
# ones: on physionet-dev, 3 in 100 of the candidates it found there that no rule found were PHI.
# They are reported, but under 0.5 (docs/builtin-engine.md, calibration).
ALL_CAPS_FACTOR = 0.5


def load_tagger(path=None) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    if path is not None:
        tagger.open(str(path))
        return tagger
    with as_file(files("steps.phi.builtin").joinpath("data", MODEL)) as shipped:
        tagger.open(str(shipped))
    return tagger


class TaggerRecognizer:
    def __init__(self, lexicon: Lexicon, model_path=None):
        self.tagger = load_tagger(model_path)
        self.featurizer = Featurizer(lexicon, known=frozenset(a for a, _ in self.tagger.info().state_features))

    def find(self, doc: Document) -> Iterator[Candidate]:
        spans = [m.span() for m in TOKEN.finditer(doc.text)]
        if not spans:
            return
        tagger = self.tagger
        features = self.featurizer.sequence(doc.text, spans)
        tagger.set(features)
        labels = tagger.tag()
        i, n = 0, len(labels)
        while i < n:
            label = labels[i]
            if label == "O":
                i += 1
                continue
            kind = label[2:]
            j = i + 1
            while j < n and labels[j] == "I-" + kind:
                j += 1
            inside = sum(1.0 - tagger.marginal("O", t) for t in range(i, j)) / (j - i)
            if features[i][0] == "u2":
                inside *= ALL_CAPS_FACTOR
            yield Candidate(spans[i][0], spans[j - 1][1], LABEL_TYPES[kind], inside, "tagger." + kind.lower())
            i = j
