"""``hdm detect-phi --jsonl`` and ``hdm mask-text --jsonl`` as a user runs them: real subprocesses."""

import argparse
import contextlib
import fcntl
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from hdm.commands import CliError
from hdm.commands import jsonl as jsonl_command
from steps.options import validate
from steps.text.detection import detect_entities
from steps.text.entities import mask
from tests.notes import GUIDE_NOTE_PHI, masked, note


def _env(tmp_path) -> dict:
    return {**os.environ, "HDM_STATE_DIR": str(tmp_path / "state")}


def hdm(tmp_path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hdm.cli", *args], capture_output=True, env=_env(tmp_path),
                          timeout=300)


def _notes(path, count: int, bad: dict[int, str] | None = None):
    bad = bad or {}
    with open(path, "w") as notes:
        for i in range(count):
            notes.write(bad.get(i, json.dumps({"id": i, "text": note(i)})) + "\n")
    return path


def _lines(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode().splitlines()]


def test_results_stream_to_stdout_in_input_order(tmp_path):
    source = _notes(tmp_path / "notes.jsonl", 40)
    done = hdm(tmp_path, "mask-text", "--jsonl", str(source), "--batch-size", "3", "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert _lines(done.stdout) == [{"id": i, "maskedText": masked(i)} for i in range(40)]
    [summary] = done.stderr.decode().splitlines()
    assert summary == "hdm: 40 documents, 0 failed; results on stdout"
    work = tmp_path / "state" / "work"
    assert not any(work.iterdir()), "no work area left behind"


def test_a_bad_line_is_a_result_line_the_run_goes_on_and_the_exit_status_says_so(tmp_path):
    source = _notes(tmp_path / "notes.jsonl", 6, bad={2: "{oops", 4: json.dumps({"id": "x4"})})
    done = hdm(tmp_path, "detect-phi", "--jsonl", str(source), "--batch-size", "2")
    assert done.returncode == 3
    results = _lines(done.stdout)
    assert [r["id"] for r in results] == [0, 1, None, 3, "x4", 5]
    assert results[2] == {"id": None, "line": 3, "error": "InvalidInput: the line is not a JSON object"}
    assert results[4] == {"id": "x4", "line": 5, "error": 'InvalidInput: the line has no "text"'}
    assert {e["Text"] for e in results[0]["Entities"]} >= {"RQ36114734", "2/11/1961"}
    assert done.stderr.decode().strip() == "hdm: 6 documents, 2 failed (InvalidInput: 2); results on stdout"
    logs = hdm(tmp_path, "executions", "list", "--json")
    [execution] = json.loads(logs.stdout)
    shown = hdm(tmp_path, "executions", "show", execution["name"], "--json").stdout.decode()
    assert "PlanBulkText" in shown and not [value for value in GUIDE_NOTE_PHI if value in shown]


def test_an_output_file_appears_whole_when_the_run_completes(tmp_path):
    source = _notes(tmp_path / "notes.jsonl", 5)
    output = tmp_path / "out" / "masked.jsonl"
    output.parent.mkdir()
    done = hdm(tmp_path, "mask-text", "--jsonl", str(source), "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    assert _lines(output.read_bytes()) == [{"id": i, "maskedText": masked(i)} for i in range(5)]
    assert sorted(p.name for p in output.parent.iterdir()) == ["masked.jsonl"]  # no .partial, no job folder


def test_a_terminal_gets_a_progress_bar_with_rate_and_eta(tmp_path):
    source = _notes(tmp_path / "notes.jsonl", 300)
    terminal, stderr = pty.openpty()
    fcntl.ioctl(stderr, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    run = subprocess.Popen([sys.executable, "-m", "hdm.cli", "detect-phi", "--jsonl", str(source), "-o",
                            str(tmp_path / "found.jsonl"), "--batch-size", "20"],
                           stdout=subprocess.DEVNULL, stderr=stderr, env=_env(tmp_path))
    os.close(stderr)
    shown = b""
    with contextlib.suppress(OSError):  # EIO once the command has closed its end
        while chunk := os.read(terminal, 4096):
            shown += chunk
    os.close(terminal)
    assert run.wait(timeout=300) == 0
    text = shown.decode()
    assert "300/300" in text and "line/s" in text and "<00:00" in text  # count, rate, time left
    assert "hdm: 300 documents, 0 failed" in text


def _wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the run never got there")
        time.sleep(0.01)


def _processes_running(argument: str) -> list[int]:
    """Live processes with ``argument`` on their command line (forked workers keep their parent's)."""
    found = []
    for entry in os.scandir("/proc"):
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and argument.encode() in (Path(entry.path) / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


def _start(tmp_path, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "hdm.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=_env(tmp_path))


@pytest.mark.slow
def test_a_killed_run_resumes_and_every_line_comes_out_once_in_order(tmp_path):
    count, batch = 2000, 10
    source = _notes(tmp_path / "notes.jsonl", count)
    output = tmp_path / "masked.jsonl"
    args = ["mask-text", "--jsonl", str(source), "-o", str(output), "--batch-size", str(batch), "--workers", "1"]
    parts = tmp_path / "masked.jsonl.partial.job" / "work" / "parts"
    run = _start(tmp_path, *args)
    _wait_for(lambda: parts.is_dir() and len(list(parts.glob("*.json"))) >= 5)
    run.send_signal(signal.SIGKILL)
    run.wait()
    _wait_for(lambda: not _processes_running(str(source)))  # its workers died with it
    finished = {p.name for p in parts.glob("*.json")}
    assert not output.exists() and len(finished) < count // batch, "killed before the end"
    done = hdm(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert "lines done by an earlier run" in done.stderr.decode()
    results = _lines(output.read_bytes())
    assert [r["id"] for r in results] == list(range(count))
    options = validate(None)  # what each line must read: the text functions on its note, once
    assert [r["maskedText"] for r in results] == [mask(note(i), detect_entities(note(i), options))
                                                  for i in range(count)]
    assert not (tmp_path / "masked.jsonl.partial.job").exists() and not (tmp_path / "masked.jsonl.partial").exists()


def test_a_second_run_meanwhile_or_a_resumed_run_with_other_options_or_input_is_refused(tmp_path):
    source = _notes(tmp_path / "notes.jsonl", 3000)
    output = tmp_path / "found.jsonl"
    job = tmp_path / "found.jsonl.partial.job" / "job.json"
    run = _start(tmp_path, "detect-phi", "--jsonl", str(source), "-o", str(output), "--workers", "1")
    _wait_for(lambda: (job.parent / "lock").exists())
    meanwhile = hdm(tmp_path, "detect-phi", "--jsonl", str(source), "-o", str(output))
    assert meanwhile.returncode == 1 and "another hdm run is writing" in meanwhile.stderr.decode()
    run.send_signal(signal.SIGKILL)
    run.wait()
    refused = hdm(tmp_path, "detect-phi", "--jsonl", str(source), "-o", str(output), "--threshold", "0.9")
    assert refused.returncode == 1
    [line] = refused.stderr.decode().splitlines()
    assert "was started with other options (threshold)" in line and "found.jsonl.partial.job" in line
    masked = hdm(tmp_path, "mask-text", "--jsonl", str(source), "-o", str(output))
    assert "other options (operation)" in masked.stderr.decode() and masked.returncode == 1
    _notes(source, 10)
    changed = hdm(tmp_path, "detect-phi", "--jsonl", str(source), "-o", str(output))
    assert changed.returncode == 1 and "changed since" in changed.stderr.decode()
    assert not output.exists() and job.exists()


def test_output_without_jsonl_is_refused(tmp_path):
    done = hdm(tmp_path, "mask-text", "a note", "-o", str(tmp_path / "x"))
    assert done.returncode == 1 and "-o/--output goes with --jsonl" in done.stderr.decode()


def test_a_keyed_job_resumed_with_another_key_is_refused(tmp_path, monkeypatch):
    source = _notes(tmp_path / "notes.jsonl", 3)
    args = argparse.Namespace(jsonl=str(source), batch_size=None)
    keys = []
    for name, content in (("a.key", b"a" * 32), ("b.key", b"b" * 32)):
        (tmp_path / name).write_bytes(content)
        monkeypatch.setenv("HDM_PSEUDONYM_KEY_FILE", str(tmp_path / name))
        keys.append(jsonl_command._job(args, "mask", {"mode": "surrogate"})[0])
    assert keys[0]["keyFingerprint"] != keys[1]["keyFingerprint"]
    assert b"a" * 16 not in json.dumps(keys[0]).encode()
    folder = tmp_path / "masked.jsonl.partial.job"
    folder.mkdir()
    jsonl_command._resume_or_start(folder, keys[0], tmp_path / "masked.jsonl")
    jsonl_command._resume_or_start(folder, keys[0], tmp_path / "masked.jsonl")  # the same key resumes
    with pytest.raises(CliError, match="started with another pseudonym key"):
        jsonl_command._resume_or_start(folder, keys[1], tmp_path / "masked.jsonl")
