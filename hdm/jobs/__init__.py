"""Jobs: one function per workflow use, shared by the CLI, the local API and batch.

A job stages its input in a private work area, runs the workflow through the local
runtime, reads the result back and removes the work area, so that document
content never enters the execution input or the persisted history.
"""

from pathlib import Path

from hdm.runtime import LocalRuntime
from steps import storage
from steps.operators.registry import with_patient
from steps.pseudonym_key import job_key

STEPS_FOLDER = "steps"


def job_input(work: Path, operation: str, options: dict, destination: str, *,
              source: str | None = None, text: str | None = None, patient_id: str | None = None) -> dict:
    """A workflow input whose work area is ``work``; inline ``text`` is staged there as the source.

    A ``patient_id`` (a keyed mode's patient) becomes the patient's keyed token here, under the
    deployment's key or the job's own: the identity never rides in the execution input."""
    if text is not None:
        source = storage.file_ref(work / "input.txt")
        storage.write_text(source, text)
    work_prefix = storage.file_ref(work / STEPS_FOLDER)
    options = with_patient(options, patient_id, lambda: job_key(work_prefix))
    return {"source": source, "destination": destination, "workPrefix": work_prefix,
            "operation": operation, "options": options}


def run_job(runtime: LocalRuntime, workflow: str, operation: str, options: dict, *,
            source: str | None = None, text: str | None = None,
            destination: str | None = None, patient_id: str | None = None) -> tuple[dict, bytes | None]:
    """Run ``workflow`` on ``source`` (a reference) or on ``text``, and wait for it.

    Without a ``destination`` the result is written to the work area and returned as
    bytes; the job summary (counts and references only) comes first. ``patient_id``: the
    patient of a keyed mode, keyed into a token before the run (job_input).
    """
    summary, data, _ = run_job_reading(runtime, workflow, operation, options, source=source, text=text,
                                       destination=destination, patient_id=patient_id)
    return summary, data


def run_job_reading(runtime: LocalRuntime, workflow: str, operation: str, options: dict, *,
                    source: str | None = None, text: str | None = None, destination: str | None = None,
                    patient_id: str | None = None, work_files: tuple[str, ...] = ()
                    ) -> tuple[dict, bytes | None, dict[str, bytes]]:
    """``run_job``, also reading back ``work_files`` the steps left in their work prefix
    (before the work area goes), and with the patient of a keyed mode."""
    name = runtime.new_execution_name(workflow)
    with runtime.work_area(workflow, name) as work:
        result = work / "result"
        execution_input = job_input(work, operation, options, destination or storage.file_ref(result),
                                    source=source, text=text, patient_id=patient_id)
        summary = runtime.run(workflow, execution_input, name=name).result()
        files = {file: (work / STEPS_FOLDER / file).read_bytes() for file in work_files}
        return summary, None if destination else result.read_bytes(), files
