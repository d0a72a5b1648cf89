"""A CRF sequence tagger for people's names and places, trained on generated documents of many styles.

The rules find structured PHI (dates, numbers, contacts) by their form; names and places have no
form, so this layer reads them from word shape, windowed casing, dictionaries and context
(features.py). The weights ship in data/tagger.crfsuite (trained by training/train_tagger.py,
provenance in data/tagger.json). A candidate's score is the mean, over its tokens, of the
model's marginal probability that the token is part of a name or place, times a calibration factor.

At run time crfsuite is not handed attribute strings: the weights are summed per word type
(crf_scores.py) and crfsuite's own Viterbi and forward-backward decode those scores (crf_decoder.py),
with the labels and marginals of the Tagger API at a fraction of its cost (docs/builtin-engine.md).

The tagger reads mixed-case lines (at most 70% of their letters upper case) and the lines right
around them (a letterhead, a header). In all-caps text it has no capitals to go by and the
generated notes are easier than real ones: when it read them, 3 of the 110 all-caps candidates
on physionet-dev that no rule also found were PHI (docs/builtin-engine.md). There the rules decide, and skipping
those lines is most of the tagger's speed on such notes.
"""

import string
import threading
from collections.abc import Iterator
from importlib.resources import as_file, files

import numpy as np
import pycrfsuite

from steps.phi.builtin.crf_decoder import CrfDecoder
from steps.phi.builtin.crf_scores import StateScores
from steps.phi.builtin.document import Document
from steps.phi.builtin.features import Featurizer, Stretch
from steps.phi.builtin.lexicon import Lexicon
from steps.phi.builtin.registry import Candidate

MODEL = "tagger.crfsuite"
LABEL_TYPES = {"NAME": "NAME", "LOC": "ADDRESS"}
# Calibration (physionet-dev, bench/phi_engine.py --calibrate): the candidates no rule also found were
# wrong when their marginal was under 0.6, and places right one time in four even above 0.85 (wards
# and units that the corpus does not count as PHI). So 0.5 needs a marginal of 0.625 for a name and
# 0.83 for a place; and where a rule found the same words, the rule's type wins the merge
# ("Baltimore, MD": a town before a ZIP code).
SCALE = {"NAME": 0.8, "LOC": 0.6}
ALL_CAPS_SHARE = 0.7  # a line with more upper-case letters than this is read by the rules alone
_UPPER_BYTES = string.ascii_uppercase.encode()
_LETTER_BYTES = string.ascii_letters.encode()
_STATE_CODES = frozenset("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
                         "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY NSW VIC QLD ACT".split())


def load_tagger(path=None) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    if path is not None:
        tagger.open(str(path))
        return tagger
    with as_file(files("steps.phi.builtin").joinpath("data", MODEL)) as shipped:
        tagger.open(str(shipped))
    return tagger


def mixed_case_stretches(text: str) -> Iterator[tuple[int, int]]:
    """(begin, end) of each run of consecutive lines that have a capital and are not all-caps, with the
    all-caps lines right before or after such a line (a letterhead, a header over a paragraph)."""
    lines = []
    begin = 0
    # ASCII letters counted in each line's UTF-8 bytes (where no other character has an ASCII byte): deleting
    # bytes through a table is several times faster than str.translate, and this runs on every line
    for content, data in zip(text.split("\n"), text.encode("utf-8", "surrogatepass").split(b"\n"), strict=True):
        if content:
            size = len(data)
            uppers = size - len(data.translate(None, _UPPER_BYTES))
            letters = size - len(data.translate(None, _LETTER_BYTES))
            lines.append((begin, begin + len(content), bool(uppers) and uppers <= ALL_CAPS_SHARE * letters))
        begin += len(content) + 1
    run_begin = run_end = -1
    for k, (begin, end, mixed) in enumerate(lines):
        if mixed or (k > 0 and lines[k - 1][2]) or (k + 1 < len(lines) and lines[k + 1][2]):
            run_begin, run_end = (begin if run_begin < 0 else run_begin), end
        elif run_begin >= 0:
            yield run_begin, run_end
            run_begin = -1
    if run_begin >= 0:
        yield run_begin, run_end


class TaggerRecognizer:
    def __init__(self, lexicon: Lexicon, model_path=None):
        self.tagger = load_tagger(model_path)
        self.featurizer = Featurizer(lexicon, known=frozenset(a for a, _ in self.tagger.info().state_features))
        self.scores = StateScores(self.tagger, self.featurizer)
        self.decoder = CrfDecoder(self.scores.transitions)
        self.outside = self.scores.labels.index("O")
        # per label (but O): what a span opening with it is: the label that continues it, its type, scale and rule,
        # and whether it is a place (which a comma ends and which sheds state codes)
        self.spans = {k: self._span(label) for k, label in enumerate(self.scores.labels) if k != self.outside}
        # One engine serves every thread of a process: the featurizer's caches and the score tables grow as
        # new words are read, and the decoding context holds the last sequence. One thread at a time.
        self.lock = threading.Lock()

    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for begin, end in mixed_case_stretches(text):
            with self.lock:
                stretch = self.featurizer.read(text, begin, end)
                if not stretch.tokens:
                    continue
                best = self.decoder.viterbi(self.scores.state(stretch))
                if (best == self.outside).all():
                    continue
                inside = 1.0 - self.decoder.marginals(len(best))[:, self.outside]
            yield from self._candidates(stretch, best, inside)

    def _span(self, label: str) -> tuple[int, str, float, str, bool]:
        kind = label[2:]
        return self.scores.labels.index("I-" + kind), LABEL_TYPES[kind], SCALE[kind], "tagger." + kind.lower(), (
            kind == "LOC")

    def _candidates(self, stretch: Stretch, best: np.ndarray, inside: np.ndarray) -> Iterator[Candidate]:
        tags, tokens = best.tolist(), stretch.tokens
        inside, offsets = inside.tolist(), stretch.offsets()
        n, after = len(tags), 0
        for i in (best != self.outside).nonzero()[0].tolist():  # only the few tokens not labelled O
            if i < after:
                continue
            inner, entity_type, scale, rule, place = self.spans[tags[i]]
            j = i + 1
            # a place ends at a comma: "45 Oak Street, Boston, MA" is a street, a town and a state
            while j < n and tags[j] == inner and (not place or tokens[j] != ","):
                j += 1
            after = j + (j < n and tags[j] == inner)  # past the comma
            if place:  # a state is no PHI (Safe Harbor): "MA 02115" leaves the ZIP code
                while i < j and tokens[i] in _STATE_CODES:
                    i += 1
                while j > i and tokens[j - 1] in _STATE_CODES:
                    j -= 1
            if i < j:
                score = scale * sum(inside[i:j]) / (j - i)
                yield Candidate(offsets[2 * i + 1], offsets[2 * j], entity_type, score, rule)
