"""The tagger's CRF state scores, summed once per word type and gathered per stretch in numpy.

A token's state score for a label is the sum of its attributes' weights for that label
(features.py), and its attributes come from four places: its word type's own features in the
casing bucket around it, what the word types one and two tokens either side tell it, and whether it
starts a line or a sentence. So the weights are summed once per word type, into `own[row, casing]`
and `around[row, offset]` (rows: Featurizer.rows; the tables grow as new word types are read), and
a stretch's scores are a few gathers and adds: no attribute string is built or looked up per token.
The start marks are two more weight vectors. crf_decoder.py decodes the scores with crfsuite.
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
        self.filled = 0
        self.own = np.zeros((0, len(CASINGS), len(self.labels)))
        self.around = np.zeros((0, len(OFFSETS), len(self.labels)))

    def _sum(self, attributes) -> np.ndarray:
        total = np.zeros(len(self.labels))
        for attribute in attributes:
            if attribute in self.weights:
                total += self.weights[attribute]
        return total

    def _tables(self) -> tuple[np.ndarray, np.ndarray]:
        """own[row, casing] and around[row, offset] for every word type the featurizer has read."""
        rows = self.featurizer.rows
        if rows is not self.rows:  # the featurizer forgot its word types: number them again
            self.rows, self.filled = rows, 0
        if self.filled < len(rows):
            if len(rows) > len(self.own):  # room for twice as many: a table is copied a few times, not per stretch
                self.own, self.around = _grown(self.own, 2 * len(rows)), _grown(self.around, 2 * len(rows))
            for row in range(self.filled, len(rows)):
                word = rows[row]
                self.own[row] = [self._sum(seen) for seen in word.own]
                self.around[row] = [self._sum(seen) for seen in word.around]
            self.filled = len(rows)
        return self.own, self.around

    def state(self, stretch: Stretch) -> np.ndarray:
        """S[t, label]: the sum of the weights of token t's attributes, as crfsuite would add them."""
        own, around = self._tables()
        rows = stretch.rows
        told = around[np.concatenate(([0, 0], rows, [0, 0]))]  # row 0: beyond the text, no features
        scores = own[rows, stretch.casings] + told[:-4, 0] + told[1:-3, 1] + told[3:-1, 2] + told[4:, 3]
        for starts, weights in zip((stretch.line_starts, stretch.sentence_starts), self.starts, strict=True):
            scores[starts] += weights
        return scores


def _grown(table: np.ndarray, size: int) -> np.ndarray:
    bigger = np.zeros((size, *table.shape[1:]))
    bigger[:len(table)] = table
    return bigger
