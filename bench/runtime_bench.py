"""The local runtime's fixed costs, against baselines measured in the same run.

usage: python bench/runtime_bench.py [--rounds 5] [--requests 800] [--clients 8]

- cold start: ``hdm mask-text "<one line>"`` as a new process, against the builtin
  engine detecting PHI in the same line in a bare interpreter (import, build, detect).
  The two alternate for ``--rounds`` rounds; medians and best rounds are compared
  (issue target: at most 4x). The state directory is the same for every hdm round, as
  for a user (the first round also fills the parse-tree cache: it is reported apart).
- server: one ``hdm serve``; after a warm-up, ``--clients`` threads post ``--requests``
  /text/mask requests, then get as many /openapi.json (the server's own floor: routing,
  auth, JSON), alternating for ``--rounds`` rounds (target: /text/mask at >= 10% of
  /openapi.json's rate). The server's RSS is read before and after the /text/mask
  requests of every round (target: < 15 MB growth over 800 requests after warm-up).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LINE = "Seen by Dr. Smith on 3/4/2021 for chest pain."
ENGINE_COLD = ("from steps.phi import get_engine\n"
               f"print(len(get_engine('builtin').detect({LINE!r})))")


def _seconds(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


def cold_start(rounds: int, state: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    hdm = [sys.executable, "-m", "hdm.cli", "--state-dir", str(state), "mask-text", LINE]
    engine = [sys.executable, "-c", ENGINE_COLD]
    first = _seconds(hdm, env)
    print(f"cold hdm mask-text, first run (fills the parse-tree cache): {first:.2f} s")
    engine_times, hdm_times = [], []
    for round_ in range(1, rounds + 1):
        engine_times.append(_seconds(engine, env))
        hdm_times.append(_seconds(hdm, env))
        print(f"round {round_}: engine {engine_times[-1]:.2f} s, hdm {hdm_times[-1]:.2f} s, "
              f"ratio {hdm_times[-1] / engine_times[-1]:.1f}x", flush=True)
    for label, pick in (("median", statistics.median), ("best", min)):
        print(f"cold start {label}: engine {pick(engine_times):.2f} s, hdm {pick(hdm_times):.2f} s, "
              f"ratio {pick(hdm_times) / pick(engine_times):.1f}x (target <= 4x)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _rate(url: str, method: str, body: dict | None, total: int, clients: int) -> float:
    """Requests per second over ``total`` requests shared by ``clients`` threads, each with its connection."""
    counter = iter(range(total))
    lock = threading.Lock()
    failures = []

    def work() -> None:
        with httpx.Client(timeout=120) as client:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                response = client.request(method, url, json=body)
                if response.status_code != 200:
                    failures.append(response.status_code)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed: {sorted(set(failures))}")
    return total / seconds


def server(rounds: int, requests: int, clients: int, state: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "hdm.cli", "--state-dir", str(state), "serve", "--no-auth",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/openapi.json").status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        body = {"text": LINE}
        _rate(base + "/text/mask", "POST", body, 200, clients)  # warm-up: threads, caches, allocator
        _rate(base + "/openapi.json", "GET", None, 200, clients)
        mask_rates, floor_rates, growth = [], [], []
        for round_ in range(1, rounds + 1):
            before = _rss_mb(process.pid)
            mask_rates.append(_rate(base + "/text/mask", "POST", body, requests, clients))
            growth.append(_rss_mb(process.pid) - before)
            floor_rates.append(_rate(base + "/openapi.json", "GET", None, requests, clients))
            print(f"round {round_}: /text/mask {mask_rates[-1]:.1f}/s, /openapi.json {floor_rates[-1]:.1f}/s, "
                  f"ratio {mask_rates[-1] / floor_rates[-1]:.1%}, RSS {before:.0f} -> {before + growth[-1]:.0f} MB "
                  f"({growth[-1]:+.1f} MB over {requests} /text/mask)", flush=True)
        for label, pick in (("median", statistics.median), ("best", max)):
            print(f"server {label}: /text/mask {pick(mask_rates):.1f}/s, /openapi.json {pick(floor_rates):.1f}/s, "
                  f"ratio {pick(mask_rates) / pick(floor_rates):.1%} (target >= 10%)")
        print(f"server RSS growth per {requests} /text/mask requests: median {statistics.median(growth):+.1f} MB, "
              f"max {max(growth):+.1f} MB (target < 15 MB)")
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-server", action="store_true")
    args = parser.parse_args()
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="hdm-runtime-bench-") as scratch:
        if not args.skip_cold:
            cold_start(args.rounds, Path(scratch) / "cold-state")
        if not args.skip_server:
            server(args.rounds, args.requests, args.clients, Path(scratch) / "server-state")
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
