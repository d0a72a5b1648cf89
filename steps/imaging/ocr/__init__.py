"""OCR engines behind one interface: an RGB uint8 array in, words with pixel boxes out.

``rapidocr`` (offline, the default; its ONNX models ship in the wheel) and
``rekognition`` (Amazon Rekognition DetectText, tiled). Engines are built once per
process and reused.
"""

import re
import unicodedata
from typing import Protocol

import numpy as np

from steps.engines import built_once
from steps.errors import InvalidInput
from steps.imaging.words import Word
from steps.options import OCR_ENGINES

# The recognisers are multilingual: stray CJK look-alikes appear in Latin text.
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


class OcrEngine(Protocol):
    name: str

    def read(self, rgb: np.ndarray, side: int | None = None) -> list[Word]:
        """The words in ``rgb``; ``side``: the longer side of the frame it was cut from, so that
        a cut-out is read at the scale its frame is read at (default: its own longer side)."""
        ...


def clean_text(text: str) -> str:
    """NFKC-normalised, CJK look-alikes dropped, surrounding space trimmed."""
    return _CJK.sub("", unicodedata.normalize("NFKC", text)).strip()


def axis_box(points, scale: float = 1.0, dx: float = 0.0, dy: float = 0.0) -> tuple[int, int, int, int]:
    """Bounding box of a polygon, mapped back by (p - d) / scale, rounded outwards."""
    xs = [(float(p[0]) - dx) / scale for p in points]
    ys = [(float(p[1]) - dy) / scale for p in points]
    return int(np.floor(min(xs))), int(np.floor(min(ys))), int(np.ceil(max(xs))) + 1, int(np.ceil(max(ys))) + 1


@built_once
def get_ocr_engine(name: str) -> OcrEngine:
    if name == "rapidocr":
        from steps.imaging.ocr.rapidocr_engine import RapidOcrEngine

        return RapidOcrEngine()
    if name == "rekognition":
        from steps.imaging.ocr.rekognition import RekognitionEngine

        return RekognitionEngine()
    raise InvalidInput(f"unknown OCR engine {name!r}; use one of {', '.join(OCR_ENGINES)}")
