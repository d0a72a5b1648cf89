"""Mask every image of the eval sets through the image workflow; score the pixels; time it.

usage: python bench/image_bench.py [--eval DIR] [--out DIR] [--sets synth-dev presidio dicom-syntaxes]
                                   [--policies all-text balanced phi-only]

For each set and mask policy: every file goes through hdm.jobs.image.mask_image (the real
workflow on the local runtime), the output lands in OUT/<policy>/<set>/ under the same name,
and the evaluation data's score_images.py scores it when the set has a manifest; a table of PHI
masked and non-PHI kept per set and policy ends the run. Timing: the
median seconds per image of the whole job (and its CPU seconds), and as a baseline measured in the same
run, the median of the OCR engine alone on the same images; their ratio is the
workflow's overhead over OCR. Files refused with an error are listed with it.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

import pydicom
from eval_data import default_eval_dir  # beside this script

from hdm.execution import WorkflowError
from hdm.jobs.image import mask_image
from hdm.runtime import LocalRuntime
from steps.imaging.ocr import get_ocr_engine
from steps.imaging.picture import load
from steps.options import IMAGE_MASK_POLICIES
from steps.storage import file_ref

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".dcm"}


@cache  # measured once per image, whichever policies the run compares
def ocr_only_seconds(path: Path) -> float:
    """The baseline: decode, render and read the words of every frame once, nothing else."""
    start = time.perf_counter()
    picture, engine = load(path.read_bytes()), get_ocr_engine("rapidocr")
    for frame in picture.iter_frames():
        engine.read(picture.ocr_view(frame))
    return time.perf_counter() - start


def invalid_dicom_outputs(out: Path) -> list[str]:
    """Masked DICOM files that pydicom cannot read back with their pixels."""
    invalid = []
    for path in sorted(out.glob("*.dcm")):
        try:
            if pydicom.dcmread(path).pixel_array.size == 0:
                invalid.append(f"{path.name}: no pixels")
        except Exception as exc:  # any failure to read back is what we report
            invalid.append(f"{path.name}: {type(exc).__name__}")
    return invalid


def run_set(runtime: LocalRuntime, source: Path, out: Path, policy: str) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    seconds, cpu, baseline, refused = [], [], [], []
    for path in sorted(p for p in source.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            mask_image(runtime, file_ref(path), file_ref(out / path.name), imageMaskPolicy=policy)
        except WorkflowError as exc:
            refused.append(f"{path.name}: {exc.execution.error}: {json.loads(exc.execution.cause)['errorMessage']}")
            continue
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        baseline.append(ocr_only_seconds(path))
    return {"images": len(seconds), "refused": refused, "seconds": seconds, "cpu": cpu, "baseline": baseline}


def bench_set(runtime: LocalRuntime, eval_dir: Path, name: str, out: Path, policy: str) -> dict | None:
    """Mask one set under one policy, print its timings, and return its scores (None without a manifest)."""
    source = eval_dir / "images" / name
    result = run_set(runtime, source, out / name, policy)
    print(f"== {name} ({policy}): {result['images']} masked, {len(result['refused'])} refused")
    for line in result["refused"]:
        print(f"   refused {line}")
    written = len(list((out / name).glob("*.dcm")))
    if written:
        invalid = invalid_dicom_outputs(out / name)
        print(f"   DICOM outputs read back with pixels: {written - len(invalid)}/{written} {invalid}")
    if result["seconds"]:
        median, ocr = statistics.median(result["seconds"]), statistics.median(result["baseline"])
        print(f"   median s/image: workflow {median:.2f}, OCR alone {ocr:.2f}, ratio {median / ocr:.2f}; "
              f"max workflow {max(result['seconds']):.2f}; "
              f"median CPU s/image (all threads, less sensitive to a busy machine) "
              f"{statistics.median(result['cpu']):.2f}")
    manifest = source / "manifest.jsonl"
    if not manifest.exists():
        return None
    scored = subprocess.run([sys.executable, str(eval_dir / "score_images.py"), str(manifest), str(source),
                             str(out / name), "--json"], check=True, capture_output=True, text=True)
    score = json.loads(scored.stdout)
    print("   " + json.dumps(score))
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=default_eval_dir())
    parser.add_argument("--out", type=Path, default=None, help="where masked copies go (default: a temp dir)")
    parser.add_argument("--sets", nargs="+", default=["synth-dev", "presidio", "dicom-syntaxes"])
    parser.add_argument("--policies", nargs="+", choices=IMAGE_MASK_POLICIES, default=list(IMAGE_MASK_POLICIES))
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="hdm-image-bench-"))
    # Timings are only comparable on an otherwise idle machine: say how busy it was.
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory() as state, LocalRuntime(home=Path(state)) as runtime:
        get_ocr_engine("rapidocr")  # model load is not part of any image's time
        # Warm-up: the interpreter's first execution and the first inference are one-off costs.
        warm = next((args.eval / "images" / args.sets[0]).glob("*.png"), None)
        if warm is not None:
            mask_image(runtime, file_ref(warm), file_ref(out / "warm-up" / warm.name))
        scores = {}
        for policy in args.policies:
            for name in args.sets:
                scores[policy, name] = bench_set(runtime, args.eval, name, out / policy, policy)
    print(f"{'set':16s} {'policy':10s} {'PHI masked':>10s} {'non-PHI kept':>12s}")
    for (policy, name), score in scores.items():
        if score:
            print(f"{name:16s} {policy:10s} {score['phi_masked_recall']:10.3f} {score['non_phi_kept']:12.3f}")
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"masked copies in {out}")


if __name__ == "__main__":
    main()
