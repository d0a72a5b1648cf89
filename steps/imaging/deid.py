"""DICOM header de-identification by the PS3.15 Basic Application Level Confidentiality Profile.

Actions follow PS3.15 Table E.1-1: X remove, Z replace by an empty value, U replace a
UID by a new one (derived from the old one, so images of one study stay linked after
de-identification); where the table allows X or Z, type 3 attributes are removed. Private tags, curves and overlay
planes are removed; every person name left anywhere is emptied as a safety net.
The Clean Pixel Data Option (113101) is declared because the pixels were masked.
"""

import hashlib

from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

PROFILE_CODES = (("113100", "Basic Application Confidentiality Profile"),
                 ("113101", "Clean Pixel Data Option"))

_REMOVE = """
AcquisitionComments AcquisitionContextSequence AcquisitionDate AcquisitionDateTime
AcquisitionDeviceProcessingDescription AcquisitionProtocolDescription AcquisitionTime
ActualHumanPerformersSequence AdditionalPatientHistory AdmissionID AdmittingDate
AdmittingDiagnosesCodeSequence AdmittingDiagnosesDescription AdmittingTime AffectedSOPInstanceUID Allergies
Arbitrary AuthorObserverSequence BranchOfService CassetteID CommentsOnThePerformedProcedureStep
ConfidentialityConstraintOnPatientDataDescription ContentCreatorIdentificationCodeSequence
ContributionDescription CountryOfResidence CurrentPatientLocation CustodialOrganizationSequence
DataSetTrailingPadding DerivationDescription DeviceSerialNumber DigitalSignaturesSequence
DischargeDiagnosisDescription DistributionAddress DistributionName EthnicGroup FrameComments GantryID
GeneratorID HumanPerformerName HumanPerformerOrganization IconImageSequence IdentifyingComments ImageComments
ImagePresentationComments ImagingServiceRequestComments Impressions InstitutionAddress
InstitutionalDepartmentName InstitutionCodeSequence InstitutionName InsurancePlanIdentification
IntendedRecipientsOfResultsIdentificationSequence InterpretationApproverSequence InterpretationAuthor
InterpretationDiagnosisDescription InterpretationIDIssuer InterpretationRecorder InterpretationText
InterpretationTranscriber IssuerOfAdmissionID IssuerOfPatientID IssuerOfServiceEpisodeID MedicalAlerts
MedicalRecordLocator MilitaryRank ModifiedAttributesSequence ModifiedImageDescription ModifyingDeviceID
NameOfPhysiciansReadingStudy NamesOfIntendedRecipientsOfResults Occupation OperatorIdentificationSequence
OperatorsName OriginalAttributesSequence OrderCallbackPhoneNumber OrderEnteredBy OrderEntererLocation
OtherPatientIDs OtherPatientIDsSequence OtherPatientNames ParticipantSequence PatientAddress PatientAge
PatientBirthName PatientBirthTime PatientComments PatientInsurancePlanCodeSequence PatientMotherBirthName
PatientPrimaryLanguageCodeSequence PatientPrimaryLanguageModifierCodeSequence PatientReligiousPreference
PatientSexNeutered PatientSize PatientState PatientTelephoneNumbers PatientTransportArrangements PatientWeight
PerformedLocation PerformedProcedureStepDescription PerformedProcedureStepEndDate
PerformedProcedureStepEndTime PerformedProcedureStepID PerformedProcedureStepStartDate
PerformedProcedureStepStartTime PerformedStationAETitle PerformedStationGeographicLocationCodeSequence
PerformedStationName PerformedStationNameCodeSequence PerformingPhysicianIdentificationSequence
PerformingPhysicianName PersonAddress PersonTelephoneNumbers PhysicianApprovingInterpretation
PhysiciansOfRecord PhysiciansOfRecordIdentificationSequence PhysiciansReadingStudyIdentificationSequence
PlateID PreMedication PregnancyStatus ProtocolName ReasonForTheImagingServiceRequest ReasonForStudy
ReferencedDigitalSignatureSequence ReferencedPatientAliasSequence ReferencedPatientSequence
ReferencedPerformedProcedureStepSequence ReferencedSOPInstanceMACSequence ReferencedStudySequence
ReferringPhysicianAddress ReferringPhysicianIdentificationSequence ReferringPhysicianTelephoneNumbers
RegionOfResidence RequestAttributesSequence RequestedContrastAgent RequestedProcedureComments
RequestedProcedureID RequestedProcedureLocation RequestingPhysician RequestingService ResponsibleOrganization
ResponsiblePerson ResultsComments ResultsDistributionListSequence ResultsIDIssuer
ScheduledHumanPerformersSequence ScheduledPatientInstitutionResidence
ScheduledPerformingPhysicianIdentificationSequence ScheduledPerformingPhysicianName
ScheduledProcedureStepEndDate ScheduledProcedureStepEndTime ScheduledProcedureStepLocation
ScheduledProcedureStepStartDate ScheduledProcedureStepStartTime ScheduledStationAETitle
ScheduledStationGeographicLocationCodeSequence ScheduledStationName ScheduledStationNameCodeSequence
ScheduledStudyLocation ScheduledStudyLocationAETitle SeriesDate SeriesDescription SeriesTime
ServiceEpisodeDescription ServiceEpisodeID SmokingStatus SourceImageSequence SpecialNeeds StationName
StudyComments StudyIDIssuer TextComments TextString TimezoneOffsetFromUTC TopicAuthor TopicKeywords
TopicSubject TopicTitle VerifyingObserverIdentificationCodeSequence VerifyingObserverName
VerifyingObserverSequence VerifyingOrganization VisitComments
""".split()

