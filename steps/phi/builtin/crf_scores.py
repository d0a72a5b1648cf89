"""The tagger's CRF state scores summed per word type, handed to crfsuite as four numbers a token.

crfsuite costs about 0.2 us for each attribute string of each token it loads, and a token has some
ten. But a token's state score per label is the sum of its attributes' weights, and those come
from its word type's features in its casing bucket, what the types of its neighbours tell it, and
whether it starts a line or a sentence. So the sums are made once per word type (`own`, `around`
tables, grown as new types are read) and a stretch's scores are a few numpy gathers. crfsuite is
then given, per token, four of the model's own attributes with real values (crfsuite multiplies
an attribute's weights by its value) chosen so that their weights add up to that score, up to a
constant per token, which changes neither the best labels nor the marginals: the same labels and
marginals as from the attribute strings (within 1e-6), with the transitions and decoding of crfsuite.
"""

import numpy as np
import pycrfsuite

from steps.phi.builtin.features import CASINGS, OFFSETS, Featurizer, Stretch

_START_MARKS = (b"bol", b"bos")


class StateScores:
    def __init__(self, tagger: pycrfsuite.Tagger, featurizer: Featurizer):
        self.labels = tagger.labels()
        index = {label: k for k, label in enumerate(self.labels)}
        self.weights: dict[bytes, np.ndarray] = {}
        for (attribute, label), weight in tagger.info().state_features.items():
            self.weights.setdefault(attribute.encode(), np.zeros(len(self.labels)))[index[label]] = weight
        self.starts = [self._sum((mark,)) for mark in _START_MARKS]
        self.transitions = np.zeros((len(self.labels), len(self.labels)))
        for (before, after), weight in tagger.info().transitions.items():
            self.transitions[index[before], index[after]] = weight
        self.featurizer = featurizer
        self.rows: list = []  # the featurizer's list of word types the tables were built for
        self.own = self.around = np.zeros((0, 0, 0))

    def _sum(self, attributes) -> np.ndarray:
        total = np.zeros(len(self.labels))
        for attribute in attributes:
            if attribute in self.weights:
                total += self.weights[attribute]
        return total

    def _tables(self) -> tuple[np.ndarray, np.ndarray]:
        """own[row, casing] and around[row, offset] for every word type the featurizer has read."""
        rows = self.featurizer.rows
        built = len(self.own) if rows is self.rows else 0
        if built < len(rows):
            new = rows[built:]
            own = np.array([[self._sum(w.own[c]) for c in range(len(CASINGS))] for w in new])
            around = np.array([[self._sum(w.around[k]) for k in range(len(OFFSETS))] for w in new])
            self.own = np.concatenate((self.own, own)) if built else own
            self.around = np.concatenate((self.around, around)) if built else around
            self.rows = rows
        return self.own, self.around

    def state(self, stretch: Stretch) -> np.ndarray:
        """S[t, label]: the sum of the weights of token t's attributes, as crfsuite would add them."""
        own, around = self._tables()
        rows = np.fromiter((w.row for w in stretch.words), dtype=np.intp, count=len(stretch.words))
        padded = np.concatenate(([0, 0], rows, [0, 0]))  # row 0: beyond the text, no features
        scores = (own[rows, stretch.casings] + around[padded[:-4], 0] + around[padded[1:-3], 1]
                  + around[padded[3:-1], 2] + around[padded[4:], 3])
        for starts, weights in zip((stretch.line_starts, stretch.sentence_starts), self.starts, strict=True):
            scores[starts] += weights
        return scores
