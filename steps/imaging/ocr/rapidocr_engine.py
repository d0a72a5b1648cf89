"""RapidOCR (PP-OCRv6 small ONNX models from its wheel), with the settings measured best here.

Detector limit type max at 1280 px; images smaller than that are upscaled to it so
small burned-in text reaches the detector at a readable size (a cut-out of a frame is
upscaled as its frame is, so its text is read at the same size); a 25 px border keeps
text that touches the edge detectable. Word boxes come from ``return_word_box``.
"""

import os
import threading

import cv2
import numpy as np

from steps.errors import EngineUnavailable
from steps.imaging.masking import clip
from steps.imaging.ocr import axis_box, clean_text
from steps.imaging.words import Word
from steps.options import OCR_THREADS_VARIABLE

DETECTOR_SIDE = 1280
BORDER = 25


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self):
        try:
            from rapidocr import RapidOCR
        except ImportError:
            raise EngineUnavailable("the rapidocr OCR engine needs the rapidocr and onnxruntime packages") from None
        params = {
            "Global.log_level": "error", "Global.use_cls": False, "Global.return_word_box": True,
            "Global.max_side_len": 8192, "Global.min_side_len": 1,
            "Det.limit_type": "max", "Det.limit_side_len": DETECTOR_SIDE,
        }
        threads = os.environ.get(OCR_THREADS_VARIABLE, "")
        if threads.isdigit() and int(threads) > 0:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = int(threads)
        self._ocr = RapidOCR(params=params)
        # One inference at a time per process: Map iterations run on threads and the
        # cores are better spent inside onnxruntime than on contention.
        self._lock = threading.Lock()

    def read(self, rgb: np.ndarray, side: int | None = None) -> list[Word]:
        height, width = rgb.shape[:2]
        scale = max(1.0, DETECTOR_SIDE / (side or max(height, width)))
        image = rgb if scale == 1.0 else cv2.resize(rgb, (round(width * scale), round(height * scale)),
                                                    interpolation=cv2.INTER_CUBIC)
        background = np.median(np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]]), axis=0)
        image = cv2.copyMakeBorder(image, BORDER, BORDER, BORDER, BORDER, cv2.BORDER_CONSTANT,
                                   value=[int(v) for v in background])
        with self._lock:
            result = self._ocr(np.ascontiguousarray(image))
        if result.boxes is None:
            return []
        words = []
        line_words = result.word_results or [()] * len(result.txts)
        for line, (line_box, line_text, line_score, parts) in enumerate(
                zip(result.boxes, result.txts, result.scores, line_words, strict=True)):
            # A line without word boxes counts as one word.
            parts = parts or [(line_text, line_score, line_box)]
            for text, score, points in parts:
                text = clean_text(text)
                if not text:
                    continue
                box = clip(axis_box(points, scale, BORDER, BORDER), width, height)
                if box[2] > box[0] and box[3] > box[1]:
                    words.append(Word(text=text, box=box, score=float(score), line=line))
        return words

