"""Job options shared by the text and image workflows, validated in one place."""

from steps import storage
from steps.errors import InvalidInput
from steps.operators.date_shift import is_patient_token

ENTITY_TYPES = ("NAME", "AGE", "DATE", "ID", "ADDRESS", "PHONE_OR_FAX", "EMAIL", "URL", "PROFESSION")
PHI_ENGINES = ("builtin", "comprehend-medical")
# Operators (steps.operators): a name for every entity type, or an object naming one per type.
MASK_MODES = ("type", "redact", "mask-chars", "surrogate", "hash")
OCR_ENGINES = ("rapidocr", "rekognition")
# Threads per local OCR inference (onnxruntime); unset, one per core. Processes that OCR
# side by side (hdm batch workers) each take their share of the cores instead.
OCR_THREADS_VARIABLE = "HDM_OCR_THREADS"
# all-text: mask every word read in an image except annotation vocabulary and technical annotations;
# balanced: also keep unknown words among technical annotations; phi-only: mask unknown words only beside
# PHI. Safest first (steps.imaging.policy).
IMAGE_MASK_POLICIES = ("all-text", "balanced", "phi-only")
# The PS3.15 options of DICOM header de-identification (steps.imaging.profile), on or off.
DICOM_PROFILE_DEFAULTS = {"cleanDescriptors": True, "retainLongitudinalTemporal": False, "retainUids": False}
DEFAULT_THRESHOLD = 0.5
# DetectPHI accepts fewer than 20,000 UTF-8 bytes; stay clear of the edge.
MAX_CHUNK_BYTES = 19_000

DEFAULTS = {
    "engine": "builtin",
    "threshold": DEFAULT_THRESHOLD,
    "entityTypes": list(ENTITY_TYPES),
    "mode": "type",
    "maxConcurrency": 4,
    "maxChunkBytes": MAX_CHUNK_BYTES,
    "chunkOverlap": 200,
    "ocrEngine": "rapidocr",
    "imageMaskPolicy": "all-text",
    "dicomProfile": DICOM_PROFILE_DEFAULTS,
    # The patient's keyed token (steps.operators.date_shift.patient_token), never the identity.
    "patientToken": None,
}


def bounded_integer(value, name: str, low: int, high: int) -> int:
    """``value`` if it is an integer (not a bool) from ``low`` to ``high``; else InvalidInput naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{name} must be an integer between {low} and {high}")
    return value


def validate(options: dict | None) -> dict:
    """Return the options with defaults filled in, or raise InvalidInput naming the problem."""
    options = dict(options or {})
    unknown = sorted(set(options) - set(DEFAULTS))
    if unknown:
        raise InvalidInput(f"unknown option(s): {', '.join(unknown)}")
    merged = {**DEFAULTS, **{k: v for k, v in options.items() if v is not None}}
    threshold = merged["threshold"]
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        raise InvalidInput("threshold must be a number between 0 and 1")
    merged["threshold"] = float(threshold)
    if merged["engine"] not in PHI_ENGINES:
        raise InvalidInput(f"engine must be one of {', '.join(PHI_ENGINES)}")
    check_mode(merged["mode"])
    token = merged["patientToken"]
    if token is not None and not is_patient_token(token):
        raise InvalidInput("patientToken must be a patient token made with the pseudonym key, never a patient identity")
    for name, allowed in (("ocrEngine", OCR_ENGINES),
                          ("imageMaskPolicy", IMAGE_MASK_POLICIES)):
        if merged[name] not in allowed:
            raise InvalidInput(f"{name} must be one of {', '.join(allowed)}")
    profile = merged["dicomProfile"]
    if (not isinstance(profile, dict) or set(profile) - set(DICOM_PROFILE_DEFAULTS)
            or any(not isinstance(v, bool) for v in profile.values())):
        raise InvalidInput(f"dicomProfile must map some of {', '.join(DICOM_PROFILE_DEFAULTS)} to true or false")
    merged["dicomProfile"] = {**DICOM_PROFILE_DEFAULTS, **profile}
    types = merged["entityTypes"]
    if not isinstance(types, list) or not types or any(t not in ENTITY_TYPES for t in types):
        raise InvalidInput(f"entityTypes must be a non-empty list drawn from {', '.join(ENTITY_TYPES)}")
    for name, low, high in (("maxConcurrency", 1, 40), ("maxChunkBytes", 1_000, MAX_CHUNK_BYTES),
                            ("chunkOverlap", 0, 2_000)):
        bounded_integer(merged[name], name, low, high)
    return merged


def check_mode(mode) -> None:
    """InvalidInput unless ``mode`` is an operator name or an object mapping entity types to operator names."""
    if isinstance(mode, str) and mode in MASK_MODES:
        return
    if isinstance(mode, str) or not isinstance(mode, dict) or not mode:
        raise InvalidInput(f"mode must be one of {', '.join(MASK_MODES)}, or an object mapping entity types to them")
    for entity_type, name in mode.items():
        if entity_type not in ENTITY_TYPES:
            raise InvalidInput(f"mode names an unknown entity type; the types are {', '.join(ENTITY_TYPES)}")
        if name not in MASK_MODES:
            raise InvalidInput(f"mode for {entity_type} must be one of {', '.join(MASK_MODES)}")


def validate_job(event: dict, operations: tuple[str, ...]) -> tuple[dict, str, str, str | None]:
    """The parts every workflow's first state checks: (options, operation, workPrefix, destination)."""
    options = validate(event.get("options"))
    operation = event.get("operation", operations[0])
    if operation not in operations:
        raise InvalidInput(f"operation must be one of {', '.join(operations)}")
    work_prefix = event.get("workPrefix")
    storage.parse(work_prefix)
    destination = event.get("destination")
    if destination is not None:
        storage.parse(destination)
    return options, operation, work_prefix, destination


def check_destination(destination: str | None, source: str) -> None:
    if destination is not None and destination == source:
        raise InvalidInput("the destination must differ from the source")
