"""Files per second through ``hdm batch`` (the batch workflow) beside the engines called directly.

usage: python bench/batch_bench.py [--texts 20000] [--images 24] [--rounds 3] [--workers 2] [--memory 0]

Same run, same files, same number of worker processes, both timed cold (process
start and model loads included on both sides):
- direct: a process pool calls the engines themselves, no orchestration at all:
  text = read + builtin PHI detection + masking + write; images = decode + OCR + PHI
  detection on the words read + masking the words' boxes + encoding + write;
- workflow: ``hdm batch IN OUT`` in a subprocess (state machines, child workflows,
  per-object records, resume checks, manifest).
The two alternate for ``--rounds`` rounds (the machine is shared: load comes and goes);
the medians are compared, and the best rounds (the least disturbed, as timeit takes
its minimum). The orchestration share is 1 - workflow/direct; the issue's target is
<= 25%. Corpora are large enough for the fixed costs of each side (process start,
imports, model loads: about 2 s for the workflow, 0.5 s for the pool) to count as
they would in a nightly archive run, not to dominate.
``--memory N`` also runs N notes in this process, most through a text workflow of
their own, and prints the peak RSS and how many finished child executions moto still
holds; ``--no-prune`` shows what they cost if finished executions were never dropped
(hdm/moto_hooks/executions.py).
"""

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from eval_data import default_eval_dir  # beside this script

EVAL = default_eval_dir()


def _text_files(folder: Path, count: int) -> list[Path]:
    """``count`` notes, cycling through the corpus (1,450 non-empty notes) if it asks for more."""
    documents = [t for t in (json.loads(line)["text"] for line in open(EVAL / "text" / "physionet-dev.jsonl"))
                 if t.strip()]
    paths = []
    for i in range(count):
        path = folder / f"unit{i % 10}" / f"note{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(documents[i % len(documents)])
        paths.append(path)
    return paths


def _image_files(folder: Path, count: int) -> list[Path]:
    """``count`` images, cycling through the synthetic set if it asks for more."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(p for p in (EVAL / "images" / "synth-dev").iterdir() if p.suffix in (".png", ".jpg", ".dcm"))
    return [Path(shutil.copy(sources[i % len(sources)], folder / f"{i:04d}-{sources[i % len(sources)].name}"))
            for i in range(count)]


def _mask_text_directly(path: Path, out: Path) -> None:
    from steps import storage
    from steps.phi import get_engine
    from steps.text.entities import mask

    text = path.read_text()
    storage.write_text(storage.file_ref(out / path.name), mask(text, get_engine("builtin").detect(text), "type"))


def _mask_image_directly(path: Path, out: Path) -> None:
    from steps import storage
    from steps.imaging import dicom, policy, raster
    from steps.imaging.formats import DICOM
    from steps.imaging.masking import mask_boxes
    from steps.imaging.ocr import get_ocr_engine
    from steps.imaging.picture import load
    from steps.imaging.words import build_document, overlapping, split_fused
    from steps.options import validate
    from steps.phi import get_engine
    from steps.text.entities import select

    picture = load(path.read_bytes())
    view = picture.ocr_view(next(picture.iter_frames()))  # the synthetic set's images have one frame
    document, words = build_document(split_fused(get_ocr_engine("rapidocr").read(view)))
    entities = select(get_engine("builtin").detect(document), validate(None))
    reasons = policy.decide(words, overlapping(words, entities), policy.header_seeds(picture.header_values()),
                            "all-text")
    boxes = picture.clipped(mask_boxes([w.box for i, w in enumerate(words) if i in reasons],
                                       [w.box for i, w in enumerate(words) if i not in reasons]))
    if picture.format == DICOM:  # the pixels only: the header profile and its gate are the workflow's
        frames = dicom.masked_frames(picture.source, [boxes] * picture.frames)
        masked = io.BytesIO()
        dicom.write(picture.source, frames, masked)
        storage.write_bytes(storage.file_ref(out / path.name), masked.getvalue())
    else:
        storage.write_bytes(storage.file_ref(out / path.name), raster.masked(picture.source, picture.format, boxes))


def direct(paths: list[Path], work, workers: int, out: Path) -> float:
    """Files per second with the engines called straight from a process pool."""
    from steps.options import OCR_THREADS_VARIABLE

    # The same share of the cores per process for OCR as ``hdm batch`` gives its workers.
    os.environ[OCR_THREADS_VARIABLE] = str(max(1, (os.cpu_count() or 1) // workers))
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(work, paths, [out] * len(paths), chunksize=max(1, len(paths) // (workers * 8))))
    return len(paths) / (time.perf_counter() - start)


def through_workflow(paths: list[Path], source: Path, out: Path, workers: int, state: Path) -> tuple[float, str]:
    """Files per second through ``hdm batch`` in a subprocess, as a user runs it."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "hdm.cli", "--state-dir", str(state), "batch", str(source),
                             str(out), "--workers", str(workers), "--no-progress"],
                            capture_output=True, text=True, check=True)
    return len(paths) / (time.perf_counter() - start), result.stderr.strip().splitlines()[-1]


