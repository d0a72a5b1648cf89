"""``--jsonl FILE``: every document of a JSON Lines file through one bulk text execution.

Results come out in input order, on stdout or in ``-o FILE``. A file is published
whole: the workflow writes ``FILE.partial``, renamed to FILE when the run completes.
Beside it, ``FILE.partial.job/`` holds the job (its options and key, ``job.json``) and
its work area, where each finished batch of lines stays: run the same command again
after an interruption and only the rest is done. Other options, or a changed input,
are refused rather than mixed into one output. The PHI engine runs in worker
processes forked before the runtime is imported (no threads yet, as in ``hdm batch``).
"""

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from hdm.commands import CliError, long_lived_runtime
from hdm.commands.batch import REMOTE_CONCURRENCY
from hdm.commands.progress import Progress
from hdm.workers import process_pool, remove_partial_writes
from steps import options as job_options
from steps import storage
from steps.bulk import parts
from steps.operators.registry import needs_key
from steps.plan_bulk_text import MAX_BATCH_SIZE
from steps.pseudonym_key import deployment_key, fingerprint

if TYPE_CHECKING:
    from hdm.runtime import LocalRuntime

WORKFLOW = "bulk_text"
# Results of documents with errors are in the output; the exit status says some lines failed.
FAILED_LINES_STATUS = 3
# Batches of lines: enough of them to keep every worker busy to the end, few enough that
# orchestration stays a small share (each costs a few milliseconds of the interpreter).
BATCHES_PER_RUN = 32
DEFAULT_BATCH_SIZES = (50, 1000)
JOB_SUFFIX = ".partial.job"
# What must match for a rerun to resume a job (the rest of job.json is derived from it).
JOB_FIELDS = ("input", "inputBytes", "inputModified", "operation", "options", "batchSize", "keyFingerprint")


def add_options(parser: argparse.ArgumentParser) -> None:
    bulk = parser.add_argument_group("with --jsonl")
    bulk.add_argument("-o", "--output", type=Path, metavar="FILE",
                      help="write the results to FILE (via FILE.partial; an interrupted run resumes) "
                           "instead of stdout")
    bulk.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                      help="processes running the PHI engine (default: one per core)")
    bulk.add_argument("--batch-size", type=int, default=None, metavar="LINES",
                      help=f"lines per batch (default: about 1/{BATCHES_PER_RUN} of the file, "
                           f"{DEFAULT_BATCH_SIZES[0]} to {DEFAULT_BATCH_SIZES[1]})")
    bulk.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")


def count_lines(path: Path) -> int:
    """Lines of the file (a last line without a newline included), read in blocks."""
    total, last = 0, b"\n"
    with open(path, "rb") as source:
        while block := source.read(1024 * 1024):
            total += block.count(b"\n")
            last = block[-1:]
    return total + (last != b"\n")


