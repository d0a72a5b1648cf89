"""Image jobs: mask the burned-in PHI of a PNG, JPEG or DICOM image; read its words; locate its PHI.

Sources and destinations are references (``file:///...`` or ``s3://...``). Results
that quote recognised text (words, PHI locations) are written to the execution's
work area and read back here, so they never enter the execution's output or history.
"""

import json

from hdm.jobs import run_job
from hdm.runtime import LocalRuntime

WORKFLOW = "mask_image"


def mask_image(runtime: LocalRuntime, source_ref: str, destination_ref: str, patient_id: str | None = None,
               **options) -> dict:
    """Write the masked image to ``destination_ref`` (same format); returns the job summary
    (format, size, words read, PHI entities, masked words by reason, output). ``patient_id``
    stands for a DICOM's PatientID in a keyed mode; it becomes a token before the run."""
    summary, _ = run_job(runtime, WORKFLOW, "mask", options, source=source_ref, destination=destination_ref,
                         patient_id=patient_id)
    return summary


def image_text(runtime: LocalRuntime, source_ref: str, **options) -> dict:
    """``{"Width", "Height", "TextDetections": [{"DetectedText", "Confidence", "Box", "Geometry"...}]}``."""
    _, data = run_job(runtime, WORKFLOW, "text", options, source=source_ref)
    return json.loads(data)


def image_phi(runtime: LocalRuntime, source_ref: str, **options) -> dict:
    """``{"Entities": [DetectPHI entity + "Boxes"], "MaskedBoxes": [{"Box", "Reason", "Text"}], ...}``."""
    _, data = run_job(runtime, WORKFLOW, "phi", options, source=source_ref)
    return json.loads(data)
