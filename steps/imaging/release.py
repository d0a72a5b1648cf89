"""A masked DICOM leaves only through the verification gate.

The frames are masked, the header de-identified (steps.imaging.deid), and then checked:
no original identifying value may survive, neither in the words of the masked frames nor
anywhere in the new header. Original values are the input header's (every value the
profile changes, person names included) plus the PHI found in the pixels. Only a file
that passes is declared clean (113101, BurnedInAnnotation NO); one that fails raises
ResidualPhi and nothing is written.

The words of a masked frame are known without reading all of it again: outside the
changed regions (every mask box, grown by a margin and by the whole words it touches;
steps.imaging.regions) its pixels are the very pixels the OCR engine read, so the words
read there stand and are checked as they are; inside them the masked pixels are read
again, the regions of every distinct frame packed onto a few frame-sized sheets. The
re-read costs the area that changed, not the whole frame again.
"""

import importlib.metadata
import re
from collections import Counter
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from steps.errors import ResidualPhi
from steps.imaging import dicom, policy, profile, regions
from steps.imaging.deid import DUMMIES, DUMMY_TEXT, Deidentifier
from steps.imaging.descriptors import DescriptorCleaner
from steps.imaging.header_seeds import HeaderSeeds
from steps.imaging.masking import Box
from steps.imaging.ocr import OcrEngine
from steps.imaging.words import Word, split_fused

BASIC_PROFILE = ("113100", "Basic Application Confidentiality Profile")
CLEAN_PIXEL_DATA = ("113101", "Clean Pixel Data Option")
MIN_VALUE_LENGTH = 4  # shorter values (sex, a two-digit weight) say nothing on their own
MIN_NAME_PART = 3
_SEPARATORS = re.compile(r"[\s^\\]+")
_NOT_TEXT = {"SQ", "OB", "OW", "OD", "OF", "OL", "OV", "UN"}
# Measurements (a tilt of 0.000000) say nothing of a person: not originals.
_NUMBERS = {"DS", "IS", "US", "SS", "UL", "SL", "UV", "SV", "FL", "FD", "AT"}
EMPTY = (None, "", b"")


