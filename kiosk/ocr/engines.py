"""The OCR engines behind one small interface: find and read the text lines of a page.

RapidOCR (PP-OCR models inside its wheel, run by onnxruntime) is the default: it reads photos
of Chinese documents well and fast. Tesseract (through tesserocr, with Debian's chi_sim and eng data) is an independent
second reader for numeric fields, and an engine of its own where onnxruntime cannot run
(KIOSK_OCR_ENGINE=tesseract). Engines load their models once per process.
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
from functools import cache
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from kiosk.ocr.lines import Box, Line

ENGINE_NAMES = ("rapidocr", "tesseract")
DIGITS = "0123456789"
TESSDATA = os.environ.get("TESSDATA_PREFIX", "/usr/share/tesseract-ocr/5/tessdata/")


class Engine(Protocol):
    """What the reader needs of an engine."""

    name: str

    def read_lines(self, page: np.ndarray) -> list[Line]:
        """Every text line on a prepared page (BGR array), in no particular order."""

    def read_crop(self, crop: np.ndarray, alphabet: str | None = None) -> Line | None:
        """The single line of text in a small crop, optionally limited to `alphabet`."""

    def line_boxes(self, page: np.ndarray) -> list[Box]:
        """Where the text lines stand on a page, without reading them (a quick look); empty
        when the engine cannot tell."""


class RapidOcrEngine:
    """PP-OCR detection, direction and recognition models through the `rapidocr` package."""

    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        _without_memory_patterns()
        self._ocr = RapidOCR(
            params={
                "Global.log_level": "error",
                "Global.max_side_len": 1600,
                # Find text on a copy at most 800 px long (faster than the default
                # min-736 rule on a 1400 px page); lines are still read at full size.
                "Det.limit_type": "max",
                "Det.limit_side_len": 800,
                # Lines are read three at a time: a batch is as wide as its widest line, and
                # six paragraph lines of an A4 page took the worker past 850 MB (514 MB).
                "Rec.rec_batch_num": 3,
                "Det.box_thresh": 0.3,  # single characters (民族 汉) score low as boxes
                "Global.text_score": 0.3,  # weak lines are kept: the validators decide
                # No per-line direction model: pages are squared up before reading, and the
                # reader turns a page that reads as nonsense round once (reader.py).
                "Global.use_cls": False,
            }
        )
        self._lock = threading.Lock()  # one onnxruntime session, used by one thread at a time

    def read_lines(self, page: np.ndarray) -> list[Line]:
        with self._lock:  # flags said each time: RapidOCR keeps those of the last call
            result = self._ocr(page, use_det=True, use_cls=False, use_rec=True)
        if getattr(result, "boxes", None) is None:  # no text found: another kind of output
            return []
        return [
            Line(text, float(score), _box_of(points))
            for points, text, score in zip(result.boxes, result.txts, result.scores, strict=True)  # type: ignore[union-attr, arg-type]  # RapidOCR's output type is a union of all its stages, every field Optional
        ]

    def line_boxes(self, page: np.ndarray) -> list[Box]:
        with self._lock:
            result = self._ocr(page, use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(result, "boxes", None)
        return [] if boxes is None else [_box_of(points) for points in boxes]

    def read_crop(self, crop: np.ndarray, alphabet: str | None = None) -> Line | None:
        with self._lock:
            result = self._ocr(crop, use_det=False, use_cls=False, use_rec=True)
        if not getattr(result, "txts", None):
            return None
        text = result.txts[0]  # type: ignore[union-attr, index]  # RapidOCR's output type is a union of all its stages, every field Optional
        if alphabet is not None:
            text = "".join(char for char in text if char in alphabet)
        return Line(text, float(result.scores[0]), Box(0, 0, crop.shape[1], crop.shape[0]))  # type: ignore[union-attr, index]  # as above


class TesseractEngine:
    """Tesseract 5 through its C API (tesserocr): chi_sim + eng for pages, a whitelist for numbers.

    The language data is Debian's (tesseract-ocr-chi-sim). Two API handles stay loaded, one
    per language setting, so reading a crop takes milliseconds rather than a process start.
    """

    name = "tesseract"

    def __init__(self) -> None:
        import tesserocr

        self._tesserocr = tesserocr
        self._pages = tesserocr.PyTessBaseAPI(
            path=TESSDATA, lang="chi_sim+eng", psm=tesserocr.PSM.SPARSE_TEXT
        )
        self._crops = tesserocr.PyTessBaseAPI(
            path=TESSDATA, lang="eng", psm=tesserocr.PSM.SINGLE_LINE
        )
        self._lock = threading.Lock()

    def read_lines(self, page: np.ndarray) -> list[Line]:
        from PIL import Image

        tesserocr = self._tesserocr
        level = tesserocr.RIL.TEXTLINE
        lines = []
        with self._lock:
            self._pages.SetImage(Image.fromarray(page[..., ::-1]))
            self._pages.Recognize()
            iterator = self._pages.GetIterator()
            for item in tesserocr.iterate_level(iterator, level):
                try:
                    text = item.GetUTF8Text(level)
                except RuntimeError:  # "No text returned": a line found, nothing read in it
                    continue
                box = item.BoundingBox(level)
                if text and text.strip() and box:
                    text = _BETWEEN_CJK.sub("", text.strip())
                    lines.append(Line(text, item.Confidence(level) / 100, Box(*box)))
        return lines

    def line_boxes(self, page: np.ndarray) -> list[Box]:
        """None found: Tesseract's layout analysis cuts text running down a page into rows of
        single characters across it, which would say the opposite of the truth."""
        return []

    def read_crop(self, crop: np.ndarray, alphabet: str | None = None) -> Line | None:
        import cv2
        from PIL import Image

        gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
        if gray.shape[0] < 48:  # Tesseract reads best with characters about 30 px high
            scale = 48 / max(gray.shape[0], 1)
            gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        gray = cv2.copyMakeBorder(gray, 12, 12, 12, 12, cv2.BORDER_REPLICATE)
        with self._lock:
            api = self._crops if alphabet is not None else self._pages
            api.SetVariable("tessedit_char_whitelist", alphabet or "")
            if alphabet is None:
                api.SetPageSegMode(self._tesserocr.PSM.SINGLE_LINE)
            api.SetImage(Image.fromarray(gray))
            text = _BETWEEN_CJK.sub("", api.GetUTF8Text().strip())
            score = api.MeanTextConf() / 100
            if alphabet is None:
                api.SetPageSegMode(self._tesserocr.PSM.SPARSE_TEXT)
        if not text:
            return None
        return Line(text, score, Box(0, 0, crop.shape[1], crop.shape[0]))


def _without_memory_patterns() -> None:
    """Make RapidOCR's onnxruntime sessions plan no memory pattern per input shape.

    Every page and every batch of lines has its own shape, so the plans only pile up: a
    worker grew past 800 MB on A4 pages with them, under 700 MB without (bench/ocr.py).
    RapidOCR 3 has no setting for it; its session options are wrapped once, here."""
    from rapidocr.inference_engine.onnxruntime import main as ort_main

    session = ort_main.OrtInferSession
    if getattr(session._init_sess_opts, "kiosk_no_patterns", False):
        return
    original = session._init_sess_opts

    def options(cfg: Any) -> Any:
        made = original(cfg)
        made.enable_mem_pattern = False
        return made

    options.kiosk_no_patterns = True  # type: ignore[attr-defined]  # marks the patch as made
    session._init_sess_opts = staticmethod(options)  # type: ignore[method-assign]  # patched on purpose: see above


def release_memory() -> None:
    """Give the C heap's free pages back to the system (glibc): the engines free large
    buffers after every page, which otherwise stay with the worker."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _box_of(points: NDArray[np.float32]) -> Box:
    """The upright box around a detected line's four corners."""
    xs = [int(point[0]) for point in points]
    ys = [int(point[1]) for point in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


_BETWEEN_CJK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


@cache
def engine(name: str) -> Engine:
    """The engine called `name`, loaded once per process."""
    if name == "rapidocr":
        return RapidOcrEngine()
    if name == "tesseract":
        return TesseractEngine()
    raise ValueError(f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")
