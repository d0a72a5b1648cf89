"""A grammar of the technical annotations scanners burn in, known to be safe.

Settings and their values (kVp 120, mAs 250, MI 0.8, TIS0.4, 12.5 MHz, 30 Hz, 4.0cm, gain
50%, 20dB, 19fps), probe and sequence names (L12-5, C5-1, 6C1, T2 FLAIR, FSE), orientation
markers (R L A P H F), measurement labels (Dist, Area), the labels of fields ("PID:") and
DICOM keywords a viewer shows for an empty field ("SeriesDescription"). The grammar reads a line, not a
word: a setting's label counts only with a value beside it, a bare number only next to a
label or a unit, so a surname that happens to spell a label ("Gain, Mary") and a date that
sits in a technical line ("MI 0.8 05/26/2000") are not part of it.
"""

import re

from pydicom.datadict import keyword_dict

from steps.imaging.overlay.facilities import FACILITY_WORDS
from steps.imaging.words import Word

# Units of settings and measurements; a number followed by one of them is a setting's value.
UNITS = frozenset({"KVP", "KV", "MAS", "MA", "MS", "S", "SEC", "MM", "CM", "M", "HZ", "KHZ", "MHZ", "DB", "FPS",
                   "%", "X", "MGY", "MGYCM", "GY", "DEG", "°", "BPM", "CM/S", "M/S", "MM/S", "CM2", "MM2", "ML",
                   "CC", "SLICES", "MT", "T"})
# Labels of settings: they are technical when a value stands beside them (or fused: TIS0.4).
SETTING_LABELS = frozenset({
    "KVP", "KV", "MAS", "MA", "MS", "SEC", "EXP", "MI", "TIS", "TIB", "TIC", "DR", "DYN", "GAIN", "GN", "G",
    "DEPTH", "D", "FR", "FPS", "PRF", "WF", "FREQ", "F", "H", "ZOOM", "Z", "PWR", "POWER", "AO", "SV", "ANGLE", "TR",
    "TE", "TI", "ETL", "NEX", "NSA", "BW", "FOV", "THK", "ST", "SL", "SP", "MATRIX", "FA", "FLIP", "W", "L", "C", "WW",
    "WL", "WC", "DFOV", "PITCH", "ROT", "CTDIVOL", "CTDI", "DLP", "EI", "DI", "DAP", "MGY", "SID", "MAG", "UNIT",
    "SE", "IM", "IMG", "SER", "SERIES", "SLICE", "FR#", "SE#", "IM#", "LOC", "TILT", "ASC", "MAP", "CF", "PW", "CW",
    "PD", "HR", "X"})
# Measurement labels: technical when a value or a colon follows.
MEASUREMENT_LABELS = frozenset({"DIST", "DISTANCE", "AREA", "VOL", "VOLUME", "CIRC", "CIRCUMFERENCE", "LENGTH",
                                "LEN", "DIAM", "DIAMETER", "WIDTH", "HEIGHT", "DEPTH", "MEAN", "AVG", "SD", "STD",
                                "MAX", "MIN", "RATIO", "VEL", "PSV", "EDV", "RI", "PI", "TAMAX", "VTI", "HU",
                                "ROI", "ELLIPSE", "TRACE", "ANGLE", "SLOPE", "TIME", "GRAD", "PG"})
_LABELS = SETTING_LABELS | MEASUREMENT_LABELS
# Words that are technical on their own: modes, sequences, presets, orientation, vendors.
STANDALONE = frozenset({
    # orientation markers
    "R", "L", "A", "P", "H", "F", "S", "I", "RL", "LR", "AP", "PA", "SI", "IS", "L-M", "M-L", "RS", "LS",
    # ultrasound modes and processing
    "2D", "3D", "4D", "B", "B-MODE", "M-MODE", "CFM", "CF", "CD", "PW", "CW", "PD", "PDI", "THI", "HD", "HI", "TEI",
    "CHI", "SRI", "XRES", "SONOCT", "DYN", "RES", "GEN", "PEN", "ADV", "MED", "STD", "HIGH", "LOW", "FAST", "ST2",
    "MAPE", "DTCE", "TAC1", "FREEZE", "LIVE", "HARM", "DUAL", "SPLIT", "COMPOUND", "SPECKLE", "FOCUS",
    # exam presets
    "BREAST", "THYROID", "RENAL", "ABDOMEN", "VASCULAR", "CARDIAC", "OB", "GYN", "OB/GYN", "MSK",
    "SMALL", "PARTS", "CAROTID", "VENOUS", "ARTERIAL", "TESTES", "PROSTATE", "BLADDER", "FETAL", "ECHO",
    # MR sequences and weightings
    "T1", "T2", "T1W", "T2W", "T2*", "PDW", "FLAIR", "STIR", "SE", "FSE", "TSE", "GRE", "SPGR", "EPI", "DWI", "ADC",
    "SWI", "MPRAGE", "TOF", "IR", "DIXON", "FS", "FATSAT", "GD", "C+", "MIP", "MPR", "VIBE", "HASTE", "SSFSE",
    "FIESTA", "TRUEFISP", "BOLD", "DTI", "PERF", "MRA", "CINE",
    # CT and radiography
    "BONE", "LUNG", "SOFT", "STANDARD", "SHARP", "SMOOTH", "HELICAL", "AXIAL", "TOPO", "TOPOGRAM", "SCOUT",
    # manufacturers
    "SIEMENS", "GE", "PHILIPS", "TOSHIBA", "CANON", "HITACHI", "SAMSUNG", "ESAOTE", "MINDRAY", "FUJIFILM", "AGFA",
    "CARESTREAM", "KODAK", "HOLOGIC", "KONICA", "SHIMADZU", "ALOKA", "MEDISON", "SONOSITE", "ACUSON", "VOLUSON",
    "LOGIQ", "EPIQ", "AFFINITI", "SEQUOIA", "APLIO"})