@dataclass
class Release:
    key: bytes
    options: profile.ProfileOptions
    ocr: OcrEngine
    phi_engine: str
    threshold: float
    entity_types: list[str]

    def masked_file(self, image: dicom.DicomImage, boxes_of_view: list[list[Box]], frame_views: list[int],
                    words: list[Word], pixel_phi: list[str], into: BinaryIO) -> Counter:
        """Write the de-identified Part 10 file into ``into`` and return its action counts;
        raise ResidualPhi, having written nothing, if the gate fails. ``words`` are the words
        read in the views (before masking), ``frame_views`` each frame's view."""
        ds = image.dataset
        boxes_of_frame = [boxes_of_view[view] for view in frame_views]
        frames = dicom.masked_frames(image, boxes_of_frame)
        originals = identifying_values(ds, self.options)
        seeds = HeaderSeeds.from_values(dicom.header_values(image) + pixel_phi, ignored=policy.safe_vocabulary(),
                                        min_length=MIN_NAME_PART)
        in_pixels = self._residual_in_pixels(image, frames, frame_views, boxes_of_view, words, seeds)
        cleaner = DescriptorCleaner(self.phi_engine, self.threshold, self.entity_types, originals)
        counts = Deidentifier(self.key, self.options, cleaner).apply(ds)
        in_header = residual_in_header(ds, originals)
        if in_pixels or in_header:
            raise ResidualPhi(f"the masked DICOM still shows {in_pixels} identifying word(s) in its pixels and "
                              f"{in_header} identifying value(s) in its header; nothing was written")
        self._declare(ds)
        hidden = sum(1 for boxes in boxes_of_frame if boxes)
        counts.update({"pixels_hidden": hidden, "pixels_retained": len(boxes_of_frame) - hidden})
        dicom.write(image, frames, into)
        return counts

    def _residual_in_pixels(self, image: dicom.DicomImage, frames: np.ndarray, frame_views: list[int],
                            boxes_of_view: list[list[Box]], words: list[Word], seeds: HeaderSeeds) -> int:
        """Identifying words in the masked frames: among the words read where no pixel changed,
        and among those the OCR engine reads again in the changed regions (frames that share a
        view share its pixels, its boxes and so its masked pixels: one check a view)."""
        changed = [regions.grown(boxes, [w.box for w in words if w.view == view], image.width, image.height)
                   for view, boxes in enumerate(boxes_of_view)]
        unchanged = [w for w in words if not any(regions.intersect(w.box, region) for region in changed[w.view])]
        found = len(seeds.matched(unchanged))
        cut_outs = []
        for view, view_regions in enumerate(changed):
            if view_regions:
                rgb = dicom.ocr_view(image, frames[frame_views.index(view)])
                cut_outs += [regions.CutOut(view, r, rgb[r[1]:r[3], r[0]:r[2]]) for r in view_regions]
        reread = regions.read(self.ocr, cut_outs, image.width, image.height)
        for view in {key for key, _ in reread}:
            found += len(seeds.matched(split_fused([w for key, w in reread if key == view])))
        return found

    def _declare(self, ds: Dataset) -> None:
        codes = [BASIC_PROFILE, CLEAN_PIXEL_DATA, *self.options.codes()]
        items = []
        for value, meaning in codes:
            item = Dataset()
            item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, "DCM", meaning
            items.append(item)
        ds.DeidentificationMethodCodeSequence = Sequence(items)
        ds.DeidentificationMethod = [
            f"PS3.15 E.1-1 Basic Profile {profile.TABLE_EDITION}",
            *(meaning for _, meaning in codes[1:]),
            f"OCR {_version_of(self.ocr.name)}; PHI engine {self.phi_engine}",
            f"{_version_of('health-data-masking')}; verified by re-read",
        ]
        ds.PatientIdentityRemoved, ds.BurnedInAnnotation = "YES", "NO"


def identifying_values(ds: Dataset, options: profile.ProfileOptions) -> list[str]:
    """Every value the profile changes, person names also by their parts; normalised (upper
    case, one space between words). Private values are not among them: they are removed
    whole, and they repeat technical values (a kernel name) that rightly stay elsewhere."""
    values: set[str] = set()
    for element in ds.iterall():
        if element.VR in _NOT_TEXT | _NUMBERS or element.value in EMPTY or element.tag.is_private:
            continue
        action = profile.action(element.tag, element.keyword, element.VR, options)
        if element.VR != "PN" and action not in (profile.X, profile.Z, profile.D, profile.U):
            continue
        for value in (element.value if element.VM > 1 and not isinstance(element.value, str) else [element.value]):
            text = _normal(str(value))
            values.add(text)
            if element.VR == "PN":
                values.update(p for p in text.split() if len(p) >= MIN_NAME_PART)
    dummies = {_normal(str(v)) for v in (*DUMMIES.values(), DUMMY_TEXT)}
    return sorted(v for v in values if len(v) >= MIN_VALUE_LENGTH and v not in dummies)


def residual_in_header(ds: Dataset, originals: list[str]) -> int:
    """How many original values appear, as whole words, in any value of the new header."""
    if not originals:
        return 0
    text = "\n".join(_normal(str(e.value)) for e in ds.iterall() if e.VR not in _NOT_TEXT and e.value not in EMPTY)
    return sum(1 for value in originals if re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text))


def _normal(value: str) -> str:
    return " ".join(_SEPARATORS.split(value.upper())).strip()


def _version_of(name: str) -> str:
    try:
        return f"{name} {importlib.metadata.version(name)}"
    except importlib.metadata.PackageNotFoundError:
        return name