def default_batch_size(lines: int) -> int:
    low, high = DEFAULT_BATCH_SIZES
    return max(low, min(high, -(-lines // BATCHES_PER_RUN)))


def _job(args: argparse.Namespace, operation: str, options: dict) -> tuple[dict, int]:
    """The job's identity (what a resumed run must match) and the input's line count."""
    source = Path(args.jsonl)
    try:
        stat = source.stat()
        lines = count_lines(source)
    except OSError as exc:
        raise CliError(f"cannot read {args.jsonl}: {exc.strerror}") from None
    if args.batch_size is not None and not 1 <= args.batch_size <= MAX_BATCH_SIZE:
        raise CliError(f"--batch-size must be between 1 and {MAX_BATCH_SIZE}")
    job = {"input": str(source.resolve()), "inputBytes": stat.st_size, "inputModified": stat.st_mtime_ns,
           "operation": operation, "options": job_options.validate(options),
           "batchSize": args.batch_size or default_batch_size(lines)}
    # A keyed mode resumed with another key would mix two keys' surrogates in one output. Without a
    # key, the job's own stays in its work area and a resumed run finds it.
    key = deployment_key() if needs_key(job["options"]["mode"]) else None
    job["keyFingerprint"] = fingerprint(key) if key is not None else None
    job["jobKey"] = hashlib.sha256(json.dumps([job[k] for k in JOB_FIELDS], sort_keys=True).encode()).hexdigest()[:16]
    return job, lines


def _resume_or_start(folder: Path, job: dict, output: Path) -> None:
    """Check an earlier run's job against this one (refusing a mismatch), or record this one."""
    record = folder / "job.json"
    try:
        earlier = json.loads(record.read_text())
    except FileNotFoundError:
        storage.write_text(storage.file_ref(record), json.dumps(job, indent=2) + "\n")  # atomic: whole or absent
        return
    except ValueError:
        raise CliError(f"{record} is not a job file; delete {folder} to start over") from None
    if earlier.get("jobKey") == job["jobKey"]:
        return
    changed = [k for k in JOB_FIELDS if earlier.get(k) != job[k]]
    if {"input", "inputBytes", "inputModified"} & set(changed):
        reason = f"the input is not the file {output}.partial was started from, or it changed since"
    elif changed == ["keyFingerprint"]:
        reason = f"{output}.partial was started with another pseudonym key"
    else:
        different = changed if changed != ["options"] else sorted(
            name for name in job["options"] if earlier["options"].get(name) != job["options"][name])
        reason = f"{output}.partial was started with other options ({', '.join(different)})"
    raise CliError(f"{reason}: run it again with the same input and options, or delete {folder} to start over")


class _DoneLines:
    """Lines of the input whose results are in the work area: read from the batch summaries as they appear."""

    def __init__(self, work: Path):
        self._folder = work / parts.PARTS_FOLDER
        self._lines: dict[str, int] = {}

    def __call__(self) -> int:
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(self._folder):
                if entry.name.endswith(parts.SUMMARY_SUFFIX) and entry.name not in self._lines:
                    with contextlib.suppress(OSError, ValueError):  # removed or half-visible meanwhile
                        self._lines[entry.name] = json.loads(Path(entry.path).read_bytes())["lines"]
        return sum(self._lines.values())


def _progress(args: argparse.Namespace, lines: int, work: Path) -> contextlib.AbstractContextManager:
    if args.no_progress or not sys.stderr.isatty():
        return contextlib.nullcontext()
    return Progress(lines, _DoneLines(work), "line")


def _summary(output: dict, where: str) -> str:
    errors = ", ".join(f"{name}: {count:,}" for name, count in output["errors"].items())
    text = (f"hdm: {output['documents']:,} documents, {output['failed']:,} failed"
            f"{f' ({errors})' if errors else ''}; results {where}")
    if output["resumedLines"]:
        text += f" ({output['resumedLines']:,} of {output['lines']:,} lines done by an earlier run)"
    return text


def _copy_to_stdout(path: Path) -> None:
    with open(path, "rb") as results:
        shutil.copyfileobj(results, sys.stdout.buffer, 1024 * 1024)
    sys.stdout.buffer.flush()


def _execute(rt: "LocalRuntime", args: argparse.Namespace, job: dict, lines: int, work: Path, destination: Path,
             pool: ProcessPoolExecutor | None, name: str | None = None) -> dict:
    from hdm.jobs.bulk_text import job_input, run_bulk_text

    concurrency = args.workers + 1 if pool else REMOTE_CONCURRENCY  # one queued: no worker waits on the interpreter
    execution_input = job_input(Path(job["input"]), destination, work, job["operation"], job["options"],
                                job["batchSize"], concurrency)
    with _progress(args, lines, work):
        return run_bulk_text(rt, execution_input, pool, name).result()


def _file_paths(output: Path) -> tuple[Path, Path, Path]:
    """(the output, its .partial, the job folder beside it), absolute."""
    output = output.resolve()
    return output, output.with_name(output.name + ".partial"), output.with_name(output.name + JOB_SUFFIX)


def _claim(output: Path, job: dict) -> TextIO:
    """Before anything runs: resume the job of an earlier run (if the same) or record this one.

    The returned file holds a lock on the job for as long as it is open: one run at a time.
    """
    _, partial, folder = _file_paths(output)
    folder.mkdir(parents=True, exist_ok=True)
    lock = open(folder / "lock", "w")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _resume_or_start(folder, job, output)
    except BlockingIOError:
        lock.close()
        raise CliError(f"another hdm run is writing {output}") from None
    except BaseException:
        lock.close()
        raise
    remove_partial_writes(folder)
    for leftover in partial.parent.glob(f".{partial.name}.*.partial"):  # an interrupted final write
        leftover.unlink(missing_ok=True)
    return lock


def _to_file(rt: "LocalRuntime", args: argparse.Namespace, job: dict, lines: int,
             pool: ProcessPoolExecutor | None) -> dict:
    output, partial, folder = _file_paths(args.output)
    result = _execute(rt, args, job, lines, folder / "work", partial, pool)
    os.replace(partial, output)
    shutil.rmtree(folder)
    return result


def _to_stdout(rt: "LocalRuntime", args: argparse.Namespace, job: dict, lines: int,
               pool: ProcessPoolExecutor | None) -> dict:
    name = rt.new_execution_name(WORKFLOW)
    with rt.work_area(WORKFLOW, name) as work:
        result = _execute(rt, args, job, lines, work / "steps", work / "results.jsonl", pool, name)
        _copy_to_stdout(work / "results.jsonl")
    return result


def run(args: argparse.Namespace, operation: str, options: dict) -> int:
    """The --jsonl form of a text command; the exit status."""
    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    job, lines = _job(args, operation, options)
    if args.output:
        storage.refuse_same(storage.file_ref(job["input"]), storage.file_ref(args.output))
    lock = _claim(args.output, job) if args.output else contextlib.nullcontext()
    pool = None
    if job["options"]["engine"] == "builtin":  # CPU-bound: processes; a remote engine waits on the network
        from steps.phi import get_engine

        pool = process_pool(args.workers, get_engine, job["options"]["engine"])  # before the runtime is imported
    try:
        with lock, long_lived_runtime(args) as rt:
            result = (_to_file if args.output else _to_stdout)(rt, args, job, lines, pool)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    print(_summary(result, f"in {args.output}" if args.output else "on stdout"), file=sys.stderr)
    return FAILED_LINES_STATUS if result["failed"] else 0
