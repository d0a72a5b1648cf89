"""Bounded memory and disk: finished executions leave moto, persisted histories expire."""

import os
import subprocess
import sys
import time

import pytest

from hdm import history
from hdm.jobs.batch import run_batch
from hdm.moto_hooks import executions
from hdm.runtime import LocalRuntime
from tests.notes import GUIDE_NOTE, note

DAY = 86400


def _histories(home, ages_in_days: list[float]) -> list[str]:
    directory = home / history.HISTORY_DIR
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for index, age in enumerate(ages_in_days):
        path = directory / f"run-{index}.json"
        path.write_text("{}")
        stamp = time.time() - age * DAY
        os.utime(path, (stamp, stamp))
        names.append(path.stem)
    return names


def test_expiry_drops_the_old_then_the_oldest_beyond_the_count(tmp_path):
    names = _histories(tmp_path, [0.1, 0.2, 0.3, 0.4, 40, 50])
    removed = history.expire(tmp_path, history.Retention(days=30, max_count=3))
    assert removed == 3
    assert sorted(history.names(tmp_path)) == sorted(names[:3])


def test_a_runtime_expires_histories_when_it_starts(tmp_path, monkeypatch):
    _histories(tmp_path, [0.1, 0.2, 0.3, 2, 3])
    monkeypatch.setenv("HDM_HISTORY_MAX", "10")
    monkeypatch.setenv("HDM_HISTORY_DAYS", "1")
    with LocalRuntime(home=tmp_path) as runtime:
        assert len(history.names(tmp_path)) == 3
        runtime.run("mask_text", {"text": GUIDE_NOTE, "workPrefix": f"file://{tmp_path}/w/", "destination": None,
                                  "operation": "mask", "options": {}}).result()
    assert len(history.names(tmp_path)) == 4


def test_a_runtime_expires_by_count_while_it_runs(tmp_path):
    with LocalRuntime(home=tmp_path, retention=history.Retention(days=30, max_count=2)) as runtime:
        for _ in range(5):
            runtime.run("mask_text", {"text": GUIDE_NOTE, "workPrefix": f"file://{tmp_path}/w/",
                                      "destination": None, "operation": "mask", "options": {}}).result()
    assert len(history.names(tmp_path)) == 2


@pytest.mark.parametrize(("variable", "value"), [("HDM_HISTORY_DAYS", "a month"), ("HDM_HISTORY_MAX", "0")])
def test_a_bad_retention_setting_is_a_clear_error(tmp_path, variable, value):
    env = {**os.environ, variable: value}
    result = subprocess.run([sys.executable, "-m", "hdm.cli", "--state-dir", str(tmp_path), "mask-text", "x"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == f"hdm: error: ${variable} must be a positive " \
        f"{'float' if variable.endswith('DAYS') else 'int'}, got {value!r}"


def test_finished_child_executions_leave_moto(tmp_path, monkeypatch):
    monkeypatch.setattr(executions, "CHILD_SECONDS", 0.0)
    source = tmp_path / "in"
    source.mkdir()
    for i in range(3):
        (source / f"long{i}.txt").write_text(note(i) * 8)  # over maxChunkBytes: a workflow of its own
    with LocalRuntime(home=tmp_path / "state") as runtime:
        run_batch(runtime, source, tmp_path / "out", tmp_path / "work", options={"maxChunkBytes": 1_000},
                  batch_size=1).result()
        step_functions = runtime._session.step_functions
        assert runtime.executions_ended("mask_text") == 3, "each long note ran as a child execution"
        assert step_functions.held() == 0 and step_functions.dropped == 4  # three children and the batch
