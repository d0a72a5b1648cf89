"""DICOM header de-identification by the PS3.15 Basic Profile (steps.imaging.profile), recursively.

Every attribute of Table E.1-1 gets its action, in the top-level dataset and inside every
sequence item. Outside the table: private attributes, curves and overlay planes are
removed; person names are emptied; free text (LT, ST, UT, UC: SR text values, notes) is
cleaned like a descriptor, or removed without the Clean Descriptors Option. UIDs are
replaced by a keyed function of the old one (HMAC-SHA256 with the pseudonym key), so the
images of one study stay linked under one key and cannot be linked back without it.
PatientID becomes the patient's keyed token; person names and replaced text become what
the request's mode says (steps.imaging.header_values). With modified dates (the option, or
the ``surrogate`` mode) every date moves by the patient's keyed shift, the one a note of the
same patient gets, and the file says so (LongitudinalTemporalInformationModified).

The actions taken are counted in the vocabulary of the MIDI-B benchmark (never values).
"""

import datetime
from collections import Counter

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from steps.imaging import profile
from steps.imaging.descriptors import DescriptorCleaner
from steps.imaging.header_values import MAX_LENGTH, HeaderValues
from steps.operators.date_shift import patient_token, shift_days
from steps.operators.surrogates import SURROGATE_SCHEME
from steps.pseudonym_key import keyed_digest

FREE_TEXT = ("LT", "ST", "UT", "UC")
_DATES = ("DA", "DT")
# A dummy of each VR: present, valid, and says nothing (D).
DUMMY_TEXT = "ANONYMIZED"
DUMMIES = {"DA": "19000101", "TM": "000000", "DT": "19000101000000", "PN": "ANONYMOUS", "AS": "000Y",
            "IS": "0", "DS": "0", "US": 0, "SS": 0, "UL": 0, "SL": 0, "UV": 0, "SV": 0, "FL": 0.0, "FD": 0.0,
            "AT": 0, "OB": b"\x00\x00", "OW": b"\x00\x00", "OD": b"\x00" * 8, "OF": b"\x00" * 4,
            "OL": b"\x00" * 4, "OV": b"\x00" * 8, "UN": b"\x00\x00"}
# PS3.16 CID 7005: the purpose of the equipment that de-identified the file.
DEIDENTIFYING_EQUIPMENT = ("109104", "De-identifying Equipment")


