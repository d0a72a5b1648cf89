"""PS3.15 Table E.1-1, the Basic Application Level Confidentiality Profile, and its options.

The table (every attribute with its action code) is the one dicom-anonymizer (BSD) keeps
from the standard's 2026c edition; this module only indexes it. Action codes:
X remove, Z empty, D replace by a dummy, U replace a UID, and the compound codes, which
the standard resolves by the attribute's type in the IOD; without the IOD at hand the
least revealing choice that keeps a Type 1 or 2 attribute present is taken:
Z/D -> D, X/Z -> Z, X/D -> D, X/Z/D -> D (a dummy, never the original); on a sequence,
where a dummy item would mean nothing, X/D -> X and Z/D, X/Z/D -> Z; X/Z/U* keeps the
sequence's items so that their instance UIDs are replaced and the rest of them goes
through the profile too.
"""

from dataclasses import dataclass
from functools import cache

from pydicom.tag import BaseTag

from steps.imaging.header_values import shifts_dates

TABLE_EDITION = "2026c"
X, Z, D, U, C, K = "X", "Z", "D", "U", "C", "K"  # C: cleaned (an option's action), K: kept

# The attributes that the Clean Descriptors Option keeps and cleans ("C" in the option's
# column): free-text descriptions and comments, which the Basic Profile would remove.
CLEAN_DESCRIPTORS = frozenset("""
AcquisitionComments AcquisitionContextDescription AcquisitionDeviceProcessingDescription
AcquisitionProtocolDescription AdditionalPatientHistory AdmittingDiagnosesDescription Allergies
AnnotationGroupDescription BeamDescription BolusDescription ClinicalTrialSeriesDescription
ClinicalTrialTimePointDescription CommentsOnRadiationDose CommentsOnThePerformedProcedureStep
CompensatorDescription ContainerDescription ContrastBolusAgent ContributionDescription DerivationDescription
DischargeDiagnosisDescription DoseReferenceDescription FixationDeviceDescription FrameComments
IdentifyingComments ImageComments ImagePresentationComments ImagingServiceRequestComments Impressions
InterpretationDiagnosisDescription InterpretationText LabelText MedicalAlerts ModifiedImageDescription Occupation
PatientComments PatientState PatientTransportArrangements PerformedProcedureStepDescription PreMedication
ProtocolName ROIDescription ROIObservationDescription RTPlanDescription RTPlanName ReasonForStudy
ReasonForTheImagingServiceRequest ReasonForTheRequestedProcedure ReasonForVisit RequestedContrastAgent
RequestedProcedureComments RequestedProcedureDescription RequestedSeriesDescription ResultsComments
ScheduledProcedureStepDescription SeriesDescription ServiceEpisodeDescription SetupTechniqueDescription
ShieldingDeviceDescription SpecialNeeds SpecimenDetailedDescription SpecimenShortDescription StudyComments
StudyDescription TextComments TextString TopicKeywords TopicSubject TopicTitle VisitComments
""".split())

# Table category (dicom-anonymizer's name) -> the action taken.
_RESOLVED = {"X_TAGS": X, "Z_TAGS": Z, "D_TAGS": D, "U_TAGS": U, "Z_D_TAGS": D, "X_Z_TAGS": Z,
             "X_D_TAGS": D, "X_Z_D_TAGS": D, "X_Z_U_STAR_TAGS": U}
_RESOLVED_SEQUENCE = {**_RESOLVED, "Z_D_TAGS": Z, "X_D_TAGS": X, "X_Z_D_TAGS": Z}
# The code as the standard writes it, for the manifest and the tests.
STANDARD_CODES = {"X_TAGS": "X", "Z_TAGS": "Z", "D_TAGS": "D", "U_TAGS": "U", "Z_D_TAGS": "Z/D",
                  "X_Z_TAGS": "X/Z", "X_D_TAGS": "X/D", "X_Z_D_TAGS": "X/Z/D", "X_Z_U_STAR_TAGS": "X/Z/U*"}


@dataclass(frozen=True)
class ProfileOptions:
    """The standard's named options (Clean Descriptors is on by default), what the replaced
    values become (the job's ``mode``, steps.imaging.header_values) and, if the request named
    one, the patient's keyed token (it then stands for PatientID as the patient's identity)."""

    clean_descriptors: bool = True
    retain_longitudinal_temporal: bool = False  # with modified dates: shifted by a keyed per-patient offset
    retain_uids: bool = False
    mode: str | dict = "type"
    patient_token: str | None = None

    @classmethod
    def from_job(cls, options: dict) -> "ProfileOptions":
        """From the job options (steps.options): ``dicomProfile`` (camelCase names), ``mode`` and
        ``patientToken``. Surrogate dates keep the time between events: they are the modified dates."""
        value, mode = options["dicomProfile"], options["mode"]
        return cls(value["cleanDescriptors"], value["retainLongitudinalTemporal"] or shifts_dates(mode),
                   value["retainUids"], mode, options.get("patientToken"))

    def codes(self) -> list[tuple[str, str]]:
        """The PS3.16 CID 7050 codes of the options in force."""
        chosen = [(self.clean_descriptors, ("113105", "Clean Descriptors Option")),
                  (self.retain_longitudinal_temporal,
                   ("113107", "Retain Longitudinal Temporal Information Modified Dates Option")),
                  (self.retain_uids, ("113110", "Retain UIDs Option"))]
        return [code for on, code in chosen if on]


@cache
def table() -> dict[int, str]:
    """Tag -> table category for single attributes."""
    return {tag: category for tag, category in _entries() if isinstance(tag, int)}


@cache
def masked_table() -> list[tuple[int, int, int, int, str]]:
    """Repeating-group entries (curves 50xx, overlays 60xx): (group, element, group mask, element mask, category)."""
    return [(*tag, category) for tag, category in _entries() if not isinstance(tag, int)]


def _entries():
    from dicomanonymizer.dicom_anonymization_databases import dicomfields_2026c as standard

    for category in _RESOLVED:
        for entry in getattr(standard, category):
            yield ((entry[0] << 16) | entry[1], category) if len(entry) == 2 else (entry, category)


def category(tag: BaseTag) -> str | None:
    found = table().get(int(tag))
    if found is not None:
        return found
    for group, element, group_mask, element_mask, name in masked_table():
        if (tag.group & group_mask) == group and (tag.element & element_mask) == element:
            return name
    return None


def action(tag: BaseTag, keyword: str, vr: str, options: ProfileOptions) -> str | None:
    """The action for an attribute of the table, None for one the table does not list."""
    name = category(tag)
    if options.clean_descriptors and keyword in CLEAN_DESCRIPTORS:
        return C
    if name is None:
        return None
    resolved = (_RESOLVED_SEQUENCE if vr == "SQ" else _RESOLVED)[name]
    if resolved == U and options.retain_uids:
        return K
    if vr == "TM" and options.retain_longitudinal_temporal:
        return K  # dates move by whole days: a time of day, modified consistently, is the same time
    return resolved
