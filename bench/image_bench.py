"""Mask every image of the eval sets through the image workflow; score the pixels; time it.

usage: python bench/image_bench.py [--eval DIR] [--out DIR] [--sets synth-dev presidio dicom-syntaxes]
                                   [--policies all-text balanced phi-only]

For each set and mask policy: every file goes through hdm.jobs.image.mask_image (the real
workflow on the local runtime), the output lands in OUT/<policy>/<set>/ under the same name,
and the evaluation data's score_images.py scores it when the set has a manifest; a table of PHI
masked and non-PHI kept per set and policy ends the run.

Timing: the median seconds per image of the whole job (and its CPU seconds) against two
baselines measured in the same run, on the same images, with the same engine (one
instance, the workflow's own, same settings and threads) on the same cores:
- "OCR passes made": the engine reads again, alone and timed, exactly the arrays the
  workflow gave it for that image (recorded during the job): every distinct frame it read
  and every sheet the DICOM verification gate read. Nothing else (no decoding) is timed,
  so the ratio is the workflow's overhead over the OCR it needs.
- "one OCR pass": decode the file, render and read every frame once (no sharing between
  frames, no verification): what OCR of the image costs done naively.
Both ratios are ratios of medians. Files refused with an error are listed with it.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
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


class ReadRecorder:
    """Stands in for the engine's read during a job and keeps what it was given, so that
    exactly those reads can be timed alone afterwards."""

    def __init__(self, engine):
        self.engine, self.read, self.calls = engine, engine.read, []

    def __enter__(self) -> "ReadRecorder":
        self.engine.read = self._recorded
        return self

    def __exit__(self, *exc) -> None:
        del self.engine.read  # the class's own method again

    def _recorded(self, rgb, **options):
        verifying = _called_from("release.py")  # the gate, not DetectText
        self.calls.append((rgb, options, verifying))
        return self.read(rgb, **options)

    @property
    def verification_reads(self) -> int:
        return sum(1 for *_, verifying in self.calls if verifying)

    def seconds_alone(self) -> float:
        start = time.perf_counter()
        for rgb, options, _ in self.calls:
            self.read(rgb, **options)
        return time.perf_counter() - start


def _called_from(module_file: str) -> bool:
    frame = sys._getframe(1)
    while frame is not None and not frame.f_code.co_filename.endswith(module_file):
        frame = frame.f_back
    return frame is not None


def one_pass_seconds(path: Path) -> float:
    """Decode, render and read the words of every frame once, nothing else (measured beside each
    job, not once per image: the load of a shared machine changes between policies)."""
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
    result = {key: [] for key in ("seconds", "cpu", "passes", "one_pass", "frames", "reads", "sheets", "refused")}
    for path in sorted(p for p in source.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
        start, start_cpu = time.perf_counter(), time.process_time()
        with ReadRecorder(get_ocr_engine("rapidocr")) as recorder:
            try:
                summary = mask_image(runtime, file_ref(path), file_ref(out / path.name), imageMaskPolicy=policy)
            except WorkflowError as exc:
                result["refused"].append(
                    f"{path.name}: {exc.execution.error}: {json.loads(exc.execution.cause)['errorMessage']}")
                continue
        result["seconds"].append(time.perf_counter() - start)
        result["cpu"].append(time.process_time() - start_cpu)
        result["passes"].append(recorder.seconds_alone())
        result["one_pass"].append(one_pass_seconds(path))
        result["frames"].append(summary.get("frames", 1))
        result["sheets"].append(recorder.verification_reads)
        result["reads"].append(len(recorder.calls) - result["sheets"][-1])
    result["images"] = len(result["seconds"])
    return result


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
        median, passes, one_pass = (statistics.median(result[key]) for key in ("seconds", "passes", "one_pass"))
        print(f"   median s/image: workflow {median:.2f}; OCR passes made {passes:.2f}, ratio {median / passes:.2f}; "
              f"one OCR pass of every frame {one_pass:.2f}, ratio {median / one_pass:.2f}; "
              f"max workflow {max(result['seconds']):.2f}")
        print(f"   OCR passes made: {sum(result['reads'])} frame reads for {sum(result['frames'])} frames, "
              f"{sum(result['sheets'])} verification reads; median CPU s/image (all threads, less "
              f"sensitive to a busy machine) {statistics.median(result['cpu']):.2f}")
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
        get_ocr_engine("rapidocr")  # model load is not part of any image's time (nor of a baseline's)
        # Warm-up: the interpreter's first execution and the first inference are one-off costs.
        # (the first set's first image, whatever its format: without it that image pays for them)
        warm = next((p for p in sorted((args.eval / "images" / args.sets[0]).iterdir())
                     if p.suffix.lower() in IMAGE_SUFFIXES), None)
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
