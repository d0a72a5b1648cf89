"""Text jobs: mask a document, or list the PHI entities found in it."""

import json

from hdm.jobs import run_job, run_job_reading
from hdm.runtime import LocalRuntime
from steps.render_text import MASKED_ENTITIES

WORKFLOW = "mask_text"


def mask_text(runtime: LocalRuntime, text: str, patient_id: str | None = None, **options) -> str:
    """The masked text. Options as in steps.options (threshold, engine, mode, entityTypes...);
    ``patient_id`` as in mask_text_entities."""
    _, data = run_job(runtime, WORKFLOW, "mask", options, text=text, patient_id=patient_id)
    return data.decode("utf-8")


def mask_text_entities(runtime: LocalRuntime, text: str, patient_id: str | None = None, **options) -> dict:
    """``{"maskedText", "entities", "operatorCounts"}`` (and ``surrogateScheme`` when surrogates
    were drawn): each entity's offsets, type and operator in the masked text, no values.
    ``patient_id``: whose dates shift together (keyed modes); it becomes a token before the run."""
    summary, data, files = run_job_reading(runtime, WORKFLOW, "mask", options, text=text, patient_id=patient_id,
                                           work_files=(MASKED_ENTITIES,))
    scheme = {"surrogateScheme": summary["surrogateScheme"]} if "surrogateScheme" in summary else {}
    return {"maskedText": data.decode("utf-8"), "entities": json.loads(files[MASKED_ENTITIES]),
            "operatorCounts": summary["operatorCounts"], **scheme}


def detect_phi(runtime: LocalRuntime, text: str, **options) -> dict:
    """``{"Entities": [...]}`` in Comprehend Medical's DetectPHI shape."""
    _, data = run_job(runtime, WORKFLOW, "detect", options, text=text)
    return json.loads(data)