_NUMBER = re.compile(r"^[+-]?\d{1,4}(?:[.,]\d{1,3})?$")
_RATIO = re.compile(r"^\d{1,4}/\d{1,4}$")  # frame, image and series counters: "1/19", "3/2"
_COUNTER_LABELS = frozenset({"FR", "FRAME", "SE", "SE#", "IM", "IM#", "IMG", "SER", "SERIES", "SL", "SLICE", "IMAGE"})
_VALUE_WITH_UNIT = re.compile(r"^[+-]?\d{1,4}(?:[.,]\d{1,3})?(?P<unit>[A-Z%°/2]+)$")
_LABEL_WITH_VALUE = re.compile(r"^(?P<label>[A-Z]{1,4})[:=]?[+-]?\d{1,4}(?:[.,]\d{1,3})?(?P<unit>[A-Z%]*)$")
# Probe names: L12-5, C5-1, P4-2, 9L4, 6C1, 15L8W, VF13-5, 4V1C.
_PROBE = re.compile(r"^(?:[A-Z]{1,3}\d{1,2}-\d{1,2}[A-Z]?|\d{1,2}[A-Z]{1,2}\d{1,2}[A-Z]?)$")
# Punctuation around a token, dashes and minus signs included; brackets stay: "[M]" is how a
# sex is burned in beside a name.
_AROUND = re.compile(r"^[:;,.*\-\u2212\u2013]+|[:;,.\-\u2212\u2013]+$")


_JOINED = re.compile(r"/|--+")
# A field's label ("Fr:", "PID:", "Unit:"): the screen's own words, whatever its value is.
_FIELD_LABEL = re.compile(r"^[A-Za-z][A-Za-z#.]{0,11}:$")
# A DICOM keyword shown where a viewer's template had no value ("SeriesDescription").
_KEYWORD = re.compile(r"^(?:[A-Z][a-z0-9]+){2,}$")


def normalised(text: str) -> str:
    return _AROUND.sub("", text.upper())


def _value(token: str) -> bool:
    """A number, or a number with a unit, or a fused label and number (DR60, TIS0.4)."""
    return bool(_NUMBER.match(token)) or _unit_or_fused(token)


def _unit_or_fused(token: str) -> bool:
    """A number with a unit (20dB), or a setting's label fused with its value (DR60, TIS0.4)."""
    unit = _VALUE_WITH_UNIT.match(token)
    if unit and unit["unit"] in UNITS:
        return True
    fused = _LABEL_WITH_VALUE.match(token)
    return bool(fused and fused["label"] in SETTING_LABELS and (not fused["unit"] or fused["unit"] in UNITS))


def _standalone(token: str) -> bool:
    if token in STANDALONE:
        return True
    if _JOINED.search(token):  # "20dB/DR60", "2D--100%": every part technical, none a bare number (4/14/2020)
        parts = [p for p in _JOINED.split(token) if p]
        return bool(parts) and all(not _NUMBER.match(p) and (_standalone(p) or _value(p)) for p in parts)
    return (len(token) > 1 and token in UNITS) or bool(_PROBE.match(token)) or _unit_or_fused(token)


def technical(words: list[Word]) -> set[int]:
    """Indexes of the words that the grammar reads as technical annotation, line by line."""
    safe = set()
    facility_lines = {(w.view, w.line) for w in words if normalised(w.text) in FACILITY_WORDS}
    for index, word in enumerate(words):
        token = normalised(word.text)
        if not token or (word.view, word.line) in facility_lines:
            continue
        before = _neighbour(words, index, -1)
        after = _neighbour(words, index, +1)
        label_then_value = after is not None and _value(normalised(words[after].text))
        if _standalone(token) or _field_text(word.text):
            safe.add(index)
        elif token in _LABELS and (label_then_value or word.text.endswith(":") and token in MEASUREMENT_LABELS):
            safe.add(index)
        elif _NUMBER.match(token) and _beside_setting(words, before, after):
            safe.add(index)
        elif _RATIO.match(token) and before is not None and normalised(words[before].text) in _COUNTER_LABELS:
            safe.add(index)
    return safe


def _field_text(text: str) -> bool:
    """A field's label, a DICOM keyword, or punctuation alone: none can say who the patient is."""
    return bool(_FIELD_LABEL.match(text) or (_KEYWORD.match(text) and text in keyword_dict)
                or not any(c.isalnum() for c in text))


def _neighbour(words: list[Word], index: int, step: int) -> int | None:
    other = index + step
    if 0 <= other < len(words) and words[other].same_line(words[index]):
        return other
    return None


def _beside_setting(words: list[Word], before: int | None, after: int | None) -> bool:
    """A bare number after a setting or measurement label, or before a unit."""
    if before is not None and normalised(words[before].text) in _LABELS:
        return True
    return after is not None and normalised(words[after].text) in UNITS
