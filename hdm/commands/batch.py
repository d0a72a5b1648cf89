"""``hdm batch IN_DIR OUT_DIR``: mask a folder through the batch workflow.

With several workers, each runs the batch workflow over one shard of the files in
its own process (both cores busy: the PHI engine is Python); this process runs
shard 0 itself, then a last, unsharded run that finds every object done and writes
the manifest. Interrupted runs resume: objects recorded as masked from the same
source version are skipped.
"""

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from hdm.commands import CliError, add_phi_engine, add_threshold, runtime
from hdm.jobs.batch import WORKFLOW, progress_count, run_batch
from hdm.runtime import LocalRuntime
from steps.batch import objects

PROGRESS_INTERVAL = 0.5
# Threads of one process share one core for Python code: with a local engine, concurrency
# comes from the worker processes; a remote engine waits on the network instead.
REMOTE_CONCURRENCY = 8
_PR_SET_PDEATHSIG = 1


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "batch", help="mask every .txt, .png, .jpg/.jpeg and .dcm under IN_DIR into OUT_DIR",
        description="Mask every .txt, .png, .jpg/.jpeg and .dcm file under IN_DIR into OUT_DIR (same relative "
                    f"paths) and write OUT_DIR/{objects.MANIFEST_NAME}. Interrupt at will; run again to resume.")
    parser.add_argument("in_dir", type=Path, metavar="IN_DIR")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    add_threshold(parser)
    add_phi_engine(parser)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes masking in parallel (default: one per core)")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="batches in flight per worker (default: 1 with the builtin engine, which is "
                             f"CPU-bound; {REMOTE_CONCURRENCY} with a remote one)")
    parser.add_argument("--watch", type=float, default=None, metavar="SECONDS",
                        help="keep running: mask new or changed files every SECONDS")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--shard", default=None, help=argparse.SUPPRESS)  # i/n: one worker's share
    parser.set_defaults(func=_batch)


def _check_folders(args: argparse.Namespace) -> tuple[Path, Path]:
    source, destination = args.in_dir.resolve(), args.out_dir.resolve()
    if not source.is_dir():
        raise CliError(f"{args.in_dir} is not a folder")
    if source == destination or source in destination.parents or destination in source.parents:
        raise CliError("IN_DIR and OUT_DIR must not contain each other")
    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    destination.mkdir(parents=True, exist_ok=True)
    return source, destination


def _remove_partial_writes(destination: Path) -> None:
    """An interrupted atomic write leaves its hidden temporary file (never a final name): drop them."""
    for leftover in destination.rglob(".*.partial"):
        leftover.unlink(missing_ok=True)


def _options(args: argparse.Namespace) -> dict:
    return {"threshold": args.threshold, "engine": args.engine}


def _concurrency(args: argparse.Namespace) -> int:
    if args.concurrency is not None:
        return args.concurrency
    return 1 if args.engine == "builtin" else REMOTE_CONCURRENCY


def _run_once(rt: LocalRuntime, args: argparse.Namespace, source: Path, destination: Path,
              shard: tuple[int, int] | None) -> dict:
    with rt.work_area(LocalRuntime.new_execution_name(WORKFLOW)) as work:
        return run_batch(rt, source, destination, work, _options(args), _concurrency(args), shard).result()


def _die_with_parent() -> None:
    """A worker must not outlive an interrupted ``hdm batch`` (Linux; elsewhere best effort)."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        raise CliError("the batch this worker belonged to has ended")


def _worker_command(args: argparse.Namespace, source: Path, destination: Path, index: int) -> list[str]:
    command = [sys.executable, "-m", "hdm.cli"]
    if args.state_dir:
        command += ["--state-dir", str(args.state_dir)]
    command += ["batch", str(source), str(destination), "--engine", args.engine, "--no-progress",
                "--workers", "1", "--shard", f"{index}/{args.workers}"]
    if args.threshold is not None:
        command += ["--threshold", str(args.threshold)]
    if args.concurrency is not None:
        command += ["--concurrency", str(args.concurrency)]
    return command


def _start_workers(args: argparse.Namespace, source: Path, destination: Path) -> list[subprocess.Popen]:
    """Shards 1.. in worker processes, started before this process loads its own runtime."""
    return [subprocess.Popen(_worker_command(args, source, destination, i), stdout=subprocess.DEVNULL)
            for i in range(1, args.workers)]


def _run_shards(rt: LocalRuntime, args: argparse.Namespace, source: Path, destination: Path,
                workers: list[subprocess.Popen]) -> None:
    """Shard 0 here while the workers run theirs; every shard done, or an error."""
    try:
        _run_once(rt, args, source, destination, (0, args.workers))
        failed = [w for w in workers if w.wait() != 0]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait()
    if failed:
        raise CliError(f"{len(failed)} of {len(workers)} batch workers failed; run again to resume")


class _Progress:
    """A tqdm bar (rate, ETA) fed by counting the per-object records as they appear."""

    def __init__(self, source: Path, destination: Path, enabled: bool):
        self._destination = destination
        self._stop = threading.Event()
        self._thread = None
        if enabled:
            from tqdm import tqdm

            total = sum(1 for p in source.rglob("*") if p.is_file())
            self._bar = tqdm(total=total, initial=progress_count(destination), unit="file", dynamic_ncols=True)
            self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> "_Progress":
        if self._thread:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._thread:
            self._stop.set()
            self._thread.join()
            self._update()
            self._bar.close()

    def _update(self) -> None:
        self._bar.update(min(progress_count(self._destination), self._bar.total) - self._bar.n)

    def _loop(self) -> None:
        while not self._stop.wait(PROGRESS_INTERVAL):
            self._update()


def _summary(output: dict) -> str:
    totals = output["totals"]
    return (f"{totals['objects']} files: {totals['masked']} masked, {totals['failed']} failed, "
            f"{totals['unsupported']} unsupported; manifest {objects.MANIFEST_NAME} in OUT_DIR")


def _batch(args: argparse.Namespace) -> None:
    source, destination = _check_folders(args)
    if args.shard:
        _die_with_parent()
        index, count = (int(part) for part in args.shard.split("/"))
        with runtime(args) as rt:
            _run_once(rt, args, source, destination, (index, count))
        return
    _remove_partial_writes(destination)
    workers = _start_workers(args, source, destination)
    with runtime(args) as rt:
        while True:
            with _Progress(source, destination, enabled=not args.no_progress):
                if args.workers > 1:
                    _run_shards(rt, args, source, destination, workers)
                output = _run_once(rt, args, source, destination, None)
            print(_summary(output), file=sys.stderr)
            if args.watch is None:
                return
            time.sleep(args.watch)
            workers = _start_workers(args, source, destination)
