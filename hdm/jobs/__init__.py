"""Jobs: one function per workflow use, shared by the CLI, the local API and batch.

A job stages its input in a private work area, runs the workflow through the local
runtime, reads the result back and removes the work area, so that document
content never enters the execution input or the persisted history.
"""

from pathlib import Path

from hdm.runtime import LocalRuntime
from steps import storage


def job_input(work: Path, operation: str, options: dict, destination: str, *,
              source: str | None = None, text: str | None = None) -> dict:
    """A workflow input whose work area is ``work``; inline ``text`` is staged there as the source."""
    if text is not None:
        source = storage.file_ref(work / "input.txt")
        storage.write_text(source, text)
    return {"source": source, "destination": destination, "workPrefix": storage.file_ref(work / "steps"),
            "operation": operation, "options": options}


def run_job(runtime: LocalRuntime, workflow: str, operation: str, options: dict, *,
            source: str | None = None, text: str | None = None,
            destination: str | None = None) -> tuple[dict, bytes | None]:
    """Run ``workflow`` on ``source`` (a reference) or on ``text``, and wait for it.

    Without a ``destination`` the result is written to the work area and returned as
    bytes; the job summary (counts and references only) comes first.
    """
    name = runtime.new_execution_name(workflow)
    with runtime.work_area(workflow, name) as work:
        result = work / "result"
        execution_input = job_input(work, operation, options, destination or storage.file_ref(result),
                                    source=source, text=text)
        summary = runtime.run(workflow, execution_input, name=name).result()
        return summary, None if destination else result.read_bytes()