_EMPTY = """
AccessionNumber ContentCreatorName FillerOrderNumberImagingServiceRequest PatientBirthDate PatientID
PatientName PatientSex PlacerOrderNumberImagingServiceRequest ReferringPhysicianName StudyDate StudyID
StudyTime ContentDate ContentTime
""".split()

_UIDS = """
StudyInstanceUID SeriesInstanceUID SOPInstanceUID MediaStorageSOPInstanceUID FrameOfReferenceUID
ReferencedSOPInstanceUID ReferencedFrameOfReferenceUID SynchronizationFrameOfReferenceUID IrradiationEventUID
ConcatenationUID DimensionOrganizationUID StorageMediaFileSetUID CreatorVersionUID DeviceUID FiducialUID
InstanceCreatorUID MediaStorageSOPInstanceUID RelatedFrameOfReferenceUID RequestedSOPInstanceUID TargetUID
TemplateExtensionCreatorUID TemplateExtensionOrganizationUID TransactionUID UID
""".split()



def new_uid(old: str) -> str:
    """A UID derived from the old one: stable across the images of a study, not reversible."""
    digest = hashlib.sha256(f"hdm-deid:{old}".encode()).digest()[:16]
    return "2.25." + str(int.from_bytes(digest, "big"))  # a UUID-derived UID (PS3.5 B.2)


def deidentify(ds: Dataset) -> None:
    """De-identify ``ds`` in place (and its file meta's instance UID)."""
    ds.remove_private_tags()
    _remove_groups(ds)
    _walk(ds)
    meta = getattr(ds, "file_meta", None)
    if meta is not None and "MediaStorageSOPInstanceUID" in meta and "SOPInstanceUID" in ds:
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = "PS3.15 Basic Profile; burned-in text masked"
    codes = []
    for value, meaning in PROFILE_CODES:
        code = Dataset()
        code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = value, "DCM", meaning
        codes.append(code)
    ds.DeidentificationMethodCodeSequence = Sequence(codes)
    ds.BurnedInAnnotation = "NO"


def _remove_groups(ds: Dataset) -> None:
    """Curves (50xx) and overlay planes (60xx) can carry text and drawings of the patient's data."""
    for tag in [t for t in ds.keys() if (t.group & 0xFF00) in (0x5000, 0x6000) and t.group % 2 == 0]:
        del ds[tag]


def _walk(ds: Dataset) -> None:
    for element in list(ds):
        keyword = element.keyword
        if keyword in _REMOVE_SET:
            del ds[element.tag]
        elif keyword in _EMPTY_SET:
            element.value = None
        elif keyword in _UID_SET and element.value:
            element.value = ([new_uid(str(v)) for v in element.value] if element.VM > 1
                             else new_uid(str(element.value)))
        elif element.VR == "PN":
            element.value = None
        elif element.VR == "SQ":
            for item in element.value:
                _walk(item)


_REMOVE_SET, _EMPTY_SET, _UID_SET = frozenset(_REMOVE), frozenset(_EMPTY), frozenset(_UIDS)