def memory(count: int, scratch: Path, prune: bool) -> None:
    from hdm.jobs.batch import run_batch
    from hdm.moto_hooks.executions import LocalStepFunctions
    from hdm.runtime import LocalRuntime

    if not prune:  # the comparison: what moto alone would hold on to
        LocalStepFunctions._drop = lambda self, execution: None

    source = scratch / "memory-in"
    _text_files(source, count)
    with LocalRuntime(home=scratch / "memory-state") as runtime:
        start = time.perf_counter()
        # Chunks of at most 1,000 bytes: most notes go through a text workflow of their own, the
        # child executions whose memory the runtime bounds.
        run_batch(runtime, source, scratch / "memory-out", scratch / "memory-work",
                  options={"maxChunkBytes": 1_000}).result()
        seconds = time.perf_counter() - start
        kept = runtime._session.step_functions.held()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    label = "memory" if prune else "memory (no pruning)"
    print(f"{label}: {count} notes in one process in {seconds:.1f} s, peak RSS {peak_mb:.0f} MB, "
          f"executions still held by moto: {kept}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=20000)
    parser.add_argument("--images", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--memory", type=int, default=0, metavar="N")
    parser.add_argument("--no-prune", action="store_true", help="memory run without the child pruner")
    args = parser.parse_args()
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="hdm-batch-bench-") as scratch:
        scratch = Path(scratch)
        corpora = [("text", _text_files(scratch / "text", args.texts), _mask_text_directly),
                   ("images", _image_files(scratch / "images", args.images), _mask_image_directly)]
        print(f"{'corpus':8} {'files':>6} {'round':>6} {'direct f/s':>11} {'workflow f/s':>13} {'orchestration':>14}")
        for name, paths, work in corpora:
            if not paths:
                continue
            direct_rates, workflow_rates = [], []
            for round_ in range(1, args.rounds + 1):
                # Each side starts with the other's writes on disk, not still being flushed under it.
                os.sync()
                direct_rates.append(direct(paths, work, args.workers, scratch / f"{name}-direct-{round_}"))
                os.sync()
                rate, summary = through_workflow(paths, scratch / name, scratch / f"{name}-out-{round_}",
                                                 args.workers, scratch / f"state-{round_}")
                workflow_rates.append(rate)
                print(f"{name:8} {len(paths):6d} {round_:6d} {direct_rates[-1]:11.2f} {rate:13.2f} "
                      f"{1 - rate / direct_rates[-1]:13.0%}   ({summary})", flush=True)
            for label, pick in (("median", statistics.median), ("best", max)):
                direct_rate, workflow_rate = pick(direct_rates), pick(workflow_rates)
                print(f"{name:8} {len(paths):6d} {label:>6} {direct_rate:11.2f} {workflow_rate:13.2f} "
                      f"{1 - workflow_rate / direct_rate:13.0%}", flush=True)
        if args.memory:
            memory(args.memory, scratch, prune=not args.no_prune)
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
