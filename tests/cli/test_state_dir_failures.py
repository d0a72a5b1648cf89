"""A state dir that is read-only, full or holds a corrupt record: one line and exit 1, or a
skipped record with a warning; never a traceback, never a partial file."""

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.notes import GUIDE_NOTE, GUIDE_NOTE_MASKED


def _hdm(state, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hdm.cli", "--state-dir", str(state), *args],
                          capture_output=True, text=True, timeout=180)


@pytest.fixture
def mount_tmpfs():
    """Mount a small tmpfs (Linux, with the right to mount); unmounted at the end."""
    mounted = []

    def mount(path, *options: str):
        path.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(("size=256k", *options)), "tmpfs",
                                 str(path)], capture_output=True)
        if result.returncode != 0:
            pytest.skip("this machine does not let the tests mount a tmpfs")
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", str(path)], check=True)


def _one_line_error(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hdm: error: "), result.stderr


def _files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_read_only_state_dir_is_one_line_and_exit_1(tmp_path, mount_tmpfs):
    state = mount_tmpfs(tmp_path / "state", "ro")
    result = _hdm(state, "mask-text", GUIDE_NOTE)
    _one_line_error(result)
    assert "Read-only file system" in result.stderr and result.stdout == ""


def test_a_full_state_dir_is_one_line_and_exit_1_with_no_partial_file(tmp_path, mount_tmpfs):
    state = mount_tmpfs(tmp_path / "state")
    _fill(state)
    result = _hdm(state, "mask-text", GUIDE_NOTE)
    _one_line_error(result)
    assert "No space left on device" in result.stderr
    assert _files(state) == ["filler"]


def test_when_only_the_history_cannot_be_written_the_result_is_still_printed(tmp_path, mount_tmpfs):
    state = tmp_path / "state"
    mount_tmpfs(state / "executions", "ro")
    result = _hdm(state, "mask-text", GUIDE_NOTE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == GUIDE_NOTE_MASKED.rstrip("\n")
    assert "history_not_saved" in result.stderr and "EROFS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # the warning alone: names and error codes


def test_a_corrupt_history_is_skipped_with_a_warning_and_show_says_so(tmp_path):
    state = tmp_path / "state"
    assert _hdm(state, "mask-text", GUIDE_NOTE).returncode == 0
    executions = state / "executions"
    [good] = [p.stem for p in executions.glob("*.json")]
    (executions / "mask-text-torn.json").write_text('{"name": "mask-text-torn", "sta')
    (executions / "mask-text-other.json").write_text(json.dumps(["not", "a", "record"]))
    os.utime(executions / f"{good}.json", (0, 0))  # the oldest: listed after the broken ones

    listed = _hdm(state, "executions", "list")
    assert listed.returncode == 0, listed.stderr
    assert good in listed.stdout and "torn" not in listed.stdout
    assert sorted(listed.stderr.strip().splitlines()) == [
        f"hdm: warning: skipped execution {name}: its history is unreadable"
        for name in ("mask-text-other", "mask-text-torn")]
    as_json = _hdm(state, "executions", "list", "--json")
    assert [s["name"] for s in json.loads(as_json.stdout)] == [good]

    shown = _hdm(state, "executions", "show", "mask-text-torn")
    _one_line_error(shown)
    assert "unreadable" in shown.stderr
    assert _hdm(state, "executions", "show", good).returncode == 0


def test_a_read_only_batch_output_folder_is_one_line_and_exit_1(tmp_path, mount_tmpfs):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text(GUIDE_NOTE)
    output = mount_tmpfs(tmp_path / "out", "ro")
    result = _hdm(tmp_path / "state", "batch", str(tmp_path / "in"), str(output), "--no-progress")
    _one_line_error(result)
    assert "is not writable" in result.stderr


def _fill(folder) -> None:
    with open(folder / "filler", "wb", buffering=0) as filler, pytest.raises(OSError):
        while True:
            filler.write(b"\0" * 4096)


def test_a_history_that_does_not_fit_leaves_no_partial_file(tmp_path, mount_tmpfs):
    from hdm import history

    state = tmp_path / "state"
    _fill(mount_tmpfs(state / "executions"))
    described = {"name": "mask-text-full", "executionArn": "arn:aws:states:us-east-1:1:execution:m:mask-text-full",
                 "stateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:m", "status": "SUCCEEDED",
                 "startDate": None, "stopDate": None, "input": {"source": "file:///x" * 20_000}}
    with pytest.raises(OSError):
        history.save(state, described, [])
    assert _files(state / "executions") == ["filler"]


@pytest.mark.parametrize("kind", ["read-only", "full"])
def test_serve_on_an_unusable_state_dir_is_one_line_and_exit_1(tmp_path, mount_tmpfs, kind):
    state = mount_tmpfs(tmp_path / "state", *(["ro"] if kind == "read-only" else []))
    if kind == "full":
        _fill(state)
    with socket.socket() as free:  # a port nobody listens on; the server must refuse before it binds
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    result = _hdm(state, "serve", "--port", str(port))
    _one_line_error(result)
    assert ("Read-only file system" if kind == "read-only" else "No space left on device") in result.stderr
