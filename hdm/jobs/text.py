"""Text jobs: mask a document, or list the PHI entities found in it."""

import json

from hdm.jobs import run_job
from hdm.runtime import LocalRuntime

WORKFLOW = "mask_text"


def mask_text(runtime: LocalRuntime, text: str, **options) -> str:
    """The masked text. Options as in steps.options (threshold, engine, mode, entityTypes...)."""
    _, data = run_job(runtime, WORKFLOW, "mask", options, text=text)
    return data.decode("utf-8")


def detect_phi(runtime: LocalRuntime, text: str, **options) -> dict:
    """``{"Entities": [...]}`` in Comprehend Medical's DetectPHI shape."""
    _, data = run_job(runtime, WORKFLOW, "detect", options, text=text)
    return json.loads(data)
