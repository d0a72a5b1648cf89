"""The must-show of surrogates: two notes of one patient, masked in separate runs with one key file."""

import json
import os
import re
import subprocess
import sys
from datetime import date

ADMISSION = ("Name: SALAZAR, CARLOS\nMRN: RQ36114734\nAdmission date: 03/14/2019\nPhone: (617) 555-0142\n"
             "Seen by Dr. Helen Carver.")
DISCHARGE = ("Name: SALAZAR, CARLOS\nMRN: RQ36114734\nDischarge date: 03/22/2019\n"
             "Carlos Salazar was discharged home to Boston.")
ORIGINALS = ("SALAZAR", "CARLOS", "Carlos", "Salazar", "RQ36114734", "03/14/2019", "03/22/2019", "555-0142",
             "Helen", "Carver", "Boston")
PATIENT = "MRN-0417-SALAZAR"


def _mask(tmp_path, note: str, key_file, *extra: str) -> dict:
    env = {**os.environ, "HDM_STATE_DIR": str(tmp_path / "state")}
    env.pop("HDM_PSEUDONYM_KEY_FILE", None)
    done = subprocess.run([sys.executable, "-m", "hdm.cli", "mask-text", "--mode", "surrogate", "--key-file",
                           str(key_file), "--patient", PATIENT, "--json", *extra, note],
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _spans(result: dict, entity_type: str) -> list[str]:
    return [result["maskedText"][e["BeginOffset"]:e["EndOffset"]] for e in result["entities"]
            if e["Type"] == entity_type]


def _day(written: str) -> date:
    month, day, year = (int(part) for part in written.split("/"))
    return date(year, month, day)


def test_two_notes_of_one_patient_in_separate_runs_with_one_key(tmp_path):
    key, other_key = tmp_path / "pseudonym.key", tmp_path / "other.key"
    key.write_bytes(bytes(range(32)))
    other_key.write_bytes(bytes(range(32, 64)))
    admission, discharge = _mask(tmp_path, ADMISSION, key), _mask(tmp_path, DISCHARGE, key)

    # The same name gets the same surrogate in both notes, in each of its forms.
    [header_a, doctor] = _spans(admission, "NAME")
    [header_b, in_text] = _spans(discharge, "NAME")
    assert header_a == header_b and re.fullmatch(r"[A-Z]+, [A-Z]+", header_a)
    last, first = header_a.split(", ")
    assert in_text == f"{first.title()} {last.title()}"
    assert _spans(admission, "ID") == _spans(discharge, "ID")
    # The admission-discharge interval is kept to the day, and the dates did move.
    [admitted], [discharged] = _spans(admission, "DATE"), _spans(discharge, "DATE")
    assert (_day(discharged) - _day(admitted)).days == 8
    assert _day(admitted) < date(2019, 3, 14)
    # No original value is left, and the outputs say which surrogate scheme made them.
    for result in (admission, discharge):
        assert not [value for value in ORIGINALS if value in result["maskedText"]]
        assert result["surrogateScheme"] == "1"
    # Another key gives other surrogates.
    elsewhere = _mask(tmp_path, ADMISSION, other_key)
    assert _spans(elsewhere, "NAME")[0] != header_a and _spans(elsewhere, "ID") != _spans(admission, "ID")
    assert _spans(elsewhere, "DATE") != [admitted]


def test_the_patient_and_the_values_never_reach_the_execution_history(tmp_path):
    key = tmp_path / "pseudonym.key"
    key.write_bytes(bytes(range(32)))
    _mask(tmp_path, ADMISSION, key)
    env = {**os.environ, "HDM_STATE_DIR": str(tmp_path / "state")}
    listing = subprocess.run([sys.executable, "-m", "hdm.cli", "executions", "list", "--json"],
                             capture_output=True, env=env, timeout=120)
    [execution] = json.loads(listing.stdout)
    shown = subprocess.run([sys.executable, "-m", "hdm.cli", "executions", "show", execution["name"], "--json"],
                           capture_output=True, env=env, timeout=120).stdout.decode()
    assert json.loads(shown)["events"]
    assert PATIENT not in shown and "0417" not in shown
    assert not [value for value in ORIGINALS if value in shown]
    assert '"patientToken"' in shown and '"operatorCounts"' in shown


def test_without_a_key_each_run_has_its_own_and_keeps_none(tmp_path):
    env = {**os.environ, "HDM_STATE_DIR": str(tmp_path / "state")}
    env.pop("HDM_PSEUDONYM_KEY_FILE", None)
    env.pop("HDM_PSEUDONYM_KEY_SECRET_ARN", None)
    runs = [subprocess.run([sys.executable, "-m", "hdm.cli", "mask-text", "--mode", "surrogate", "--patient", PATIENT,
                            "--json", ADMISSION], capture_output=True, env=env, timeout=120) for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    first, second = (json.loads(run.stdout) for run in runs)
    assert _spans(first, "ID") != _spans(second, "ID")  # unlinkable across jobs: 10**8 values each
    assert not [value for value in ORIGINALS if value in first["maskedText"]]
    leftovers = [p.name for p in (tmp_path / "state").rglob("*") if p.name == "pseudonym.key"]
    assert leftovers == [], "a job's own key goes with its work area"
