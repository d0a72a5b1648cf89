"""``hdm batch IN_DIR OUT_DIR``: mask a folder through the batch workflow.

With several workers, each runs the batch workflow over one shard of the files in
its own process (both cores busy: the PHI engine is Python). The workers are forked
from this process before it imports the runtime (a fresh interpreter would spend a
second starting up; forked, each imports the runtime side by side); this process runs
shard 0 itself, then a last, unsharded run that finds every object done and writes
the manifest. Interrupted runs resume: objects journaled as masked from the same
source version are skipped.
"""

import argparse
import contextlib
import multiprocessing
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from hdm.commands import (
    CliError,
    add_key_file,
    add_mode,
    add_phi_engine,
    add_threshold,
    long_lived_runtime,
    use_key_file,
)
from hdm.commands.progress import Progress
from hdm.execution import WorkflowError
from hdm.workers import die_with_parent, remove_partial_writes
from steps import storage
from steps.batch import journal, objects
from steps.errors import StepError
from steps.operators.registry import needs_key
from steps.options import DEFAULTS, OCR_THREADS_VARIABLE
from steps.pseudonym_key import KEY_FILE_VARIABLE, deployment_key

if TYPE_CHECKING:
    from hdm.runtime import LocalRuntime

# Threads of one process share one core for Python code: with a local engine, concurrency
# comes from the worker processes; a remote engine waits on the network instead.
REMOTE_CONCURRENCY = 8


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "batch", help="mask every .txt, .png, .jpg/.jpeg and .dcm under IN_DIR into OUT_DIR",
        description="Mask every .txt, .png, .jpg/.jpeg and .dcm file under IN_DIR into OUT_DIR (same relative "
                    f"paths) and write OUT_DIR/{objects.MANIFEST_NAME}. Interrupt at will; run again to resume.")
    parser.add_argument("in_dir", type=Path, metavar="IN_DIR")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    add_threshold(parser)
    add_phi_engine(parser)
    add_mode(parser, "each entity found in a text or in a DICOM header value")
    add_key_file(parser, "surrogates, hash tokens and date shifts")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes masking in parallel (default: one per core)")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="batches in flight per worker (default: 1 with the builtin engine, which is "
                             f"CPU-bound; {REMOTE_CONCURRENCY} with a remote one)")
    parser.add_argument("--watch", type=float, default=None, metavar="SECONDS",
                        help="keep running: mask new or changed files every SECONDS")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=_batch)


def _check_folders(args: argparse.Namespace) -> tuple[Path, Path]:
    source, destination = args.in_dir.resolve(), args.out_dir.resolve()
    if not source.is_dir():
        raise CliError(f"{args.in_dir} is not a folder")
    if storage.same_object(storage.file_ref(source), storage.file_ref(destination)) \
            or source in destination.parents or destination in source.parents:
        raise CliError("IN_DIR and OUT_DIR must not contain each other")
    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    destination.mkdir(parents=True, exist_ok=True)
    if not os.access(destination, os.W_OK | os.X_OK):  # a read-only mount, say: refused before any work
        raise CliError(f"{args.out_dir} is not writable")
    return source, destination


def _options(args: argparse.Namespace) -> dict:
    return {"threshold": args.threshold, "engine": args.engine, "mode": args.mode}


@contextlib.contextmanager
def _run_key(args: argparse.Namespace):
    """A keyed mode without a key: one random key for this command's shards (each has its own work
    area, where a job keeps its own key), in a private temporary file that goes when the command ends.
    A resumed run draws another: give --key-file to keep surrogates across runs."""
    if not needs_key(args.mode or DEFAULTS["mode"]) or deployment_key() is not None:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="hdm-batch-") as folder:
        path = os.path.join(folder, "pseudonym.key")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            f.write(secrets.token_bytes(32))
        os.environ[KEY_FILE_VARIABLE] = path
        try:
            yield
        finally:
            del os.environ[KEY_FILE_VARIABLE]


def _concurrency(args: argparse.Namespace) -> int:
    if args.concurrency is not None:
        return args.concurrency
    return 1 if args.engine == "builtin" else REMOTE_CONCURRENCY


def _run_once(rt: "LocalRuntime", args: argparse.Namespace, source: Path, destination: Path,
              shard: tuple[int, int] | None) -> dict:
    from hdm.jobs.batch import WORKFLOW, run_batch

    name = rt.new_execution_name(WORKFLOW)
    with rt.work_area(WORKFLOW, name) as work:
        return run_batch(rt, source, destination, work, _options(args), _concurrency(args), shard, name=name).result()


def _shard_worker(args: argparse.Namespace, source: Path, destination: Path, index: int) -> None:
    """A forked worker's whole life: its exit status is all the parent reads."""
    try:
        if not die_with_parent():
            raise CliError("the batch this worker belonged to has ended")
        with long_lived_runtime(args) as rt:
            _run_once(rt, args, source, destination, (index, args.workers))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        sys.exit(130)
    except (CliError, StepError, WorkflowError) as exc:  # PHI-free messages, as main prints them
        print(f"hdm: error: batch worker {index}: {exc}", file=sys.stderr)
        sys.exit(1)


def _start_workers(args: argparse.Namespace, source: Path, destination: Path) -> list[multiprocessing.Process]:
    """Shards 1.. in forked worker processes, before this process imports its runtime (no threads yet)."""
    # Each process OCRs its own images: give each its share of the cores.
    os.environ.setdefault(OCR_THREADS_VARIABLE, str(max(1, (os.cpu_count() or 1) // args.workers)))
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_shard_worker, args=(args, source, destination, i), name=f"hdm-shard-{i}")
               for i in range(1, args.workers)]
    for worker in workers:
        worker.start()
    return workers


def _run_shards(rt: "LocalRuntime", args: argparse.Namespace, source: Path, destination: Path,
                workers: list[multiprocessing.Process]) -> None:
    """Shard 0 here while the workers run theirs; every shard done, or an error."""
    try:
        _run_once(rt, args, source, destination, (0, args.workers))
        for worker in workers:
            worker.join()
        failed = [w for w in workers if w.exitcode != 0]
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()
    if failed:
        raise CliError(f"{len(failed)} of {len(workers)} batch workers failed; run again to resume")


def _progress(args: argparse.Namespace, source: Path, destination: Path) -> contextlib.AbstractContextManager:
    """A bar of files done, counted in the journal's lines as they appear."""
    if args.no_progress:
        return contextlib.nullcontext()
    total = sum(1 for p in source.rglob("*") if p.is_file())
    return Progress(total, lambda: journal.count_lines(storage.folder_ref(destination)), "file")


def _summary(output: dict) -> str:
    totals = output["totals"]
    return (f"{totals['objects']} files: {totals['masked']} masked, {totals['failed']} failed, "
            f"{totals['unsupported']} unsupported; manifest {objects.MANIFEST_NAME} in OUT_DIR")


def _batch(args: argparse.Namespace) -> None:
    source, destination = _check_folders(args)
    use_key_file(args)
    remove_partial_writes(destination)
    with _run_key(args):
        _watch(args, source, destination)


def _watch(args: argparse.Namespace, source: Path, destination: Path) -> None:
    while True:
        workers = _start_workers(args, source, destination)  # before any thread of this process
        with long_lived_runtime(args) as rt, _progress(args, source, destination):
            if workers:
                _run_shards(rt, args, source, destination, workers)
            output = _run_once(rt, args, source, destination, None)
        print(_summary(output), file=sys.stderr)
        if args.watch is None:
            return
        time.sleep(args.watch)
