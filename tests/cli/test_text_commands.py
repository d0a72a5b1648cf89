"""The hdm command as a user runs it: a real subprocess with a private state directory."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import GUIDE_NOTE, GUIDE_NOTE_MASKED, GUIDE_NOTE_PHI


def hdm(tmp_path, *args, stdin=None):
    env = {**os.environ, "HDM_STATE_DIR": str(tmp_path / "state")}
    return subprocess.run([sys.executable, "-m", "hdm.cli", *args], input=stdin, capture_output=True,
                          env=env, timeout=120)


def test_mask_text_prints_the_guide_result(tmp_path):
    done = hdm(tmp_path, "mask-text", GUIDE_NOTE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == GUIDE_NOTE_MASKED + "\n"
    assert done.stderr == b""


def test_mask_text_from_stdin_as_json(tmp_path):
    done = hdm(tmp_path, "mask-text", "-", "--json", "--threshold", "0.5", stdin=GUIDE_NOTE.encode())
    result = json.loads(done.stdout)
    assert result["maskedText"] == GUIDE_NOTE_MASKED
    assert [result["maskedText"][e["BeginOffset"]:e["EndOffset"]] for e in result["entities"]] == \
        ["NAME", "ID", "DATE", "DATE"]
    assert result["operatorCounts"] == {"type": 4} and "surrogateScheme" not in result


def test_detect_phi_jsonl(tmp_path):
    corpus = tmp_path / "notes.jsonl"
    corpus.write_text("\n".join(json.dumps(d) for d in [
        {"id": "a", "text": GUIDE_NOTE}, {"id": "b", "text": "No PHI here."}, {"id": "c", "text": ""}]))
    done = hdm(tmp_path, "detect-phi", "--jsonl", str(corpus))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert {e["Text"] for e in lines[0]["Entities"]} >= {"RQ36114734", "2/11/1961"}
    assert lines[1]["Entities"] == lines[2]["Entities"] == []


@pytest.mark.parametrize("args, stdin, message", [
    (["mask-text", " "], None, "InvalidInput: the document is empty"),
    (["mask-text", "-"], b"\xff\xfe bad", "input is not valid UTF-8 text"),
    (["mask-text", "--file", "/nonexistent/note.txt"], None, "cannot read /nonexistent/note.txt"),
    (["detect-phi", "--jsonl", "/nonexistent.jsonl"], None, "cannot read /nonexistent.jsonl"),
])
def test_bad_input_is_one_clear_line_and_exit_1(tmp_path, args, stdin, message):
    done = hdm(tmp_path, *args, stdin=stdin)
    assert done.returncode == 1
    assert done.stdout == b""
    [line] = done.stderr.decode().splitlines()
    assert line.startswith("hdm: error: ") and message in line
    work = tmp_path / "state" / "work"
    assert not work.exists() or not any(work.iterdir()), "no work area left behind"


def test_threshold_outside_0_1_is_a_usage_error(tmp_path):
    done = hdm(tmp_path, "mask-text", "x", "--threshold", "1.5")
    assert done.returncode == 2
    assert "threshold must be between 0 and 1" in done.stderr.decode()


def test_executions_list_and_show_without_phi(tmp_path):
    assert hdm(tmp_path, "mask-text", GUIDE_NOTE).returncode == 0
    listing = hdm(tmp_path, "executions", "list", "--json")
    [execution] = json.loads(listing.stdout)
    assert execution["status"] == "SUCCEEDED"
    shown = hdm(tmp_path, "executions", "show", execution["name"]).stdout.decode()
    for state in ("Fetch", "ChunkText", "DetectPhi", "DetectChunkPhi", "FilterPhi", "RenderText", "Store"):
        assert state in shown
    full = hdm(tmp_path, "executions", "show", execution["name"], "--json").stdout.decode()
    assert json.loads(full)["events"]
    for value in GUIDE_NOTE_PHI:
        assert value not in shown and value not in full
    missing = hdm(tmp_path, "executions", "show", "nope")
    assert missing.returncode == 1 and "no execution named 'nope'" in missing.stderr.decode()
