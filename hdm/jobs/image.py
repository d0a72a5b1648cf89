"""Image jobs: mask the burned-in PHI of a PNG, JPEG or DICOM image; read its words; locate its PHI.

Sources and destinations are references (``file:///...`` or ``s3://...``). Results
that quote recognised text (words, PHI locations) are written to the execution's
work area and read back here, so they never enter the execution's output or history.
"""

import json

from hdm.runtime import LocalRuntime
from steps import storage

WORKFLOW = "mask_image"


def _run(runtime: LocalRuntime, source_ref: str, destination_ref: str | None, operation: str,
         options: dict) -> tuple[dict, bytes | None]:
    name = runtime.new_execution_name(WORKFLOW)
    with runtime.work_area(name) as work:
        result = work / "result.json"
        execution = runtime.run(WORKFLOW, {
            "source": source_ref,
            "destination": destination_ref or storage.file_ref(result),
            "workPrefix": storage.file_ref(work / "steps"),
            "operation": operation,
            "options": options,
        }, name=name)
        summary = execution.result()
        return summary, None if destination_ref else result.read_bytes()


def mask_image(runtime: LocalRuntime, source_ref: str, destination_ref: str, **options) -> dict:
    """Write the masked image to ``destination_ref`` (same format); returns the job summary
    (format, size, words read, PHI entities, masked words by reason, output)."""
    summary, _ = _run(runtime, source_ref, destination_ref, "mask", options)
    return summary


def image_text(runtime: LocalRuntime, source_ref: str, **options) -> dict:
    """``{"Width", "Height", "TextDetections": [{"DetectedText", "Confidence", "Box", "Geometry"...}]}``."""
    _, data = _run(runtime, source_ref, None, "text", options)
    return json.loads(data)


def image_phi(runtime: LocalRuntime, source_ref: str, **options) -> dict:
    """``{"Entities": [DetectPHI entity + "Boxes"], "MaskedBoxes": [{"Box", "Reason", "Text"}], ...}``."""
    _, data = _run(runtime, source_ref, None, "phi", options)
    return json.loads(data)