class Deidentifier:
    """One file's de-identification: ``apply(ds)`` changes it in place and returns the action counts."""

    def __init__(self, key: bytes, options: profile.ProfileOptions, cleaner: DescriptorCleaner):
        self.key, self.options, self.cleaner = key, options, cleaner
        self.values = HeaderValues(options.mode, key)
        self.counts: Counter = Counter()
        self._to_clean: list[DataElement] = []
        self._uids: dict[str, str] = {}
        self._patient = ""
        self._shift_days = 0

    def apply(self, ds: Dataset) -> Counter:
        patient_id = str(ds.get("PatientID", "") or "")
        # The request's patient, if it named one, is the identity; else the file's PatientID.
        self._patient = self.options.patient_token or (patient_token(self.key, patient_id) if patient_id else "")
        self._shift_days = shift_days(self.key, self._patient)
        self._walk(ds)
        self._clean_pending()
        meta = getattr(ds, "file_meta", None)
        if meta is not None and "SOPInstanceUID" in ds:
            meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        self._record(ds)
        if patient_id and ds.get("PatientID"):
            self.counts["patid_consistent"] += 1
        self.counts["uid_consistent"] += len(self._uids)
        return self.counts

    def new_uid(self, old: str) -> str:
        """A UID that only the key links to the old one (PS3.5 B.2: a 128-bit integer under 2.25)."""
        if old not in self._uids:
            self._uids[old] = "2.25." + str(int.from_bytes(keyed_digest(self.key, "uid", old)[:16]))
        return self._uids[old]

    # -- the walk ---------------------------------------------------------
    def _walk(self, ds: Dataset) -> None:
        for element in list(ds):
            tag = element.tag
            if tag.is_private or (tag.group & 0xFF00) in (0x5000, 0x6000):
                del ds[tag]
                self.counts["text_removed"] += 1
                continue
            action = profile.action(tag, element.keyword, element.VR, self.options)
            if action is None:
                self._outside_table(ds, element)
            elif action == profile.K:
                self.counts["tag_retained"] += 1
            elif action == profile.C:
                self._clean(element)
            elif self.options.retain_longitudinal_temporal and element.VR in _DATES and element.value:
                self._shift(element)
            elif action == profile.X:
                del ds[tag]
                self.counts["text_removed"] += 1
            elif action == profile.Z and element.VR == "PN" and element.value:
                self._name(element)
            elif action == profile.Z:
                element.value = Sequence() if element.VR == "SQ" else None
                self.counts["text_removed"] += 1
            elif action == profile.D:
                self._dummy(element)
            else:  # U, and X/Z/U* on a sequence
                self._replace_uids(element)

    def _outside_table(self, ds: Dataset, element: DataElement) -> None:
        if element.VR == "SQ":
            for item in element.value:
                self._walk(item)
        elif element.VR == "PN" and element.value:
            self._name(element)
        elif element.VR in FREE_TEXT and element.value:
            if self.options.clean_descriptors:
                self._clean(element)
            else:
                del ds[element.tag]
                self.counts["text_removed"] += 1
        else:
            self.counts["tag_retained"] += 1

    def _dummy(self, element: DataElement) -> None:
        if element.VR == "SQ":
            if element.keyword == "ContentSequence":  # the SR tree: its structure stays, its content is cleaned
                for item in element.value:
                    self._walk(item)
            else:  # identification sequences: their codes would name the person or place
                element.value = Sequence()
            self.counts["text_notnull"] += 1
        elif element.VR == "UI":
            self._replace_uids(element)
        elif element.keyword == "PatientID":
            element.value = self._patient or patient_token(self.key, "")
            self.counts["text_notnull"] += 1
        elif element.VR == "PN" and element.value and self.values.replaces_names:
            self._name(element)
        else:
            dummy = DUMMIES.get(element.VR, DUMMY_TEXT)
            element.value = self._each(element, lambda v: self.values.text(v, element.VR, dummy)) \
                if element.value and isinstance(dummy, str) else dummy
            self.counts["text_notnull"] += 1

    def _name(self, element: DataElement) -> None:
        """A person name the profile keeps present (or empties): what the mode makes of it."""
        names = self._each(element, self.values.name)
        if names is None or (isinstance(names, list) and None in names):
            element.value = None
            self.counts["text_removed"] += 1
        else:
            element.value = names
            self.counts["text_notnull"] += 1

    @staticmethod
    def _each(element: DataElement, replace):
        """``replace`` applied to each value of a (possibly multi-valued) element."""
        if element.VM > 1:
            return [replace(str(v)) for v in element.value]
        return replace(str(element.value))

    def _replace_uids(self, element: DataElement) -> None:
        if element.VR == "SQ":
            for item in element.value:
                self._walk(item)
            return
        if element.VR != "UI" or not element.value:
            element.value = None
            self.counts["text_removed"] += 1
            return
        values = element.value if element.VM > 1 else [element.value]
        new = [self.new_uid(str(v)) for v in values]
        element.value = new if element.VM > 1 else new[0]
        self.counts["uid_changed"] += 1

    def _shift(self, element: DataElement) -> None:
        """Retain Longitudinal Temporal Information (modified dates): every date of a patient
        moves back by the same keyed number of days; a value that is no date is emptied."""
        values = element.value if element.VM > 1 else [element.value]
        shifted = [_shifted(str(v), self._shift_days) for v in values]
        if None in shifted:
            element.value = None
            self.counts["text_removed"] += 1
            return
        element.value = shifted if element.VM > 1 else shifted[0]
        self.counts["date_shifted"] += 1

    def _clean(self, element: DataElement) -> None:
        if element.VR == "SQ":
            self._dummy(element)
        elif element.value:
            self._to_clean.append(element)
        else:
            self.counts["tag_retained"] += 1

    def _record(self, ds: Dataset) -> None:
        """PS3.15 E.1.1: say that dates were modified, and which equipment (and surrogate scheme,
        a versioned one: the same key gives the same surrogates in every release) replaced values."""
        if self.options.retain_longitudinal_temporal:
            ds.LongitudinalTemporalInformationModified = "MODIFIED"
        if not self.values.draws_surrogates:
            return
        purpose = Dataset()
        purpose.CodeValue, purpose.CodingSchemeDesignator, purpose.CodeMeaning = (
            DEIDENTIFYING_EQUIPMENT[0], "DCM", DEIDENTIFYING_EQUIPMENT[1])
        equipment = Dataset()
        equipment.PurposeOfReferenceCodeSequence = Sequence([purpose])
        equipment.Manufacturer = "Health Data Masking"
        equipment.SoftwareVersions = f"surrogate scheme {SURROGATE_SCHEME}"
        ds.ContributingEquipmentSequence = Sequence([*ds.get("ContributingEquipmentSequence", []), equipment])

    def _clean_pending(self) -> None:
        texts = ["\\".join(map(str, e.value)) if e.VM > 1 else str(e.value) for e in self._to_clean]
        for element, text in zip(self._to_clean, self.cleaner.clean(texts), strict=True):
            # cut to its VR's length: an entity type can be longer than the words it replaced
            element.value = text[:MAX_LENGTH.get(element.VR, len(text))]
            self.counts["text_retained"] += 1


def _shifted(value: str, days: int) -> str | None:
    try:
        day = datetime.datetime.strptime(value[:8], "%Y%m%d").date() - datetime.timedelta(days=days)
    except ValueError:
        return None
    return day.strftime("%Y%m%d") + value[8:]
