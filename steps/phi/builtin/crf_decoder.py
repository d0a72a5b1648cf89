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
        self.path = np.zeros(0, dtype=np.intc)

    def viterbi(self, state: np.ndarray) -> np.ndarray:
        """The best label sequence for state[t, label] (float64, one row a token)."""
        count = len(state)
        _LIB.crf1dc_set_num_items(self.context, count)  # grows the context's buffers when needed
        state = np.ascontiguousarray(state, dtype=np.float64)
        ctypes.memmove(self.context.contents.state, state.ctypes.data, state.nbytes)
        if len(self.path) < count:
            self.path = np.zeros(2 * count, dtype=np.intc)
        _LIB.crf1dc_viterbi(self.context, self.path.ctypes.data)
        return self.path[:count].copy()

    def marginals(self) -> np.ndarray:
        """marginals[t, label] of the sequence last given to viterbi()."""
        context = self.context
        for step in (_LIB.crf1dc_exp_state, _LIB.crf1dc_alpha_score, _LIB.crf1dc_beta_score, _LIB.crf1dc_marginals):
            step(context)
        count = context.contents.num_items
        return np.ctypeslib.as_array(context.contents.mexp_state, shape=(count, self.size)).copy()
