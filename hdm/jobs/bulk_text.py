"""Bulk text jobs: run statemachine/bulk_text.asl.json over a local JSON Lines file.

The definition is the one deployed to AWS. Locally its DISTRIBUTED Map reads the
planned batches from a file work area and writes no result files, as the batch
workflow's does (hdm/moto_hooks/batch.py). MaskTextBatch, the step that does the
work, may run in a pool of worker processes: the PHI engine is Python, so one process
uses one core, as one Lambda sandbox would.
"""

import contextlib
from concurrent.futures import Executor
from pathlib import Path

from hdm.execution import Execution
from hdm.runtime import LocalRuntime
from steps import mask_text_batch, storage

WORKFLOW = "bulk_text"
WORKER_FUNCTION = "MaskTextBatchFunctionArn"


def _in_pool(pool: Executor):
    def handler(event: dict, context=None) -> dict:
        return pool.submit(mask_text_batch.handler, event).result()

    return handler


def job_input(source: Path, destination: Path, work: Path, operation: str, options: dict,
              batch_size: int | None = None, max_concurrency: int | None = None) -> dict:
    execution_input = {"source": storage.file_ref(source), "destination": storage.file_ref(destination),
                       "workPrefix": storage.folder_ref(work), "operation": operation, "options": options}
    for key, value in (("batchSize", batch_size), ("maxConcurrency", max_concurrency)):
        if value is not None:
            execution_input[key] = value
    return execution_input


def run_bulk_text(runtime: LocalRuntime, execution_input: dict, pool: Executor | None = None,
                  name: str | None = None) -> Execution:
    """The bulk text workflow on ``execution_input``; MaskTextBatch in ``pool`` if given, else in-process."""
    routing = runtime.routed(WORKER_FUNCTION, _in_pool(pool)) if pool else contextlib.nullcontext()
    with routing:
        return runtime.run(WORKFLOW, execution_input, name=name)
