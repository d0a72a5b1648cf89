"""Text jobs: mask a document, or list the PHI entities found in it."""

import json

from hdm.runtime import LocalRuntime
from steps import storage

WORKFLOW = "mask_text"


def _run(runtime: LocalRuntime, text: str, operation: str, options: dict) -> tuple[dict, bytes]:
    name = runtime.new_execution_name(WORKFLOW)
    with runtime.work_area(name) as work:
        source = work / "input.txt"
        storage.write_text(storage.file_ref(source), text)
        destination = work / "result"
        execution = runtime.run(WORKFLOW, {
            "source": storage.file_ref(source),
            "workPrefix": storage.file_ref(work),
            "destination": storage.file_ref(destination),
            "operation": operation,
            "options": options,
        }, name=name)
        summary = execution.result()
        return summary, destination.read_bytes()


def mask_text(runtime: LocalRuntime, text: str, **options) -> str:
    """The masked text. Options as in steps.options (threshold, engine, mode, entityTypes...)."""
    _, data = _run(runtime, text, "mask", options)
    return data.decode("utf-8")


def detect_phi(runtime: LocalRuntime, text: str, **options) -> dict:
    """``{"Entities": [...]}`` in Comprehend Medical's DetectPHI shape."""
    _, data = _run(runtime, text, "detect", options)
    return json.loads(data)
