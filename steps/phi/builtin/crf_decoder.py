"""crfsuite's own Viterbi and forward-backward, given state scores that numpy summed (crf_scores.py).

pycrfsuite's Tagger takes a token as attribute strings, looks each one up (some ten a token) and
answers marginal() one Python call a token: about 3 us a token, while the decoding itself is a
fraction of that. The decoding routines of crfsuite's linear-chain context (crf1d.h: crf1dc_new,
crf1dc_viterbi, crf1dc_alpha_score...) are exported by the pycrfsuite extension; called here
through ctypes on a context of our own, they take the [T][L] state scores and the [L][L]
transition weights as they are: the same arithmetic as the Tagger's, without the strings.
python-crfsuite is pinned (requirements/steps.txt) and tests/phi/test_tagger.py checks the labels
and marginals against pycrfsuite's Tagger, so a release that changed the context would fail there.
"""

import ctypes
import weakref

import numpy as np
from pycrfsuite import _pycrfsuite

_DOUBLES = ctypes.POINTER(ctypes.c_double)
_VITERBI, _MARGINALS = 0x01, 0x02  # crf1dc_new flags


class _Context(ctypes.Structure):
    """crf1d_context_t (crfsuite 0.12, crf1d.h); floatval_t is a double."""
    _fields_ = [("flag", ctypes.c_int), ("num_labels", ctypes.c_int), ("num_items", ctypes.c_int),
                ("cap_items", ctypes.c_int), ("log_norm", ctypes.c_double), ("state", _DOUBLES),
                ("trans", _DOUBLES), ("alpha_score", _DOUBLES), ("beta_score", _DOUBLES),
                ("scale_factor", _DOUBLES), ("row", _DOUBLES), ("backward_edge", ctypes.POINTER(ctypes.c_int)),
                ("exp_state", _DOUBLES), ("exp_trans", _DOUBLES), ("mexp_state", _DOUBLES),
                ("mexp_trans", _DOUBLES)]


_CONTEXT = ctypes.POINTER(_Context)
_LIB = ctypes.CDLL(_pycrfsuite.__file__)
_LIB.crf1dc_new.restype = _CONTEXT
_LIB.crf1dc_new.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
_LIB.crf1dc_set_num_items.argtypes = (_CONTEXT, ctypes.c_int)
_LIB.crf1dc_viterbi.restype = ctypes.c_double
_LIB.crf1dc_viterbi.argtypes = (_CONTEXT, ctypes.c_void_p)
for _step in ("crf1dc_delete", "crf1dc_exp_transition", "crf1dc_exp_state", "crf1dc_alpha_score",
              "crf1dc_beta_score", "crf1dc_marginals"):
    getattr(_LIB, _step).argtypes = (_CONTEXT,)
    getattr(_LIB, _step).restype = None


class CrfDecoder:
    """One sequence at a time (the context keeps the last one): callers serialise their calls."""

    def __init__(self, transitions: np.ndarray):
        """transitions[i, j]: the weight of label j following label i."""
        self.size = len(transitions)
        self.context = _LIB.crf1dc_new(_VITERBI | _MARGINALS, self.size, 0)
        if not self.context:
            raise MemoryError("crfsuite could not allocate a decoding context")
        weakref.finalize(self, _LIB.crf1dc_delete, self.context)
        weights = np.ascontiguousarray(transitions, dtype=np.float64)
        ctypes.memmove(self.context.contents.trans, weights.ctypes.data, weights.nbytes)
        _LIB.crf1dc_exp_transition(self.context)
        self.capacity = 0
        self._grow(256)

    def _grow(self, capacity: int) -> None:
        """Let crfsuite allocate buffers for capacity tokens, and view them from numpy: per sequence, no more
        than a copy of the scores in and of the results out."""
        _LIB.crf1dc_set_num_items(self.context, capacity)
        context = self.context.contents
        self.state_view = np.ctypeslib.as_array(context.state, shape=(capacity, self.size))
        self.marginal_view = np.ctypeslib.as_array(context.mexp_state, shape=(capacity, self.size))
        self.path = np.zeros(capacity, dtype=np.intc)
        self.path_address = self.path.ctypes.data
        self.capacity = capacity

    def viterbi(self, state: np.ndarray) -> np.ndarray:
        """The best label sequence for state[t, label], one row a token."""
        count = len(state)
        if count > self.capacity:
            self._grow(2 * count)
        _LIB.crf1dc_set_num_items(self.context, count)
        self.state_view[:count] = state
        _LIB.crf1dc_viterbi(self.context, self.path_address)
        return self.path[:count].copy()

    def marginals(self, count: int) -> np.ndarray:
        """marginals[t, label] of the sequence last given to viterbi() (count: its length)."""
        context = self.context
        for step in (_LIB.crf1dc_exp_state, _LIB.crf1dc_alpha_score, _LIB.crf1dc_beta_score, _LIB.crf1dc_marginals):
            step(context)
        return self.marginal_view[:count].copy()
