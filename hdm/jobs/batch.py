"""Batch jobs: run statemachine/batch.asl.json over a local folder or a bucket.

The definition is the one deployed to AWS. What differs on one machine (the Map's
item reader and result writer for a folder, child executions, memory) lives with
the other moto hooks in hdm/moto_hooks/batch.py, and is documented in docs/batch.md.
"""

from pathlib import Path

from hdm.execution import Execution
from hdm.runtime import LocalRuntime
from steps import storage

WORKFLOW = "batch"
CHILD_WORKFLOWS = ("mask_text", "mask_image")


def run_batch(runtime: LocalRuntime, source_dir: Path, destination_dir: Path, work_dir: Path,
              options: dict | None = None, max_concurrency: int | None = None,
              shard: tuple[int, int] | None = None, batch_size: int | None = None,
              name: str | None = None) -> Execution:
    """Mask every file under ``source_dir`` into ``destination_dir``; returns the finished execution."""
    execution_input = {"source": storage.folder_ref(source_dir), "destination": storage.folder_ref(destination_dir),
                       "workPrefix": storage.folder_ref(work_dir), "options": options or {}}
    for key, value in (("maxConcurrency", max_concurrency), ("batchSize", batch_size)):
        if value is not None:
            execution_input[key] = value
    if shard is not None:
        execution_input["shard"] = {"index": shard[0], "count": shard[1]}
    return run_batch_input(runtime, execution_input, name)


def run_batch_input(runtime: LocalRuntime, execution_input: dict, name: str | None = None) -> Execution:
    """The batch workflow on any input (folders or buckets)."""
    # The children must exist before the interpreter starts them (this also parses each
    # definition once, not once per racing thread).
    for workflow in (WORKFLOW, *CHILD_WORKFLOWS):
        runtime.state_machine(workflow)
    return runtime.run(WORKFLOW, execution_input, name=name)
