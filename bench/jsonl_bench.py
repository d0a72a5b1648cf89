"""Documents per second through ``hdm detect-phi --jsonl`` beside the PHI engine called directly.

usage: python bench/jsonl_bench.py [--lines 5000] [--large 50000] [--rounds 3] [--workers 2] [--batch-size N]
                                  [--eval DIR]

Same run, same JSON Lines file, same number of processes running the engine, both
timed cold (worker start and engine load included on both sides; the hdm side also
pays its own process start, imports, the runtime and the workflow):
- direct: a process pool, each worker parsing lines, calling the builtin engine,
  filtering and writing result lines ``{"id", "Entities"}``, collected in input order
  into one file;
- hdm: ``hdm detect-phi --jsonl IN -o OUT --workers N`` in a subprocess (one bulk text
  execution: planning, a DISTRIBUTED Map over batches of lines, assembling the output).
The two alternate for ``--rounds`` rounds (the machine is shared); medians and best
rounds are compared. The issue's target: hdm at >= 75% of the direct rate. CPU seconds
(all processes of each side) show the cost apart from the machine's load; "1st batch" is
when hdm's first batch of results appeared (start-up, planning and one batch). Memory: the
peak RSS of hdm's largest process (wait4) and of its whole process tree (sampled every
50 ms), on ``--lines`` and on ``--large`` lines: it should stay flat as the file grows.
The notes are PhysioNet's dev notes cycled into a temporary file, never into the repository.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from eval_data import default_eval_dir  # beside this script

DIRECT_CHUNK = 250  # lines per pool task


def write_notes(path: Path, count: int, eval_dir: Path) -> None:
    """``count`` lines {"id", "text"}, cycling through the 1,450 non-empty PhysioNet dev notes."""
    texts = [t for t in (json.loads(line)["text"] for line in open(eval_dir / "text" / "physionet-dev.jsonl"))
             if t.strip()]
    with open(path, "w") as notes:
        for i in range(count):
            notes.write(json.dumps({"id": f"note-{i}", "text": texts[i % len(texts)]}) + "\n")


def _detect_lines(lines: list[str]) -> bytes:
    from steps.options import validate
    from steps.phi import get_engine
    from steps.text.entities import select, with_text

    options, engine, out = validate(None), get_engine("builtin"), []
    for line in lines:
        document = json.loads(line)
        text = document["text"]
        entities = select(engine.detect(text), options)
        out.append(json.dumps({"id": document["id"], "Entities": with_text(entities, text)}, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode("utf-8")


def _cpu_seconds(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def direct(source: Path, output: Path, workers: int) -> tuple[float, float]:
    """(documents/s, CPU seconds of the pool's processes) with the engine called straight from a process pool."""
    before = _cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)) + _cpu_seconds(
        resource.getrusage(resource.RUSAGE_CHILDREN))
    start = time.perf_counter()
    lines = source.read_text().splitlines()
    with ProcessPoolExecutor(workers) as pool, open(output, "wb") as out:
        for block in pool.map(_detect_lines, [lines[i:i + DIRECT_CHUNK] for i in range(0, len(lines), DIRECT_CHUNK)]):
            out.write(block)
    seconds = time.perf_counter() - start
    after = _cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)) + _cpu_seconds(
        resource.getrusage(resource.RUSAGE_CHILDREN))
    return len(lines) / seconds, after - before


def _tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and its descendants, from /proc."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def through_hdm(source: Path, output: Path, workers: int, state: Path,
                extra: list[str]) -> tuple[float, float, float, float, float, str]:
    """(documents/s, CPU seconds, seconds to the first batch's results, peak RSS MB of the largest process
    and of the tree, summary line)."""
    lines = sum(1 for _ in open(source))
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "hdm.cli", "--state-dir", str(state), "detect-phi",
                                "--jsonl", str(source), "-o", str(output), "--workers", str(workers),
                                "--no-progress", *extra], stderr=subprocess.PIPE, text=True)
    peak_tree, first_batch, done = 0, None, threading.Event()
    parts = output.with_name(output.name + ".partial.job") / "work" / "parts"

    def sample() -> None:
        nonlocal peak_tree, first_batch
        while not done.wait(0.05):
            peak_tree = max(peak_tree, _tree_rss_bytes(process.pid))
            if first_batch is None and parts.is_dir() and any(parts.glob("*.json")):
                first_batch = time.perf_counter() - start

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read()
    if process.returncode != 0:
        raise RuntimeError(f"hdm exited with {process.returncode}: {stderr[-2000:]}")
    return (lines / seconds, _cpu_seconds(usage), first_batch or seconds, usage.ru_maxrss / 1024,
            peak_tree / 2**20, stderr.strip().splitlines()[-1])


def _same_results(a: Path, b: Path) -> bool:
    return a.read_bytes() == b.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--large", type=int, default=50000, help="lines of the memory run (0: none)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=None, help="hdm's --batch-size (default: its own)")
    parser.add_argument("--eval", type=Path, default=default_eval_dir(), help="the eval data folder")
    args = parser.parse_args()
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="hdm-jsonl-bench-") as scratch:
        scratch = Path(scratch)
        print(f"{'lines':>7} {'round':>6} {'direct doc/s':>13} {'hdm doc/s':>10} {'hdm/direct':>11} "
              f"{'CPU direct':>11} {'CPU hdm':>8} {'1st batch':>10} {'RSS largest':>12} {'RSS tree':>9}")
        sizes = [(args.lines, args.rounds)] + ([(args.large, 1)] if args.large else [])
        for lines, rounds in sizes:
            source = scratch / f"notes-{lines}.jsonl"
            write_notes(source, lines, args.eval)
            direct_rates, hdm_rates = [], []
            for round_ in range(1, rounds + 1):
                direct_out, hdm_out = scratch / "direct.jsonl", scratch / "hdm.jsonl"
                rate, direct_cpu = direct(source, direct_out, args.workers)
                direct_rates.append(rate)
                extra = ["--batch-size", str(args.batch_size)] if args.batch_size else []
                rate, hdm_cpu, first, largest, tree, summary = through_hdm(source, hdm_out, args.workers,
                                                                           scratch / "state", extra)
                hdm_rates.append(rate)
                assert _same_results(direct_out, hdm_out), "hdm and the direct pool disagree"
                print(f"{lines:7d} {round_:6d} {direct_rates[-1]:13.0f} {rate:10.0f} {rate / direct_rates[-1]:11.0%} "
                      f"{direct_cpu:9.1f} s {hdm_cpu:6.1f} s {first:8.2f} s {largest:9.0f} MB {tree:6.0f} MB"
                      f"   ({summary})",
                      flush=True)
            if rounds > 1:
                for label, pick in (("median", statistics.median), ("best", max)):
                    direct_rate, hdm_rate = pick(direct_rates), pick(hdm_rates)
                    print(f"{lines:7d} {label:>6} {direct_rate:13.0f} {hdm_rate:10.0f} {hdm_rate / direct_rate:11.0%}",
                          flush=True)
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
